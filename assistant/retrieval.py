"""Hybrid retrieval: French BM25 and dense (Chroma) rankings fused by weighted
reciprocal rank fusion, with filters; no generation here."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embeddings import Embedder
from .index_store import LoadedIndex
from .query import detect_lang, parse_refs, translate_for_lexical
from .schema import Chunk, Hit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filters:
    source: str | None = None
    kind: str | None = None
    objective: int | None = None
    axis: int | None = None
    chunk_types: tuple[str, ...] | None = None

    def accepts(self, c: Chunk) -> bool:
        return (
            (self.source is None or c.source == self.source or c.source.startswith(self.source))
            and (self.kind is None or c.kind == self.kind)
            and (self.objective is None or c.objective == self.objective)
            and (self.axis is None or c.axis == self.axis)
            and (self.chunk_types is None or c.chunk_type in self.chunk_types)
        )

    def chroma_where(self, known_sources: Sequence[str]) -> dict[str, object] | None:
        clauses: list[dict[str, object]] = []
        if self.source is not None:
            matches = [s for s in known_sources if s == self.source or s.startswith(self.source)]
            clauses.append({"source": {"$in": matches or [self.source]}})
        if self.kind is not None:
            clauses.append({"kind": self.kind})
        if self.objective is not None:
            clauses.append({"objective": self.objective})
        if self.axis is not None:
            clauses.append({"axis": self.axis})
        if self.chunk_types is not None:
            clauses.append({"chunk_type": {"$in": list(self.chunk_types)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def rrf(rankings: Sequence[tuple[Sequence[int], float]], k: int) -> dict[int, float]:
    """Weighted reciprocal rank fusion: sum of weight / (k + rank), ranks from 1."""
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, doc in enumerate(ranking, 1):
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
    return scores


class Retriever:
    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        *,
        rrf_k: int = 60,
        candidates: int = 30,
        bm25_weight: float = 1.0,
        dense_weight: float = 1.0,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.bm25_weight = bm25_weight
        self.dense_weight = dense_weight
        self.sources = sorted({c.source for c in index.chunks})
        # a question is embedded once: retrieval and answer ranking both ask for it
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vectors_lock = threading.Lock()
        self._request = threading.local()  # did this thread's last searches lose the dense side?
        self._dense_down = False

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._vectors_lock:
            # what is cached is read now: another request may evict it before this one returns
            have = {t: self._vectors[t] for t in dict.fromkeys(texts) if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in have]
        if missing:
            have.update(zip(missing, self.embedder.embed_queries(missing), strict=True))
        with self._vectors_lock:
            for t in dict.fromkeys(texts):  # the texts asked move to the recent end
                self._vectors[t] = have[t]
                self._vectors.move_to_end(t)
            while len(self._vectors) > 512:
                self._vectors.popitem(last=False)
        return np.stack([have[t] for t in texts])

    def begin_request(self) -> None:
        self._request.lexical_only = False

    @property
    def lexical_only(self) -> bool:
        """True when a search since begin_request() ran on BM25 alone (Chroma unreachable)."""
        return bool(getattr(self._request, "lexical_only", False))

    def _dense_or_nothing(self, query: str, filters: Filters) -> list[int]:
        # BM25 and the passages are in memory: a Chroma server that is down (server mode)
        # costs the dense side of the ranking, not the answer
        try:
            ranking = self.dense_ranking(query, filters)
        except Exception as exc:
            if not self._dense_down:
                log.warning("Chroma injoignable (%s) : recherche lexicale seule jusqu'à son retour", exc)
            self._dense_down = True
            self._request.lexical_only = True
            return []
        if self._dense_down:
            log.warning("Chroma de nouveau joignable : recherche hybride rétablie")
            self._dense_down = False
        return ranking

    def bm25_ranking(self, query: str, filters: Filters, spell: bool = True) -> list[int]:
        scores = self.index.lexical.scores(query, spell=spell)
        if filters != Filters():
            mask = np.array([filters.accepts(c) for c in self.index.chunks], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[: self.candidates]
        return [int(i) for i in top if scores[i] > 0]

    def dense_ranking(self, query: str, filters: Filters, n: int | None = None) -> list[int]:
        vec = self.embed_queries([query])[0]
        res = self.index.collection.query(
            query_embeddings=[vec.tolist()],
            n_results=n or self.candidates,
            where=filters.chroma_where(self.sources),
            include=["distances"],
        )
        # passages at the same distance in document order: an approximate index (a Chroma server,
        # the embedded one) returns ties in any order, and the ranks feed the answer's ranking;
        # a passage at cosine 0 or below (distance ≥ 1) is no match at all, and which of those
        # ties an approximate search returns is arbitrary (never the case with e5's cosines)
        found = [
            (float(d), self.index.position(i))
            for i, d in zip(res["ids"][0], res["distances"][0], strict=True)
            if i in self.index.by_id and float(d) < 1.0 - 1e-6
        ]
        return [pos for _, pos in sorted(found)]

    def search(
        self,
        query: str,
        k: int = 5,
        filters: Filters | None = None,
        mode: str = "hybrid",
        lexical_extra: str = "",
    ) -> list[Hit]:
        """`lexical_extra`: words for the BM25 side only (acronyms spelled out), so the
        dense side embeds the question as asked (and reuses its vector)."""
        query = query.strip()
        if not query:
            raise ValueError("La recherche est vide : tapez quelques mots.")
        if k < 1:
            raise ValueError(f"Le nombre de passages demandé doit être au moins 1 (reçu : {k}).")
        filters = filters or Filters()
        english = detect_lang(query) == "en"
        # English questions meet French documents: the lexical side gets French terms and
        # counts for less, the multilingual dense side carries the meaning
        lexical_query = f"{query} {translate_for_lexical(query)}" if english else query
        lexical_query = f"{lexical_query} {lexical_extra}".strip()
        bm25_weight = self.bm25_weight * (0.5 if english else 1.0)
        bm25 = (
            self.bm25_ranking(lexical_query, filters, spell=not english) if mode in ("hybrid", "bm25") else []
        )
        if mode == "dense":
            dense = self.dense_ranking(query, filters)
        else:
            dense = self._dense_or_nothing(query, filters) if mode == "hybrid" else []
        fused = rrf([(bm25, bm25_weight), (dense, self.dense_weight)], self.rrf_k)
        refs = parse_refs(query)
        if refs.objectives and filters.objective is None:
            # "qui pilote l'objectif 12": the passages of objective 12 get a first-rank vote
            bonus = (bm25_weight + self.dense_weight) / (self.rrf_k + 1)
            for i, c in enumerate(self.index.chunks):
                if c.objective in refs.objectives and filters.accepts(c):
                    fused[i] = fused.get(i, 0.0) + bonus
        b_rank = {d: r for r, d in enumerate(bm25, 1)}
        d_rank = {d: r for r, d in enumerate(dense, 1)}
        order = sorted(fused, key=lambda d: (-fused[d], d))[:k]
        return [Hit(self.index.chunks[d], round(fused[d], 6), b_rank.get(d), d_rank.get(d)) for d in order]
