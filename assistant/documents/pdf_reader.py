"""Pure: positioned page pieces -> Document (reading order, headings, lists, tables,
running headers and footers), with the text laid out the way the .txt readers expect.

Steps, per document then per page:
1. running headers/footers: pieces in the top or bottom band whose text (digits
   aside) repeats on many pages, and bare page numbers, are page furniture;
2. body font size (most text) and line pitch; larger fonts are headings;
3. columns: a vertical gutter with full text lines on its side(s) (two-column
   reports, a fiche's side column); pieces or tables crossing it span the page and
   cut it into bands, read top to bottom, each band left column then right column;
4. unruled tables on pages without a gutter: runs of rows made of several pieces
   whose starts align;
5. the text: blank lines from the vertical gaps (two for a large gap: the end of a
   box, a new section), "- " for drawn bullets, tab-separated table rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..textclean import continues, ends_sentence, is_bullet
from .model import CAPTION, FOOTER, HEADER, HEADING, LIST_ITEM, PARAGRAPH, TABLE, Block, Document
from .pdf_layout import PageLayout, Piece, TableArea
from .pdf_regions import (
    body_metrics,
    find_furniture,
    gutter,
    merge_justified,
    rows_of,
    table_cells,
    unruled_tables,
)

__all__ = ["build_document"]


@dataclass
class _Item:
    """A line of the output: a text line (one piece) or a table row."""

    page: int
    top: float
    bottom: float
    size: float
    text: str
    bullet: bool = False
    cells: tuple[str, ...] | None = None
    table_header: bool = False
    table_id: int = -1
    column: int = 0  # 0: spanning or single column, 1: left, 2: right
    band: int = 0
    col_width: float = 0.0  # width of the column the line sits in
    box: tuple[int, int] | None = None  # (page, index) of the framed box around it
    box_edges: tuple[bool, bool] = (False, False)  # the box reaches the top / bottom of the page body
    table_x: tuple[float, float] = (0.0, 0.0)  # left and right edges of the item's table


@dataclass
class _Doc:
    body_size: float
    pitch: float
    body_top: float
    body_bottom: float
    items: list[_Item] = field(default_factory=list)


def _page_items(page: PageLayout, keep: list[Piece], doc: _Doc, first_table: int) -> list[_Item]:
    gap_x = gutter(keep, list(page.tables), page.width)
    elements: list[tuple[float, float, float, float, object]] = [
        (p.top, p.bottom, p.x0, p.x1, p) for p in keep
    ]
    elements += [(t.top, t.bottom, t.x0, t.x1, t) for t in page.tables]
    elements.sort(key=lambda e: (e[0], e[2]))
    # bands: spanning elements cut the page; inside a band, left column then right
    ordered: list[tuple[int, int, list[object]]] = []  # (band, column, elements)
    band = 0
    cols: dict[int, list[object]] = {1: [], 2: []}

    def close_band() -> None:
        nonlocal band
        order = (1, 2)
        if gap_x is not None and cols[1] and cols[2]:
            left = gap_x - min(_x0(o) for o in cols[1])
            right = max(_x1(o) for o in cols[2]) - gap_x
            if right < 0.7 * left:
                # a side column (a fiche's Pilote / Partenaires) is read first, so that the
                # main column runs on unbroken to its continuation on the next page
                order = (2, 1)
        for c in order:
            if cols[c]:
                ordered.append((band, c, cols[c]))
        cols[1], cols[2] = [], []
        band += 1

    last_span: Piece | None = None
    for _top, _bottom, x0, x1, obj in elements:
        # the next line of a spanning heading spans too, however short it is
        goes_on = (
            isinstance(obj, Piece)
            and last_span is not None
            and abs(obj.x0 - last_span.x0) < 2
            and obj.size == last_span.size
            and 0 <= obj.top - last_span.bottom < doc.pitch
        )
        if gap_x is not None and (goes_on or x0 <= gap_x <= x1):
            close_band()
            ordered.append((band, 0, [obj]))
            band += 1
            last_span = obj if isinstance(obj, Piece) else None
            continue
        if gap_x is None or x1 < gap_x:
            cols[1].append(obj)
        elif x0 > gap_x:
            cols[2].append(obj)
        else:
            close_band()
            ordered.append((band, 0, [obj]))
            band += 1
    close_band()

    items: list[_Item] = []
    table_id = first_table
    for b, col, objs in ordered:
        pieces = [o for o in objs if isinstance(o, Piece)]
        tables = [o for o in objs if isinstance(o, TableArea)]
        rows = merge_justified(rows_of(pieces))
        runs = unruled_tables(rows, doc) if gap_x is None else []
        entries: list[tuple[float, list[_Item]]] = []
        in_run: set[int] = set()
        for s, e in runs:
            in_run.update(range(s, e))
            run = rows[s:e]
            cells = table_cells(run, doc)
            top = run[0][0].top
            entries.append(
                (
                    top,
                    [
                        _Item(
                            page.number,
                            top,
                            run[-1][0].bottom,
                            run[0][0].size,
                            "\t".join(c),
                            cells=c,
                            table_id=table_id,
                            column=col,
                            band=b,
                        )
                        for c in cells
                    ],
                )
            )
            table_id += 1
        for k, r in enumerate(rows):
            if k in in_run:
                continue
            for pc in r:
                text = f"- {pc.text}" if pc.bullet and not is_bullet(pc.text) else pc.text
                it = _Item(
                    page.number, pc.top, pc.bottom, pc.size, text, bullet=pc.bullet, column=col, band=b
                )
                entries.append((pc.top, [it]))
        for t in tables:
            rows_items = [
                _Item(
                    page.number,
                    t.top,
                    t.bottom,
                    doc.body_size,
                    "\t".join(r),
                    cells=r,
                    table_header=i < t.header_rows,
                    table_id=table_id,
                    column=col,
                    band=b,
                    table_x=(t.x0, t.x1),
                )
                for i, r in enumerate(t.rows)
            ]
            entries.append((t.top, rows_items))
            table_id += 1
        entries.sort(key=lambda e: e[0])
        width = max((_x1(o) for o in objs), default=0.0) - min((_x0(o) for o in objs), default=0.0)
        for _, its in entries:
            for it in its:
                it.col_width = width
            items.extend(its)
    for it in items:
        for k, (_, btop, _, bbottom) in enumerate(page.boxes):
            if btop - 1 <= it.top and it.bottom <= bbottom + 1:
                it.box = (page.number, k)
                it.box_edges = (btop <= doc.body_top + doc.pitch, bbottom >= doc.body_bottom - doc.pitch)
                break
    return items


def _x0(o: object) -> float:
    return o.x0 if isinstance(o, Piece | TableArea) else 0.0


def _x1(o: object) -> float:
    return o.x1 if isinstance(o, Piece | TableArea) else 0.0


def _runs_on(prev: _Item, nxt: _Item) -> bool:
    """Across a page or column break, does the text go on (same paragraph or list)?"""
    if prev.cells is not None or nxt.cells is not None:
        return False
    if abs(prev.col_width - nxt.col_width) > 0.15 * max(prev.col_width, nxt.col_width, 1.0):
        return False  # from a side column to a main column: another flow
    if prev.text.rstrip().endswith(":") or nxt.bullet or is_bullet(nxt.text):
        return True  # a label and its content, an introduction and its list, a list going on
    return continues(prev.text, nxt.text) and not ends_sentence(prev.text)


def _same_box(prev: _Item, nxt: _Item) -> bool | None:
    """True inside one box (also a box going on over a page break), False across a box's
    edge, None outside boxes."""
    if prev.box is None and nxt.box is None:
        return None
    if prev.box == nxt.box:
        return True
    if prev.box and nxt.box and nxt.page == prev.page + 1:
        return prev.box_edges[1] and nxt.box_edges[0]
    return False


def _blanks(prev: _Item, nxt: _Item, doc: _Doc, page_bottom: dict[int, float]) -> int:
    """Blank lines between two consecutive output lines, from the layout's gaps; a box's
    edge is a large gap, and inside a box there is none."""
    n = _gap_blanks(prev, nxt, doc, page_bottom)
    box = _same_box(prev, nxt)
    if box is None:
        return n
    return min(n, 1) if box else 2


def _gap_blanks(prev: _Item, nxt: _Item, doc: _Doc, page_bottom: dict[int, float]) -> int:
    if prev.page != nxt.page:
        gap = (doc.body_bottom - page_bottom[prev.page]) + (nxt.top - doc.body_top)
        r = gap / doc.pitch
        # the bottom of a page is rarely filled to the last point: up to a line is noise
        if r < 1.2:
            return 0 if _runs_on(prev, nxt) else 1
    elif prev.band == nxt.band and prev.column != nxt.column:
        return 0 if _runs_on(prev, nxt) else 1  # the next column of the same band
    else:
        r = (nxt.top - prev.bottom) / doc.pitch
        if r < 0.5:
            return 0
    return 1 if r < 1.8 else 2


def build_document(source: str, pages: list[PageLayout]) -> Document:
    furniture = find_furniture(pages)
    body, pitch = body_metrics(pages, furniture)
    kept = {p.number: [pc for i, pc in enumerate(p.pieces) if (p.number, i) not in furniture] for p in pages}
    tops = [pc.top for ps in kept.values() for pc in ps] + [t.top for p in pages for t in p.tables]
    bottoms = [pc.bottom for ps in kept.values() for pc in ps] + [t.bottom for p in pages for t in p.tables]
    doc = _Doc(body, pitch, min(tops, default=0.0), max(bottoms, default=0.0))
    for p in pages:
        doc.items.extend(_page_items(p, kept[p.number], doc, len({i.table_id for i in doc.items})))
    doc.items = _join_continued_tables(doc.items)
    page_bottom = {
        p.number: max([pc.bottom for pc in kept[p.number]] + [t.bottom for t in p.tables], default=0.0)
        for p in pages
    }
    furniture_blocks = tuple(
        Block(HEADER if pc.top < p.height / 2 else FOOTER, pc.text, p.number, 0, 0)
        for p in pages
        for i, pc in enumerate(p.pieces)
        if (p.number, i) in furniture
    )
    return _serialize(source, doc, pages, page_bottom, furniture_blocks)


def _join_continued_tables(items: list[_Item]) -> list[_Item]:
    """A table that goes on over a page break is one table: the header rows the
    printer repeats at the top of the next page are dropped."""
    out: list[_Item] = []
    header: dict[int, list[tuple[str, ...]]] = {}
    remap: dict[int, int] = {}
    prev: _Item | None = None
    for it in items:
        if it.cells is not None:
            if it.table_id in remap:
                it.table_id = remap[it.table_id]
            elif (
                prev is not None
                and prev.cells is not None
                and prev.page != it.page
                and len(prev.cells) == len(it.cells)
                and abs(prev.table_x[0] - it.table_x[0]) < 3
                and abs(prev.table_x[1] - it.table_x[1]) < 3
            ):
                remap[it.table_id] = prev.table_id  # the first item of the page goes on with the table
                it.table_id = prev.table_id
            repeated = header.get(it.table_id, [])
            if it.table_header and it.table_id in remap.values() and it.cells in repeated:
                continue
            if it.table_header and it.table_id not in remap.values():
                header.setdefault(it.table_id, []).append(it.cells)
        out.append(it)
        prev = it
    return out


def _hyphen_split(prev: _Item, nxt: _Item) -> bool:
    return (
        prev.cells is None
        and nxt.cells is None
        and not nxt.bullet
        and re.search(r"\w-$", prev.text) is not None
        and nxt.text[:1].isalpha()
    )


def _heading_level(it: _Item, doc: _Doc) -> int:
    if it.cells is not None or it.bullet:
        return 0
    ratio = it.size / doc.body_size
    return 1 if ratio >= 1.25 else 2 if ratio >= 1.1 else 0


def _serialize(
    source: str,
    doc: _Doc,
    pages: list[PageLayout],
    page_bottom: dict[int, float],
    furniture: tuple[Block, ...],
) -> Document:
    lines: list[str] = []
    pos = 0
    page_starts: dict[int, int] = {}
    groups: list[tuple[int, int, list[_Item], int]] = []  # (start, end, items, blanks before)
    prev: _Item | None = None
    for it in doc.items:
        blanks = 0
        if prev is not None:
            blanks = _blanks(prev, it, doc, page_bottom)
            lvl, plvl = _heading_level(it, doc), _heading_level(prev, doc)
            if lvl and lvl != plvl:
                blanks = max(blanks, 2 if lvl == 1 and not _same_box(prev, it) else 1)
            elif plvl and lvl != plvl:
                blanks = max(blanks, 1)
            if (it.cells is None) != (prev.cells is None) or (
                it.cells is not None and it.table_id != prev.table_id
            ):
                blanks = max(blanks, 1)
            elif it.cells is not None:
                blanks = 0  # rows of one table stay together
        for _ in range(blanks):
            lines.append("")
            pos += 1
        if it.page not in page_starts:
            page_starts[it.page] = pos
        if blanks or not groups:
            groups.append((pos, pos, [], blanks))
        start, _, its, b = groups[-1]
        its.append(it)
        if prev is not None and not blanks and _hyphen_split(prev, it):
            lines[-1] += it.text  # a word cut at a hyphen ("Mobi-" / "Job") is one word
            pos += len(it.text)
        else:
            lines.append(it.text)
            pos += len(it.text) + 1
        groups[-1] = (start, pos - 1, its, b)
        prev = it
    text = "\n".join(lines)
    blocks = [_block(g, doc, groups[k + 1][2] if k + 1 < len(groups) else None) for k, g in enumerate(groups)]
    starts: list[int] = []
    last = 0
    for p in pages:
        last = page_starts.get(p.number, last)
        starts.append(last)
    empty = tuple(p.number for p in pages if not p.chars)
    ocr = tuple(p.number for p in pages if p.ocr)
    return Document(
        source=source,
        text=text,
        blocks=tuple(blocks),
        pages=len(pages),
        page_starts=tuple(starts),
        empty_pages=empty,
        ocr_pages=ocr,
        furniture=furniture,
    )


def _block(group: tuple[int, int, list[_Item], int], doc: _Doc, nxt: list[_Item] | None) -> Block:
    start, end, items, blanks = group
    first = items[0]
    text = "\n".join(i.text for i in items)
    if first.cells is not None:
        rows = tuple(i.cells for i in items if i.cells is not None)
        header = sum(1 for i in items if i.table_header)
        return Block(TABLE, text, first.page, start, end, rows=rows, header_rows=header, gap_before=blanks)
    level = _heading_level(first, doc)
    one_line = " ".join(i.text for i in items)
    if level:
        kind = HEADING
    elif first.bullet or is_bullet(first.text):
        kind = LIST_ITEM
    elif one_line.rstrip().endswith(":") and nxt and nxt[0].cells is not None:
        kind = CAPTION
    else:
        kind = PARAGRAPH
    return Block(kind, one_line, first.page, start, end, level=level, gap_before=blanks)
