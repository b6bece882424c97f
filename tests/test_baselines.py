"""The baselines used by the evaluation, on a tiny corpus with the fake embedder."""

from __future__ import annotations

from pathlib import Path

from assistant.embeddings import FakeEmbedder
from eval.baselines import llamaindex_embedding, llamaindex_starter


def test_our_embedder_behind_llamaindex():
    emb = llamaindex_embedding(FakeEmbedder())
    q = emb.get_query_embedding("jardins partagés")
    docs = emb.get_text_embedding_batch(["jardins partagés du quartier", "correspondants de nuit"])
    assert len(q) == 256 and len(docs) == 2
    assert sum(a * b for a, b in zip(q, docs[0], strict=True)) > sum(
        a * b for a, b in zip(q, docs[1], strict=True)
    )


def test_starter_pipeline_retrieves(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Les jardins partagés réunissent les familles du quartier.\n", encoding="utf-8"
    )
    (corpus / "b.txt").write_text(
        "Les correspondants de nuit ont fait 8 871 interventions.\n", encoding="utf-8"
    )
    (corpus / "manifest.json").write_text("{}", encoding="utf-8")  # not a document: skipped
    search, facts = llamaindex_starter(corpus, FakeEmbedder(), tmp_path / "work")
    assert facts["documents"] == 2
    assert "8 871" in search("correspondants de nuit interventions", 1)[0]
