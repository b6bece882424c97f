"""Pure: the tab-separated tables of a SourceDoc as records (title, header, rows).

The same paragraphs `chunking` turns into `table_row` passages (it decides what a table
is, we reuse its test), read here as a grid for spreadsheets: header rows (leading rows
without figures, a header cell spanning columns carried right), grouped rows (a blank
leading cell repeats the one above, as the passages say it), and a table continued
after a blank line or a repeated header kept as one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunking import _cells, _is_table, _paragraphs
from .schema import SourceDoc
from .textnorm import normalize_space

# a whole cell that is a figure: "8 871", "41,4%", "41.3%", "480 000 €", "1 278 672 € HT", "-3,5"
_FIGURE = re.compile(
    r"^(?P<sign>[-−+]?)\s*(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]\d)|\d+)"
    r"(?:[,.](?P<dec>\d+))?\s*(?P<unit>%|k€|M€|€)?(?:\s*(?:HT|TTC))?$"
)
_CODE_DIGITS = 6  # an ungrouped run of more digits is a code (IRIS, SIRET), kept as text
_SOURCE_OR_NOTE = re.compile(r"^\s*(sources?\b|\*|nd\s*=)", re.IGNORECASE)
_TITLE_MAX = 140


@dataclass(frozen=True)
class Table:
    source: str
    number: int  # 1, 2, ... in the document's order
    title: str
    page: int | None
    header: tuple[str, ...]  # empty when the table has no header row
    rows: tuple[tuple[str, ...], ...]  # cells as written, all rows of the same width


def parse_figure(text: str) -> tuple[int | float, str | None] | None:
    """(value, unit) when the whole cell is a figure as French writes it, else None.
    « 8 871 » -> (8871, None); « 41,4% » -> (41.4, '%'); « 480 000 € HT » -> (480000, '€')."""
    m = _FIGURE.match(normalize_space(text))
    if not m:
        return None
    digits = re.sub(r"[ \u00a0\u202f.]", "", m["num"])
    if m["num"].isdigit() and len(digits) > _CODE_DIGITS and not m["dec"] and not m["unit"]:
        return None
    value: int | float = float(f"{digits}.{m['dec']}") if m["dec"] else int(digits)
    if m["sign"] in ("-", "−"):
        value = -value
    return value, m["unit"]


def split_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """(column names, data rows): leading rows without a figure cell, followed by rows
    that mostly have one, are the header; a first row starting with an empty cell too.
    (A cell is a figure when it is only a number: « Budget 2024 » is a column name.)"""
    has_figure = [any(parse_figure(c) for c in r) for r in rows]
    i = 0
    while i < min(3, len(rows) - 1) and not has_figure[i]:
        i += 1
    if 0 < i < len(rows) and sum(has_figure[i:]) >= (len(rows) - i) / 2:
        head = rows[:i]
    elif len(rows) > 1 and rows[0] and rows[0][0] == "":
        head = rows[:1]
    else:
        return [], rows
    width = max(len(r) for r in rows)
    cols: list[list[str]] = [[] for _ in range(width)]
    for n, r in enumerate(head):
        last = ""
        for j in range(width):
            cell = r[j] if j < len(r) else ""
            if n == 0 and len(head) > 1:
                # a header cell spanning columns is written once: carry it right
                cell = cell or (last if j > 1 else "")
                last = cell
            if cell:
                cols[j].append(cell)
    return [re.sub(r"\*+$", "", " ".join(c)).strip() for c in cols], rows[len(head) :]


def fill_groups(rows: list[list[str]]) -> list[list[str]]:
    """Blank leading cells repeat the row above (a commune written once for its operations)."""
    out: list[list[str]] = []
    prev: list[str] = []
    for row in rows:
        filled = [
            c or (prev[j] if j < len(prev) and all(not x for x in row[: j + 1]) else c)
            for j, c in enumerate(row)
        ]
        out.append(filled)
        prev = filled
    return out


def _title(before: list[str]) -> str | None:
    """The caption or heading just above the table: the nearest short paragraph among
    the last three (source lines and footnotes are skipped)."""
    for text in reversed(before[-3:]):
        line = normalize_space(text)
        if _SOURCE_OR_NOTE.match(line) or not line:
            continue
        if len(line) <= _TITLE_MAX:
            return line.rstrip(" :")
    return None


def find_tables(doc: SourceDoc) -> list[Table]:
    """Every tab-separated table of `doc`, in order."""
    blocks: list[tuple[list[list[str]], int, str | None]] = []  # rows, offset, title
    before: list[str] = []
    prev_table = False
    for p, _ in _paragraphs(doc.text, 0):
        if not _is_table(p):
            before.append(p.text)
            prev_table = False
            continue
        rows = [_cells(ln) for ln in p.lines if ln.strip()]
        if prev_table and blocks and max(map(len, rows)) == max(map(len, blocks[-1][0])):
            blocks[-1][0].extend(rows)  # the same table continued after a blank line
        else:
            blocks.append((rows, p.start, _title(before)))
        prev_table = True
    tables = []
    for n, (rows, offset, title) in enumerate(blocks, 1):
        header, data = split_header(rows)
        if header:
            data = [r for r in data if [c for c in r if c] != [c for c in header if c]]
        width = max([len(header), *(len(r) for r in data)])
        data = [r + [""] * (width - len(r)) for r in fill_groups(data) if any(r)]
        tables.append(
            Table(
                source=doc.source,
                number=n,
                title=title or f"Tableau {n}",
                page=doc.page_at(offset),
                header=tuple(header + [""] * (width - len(header))) if header else (),
                rows=tuple(tuple(r) for r in data),
            )
        )
    return tables
