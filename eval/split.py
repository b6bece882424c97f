"""Tune / held-out halves of a gold file: fixed seed, stratified by kind.

Every quality claim is made on the held-out half; mechanisms and fitted weights only ever
see the tune half. The split depends on the question ids only, so adding a question to a
file moves no other question across the line."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

SEED = "cdv-2026"


def _key(row_id: str, seed: str) -> str:
    return hashlib.sha256(f"{seed}:{row_id}".encode()).hexdigest()


def split(rows: Sequence[dict], seed: str = SEED) -> tuple[list[dict], list[dict]]:
    """(tune, heldout): within each kind, questions ordered by a seeded hash of their id,
    alternately assigned, so both halves have the same mix of kinds (odd counts give the
    extra question to the tune half)."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[str(r.get("kind"))].append(r)
    tune_ids: set[str] = set()
    for kind_rows in by_kind.values():
        ordered = sorted(kind_rows, key=lambda r: _key(str(r["id"]), seed))
        tune_ids.update(str(r["id"]) for r in ordered[::2])
    tune = [r for r in rows if str(r["id"]) in tune_ids]
    heldout = [r for r in rows if str(r["id"]) not in tune_ids]
    return tune, heldout


def half(rows: Sequence[dict], which: str, seed: str = SEED) -> list[dict]:
    """`which` is "tune", "heldout" or "all"."""
    if which == "all":
        return list(rows)
    tune, heldout = split(rows, seed)
    return tune if which == "tune" else heldout
