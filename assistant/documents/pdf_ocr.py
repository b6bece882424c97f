"""Optional OCR of pages without a text layer (scans), off by default.

Engine: Debian's `tesseract-ocr` + `tesseract-ocr-fra` through pytesseract (`make ocr-deps`).
The page is rendered by pypdfium2 at 300 dpi; tesseract's words come back with their boxes
and line numbers, and become the same positioned words the text layer gives, so the layout
step (columns, headings, bullets, gaps) is the same for scanned and born-digital pages.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from typing import Any

import numpy as np

DPI = 300
LANG = "fra"


def available() -> bool:
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def ocr_words(pdf_path: str, page_index: int) -> list[dict[str, Any]]:
    """Words of one page as pdfplumber-like dicts (x0, x1, top, bottom in PDF points,
    size, fontname, text); the words of a line share its top and bottom."""
    return ocr_page(pdf_path, page_index)[0]


def ocr_page(pdf_path: str, page_index: int) -> tuple[list[dict[str, Any]], list[Grid]]:
    """The page's words (see ocr_words) and its ruled tables (in PDF points)."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf_path)
    try:
        image = doc[page_index].render(scale=DPI / 72).to_pil()
    finally:
        doc.close()
    gray = np.asarray(image.convert("L"))
    grids = ruled_grids(gray < 160, DPI / 72)
    if not grids:
        return _words(image), []
    # tesseract's page analysis reads a ruled table badly (whole rows lost, cells run into
    # one garbled line) and lets it disturb the text around: the text is read with the
    # tables blanked out, and each table alone with its rules wiped (its cells are known)
    margin = round(1.5 * DPI / 72)
    text_only = gray.copy()
    words = []
    for n, g in enumerate(grids):
        x0, top, x1, bottom = (round(v) for v in g.box)
        box = (max(0, top - margin), bottom + margin + 1, max(0, x0 - margin), x1 + margin + 1)
        text_only[box[0] : box[1], box[2] : box[3]] = 255
        crop = erase_rules(gray[box[0] : box[1], box[2] : box[3]], DPI / 72)
        words += _words(Image.fromarray(crop), (box[2], box[0]), n + 1)
    return _words(Image.fromarray(text_only)) + words, [g.scaled(72 / DPI) for g in grids]


def erase_rules(gray: np.ndarray, px_per_pt: float) -> np.ndarray:
    """Pure: a table's image with its rules painted white: dark runs at least 36 pt long
    across or 10 pt long down (a glyph is smaller), and the pixel or two of their edges.
    Only the rules: the text of a merged cell that straddles a row's line is kept."""
    dark = gray < 160
    mask = np.zeros_like(dark)
    for rows, transpose in ((dark, False), (dark.T, True)):
        runs = _runs(rows, round((10 if transpose else 36) * px_per_pt))
        target = mask.T if transpose else mask
        for r, a, b in runs:
            target[r, a:b] = True
    grown = mask.copy()
    for d in (1, 2):
        grown[d:, :] |= mask[:-d, :]
        grown[:-d, :] |= mask[d:, :]
        grown[:, d:] |= mask[:, :-d]
        grown[:, :-d] |= mask[:, d:]
    out = gray.copy()
    out[grown] = 255
    return out


def _words(image: Any, offset: tuple[int, int] = (0, 0), region: int = 0) -> list[dict[str, Any]]:
    """Tesseract's words of an image (a page, or a region of it at `offset` pixels), in PDF
    points; `region` keeps the lines of two regions apart."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=LANG, output_type=pytesseract.Output.DICT)
    scale = 72 / DPI
    dx, dy = offset
    lines: dict[tuple[int, int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            key = (region, data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(i)
    words = []
    for key, idx in lines.items():
        top = (min(data["top"][i] for i in idx) + dy) * scale
        bottom = (max(data["top"][i] + data["height"][i] for i in idx) + dy) * scale
        # a line's box runs from ascenders to descenders: about 1.2 times the font size;
        # rounded so that the lines of one paragraph share one size
        size = round((bottom - top) / 1.2 * 2) / 2
        for i in idx:
            x0 = (data["left"][i] + dx) * scale
            words.append(
                {
                    "text": data["text"][i],
                    "x0": x0,
                    "x1": x0 + data["width"][i] * scale,
                    "top": top,
                    "bottom": bottom,
                    "size": size,
                    "fontname": "OCR",
                    # tesseract's own line: its layout analysis has already told the columns
                    # apart, and a justified line's wide word gaps are not cell gaps
                    "line": key,
                }
            )
    return words


# --- ruled tables in a page image ----------------------------------------------------------
# A scan has no drawn rectangles for pdfplumber's find_tables: a ruled table is found in the
# image, from its long dark rules. Without them tesseract reads a table's cells line across
# line, and the text of two cells comes interleaved.


@dataclass(frozen=True)
class Grid:
    """A ruled table: its rows (top, bottom) and, for each row, its column edges."""

    rows: tuple[tuple[float, float], ...]
    cols: tuple[tuple[float, ...], ...]
    # per row, per cell: no rule above it, so it goes on from the cell above (a merged
    # cell, « CHAMBERY Biollay » over four rows)
    merged: tuple[tuple[bool, ...], ...] = ()

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom)."""
        xs = [x for c in self.cols for x in c]
        return (min(xs), self.rows[0][0], max(xs), self.rows[-1][1])

    def scaled(self, k: float) -> Grid:
        return Grid(
            tuple((a * k, b * k) for a, b in self.rows),
            tuple(tuple(x * k for x in c) for c in self.cols),
            self.merged,
        )


