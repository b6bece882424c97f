"""Our hybrid search as a llama-index retriever, so a llama-index pipeline with its own
LLM (a query engine, an agent tool) retrieves from the Contrat de ville the way the
assistant does (French BM25 + dense, fused; objective filters).

    from llama_index.core.query_engine import RetrieverQueryEngine
    retriever = ContratDeVilleRetriever(Assistant(load_settings()), k=5)
    engine = RetrieverQueryEngine.from_args(retriever, llm=my_llm)

llama-index types stay in this module: the rest of the package speaks `Hit` and `Chunk`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode

from ..assistant import Assistant
from ..retrieval import Filters
from ..schema import Hit

# what an LLM is shown besides the passage: where it is written; ids are for programs
_NOT_FOR_LLM = ["chunk_id", "chunk_type", "kind", "axis", "score_bm25_rank", "score_dense_rank"]


def hit_to_node(hit: Hit, titles: Mapping[str, str] | None = None) -> NodeWithScore:
    """One passage as a llama-index node: its exact text, and where it comes from."""
    c = hit.chunk
    metadata: dict[str, Any] = {
        "source": c.source,
        "title": (titles or {}).get(c.source, c.source),
        "page": c.page,
        "objective": c.objective,
        "section": c.section,
        "chunk_id": c.id,
        "chunk_type": c.chunk_type,
        "kind": c.kind,
        "axis": c.axis,
        "score_bm25_rank": hit.bm25_rank,
        "score_dense_rank": hit.dense_rank,
    }
    node = TextNode(
        id_=c.id,
        text=c.text,
        metadata=metadata,
        excluded_llm_metadata_keys=list(_NOT_FOR_LLM),
        excluded_embed_metadata_keys=list(metadata),  # our index embeds; theirs must not re-embed metadata
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=c.source)},
    )
    return NodeWithScore(node=node, score=hit.score)


class ContratDeVilleRetriever(BaseRetriever):
    """`Assistant.search` behind llama-index's retriever interface. Nodes come in our
    ranking order with the fused score; `filters` and `mode` are those of the CLI."""

    def __init__(
        self,
        assistant: Assistant,
        k: int | None = None,
        filters: Filters | None = None,
        mode: str = "hybrid",
        **kwargs: Any,
    ) -> None:
        if mode not in ("hybrid", "bm25", "dense"):
            raise ValueError(f"mode inconnu : {mode!r} (hybrid, bm25 ou dense)")
        self._assistant = assistant
        self._k = k
        self._filters = filters
        self._mode = mode
        super().__init__(**kwargs)

    def _titles(self) -> dict[str, str]:
        meta = self._assistant.index.manifest.get("metadata", {})
        return {src: m["title"] for src, m in meta.items() if isinstance(m, dict) and m.get("title")}

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._assistant.search(
            query_bundle.query_str, k=self._k, filters=self._filters, mode=self._mode
        )
        titles = self._titles()
        return [hit_to_node(h, titles) for h in hits]
