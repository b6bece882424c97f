"""PDF page -> positioned pieces (pdfplumber on pdfminer.six): the only module that
touches the PDF library. It runs in the reader's child process.

Why pdfplumber: it gives each word with its position, font size and font name,
the drawn rectangles and curves (CSS bullets, boxes) and ruled tables with merged
cells (`find_tables`), all of which the layout step needs; pypdf's layout mode gives
positioned text only (measured: eval/results/pdf-layouts.md).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..textclean import sanitize


@dataclass(frozen=True)
class Piece:
    """A run of words on one baseline, without a wide gap inside (a line of a column, a cell)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    bullet: bool = False  # a bullet drawn as a shape sits just left of it


@dataclass(frozen=True)
class TableArea:
    x0: float
    x1: float
    top: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]
    header_rows: int


@dataclass(frozen=True)
class PageLayout:
    number: int
    width: float
    height: float
    pieces: tuple[Piece, ...] = ()
    tables: tuple[TableArea, ...] = ()
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # framed areas (x0, top, x1, bottom)
    chars: int = 0
    images: int = 0
    ocr: bool = False  # the pieces were read by OCR from the page's image
    notes: tuple[str, ...] = field(default=())


def _bold(fontname: str) -> bool:
    name = fontname.lower()
    return "bold" in name or "black" in name or "heavy" in name


