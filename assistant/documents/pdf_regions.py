"""Pure page geometry for the PDF reader: running headers and footers, the body's
font size and line pitch, column gutters, rows of pieces, unruled tables."""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from itertools import pairwise
from typing import Protocol

from .pdf_layout import PageLayout, Piece, TableArea

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:/|sur)\s*\d{1,4})?\s*$", re.IGNORECASE)
# "… – page 3", "p. 3", "3 / 12" ending a line in the margin: a footer even on a single page
_NUMBERED = re.compile(r"(?:[-–—|]\s*|\b)(?:page|p\.)\s*#(?:\s*(?:/|sur)\s*#)?\s*$")
MARGIN_BAND = 0.09  # headers and footers live in the top and bottom 9 % of a page


class Metrics(Protocol):
    body_size: float  # the font size of most of the text
    pitch: float  # the distance between two lines of body text


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def find_furniture(pages: list[PageLayout]) -> set[tuple[int, int]]:
    """(page number, piece index) of running headers, footers and page numbers."""
    seen: Counter[str] = Counter()
    marginal: list[tuple[int, int, str]] = []
    for p in pages:
        keys = set()
        found = []
        for i, pc in enumerate(p.pieces):
            if pc.bottom < p.height * MARGIN_BAND or pc.top > p.height * (1 - MARGIN_BAND):
                key = _furniture_key(pc.text)
                found.append((p.number, i, key))
                keys.add(key)
        if len(found) == len(p.pieces) and not p.tables:
            continue  # all the page says: its content, not its furniture
        marginal.extend(found)
        seen.update(keys)
    with_text = sum(1 for p in pages if p.pieces)
    need = max(2, int(0.4 * with_text))
    sizes: Counter[float] = Counter()
    for p in pages:
        for pc in p.pieces:
            sizes[pc.size] += len(pc.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    size_of = {(p.number, i): pc.size for p in pages for i, pc in enumerate(p.pieces)}
    return {
        (n, i)
        for n, i, key in marginal
        if seen[key] >= need
        or _PAGE_NUMBER.match(key.replace("#", "1"))
        or _NUMBERED.search(key)
        or (with_text == 1 and size_of[n, i] < 0.85 * body)  # one page: small print in the margin
    }


def body_metrics(pages: list[PageLayout], furniture: set[tuple[int, int]]) -> tuple[float, float]:
    sizes: Counter[float] = Counter()
    for p in pages:
        for i, pc in enumerate(p.pieces):
            if (p.number, i) not in furniture:
                sizes[pc.size] += len(pc.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    diffs = []
    for p in pages:
        body_pieces = sorted(
            (pc for i, pc in enumerate(p.pieces) if pc.size == body and (p.number, i) not in furniture),
            key=lambda pc: (round(pc.x0), pc.top),
        )
        for a, b in pairwise(body_pieces):
            d = b.top - a.top
            if abs(a.x0 - b.x0) < 30 and 0.9 * body < d < 2 * body:
                diffs.append(d)
    pitch = statistics.median(diffs) if diffs else 1.3 * body
    return body, pitch


def gutter(pieces: list[Piece], tables: list[TableArea], width: float) -> float | None:
    """x of a column gutter, or None for a single-column page."""
    if len(pieces) < 8:
        return None
    best: tuple[int, float] | None = None
    for step in range(int(width * 0.25), int(width * 0.8), 2):
        x = float(step)
        left = [p for p in pieces if p.x1 < x - 1]
        right = [p for p in pieces if p.x0 > x + 1]
        crossing = len(pieces) - len(left) - len(right)
        if len(left) < 4 or len(right) < 4 or crossing > 0.3 * len(pieces):
            continue
        # side by side: both sides have text over a common height; a table inside one
        # column is that column's content too (text beside a table is the other column)
        left_ext = [(p.top, p.bottom) for p in left] + [(t.top, t.bottom) for t in tables if t.x1 < x - 1]
        right_ext = [(p.top, p.bottom) for p in right] + [(t.top, t.bottom) for t in tables if t.x0 > x + 1]
        lo = max(min(t for t, _ in left_ext), min(t for t, _ in right_ext))
        hi = min(max(b for _, b in left_ext), max(b for _, b in right_ext))
        if hi - lo < 30:
            continue
        # text columns, not table cells: most lines of one side fill its width, and the
        # lines of the two sides do not share baselines row after row as cells do
        full = [_mostly_full(side) for side in (left, right)]
        if not any(full):
            continue
        small, big = sorted((left, right), key=len)
        tops = sorted(p.top for p in big)
        beside = [p for p in small if lo - 1 <= p.top <= hi]
        if sum(_near(tops, p.top) for p in beside) > 0.6 * len(beside) and not (
            all(full) and _justified(left)
        ):
            continue  # cells of a table (two justified columns may share baselines too)
        score = min(len(left), len(right)) - 2 * crossing
        if best is None or score > best[0]:
            best = (score, x)
    return best[1] if best else None


def _near(sorted_values: list[float], v: float, tol: float = 1.0) -> bool:
    i = bisect.bisect_left(sorted_values, v - tol)
    return i < len(sorted_values) and sorted_values[i] <= v + tol


def _justified(side: list[Piece]) -> bool:
    right = max(p.x1 for p in side)
    return sum(p.x1 >= right - 3 for p in side) >= 0.6 * len(side)


def _mostly_full(side: list[Piece]) -> bool:
    """Most lines span the side's width: running text, not cells of a table. A line is the
    pieces of one side on one baseline: a justified line of long words comes cut at its wide
    word spaces, and still runs from edge to edge."""
    if len(side) < 4:
        return False
    extent = max(p.x1 for p in side) - min(p.x0 for p in side)
    lines = rows_of(side)
    return sum(_line_span(r) >= 0.6 * extent for r in lines) >= 0.5 * len(lines)


def _line_span(row: list[Piece]) -> float:
    """Width of a line: one piece's, or that of a justified line cut at its word spaces (three
    single words or more, spaced alike: a table row's cells are spaced as its columns are)."""
    gaps = [b.x0 - a.x1 for a, b in pairwise(row)]
    if len(row) >= 3 and all(" " not in p.text for p in row) and max(gaps) - min(gaps) <= 2.0:
        return row[-1].x1 - row[0].x0
    return max(p.x1 - p.x0 for p in row)


def rows_of(pieces: list[Piece]) -> list[list[Piece]]:
    rows: list[list[Piece]] = []
    for pc in sorted(pieces, key=lambda p: (p.top, p.x0)):
        if rows and abs(pc.top - rows[-1][0].top) <= 0.35 * pc.size:
            rows[-1].append(pc)
        else:
            rows.append([pc])
    for r in rows:
        r.sort(key=lambda p: p.x0)
    return rows


def merge_justified(rows: list[list[Piece]]) -> list[list[Piece]]:
    """A justified line of a few long words has word spaces as wide as a table's cell
    gap; its spaces are all equal and it runs to the column's right edge: one line."""
    ends = sorted(p.x1 for r in rows for p in r)
    out = []
    for r in rows:
        gaps = [b.x0 - a.x1 for a, b in pairwise(r)]
        # ends where other lines of the text end (its column's right edge)
        edge = bisect.bisect_right(ends, r[-1].x1 + 1.5) - bisect.bisect_left(ends, r[-1].x1 - 1.5)
        single_words = all(" " not in p.text for p in r)  # table cells mostly hold several
        if gaps and single_words and edge >= 4 and max(gaps) - min(gaps) <= 1.0:
            r = [
                Piece(
                    " ".join(p.text for p in r),
                    r[0].x0,
                    r[-1].x1,
                    min(p.top for p in r),
                    max(p.bottom for p in r),
                    max(p.size for p in r),
                    all(p.bold for p in r),
                    r[0].bullet,
                )
            ]
        out.append(r)
    return out


def _column_starts(run: list[list[Piece]]) -> list[float]:
    starts: list[float] = []
    for x in sorted(pc.x0 for r in run for pc in r):
        if not starts or x - starts[-1] > 4:
            starts.append(x)
    return starts


def unruled_tables(rows: list[list[Piece]], doc: Metrics) -> list[tuple[int, int]]:
    """(first, last+1) row indexes of runs that read as tables: rows of several pieces,
    one line apart, whose pieces start at a few shared positions."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(rows):
        if len(rows[i]) < 2:
            i += 1
            continue
        j = i + 1
        while j < len(rows) and rows[j][0].top - rows[j - 1][0].top < 1.8 * doc.pitch:
            starts = _column_starts(rows[i:j])
            # a row continues the table if its pieces start where columns start
            # (a wrapped cell is a line with one piece: in a later column, or one line below)
            one = rows[j][0]
            # a one-cell row between rows of the table (a group label) is a row of it
            between = (
                j + 1 < len(rows) and len(rows[j + 1]) >= 2 and rows[j + 1][0].top - one.top < 1.8 * doc.pitch
            )
            if (
                len(rows[j]) >= 2
                or between
                or (
                    any(abs(one.x0 - s) <= 4 for s in starts)
                    and (one.x0 > starts[0] + 4 or one.top - rows[j - 1][0].top < _wrap_pitch(one, doc))
                )
            ):
                j += 1
            else:
                break
        multi = sum(len(r) >= 2 for r in rows[i:j])
        if multi >= 2 and len(_column_starts(rows[i:j])) <= 12:
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _wrap_pitch(pc: Piece, doc: Metrics) -> float:
    """Below this distance, the next line is the same cell wrapped (rows are set apart by padding)."""
    return 1.1 * pc.size * doc.pitch / doc.body_size


def table_cells(run: list[list[Piece]], doc: Metrics) -> list[tuple[str, ...]]:
    starts = _column_starts(run)
    out: list[list[str]] = []
    prev_top = None
    for r in run:
        cells = [""] * len(starts)
        for pc in r:
            k = max(i for i, s in enumerate(starts) if pc.x0 >= s - 4)
            cells[k] = f"{cells[k]} {pc.text}".strip()
        wrapped = prev_top is not None and r[0].top - prev_top < _wrap_pitch(r[0], doc) and out
        if wrapped:  # a cell's text wrapped onto a second line: same row
            out[-1] = [f"{a} {b}".strip() for a, b in zip(out[-1], cells, strict=True)]
        else:
            out.append(cells)
        prev_top = r[0].top
    return [tuple(c) for c in out]
