"""Pure citation handling: numbering passages as they are used, the supporting span
inside each, evidence matching, and validation of generated text against them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..schema import Chunk, Citation

_MARK = re.compile(r"\[(\d{1,3})\]")
_NUMBER = re.compile(r"\d[\d\s.,\u00a0\u202f]*\d|\d")


def squash(text: str) -> str:
    """Letters and digits only, folded: the form in which evidence and passages are compared,
    so that line breaks, list separators and accents do not hide a match."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in text if ch.isalnum())


def contains_evidence(passage: str, evidence: str) -> bool:
    return bool(evidence.strip()) and squash(evidence) in squash(passage)


@dataclass
class CitationList:
    """Numbers passages in order of first use; a passage cited twice keeps its number."""

    items: list[Citation] = field(default_factory=list)

    def cite(self, chunk: Chunk, span: tuple[int, int] | None = None) -> str:
        for c in self.items:
            if c.chunk_id == chunk.id:
                return f"[{c.number}]"
        n = len(self.items) + 1
        self.items.append(
            Citation(n, chunk.id, chunk.source, chunk.page, chunk.objective, chunk.section, chunk.text, span)
        )
        return f"[{n}]"

    def as_tuple(self) -> tuple[Citation, ...]:
        return tuple(self.items)

    def draft(self) -> CitationList:
        """A copy to draft an answer on: its markers continue this list's numbering, and
        nothing is added here unless the draft is adopted."""
        return CitationList(list(self.items))

    def adopt(self, other: CitationList) -> None:
        """Take the citations of an answer drafted on `draft()` (or on a new list, when this
        one is still empty)."""
        if other.items[: len(self.items)] != self.items:
            raise ValueError("adopt() expects a draft of this citation list")
        self.items[:] = other.items


def span_of(text: str, part: str) -> tuple[int, int] | None:
    i = text.find(part)
    return (i, i + len(part)) if i >= 0 else None


def markers(text: str) -> list[int]:
    return [int(m) for m in _MARK.findall(text)]


def numbers_in(text: str) -> set[str]:
    """Figures as digit strings ("8 871" and "8871" are the same figure)."""
    out = set()
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if digits:
            out.add(digits)
    return out


@dataclass(frozen=True)
class Validation:
    ok: bool
    reason: str = ""


def validate_generated(text: str, passages: dict[int, str]) -> Validation:
    """A generated answer is kept only if it cites, cites only passages it was given,
    and every figure it states appears in the passages it cites."""
    if not text.strip():
        return Validation(False, "réponse vide")
    cited = markers(text)
    if not cited:
        return Validation(False, "aucune citation")
    unknown = sorted({n for n in cited if n not in passages})
    if unknown:
        return Validation(False, f"citations inconnues {unknown}")
    allowed = set().union(*(numbers_in(passages[n]) for n in set(cited)))
    stated = numbers_in(_MARK.sub(" ", text))
    invented = sorted(n for n in stated if n not in allowed and not any(n in a for a in allowed))
    if invented:
        return Validation(False, f"chiffres absents des passages cités {invented}")
    return Validation(True)
