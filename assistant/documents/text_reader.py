"""Pure: cleaned text (a .txt/.md file, or the text a PDF reader rebuilt) -> Document.

The text is kept exactly as is (the fiche parser and the chunker read it); blocks
are found in it: paragraphs separated by blank lines, tab-separated tables, bullets,
and short stand-alone lines that read as headings (level 1 after a large gap).
"""

from __future__ import annotations

import re

from ..textclean import is_bullet, looks_like_heading
from ..textnorm import normalize_space
from .model import HEADING, LIST_ITEM, PARAGRAPH, TABLE, Block, Document


def is_table(lines: list[str]) -> bool:
    return sum("\t" in ln for ln in lines) >= max(1, len(lines) // 2)


def table_rows(lines: list[str]) -> tuple[tuple[tuple[str, ...], ...], int]:
    """Rows of cells, and how many leading rows are headers (rows without figures
    followed by rows with figures)."""
    rows = tuple(tuple(normalize_space(c) for c in ln.split("\t")) for ln in lines if ln.strip())
    digits = [any(re.search(r"\d", c) for c in r) for r in rows]
    i = 0
    while i < min(3, len(rows) - 1) and not digits[i]:
        i += 1
    header = i if 0 < i < len(rows) and sum(digits[i:]) >= (len(rows) - i) / 2 else 0
    return rows, header


def _paragraphs(text: str) -> list[tuple[list[tuple[str, int]], int]]:
    """[(lines with their offsets, blank lines before)]."""
    out: list[tuple[list[tuple[str, int]], int]] = []
    cur: list[tuple[str, int]] = []
    blanks, pos = 2, 0
    for line in text.split("\n"):
        if not line.strip():
            if cur:
                out.append((cur, blanks))
                cur, blanks = [], 0
            blanks += 1
        else:
            cur.append((line, pos))
        pos += len(line) + 1
    if cur:
        out.append((cur, blanks))
    return out


def read_text(text: str, source: str = "") -> Document:
    blocks: list[Block] = []
    for para, blanks in _paragraphs(text):
        lines = [ln for ln, _ in para]
        start, end = para[0][1], para[-1][1] + len(para[-1][0])
        gap = min(blanks, 2)
        if is_table(lines):
            rows, header = table_rows(lines)
            body = "\n".join("\t".join(r) for r in rows)
            blocks.append(Block(TABLE, body, None, start, end, rows=rows, header_rows=header, gap_before=gap))
        elif looks_like_heading(lines):
            level = 1 if blanks >= 2 else 2
            heading = normalize_space(" ".join(lines))
            blocks.append(Block(HEADING, heading, None, start, end, level=level, gap_before=gap))
        else:
            # a paragraph may hold an introduction and bullets: one block per item
            group: list[tuple[str, int]] = []
            for ln, off in para:
                if is_bullet(ln) and group:
                    blocks.append(_block(group, gap))
                    group, gap = [], 0
                group.append((ln, off))
            blocks.append(_block(group, gap))
    return Document(source=source, text=text, blocks=tuple(blocks))


def _block(group: list[tuple[str, int]], gap: int) -> Block:
    kind = LIST_ITEM if is_bullet(group[0][0]) else PARAGRAPH
    text = normalize_space(" ".join(ln for ln, _ in group))
    return Block(kind, text, None, group[0][1], group[-1][1] + len(group[-1][0]), gap_before=gap)
