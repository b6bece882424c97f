"""Composition root: builds and wires settings, embedder, index, retriever and
answerer. The CLI, the web app and the evaluation all go through `Assistant`."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .answer import Answerer
from .answer.llm import Generator, OpenAILikeGenerator
from .answer.objective_fit import fiche_text, shown
from .answer.rank import RankerModel
from .answer.understand import understand
from .answer.units import UnitIndex
from .config import Settings
from .embeddings import Embedder, make_embedder
from .glossary import Glossary
from .index_store import BuildReport, IndexStore, LoadedIndex, Progress, ServerIndexStore
from .ingest import IngestError, PdfLimits, load_glossary, read_corpus
from .retrieval import Filters, Retriever
from .schema import Answer, Fiche, Hit, ObjectiveFit
from .textnorm import analyze, expand_shorthand

log = logging.getLogger(__name__)

LEXICAL_ONLY_NOTICE = {
    "fr": "_(Recherche par mots-clés seulement : le serveur d'index est momentanément injoignable.)_",
    "en": "_(Keyword search only: the index server is unreachable for now.)_",
}


def _return_freed_memory() -> None:
    """Give the memory of a replaced generation back to the system: without it glibc keeps
    the freed arenas and a long-running app grows with each re-index (measured: about
    20 MB less after 20 re-indexes). No-op where there is no glibc."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class _Live:
    """One opened generation with everything built on it. Requests hold a lease on it;
    a generation replaced by a newer one is closed when its last request ends."""

    index: LoadedIndex
    retriever: Retriever
    answerer: Answerer
    users: int = 0
    retired: bool = False


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
        self._live: _Live | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()  # held for reference swaps only, never during an open
        self._open_lock = threading.Lock()  # one open at a time
        self._opener: threading.Thread | None = None
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
        limits = PdfLimits(s.pdf_timeout_s, s.pdf_memory_mb, s.pdf_max_pages, s.pdf_ocr)
        docs, errors = read_corpus(s.corpus_dir, limits)
        try:
            glossary = load_glossary(s.corpus_dir)
        except IngestError as err:
            # refused by name; the live index keeps the glossary it was built with
            log.warning("glossary refused: %s", err)
            errors.append(err)
            glossary = self.store.live_glossary() or {}
        report = self.store.build(docs, progress=progress, force=force, glossary=glossary)
        if self._live is not None:
            # a serving app: open the new generation here, beside the live one, and swap;
            # requests never wait for an open (the CLI opens lazily, on its first question)
            with self._open_lock:
                live = self._live  # a background opener may have got there first
                if live is not None and live.index.generation != report.generation:
                    self._install(self._open())
        if self._live is None and not report.skipped:
            # the CLI: the answer units of the new generation are embedded now (cached by
            # content hash), not at the first question
            index = self.store.open()
            try:
                self.unit_index(index, progress)
            finally:
                index.close()
        return report, errors

    def ensure_index(self, progress: Progress | None = None) -> None:
        """Build the index if there is none (first start of the app)."""
        if self.store.current_generation() is None:
            self.ingest(progress)

    def _open(self) -> _Live:
        index = self.store.open()
        s = self.settings
        retriever = Retriever(
            index,
            self.embedder,
            rrf_k=s.rrf_k,
            candidates=s.candidates,
            bm25_weight=s.bm25_weight,
            dense_weight=s.dense_weight,
        )
        curated = index.manifest.get("glossary")
        if not isinstance(curated, dict):  # an index built before the glossary was part of it
            try:
                curated = load_glossary(s.corpus_dir)
            except IngestError as err:
                log.warning("glossary ignored: %s", err)
                curated = {}
        glossary = Glossary.build(curated, (c.text for c in index.chunks))
        answerer = Answerer(
            index,
            retriever,
            glossary,
            self.generator,
            s.answer_min_coverage,
            units=self.unit_index(index),
            ranker=self.ranker,
        )
        return _Live(index, retriever, answerer)

    def _install(self, new: _Live) -> None:
        with self._lock:
            old, self._live = self._live, new
            self._checked_at = time.monotonic()
            if old is None or old is new:
                return
            old.retired = True
            close = old.users == 0
        if close:
            old.index.close()
        del old
        _return_freed_memory()

    def _open_in_background(self, generation: str) -> None:
        def work() -> None:
            try:
                with self._open_lock:
                    live = self._live
                    if live is not None and live.index.generation == generation:
                        return
                    self._install(self._open())
            except Exception:
                log.exception("opening generation %s failed; the previous one keeps serving", generation)

        with self._lock:
            if self._opener is not None and self._opener.is_alive():
                return
            self._opener = threading.Thread(target=work, name="index-opener", daemon=True)
            self._opener.start()

    def _current(self) -> _Live:
        """The live generation. Another process (the CLI, another replica) may have switched
        the pointer: checked every generation_check_s; a new generation is opened in the
        background while the current one keeps answering."""
        with self._lock:
            live, now = self._live, time.monotonic()
            if live is not None and now - self._checked_at < self.settings.generation_check_s:
                return live
            self._checked_at = now
        if live is None:
            with self._open_lock:
                if self._live is None:
                    self._install(self._open())
                return self._live or self._current()
        try:
            current = self.store.current_generation()
        except Exception as exc:  # a Chroma server that is down: keep serving what is loaded
            log.warning(
                "pointeur d'index illisible (%s) : la génération %s continue", exc, live.index.generation
            )
            return live
        if current is not None and current != live.index.generation:
            self._open_in_background(current)
        return live

    def wait_for_switch(self, timeout: float = 30.0) -> None:
        """Tests and scripts: wait until a background open (if any) is done."""
        opener = self._opener
        if opener is not None:
            opener.join(timeout)

    @contextlib.contextmanager
    def _lease(self) -> Iterator[_Live]:
        live = self._current()
        with self._lock:
            live.users += 1
        try:
            yield live
        finally:
            with self._lock:
                live.users -= 1
                close = live.retired and live.users == 0
            if close:
                live.index.close()

    @property
    def index(self) -> LoadedIndex:
        return self._current().index

    def ready(self) -> bool:
        """Is there an index to answer from (cheap: the loaded one counts)?"""
        return self._live is not None or self.store.current_generation() is not None

    @property
    def retriever(self) -> Retriever:
        return self._current().retriever

    @property
    def answerer(self) -> Answerer:
        return self._current().answerer

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

    def _noted(self, live: _Live, ans: Answer, lease_ms: float) -> Answer:
        # lease_ms: how long the request waited for a generation; a switch must not add to it
        # (the load benchmark reports its maximum)
        timings = {**ans.timings_ms, "lease_ms": lease_ms}
        if not live.retriever.lexical_only:
            return dataclasses.replace(ans, timings_ms=timings)
        notice = LEXICAL_ONLY_NOTICE.get(ans.lang, LEXICAL_ONLY_NOTICE["fr"])
        return dataclasses.replace(ans, text=f"{ans.text}\n\n{notice}", timings_ms=timings)

    def _answered(self, answer: Callable[[Answerer], Answer]) -> Answer:
        """One request on the live generation: its wait for a lease is reported with it."""
        t0 = time.perf_counter()
        with self._lease() as live:
            lease_ms = (time.perf_counter() - t0) * 1000
            live.retriever.begin_request()
            return self._noted(live, answer(live.answerer), lease_ms)

    def ask(self, question: str, history: Sequence[Answer | str] = (), simple: bool = False) -> Answer:
        return self._answered(lambda a: a.ask(question, history, simple))

    def find(self, description: str, simple: bool = False) -> Answer:
        return self._answered(lambda a: a.find(description, simple))

    def objective_fits(self, description: str, most: int = 3) -> list[ObjectiveFit]:
        """The finder's ranking (the same as `find`'s answer) with how well each objective
        fits: its calibrated probability and reading, matching actions and words."""
        a = self.answerer
        q = understand(description[:3000])
        if q.intent == "empty":
            return []
        model = a.finder_model
        expanded = a.expand(q.text, q.lang)
        terms = set(analyze(expanded))
        fits = []
        for s in shown(a.objective_fit_scores(q.text, q.lang), model, most):
            f = a.fiches.by_number[s.number]
            found = terms & set(analyze(fiche_text(f)))
            words: dict[str, str] = {}
            for w in re.findall(r"[\w’'-]+", expanded):
                stems = set(analyze(w)) & found
                if stems:
                    words.setdefault(min(stems), w.lower())
            strength = model.strength(s.probability)
            fits.append(ObjectiveFit(f, s.probability, strength, s.actions[:3], tuple(words.values())))
        return fits

    def fiches(self) -> list[Fiche]:
        return self._current().index.fiches

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        query = expand_shorthand(query)  # « st baldoph », « qqch » typed on a phone
        with self._lease() as live:
            return live.retriever.search(query, self.settings.top_k if k is None else k, filters, mode)

    def documents(self) -> list[dict[str, Any]]:
        index = self._current().index
        counts: dict[str, int] = {}
        for c in index.chunks:
            counts[c.source] = counts.get(c.source, 0) + 1
        meta = index.manifest.get("metadata", {})
        return [{"source": s, "chunks": n, **meta.get(s, {})} for s, n in sorted(counts.items())]

    def close(self) -> None:
        with self._lock:
            live, self._live = self._live, None
        if live is not None:
            live.index.close()

    def warm_up(self, queries: Sequence[str] = ("qui pilote l'objectif 1 ?", "taux de pauvreté")) -> None:
        """Load the model and the index, and run a couple of questions, so that the first
        person to ask does not pay for it."""
        self.embedder.warm_up()
        for q in queries:
            self.ask(q)
