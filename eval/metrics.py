"""Pure metrics over plain dicts (BEIR/haystack style): per-query scores, then means."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

_DIGIT_GROUP = re.compile(r"(?<=\d)[ \u00a0\u202f.](?=\d{3}(?!\d))")


def normalize(text: str) -> str:
    """Case-, accent- and digit-separator-insensitive form, words kept apart by single spaces."""
    text = unicodedata.normalize("NFD", text.lower().replace("œ", "oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DIGIT_GROUP.sub("", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def includes(answer: str, fact: str) -> bool:
    return f" {normalize(fact)} " in f" {normalize(answer)} "


def squash(text: str) -> str:
    return normalize(text).replace(" ", "")


def contains_evidence(passage: str, evidence: str, max_gap: int = 12) -> bool:
    """The evidence is in the passage: as one run of text, or, for table rows that the
    chunker renders with their column headers between the cells ("Taux de pauvreté : 41,4%"),
    as its words in order with at most `max_gap` words between two of them."""
    if not evidence.strip():
        return False
    if squash(evidence) in squash(passage):
        return True
    if "\t" not in evidence:
        return False
    words, target = normalize(passage).split(), normalize(evidence).split()
    for start in (i for i, w in enumerate(words) if w == target[0]):
        pos, ok = start, True
        for t in target[1:]:
            nxt = next((j for j in range(pos + 1, min(len(words), pos + 2 + max_gap)) if words[j] == t), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            return True
    return False


def answer_correct(gold: dict, pred: dict) -> bool:
    """Answerable: not refused and every required fact present. Unanswerable: refused."""
    if gold["kind"] == "unanswerable":
        return bool(pred["refused"])
    return not pred["refused"] and all(includes(pred["answer"], f) for f in gold["must_include"])


def reciprocal_rank(passages: Sequence[str], evidence: str, k: int) -> float:
    for rank, p in enumerate(passages[:k], 1):
        if contains_evidence(p, evidence):
            return 1.0 / rank
    return 0.0


def recall_at_k(passages: Sequence[str], evidence: str, k: int) -> float:
    return 1.0 if any(contains_evidence(p, evidence) for p in passages[:k]) else 0.0


def citation_scores(citations: Sequence[str], evidence: str) -> tuple[float, float]:
    """(hit: some cited passage contains the evidence, precision: share of cited passages that do)."""
    if not citations:
        return 0.0, 0.0
    ok = [contains_evidence(c, evidence) for c in citations]
    return float(any(ok)), sum(ok) / len(ok)


def mean(values: Iterable[float]) -> float:
    vals = list(values)
    return sum(vals) / len(vals) if vals else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