def _runs(dark: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of dark pixels along a row at least `min_len` long."""
    pad = np.zeros((dark.shape[0], 1), dtype=np.int8)
    d = np.diff(np.hstack([pad, dark.astype(np.int8), pad]), axis=1)
    rows, starts = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)  # row-major order: the n-th end closes the n-th start
    keep = ends - starts >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _rules(runs: list[tuple[int, int, int]], tol: int) -> list[tuple[float, float, float]]:
    """Runs on neighbouring rows that overlap are one rule, a few pixels thick:
    (middle row, start, end)."""
    out: list[list[int]] = []  # [first row, last row, start, end]
    for r, a, b in sorted(runs):
        for s in out:
            if r - s[1] <= 2 and a < s[3] + tol and b > s[2] - tol:
                s[1], s[2], s[3] = r, min(s[2], a), max(s[3], b)
                break
        else:
            out.append([r, r, a, b])
    return [((s[0] + s[1]) / 2, float(s[2]), float(s[3])) for s in out]


def _edges(values: list[float], gap: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > gap:
            out.append(v)  # a double rule is one edge
    return out


def ruled_grids(dark: np.ndarray, px_per_pt: float) -> list[Grid]:
    """Pure: the ruled tables of a page image (True where dark), in pixels. Horizontal rules
    are at least 36 pt long; a vertical rule counts when both its ends sit on horizontal
    rules (a glyph's stroke does not), and the rules it touches are one table. A table needs
    two horizontal and two vertical rules; its rows lie between consecutive horizontal
    rules, and each row's columns between the vertical rules that cross its middle."""
    tol = max(2, round(1.5 * px_per_pt))
    horiz = _rules(_runs(dark, round(36 * px_per_pt)), tol)  # (y, x0, x1)
    vert = _rules(_runs(dark.T, round(8 * px_per_pt)), tol)  # (x, y0, y1)

    def touches(h: tuple[float, float, float], x: float, y0: float, y1: float) -> bool:
        return y0 - tol <= h[0] <= y1 + tol and h[1] - tol <= x <= h[2] + tol

    parent = list(range(len(horiz)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i] = parent[parent[i]]
        return i

    anchored: list[tuple[float, float, float, int]] = []
    for x, y0, y1 in vert:
        hit = [i for i, h in enumerate(horiz) if touches(h, x, y0, y1)]
        ends = [i for i in hit if min(abs(horiz[i][0] - y0), abs(horiz[i][0] - y1)) <= tol + 1]
        if len({round(horiz[i][0]) for i in ends}) < 2:
            continue
        for i in hit:
            parent[root(i)] = root(hit[0])
        anchored.append((x, y0, y1, hit[0]))
    grids = []
    for r in {root(i) for i in range(len(horiz))}:
        members = [horiz[i] for i in range(len(horiz)) if root(i) == r]
        verts = [(x, y0, y1) for x, y0, y1, i in anchored if root(i) == r]
        if len(members) < 2 or len(verts) < 2:
            continue
        ys = _edges([h[0] for h in members], 3 * tol)
        rows, cols = [], []
        for a, b in itertools.pairwise(ys):
            mid = (a + b) / 2
            xs = _edges([x for x, y0, y1 in verts if y0 - tol <= mid <= y1 + tol], 3 * tol)
            if len(xs) >= 2:
                rows.append((a, b))
                cols.append(tuple(xs))
        if rows:
            merged = tuple(
                tuple(
                    i > 0 and _ruled(members, rows[i][0], a, b, 3 * tol) < 0.5
                    for a, b in itertools.pairwise(edges)
                )
                for i, edges in enumerate(cols)
            )
            grids.append(Grid(tuple(rows), tuple(cols), merged))
    return sorted(grids, key=lambda g: (g.box[1], g.box[0]))


def _ruled(horiz: list[tuple[float, float, float]], y: float, a: float, b: float, tol: float) -> float:
    """Share of [a, b] a horizontal rule at height y covers."""
    got = sum(max(0.0, min(b, x1) - max(a, x0)) for hy, x0, x1 in horiz if abs(hy - y) <= tol)
    return got / max(1.0, b - a)
