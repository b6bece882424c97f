"""Composition root: builds and wires settings, embedder, index, retriever and
answerer. The CLI, the web app and the evaluation all go through `Assistant`."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .answer import Answerer
from .answer.llm import Generator, OpenAILikeGenerator
from .answer.rank import RankerModel
from .answer.understand import understand
from .answer.units import UnitIndex
from .config import Settings
from .embeddings import Embedder, make_embedder
from .glossary import Glossary
from .index_store import BuildReport, IndexStore, LoadedIndex, Progress, ServerIndexStore
from .ingest import IngestError, PdfLimits, read_corpus
from .retrieval import Filters, Retriever
from .schema import Answer, Fiche, Hit, ObjectiveFit
from .textnorm import analyze

log = logging.getLogger(__name__)


def make_store(settings: Settings, embedder: Embedder) -> IndexStore:
    """Embedded by default; a Chroma server when CHROMA_HOST is set."""
    if not settings.chroma_host:
        return IndexStore(settings.index_dir, embedder, settings.embed_batch_size)
    headers = {}
    if settings.chroma_token:
        token = settings.chroma_token.get_secret_value()
        bearer = settings.chroma_auth_header.lower() == "authorization"
        headers[settings.chroma_auth_header] = f"Bearer {token}" if bearer else token
    return ServerIndexStore(
        settings.index_dir,
        embedder,
        settings.embed_batch_size,
        settings.chroma_host,
        settings.chroma_port,
        headers,
        settings.chroma_prefix,
    )


class Assistant:
    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, ranker: RankerModel | None = None
    ) -> None:
        self.settings = settings
        self.ranker = ranker  # None: the fitted model shipped with the package
        self.embedder = embedder or make_embedder(settings)
        self.store = make_store(settings, self.embedder)
        self._index: LoadedIndex | None = None
        self._checked_at = 0.0
        self._retriever: Retriever | None = None
        self._answerer: Answerer | None = None
        self._lock = threading.RLock()
        self.generator: Generator | None = None
        if settings.llm_base_url and settings.llm_model:
            key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
            self.generator = OpenAILikeGenerator(
                settings.llm_base_url, settings.llm_model, key, settings.llm_timeout_s
            )

    # --- indexing -------------------------------------------------------------------

    def ingest(
        self, progress: Progress | None = None, force: bool = False
    ) -> tuple[BuildReport, list[IngestError]]:
        s = self.settings
        docs, errors = read_corpus(s.corpus_dir, PdfLimits(s.pdf_timeout_s, s.pdf_memory_mb, s.pdf_max_pages))
        report = self.store.build(docs, progress=progress, force=force)
        # the answer units of the new generation are embedded now, not at the first question
        self.unit_index(self.store.open(), progress)
        with self._lock:
            self._index = None  # the next question opens the new generation
            self._retriever = None
            self._checked_at = 0.0
        return report, errors

    def ensure_index(self, progress: Progress | None = None) -> None:
        """Build the index if there is none (first start of the app)."""
        if self.store.current_generation() is None:
            self.ingest(progress)

    @property
    def index(self) -> LoadedIndex:
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked_at < self.settings.generation_check_s:
                return self._index
            # another process (the CLI, another replica) may have switched the index
            current = self.store.current_generation()
            self._checked_at = now
            if self._index is None or (current is not None and current != self._index.generation):
                self._index = self.store.open()
                self._retriever = None
            return self._index

    def ready(self) -> bool:
        """Is there an index to answer from (cheap: the loaded one counts)?"""
        return self._index is not None or self.store.current_generation() is not None

    @property
    def retriever(self) -> Retriever:
        index = self.index
        with self._lock:
            if self._retriever is None or self._retriever.index is not index:
                s = self.settings
                self._retriever = Retriever(
                    index,
                    self.embedder,
                    rrf_k=s.rrf_k,
                    candidates=s.candidates,
                    bm25_weight=s.bm25_weight,
                    dense_weight=s.dense_weight,
                )
            return self._retriever

    @property
    def answerer(self) -> Answerer:
        retriever = self.retriever
        with self._lock:
            if self._answerer is None or self._answerer.retriever is not retriever:
                glossary = Glossary.load(
                    self.settings.corpus_dir / "glossaire.json", (c.text for c in retriever.index.chunks)
                )
                self._answerer = Answerer(
                    retriever.index,
                    retriever,
                    glossary,
                    self.generator,
                    self.settings.answer_min_coverage,
                    units=self.unit_index(retriever.index),
                    ranker=self.ranker,
                )
            return self._answerer

    def unit_index(self, index: LoadedIndex, progress: Progress | None = None) -> UnitIndex:
        """Answer units and their embeddings; cached by content hash beside the passages'
        (computed at ingest, so opening an index only reads them)."""

        def report(done: int, total: int) -> None:
            if progress:
                progress("unités", done, total)

        return UnitIndex.build(
            index.chunks, self.embedder, self.settings.index_dir / "cache" / "embeddings.sqlite", report
        )

    # --- reading --------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Answer | str] = (), simple: bool = False) -> Answer:
        return self.answerer.ask(question, history, simple)

    def find(self, description: str, simple: bool = False) -> Answer:
        return self.answerer.find(description, simple)

    def objective_fits(self, description: str, most: int = 3) -> list[ObjectiveFit]:
        """The finder's ranking (the same as `find`'s answer) with how well each objective
        fits: retrieval score, idf-weighted word coverage, matching actions and words."""
        a = self.answerer
        q = understand(description[:3000])
        if q.intent == "empty":
            return []
        q = replace(q, intent="finder")
        ranked = a.find_objectives(q, most)
        if not ranked:
            return []
        scores = a.objective_scores(q.text, q.lang)
        best = max(scores.values()) or 1.0
        expanded = a.expand(q.text, q.lang)
        terms = set(analyze(expanded))
        total = sum(a.idf.get(t, a.max_idf) for t in terms) or 1.0
        fits = []
        for f, actions in ranked:
            text = " ".join([f.title, f.sub_theme or "", *f.tools, *(x.text for x in f.actions)])
            found = terms & set(analyze(text))
            words: dict[str, str] = {}
            for w in re.findall(r"[\w’'-]+", expanded):
                stems = set(analyze(w)) & found
                if stems:
                    words.setdefault(min(stems), w.lower())
            fits.append(
                ObjectiveFit(
                    fiche=f,
                    score=scores.get(f.number, 0.0),
                    share=scores.get(f.number, 0.0) / best,
                    coverage=sum(a.idf.get(t, 0.0) for t in found) / total,
                    actions=tuple(actions),
                    words=tuple(words.values()),
                )
            )
        return fits

    def fiches(self) -> list[Fiche]:
        return self.index.fiches

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        return self.retriever.search(query, k or self.settings.top_k, filters, mode)

    def documents(self) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for c in self.index.chunks:
            counts[c.source] = counts.get(c.source, 0) + 1
        meta = self.index.manifest.get("metadata", {})
        return [{"source": s, "chunks": n, **meta.get(s, {})} for s, n in sorted(counts.items())]

    def warm_up(self, queries: Sequence[str] = ("qui pilote l'objectif 1 ?", "taux de pauvreté")) -> None:
        """Load the model and the index, and run a couple of questions, so that the first
        person to ask does not pay for it."""
        self.embedder.warm_up()
        for q in queries:
            self.ask(q)
