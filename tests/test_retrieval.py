import pytest

from assistant.retrieval import Filters, rrf


def test_rrf_rewards_agreement_and_respects_weights():
    scores = rrf([([1, 2, 3], 1.0), ([2, 1, 4], 1.0)], k=60)
    assert scores[1] == scores[2] > scores[3] > 0
    assert scores[3] == pytest.approx(1 / 63)
    weighted = rrf([([1, 2], 2.0), ([2, 1], 1.0)], k=60)
    assert weighted[1] > weighted[2]


def test_chroma_where_clauses():
    assert Filters().chroma_where(["a.txt"]) is None
    assert Filters(objective=3).chroma_where([]) == {"objective": 3}
    where = Filters(source="plan", axis=2).chroma_where(["plan-actions.txt", "rapport.txt"])
    assert where == {"$and": [{"source": {"$in": ["plan-actions.txt"]}}, {"axis": 2}]}


def test_hybrid_search_finds_the_objective_asked_for(fake_assistant):
    n12 = sum(c.objective == 12 for c in fake_assistant.index.chunks)
    hits = fake_assistant.search("qui pilote l'objectif 12 ?", k=n12 + 2)
    assert {h.chunk.objective for h in hits[:n12]} == {12}
    hits = fake_assistant.search("qui pilote lobjctif 12", k=3)
    assert hits[0].chunk.objective == 12


def test_filters_restrict_every_retriever(fake_assistant):
    hits = fake_assistant.search("partenaires", k=10, filters=Filters(objective=7))
    assert hits and all(h.chunk.objective == 7 for h in hits)
    hits = fake_assistant.search("quartiers", k=10, filters=Filters(source="rapport"))
    assert hits and all(h.chunk.source.startswith("rapport") for h in hits)
    hits = fake_assistant.search("quartiers", k=10, filters=Filters(kind="page web"))
    assert hits and all(h.chunk.kind == "page web" for h in hits)
    hits = fake_assistant.search("emploi", k=10, filters=Filters(axis=2))
    assert hits and all(h.chunk.axis == 2 for h in hits)


def test_typos_and_missing_accents_still_match(fake_assistant):
    hits = fake_assistant.search("corespondants de nuit interventions", k=3, mode="bm25")
    assert any(
        "Correspondants de nuit" in h.chunk.text or "correspondants de nuit" in h.chunk.text.lower()
        for h in hits
    )
    hits = fake_assistant.search("egalite femmes hommes", k=3, mode="bm25")
    assert hits[0].chunk.objective == 16


def test_table_cells_are_found(fake_assistant):
    hits = fake_assistant.search("taux de pauvreté Hauts de Chambéry", k=3)
    assert any(h.chunk.chunk_type == "table_row" and "41,4%" in h.chunk.text for h in hits)


def test_empty_query_is_refused_clearly(fake_assistant):
    with pytest.raises(ValueError, match="vide"):
        fake_assistant.search("   ")


def test_a_cached_question_vector_asked_again_with_many_new_ones_is_not_lost(fake_assistant):
    import numpy as np

    retriever = fake_assistant.answerer.retriever
    old = "une question posée il y a longtemps"
    first = retriever.embed_queries([old])[0]
    retriever.embed_queries([f"question {i}" for i in range(505)])  # the cache holds 512
    # the old text (now the oldest entry) and new ones in one call: the new ones push the cache
    # over its size, and the old one must still be returned (it was evicted mid-call before)
    again = retriever.embed_queries([old] + [f"autre {i}" for i in range(20)])
    assert again.shape[0] == 21 and np.allclose(again[0], first)
