"""Issue 13, item 3: while the Chroma server is down (server mode), questions are answered
from BM25 alone with a notice, the logs say so, and the dense side comes back with it."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from assistant.assistant import LEXICAL_ONLY_NOTICE, Assistant
from assistant.embeddings import FakeEmbedder
from eval.load import free_port

from .chroma_server import start_chroma, stop_chroma
from .conftest import make_settings

pytestmark = pytest.mark.server
FIGURE = "combien d'interventions des correspondants de nuit en 2018 ?"


def test_questions_are_answered_lexically_while_chroma_is_down(tmp_path: Path, caplog):
    port = free_port()
    data = tmp_path / "chroma-data"
    server = start_chroma(data, port)
    try:
        settings = make_settings(
            tmp_path, chroma_host="127.0.0.1", chroma_port=port, chroma_prefix="down", generation_check_s=0.0
        )
        a = Assistant(settings, embedder=FakeEmbedder())
        a.ingest()
        healthy = a.ask("qui pilote l'objectif 12 ?")
        assert not healthy.refused and LEXICAL_ONLY_NOTICE["fr"] not in healthy.text
        hybrid_hits = a.search("taux de pauvreté")
        assert any(h.dense_rank for h in hybrid_hits)

        stop_chroma(server)
        with caplog.at_level(logging.WARNING):
            for q in (FIGURE, "Quel est le taux de pauvreté aux Hauts de Chambéry ?"):
                ans = a.ask(q)
                assert ans.citations and not ans.refused, q
                assert LEXICAL_ONLY_NOTICE["fr"] in ans.text, q  # searched without the dense side
            assert "8 871" in a.ask(FIGURE).text
            fiche = a.ask("qui pilote l'objectif 12 ?")  # answered from the records: no search, no notice
            assert "Grand Chambéry" in fiche.text
            hits = a.search("taux de pauvreté")
            assert hits and not any(h.dense_rank for h in hits)
        assert "recherche lexicale seule" in caplog.text

        server = start_chroma(data, port)  # back on the same port with the same data
        t0 = time.perf_counter()
        while True:
            ans = a.ask(FIGURE)
            if LEXICAL_ONLY_NOTICE["fr"] not in ans.text:
                break
            assert time.perf_counter() - t0 < 10, "never recovered"
            time.sleep(0.1)
        recovered = time.perf_counter() - t0
        assert any(h.dense_rank for h in a.search("taux de pauvreté"))
        assert recovered < 2.0, f"recovered after {recovered:.1f} s"
    finally:
        stop_chroma(server)
