"""Our hybrid search inside a real llama-index query engine (MockLLM, no network)."""

from __future__ import annotations

import socket

import pytest

from assistant.integrations.llamaindex import ContratDeVilleRetriever
from assistant.retrieval import Filters


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch):
    """Any connection other than loopback fails the test (no OpenAI default sneaks in)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and "/" not in host:
            raise AssertionError(f"network access to {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def mock_settings(no_network):
    """llama-index's global Settings set explicitly (never its OpenAI defaults), restored after."""
    from llama_index.core import Settings
    from llama_index.core.embeddings import MockEmbedding
    from llama_index.core.llms import MockLLM

    saved = (Settings._llm, Settings._embed_model)
    Settings.llm = MockLLM()  # echoes the prompt it is given: we can read what the LLM saw
    Settings.embed_model = MockEmbedding(embed_dim=8)
    yield Settings
    Settings._llm, Settings._embed_model = saved


def test_nodes_are_our_passages_in_our_order(fake_assistant, mock_settings):
    question = "qui pilote l'objectif 12 ?"
    nodes = ContratDeVilleRetriever(fake_assistant, k=5).retrieve(question)
    hits = fake_assistant.search(question, k=5)
    assert [n.node.node_id for n in nodes] == [h.chunk.id for h in hits]
    assert [n.score for n in nodes] == [h.score for h in hits]
    top = nodes[0]
    assert top.node.get_content() == hits[0].chunk.text
    meta = top.node.metadata
    assert meta["objective"] == 12 and meta["source"] == "plan-actions-2021-2022.txt"
    assert meta["chunk_id"] == hits[0].chunk.id
    assert meta["title"] != meta["source"]  # the manifest's title, not the file name
    assert {"page", "section"} <= set(meta)
    assert top.node.ref_doc_id == "plan-actions-2021-2022.txt"


def test_filters_and_modes_are_ours(fake_assistant, mock_settings):
    nodes = ContratDeVilleRetriever(fake_assistant, k=8, filters=Filters(objective=15)).retrieve(
        "ateliers numériques"
    )
    assert nodes and all(n.node.metadata["objective"] == 15 for n in nodes)
    bm25 = ContratDeVilleRetriever(fake_assistant, k=3, mode="bm25").retrieve("taux de pauvreté")
    assert [n.node.node_id for n in bm25] == [
        h.chunk.id for h in fake_assistant.search("taux de pauvreté", k=3, mode="bm25")
    ]
    with pytest.raises(ValueError, match="mode inconnu"):
        ContratDeVilleRetriever(fake_assistant, mode="sparse")


def test_a_query_engine_with_the_users_llm_gets_our_passages(fake_assistant, mock_settings):
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine

    retriever = ContratDeVilleRetriever(fake_assistant, k=3)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = engine.query("combien d'interventions des correspondants de nuit en 2018 ?")
    sources = response.source_nodes
    assert [n.node.node_id for n in sources] == [
        h.chunk.id
        for h in fake_assistant.search("combien d'interventions des correspondants de nuit en 2018 ?", k=3)
    ]
    prompt = str(response)  # MockLLM answers with the prompt it received
    assert "8 871" in prompt  # the passage with the figure reached the LLM
    assert "combien d'interventions des correspondants de nuit" in prompt
    assert "source: rapport-annuel-2018.txt" in prompt  # where it is written, for citing
    assert "chunk_id" not in prompt  # ids are for programs, not for the LLM
