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


def split_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """(column names, data rows): leading rows without figures, followed by rows that
    mostly have figures, are the header; a first row starting with an empty cell too."""
    has_digit = [any(re.search(r"\d", c) for c in r) for r in rows]
    i = 0
    while i < min(3, len(rows) - 1) and not has_digit[i]:
        i += 1
    if 0 < i < len(rows) and sum(has_digit[i:]) >= (len(rows) - i) / 2:
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