def _inside(w: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _cell_text(lines: str) -> str:
    """A cell's lines (one per line) joined; a word cut at a hyphen ("Jacob-" /
    "Bellecombette") stays one word."""
    return " ".join(re.sub(r"(\w-)\n(?=\w)", r"\1", lines).split())


def _tables(page: Any, words: list[dict[str, Any]]) -> list[TableArea]:
    out: list[TableArea] = []
    for t in page.find_tables():
        raw = t.extract()
        if max(len(r) for r in raw) < 2:
            continue  # a frame around a box, not a table (a one-row table has two cells or more)
        rows = tuple(tuple(_cell_text(c or "") for c in r) for r in raw)
        # header rows: every word in the row is bold (th), at the top
        header = 0
        for r in t.rows:
            if r.bbox is None:
                break
            inside = [w for w in words if _inside(w, r.bbox)]
            if inside and all(_bold(w["fontname"]) for w in inside) and header < len(rows) - 1:
                header += 1
            else:
                break
        x0, top, x1, bottom = t.bbox
        out.append(TableArea(x0, x1, top, bottom, rows, header))
    return out


def _boxes(page: Any) -> list[tuple[float, float, float, float]]:
    """Large framed areas (a fiche drawn in a box): what is inside belongs together.
    A frame is one stroked rectangle, or two thin vertical rules facing each other
    (a box cut by a page break is drawn as its sides)."""
    out = []
    for r in page.rects:
        if r.get("stroke") and r["width"] >= 0.4 * page.width and r["height"] >= 0.1 * page.height:
            out.append((r["x0"], r["top"], r["x1"], r["bottom"]))
    sides = [
        (r["x0"], r["top"], r["bottom"])
        for r in (*page.rects, *page.lines)
        if r["x1"] - r["x0"] <= 2.5 and r["bottom"] - r["top"] >= 0.1 * page.height
    ]
    for i, (xa, ta, ba) in enumerate(sides):
        for xb, tb, bb in sides[i + 1 :]:
            if abs(ta - tb) <= 2 and abs(ba - bb) <= 2 and abs(xa - xb) >= 0.4 * page.width:
                out.append((min(xa, xb), min(ta, tb), max(xa, xb), max(ba, bb)))
    return out


def _bullet_marks(page: Any) -> list[tuple[float, float, float]]:
    """Small filled squares and discs drawn left of list items: (x1, top, bottom)."""
    marks = []
    for obj in (*page.rects, *page.curves):
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if 1.5 <= w <= 7 and 1.5 <= h <= 7 and obj.get("fill"):
            marks.append((obj["x1"], obj["top"], obj["bottom"]))
    return marks


def _runs(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words on one baseline without a wide gap between them. OCR words come with the line
    the engine read them in, which already parts the columns: those lines are the runs."""
    if words and all("line" in w for w in words):
        lines: dict[Any, list[dict[str, Any]]] = {}
        for w in words:
            lines.setdefault(w["line"], []).append(w)
        return [sorted(run, key=lambda w: w["x0"]) for run in lines.values()]
    rows: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= 0.35 * w["size"]:
            rows[-1].append(w)
        else:
            rows.append([w])
    out: list[list[dict[str, Any]]] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        runs: list[list[dict[str, Any]]] = [[row[0]]]
        for w in row[1:]:
            prev = runs[-1][-1]
            if w["x0"] - prev["x1"] > 1.3 * max(w["size"], prev["size"]):
                runs.append([w])  # a gutter or a table cell gap, not a word space
            else:
                runs[-1].append(w)
        out += runs
    return out


def _pieces(words: list[dict[str, Any]], marks: list[tuple[float, float, float]]) -> list[Piece]:
    out: list[Piece] = []
    for run in _runs(words):
        if run:
            size = max(w["size"] for w in run)
            x0, top, bottom = run[0]["x0"], min(w["top"] for w in run), max(w["bottom"] for w in run)
            bullet = any(0 <= x0 - mx <= 2.2 * size and mt < bottom and mb > top for mx, mt, mb in marks)
            out.append(
                Piece(
                    text=sanitize(" ".join(w["text"] for w in run))
                    .replace("\u00a0", " ")
                    .replace("\u202f", " "),
                    x0=x0,
                    x1=run[-1]["x1"],
                    top=top,
                    bottom=bottom,
                    size=round(size, 1),
                    bold=sum(_bold(w["fontname"]) for w in run) * 2 > len(run),
                    bullet=bullet,
                )
            )
    return out


def read_page(page: Any, number: int) -> PageLayout:
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    tables = _tables(page, words)
    boxes = [(t.x0, t.top, t.x1, t.bottom) for t in tables]
    free = [w for w in words if not any(_inside(w, b) for b in boxes)]
    return PageLayout(
        number=number,
        width=float(page.width),
        height=float(page.height),
        pieces=tuple(_pieces(free, _bullet_marks(page))),
        tables=tuple(tables),
        boxes=tuple(_boxes(page)),
        chars=len(page.chars),
        images=len(page.images),
    )


class PdfPasswordError(Exception):
    """The PDF needs a password."""


def _password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes = [exc, *exc.args, exc.__cause__, exc.__context__]
    return any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in causes)


# a table's rule read as a glyph by the OCR
_RULE_GLYPHS = re.compile(r"^[|\[\]!¦]+$")


def grid_table(grid: Any, words: list[dict[str, Any]]) -> TableArea | None:
    """Pure: the OCR words inside a ruled grid (pdf_ocr.Grid) as a table, each cell its
    lines joined in reading order, as find_tables gives a born-digital table's cells. None
    for a frame (one cell a row: a box around text, not a table)."""
    if max(len(c) for c in grid.cols) < 3:
        return None
    # a merged cell's words, wherever they sit in it, are its first row's (as find_tables
    # gives a born-digital merged cell); the rows it spans below have it empty
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for i, ((top, bottom), edges) in enumerate(zip(grid.rows, grid.cols, strict=True)):
        for j, (a, b) in enumerate(itertools.pairwise(edges)):
            up = None
            if i > 0 and grid.merged and grid.merged[i][j]:
                above = list(itertools.pairwise(grid.cols[i - 1]))
                up = next(
                    (k for k, (a2, b2) in enumerate(above) if abs(a2 - a) < 3 and abs(b2 - b) < 3), None
                )
            owner[(i, j)] = owner[(i - 1, up)] if up is not None else (i, j)
            found.setdefault(owner[(i, j)], []).extend(
                w for w in words if _inside(w, (a, top, b, bottom)) and not _RULE_GLYPHS.match(w["text"])
            )
    rows = []
    for i, edges in enumerate(grid.cols):
        cells = []
        for j in range(len(edges) - 1):
            inside = sorted(found.get((i, j), []), key=lambda w: (w["top"], w["x0"]))
            # the OCR's lines of the cell, one per line, as find_tables gives them
            text = "".join(
                ("\n" if k and w.get("line") != inside[k - 1].get("line") else " ") + w["text"].strip("|")
                for k, w in enumerate(inside)
            )
            cells.append(_cell_text(text))
        if any(cells):
            rows.append(tuple(cells))
    if not rows:
        return None
    x0, top, x1, bottom = grid.box
    return TableArea(x0, x1, top, bottom, tuple(rows), 0)


# what the OCR reads a list's bullet as, when the glyph opens a line before a capital
_BULLET_GLYPHS = frozenset({"e", "•", "©", "°", "*", "■", "▪", "◦", "o", "»"})


def ocr_bullets(words: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[float, float, float]]]:
    """Pure: a line the OCR starts with a bullet read as a letter (« e Un soutien ») loses
    the glyph, which becomes a bullet mark, as a drawn bullet is on a born-digital page."""
    lines: dict[Any, list[dict[str, Any]]] = {}
    for w in words:
        lines.setdefault(w.get("line"), []).append(w)
    drop, marks = set(), []
    for line in lines.values():
        line.sort(key=lambda w: w["x0"])
        if len(line) > 1 and line[0]["text"] in _BULLET_GLYPHS and line[1]["text"][:1].isupper():
            drop.add(id(line[0]))
            marks.append((line[0]["x1"], line[0]["top"], line[0]["bottom"]))
    return [w for w in words if id(w) not in drop], marks


def _ocr_page(path: str, layout: PageLayout) -> PageLayout:
    from .pdf_ocr import ocr_page

    words, grids = ocr_page(path, layout.number - 1)
    tables = [t for t in (grid_table(g, words) for g in grids) if t is not None]
    free = [w for w in words if not any(_inside(w, (t.x0, t.top, t.x1, t.bottom)) for t in tables)]
    free, marks = ocr_bullets(free)
    return replace(
        layout,
        pieces=tuple(_pieces(free, marks)),
        tables=tuple(tables),
        chars=sum(len(w["text"]) for w in words),
        ocr=bool(words),
    )


def read_layouts(
    path: str, max_pages: int, ocr: bool = False, part: tuple[int, int] = (0, 1)
) -> tuple[list[PageLayout], int]:
    """The layouts of the first `max_pages` pages that fall to `part` (k, n): every n-th
    page from page k + 1, so that n processes share a document's pages evenly; and the
    file's page count. With `ocr`, pages without a text layer are read from their image."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    k, n = part
    try:
        pdf = pdfplumber.open(path, pages=list(range(k + 1, max_pages + 1, n)))
        with pdf:
            try:
                total = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
            except Exception:  # a broken page tree: count what can be read
                total = 0
            layouts = []
            for page in pdf.pages:
                layout = read_page(page, page.page_number)
                page.close()  # frees pdfminer's cached objects page by page
                layouts.append(_ocr_page(path, layout) if ocr and not layout.chars else layout)
            return layouts, max(total, max((p.number for p in layouts), default=0))
    except Exception as exc:
        if _password_error(exc):
            raise PdfPasswordError(str(exc)) from exc
        raise
