"""Frozen dataclasses that cross module boundaries.

Nothing from llama-index or chromadb leaves the module that uses it: everything
downstream (answers, citations, UI, metrics) speaks these types.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from .documents.model import Document


@dataclass(frozen=True)
class Span:
    """Half-open character range [start, end) in a SourceDoc's text."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class DocMeta:
    """What corpus/manifest.json says of a file (or what we infer for a new file)."""

    title: str
    kind: str = "document"
    year: int | None = None
    date: str | None = None


@dataclass(frozen=True)
class SourceDoc:
    """A document as read from corpus/, cleaned but with its line structure kept.

    `page_starts[i]` is the offset in `text` where page i+1 begins (PDFs); empty
    for text files, which have no pages.
    """

    source: str  # file name inside corpus/
    text: str
    meta: DocMeta
    sha256: str
    page_starts: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()  # non-fatal reading notes (pages left out, ...)
    # the typed blocks (headings, paragraphs, list items, tables with cells) found in `text`,
    # with their pages and spans (assistant/documents/model.py); None when not read
    document: Document | None = field(default=None, compare=False, repr=False)

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)


@dataclass(frozen=True)
class Action:
    text: str
    status: str | None  # "en cours", "à développer", or None when the text does not say
    scope: str | None  # e.g. "Dans les QPV", when the bullets are grouped under a scope line
    span: Span


@dataclass(frozen=True)
class Fiche:
    """One operational objective ("fiche-action") of a plan, as structured data."""

    number: int
    title: str
    axis: int | None
    axis_title: str | None
    sub_theme: str | None
    pilots: tuple[str, ...]
    partners: tuple[str, ...]
    tools: tuple[str, ...]
    actions: tuple[Action, ...]
    notes: tuple[str, ...]
    source: str
    # field name -> where it is written in the source ("title", "pilots", "partners",
    # "tools", "axis", "notes"); actions carry their own spans.
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "objective": self.number,
            "title": self.title,
            "axis": self.axis,
            "axis_title": self.axis_title,
            "sub_theme": self.sub_theme,
            "pilots": list(self.pilots),
            "partners": list(self.partners),
            "tools": list(self.tools),
            "actions": [{"text": a.text, "status": a.status, "scope": a.scope} for a in self.actions],
            "source": self.source,
        }


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage.

    `text` is what is shown and cited (taken from the source, lines un-broken);
    `context` is the heading path, embedded and indexed with the text so that a
    passage about "pilote" still knows it belongs to objective 12.
    """

    id: str
    source: str
    text: str
    context: str
    kind: str  # document kind from the manifest: plan, rapport annuel, page web, ...
    chunk_type: str  # fiche, actions, notes, section, table_row
    section: str | None = None
    page: int | None = None
    objective: int | None = None
    axis: int | None = None
    content_hash: str = ""
    # named sub-ranges of `text` (e.g. "pilots") for highlighting the supporting span
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def embed_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None

    def as_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "source": c.source,
            "page": c.page,
            "objective": c.objective,
            "section": c.section,
            "text": c.text,
            "score": self.score,
        }


@dataclass(frozen=True)
class Citation:
    number: int
    chunk_id: str
    source: str
    page: int | None
    objective: int | None
    section: str | None
    text: str  # the exact passage shown
    span: tuple[int, int] | None  # the part of `text` that supports the answer

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.number,
            "source": self.source,
            "page": self.page,
            "objective": self.objective,
            "section": self.section,
            "text": self.text,
            "span": list(self.span) if self.span else None,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    intent: str
    lang: str
    see_also: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    objective: int | None = None  # the objective the answer is about, for follow-ups
    generator: str = "extractive"
    confidence: float = 1.0  # how well the quoted passage covers the question (facts); 1 for fiche data


@dataclass(frozen=True)
class ObjectiveFit:
    """How well one objective fits a project description (the finder): the calibrated
    probability, its reading (strong / partial / none), the matching actions and words."""

    fiche: Fiche
    probability: float  # that this objective is one to point the project to (objective_fit.py)
    strength: str  # "strong", "partial" (shown), "none" (below the model's showing threshold)
    actions: tuple[int, ...]  # indices of the fiche's actions, closest to the description first
    words: tuple[str, ...]  # the description's words (or their French terms) found in the fiche
