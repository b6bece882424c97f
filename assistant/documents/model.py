"""The document model: typed blocks with provenance (page, character span).

Ideas from unstructured's elements (Title, NarrativeText, ListItem, Table, Header,
Footer with a page number) and docling's provenance, without the dependency.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
TABLE = "table"
CAPTION = "caption"
HEADER = "page_header"
FOOTER = "page_footer"
KINDS = (HEADING, PARAGRAPH, LIST_ITEM, TABLE, CAPTION, HEADER, FOOTER)


@dataclass(frozen=True)
class Block:
    """One block of a page. `start`/`end` index `Document.text` (half-open); page
    furniture (headers, footers) is kept out of the text, so its span is empty."""

    kind: str
    text: str
    page: int | None  # 1-based; None for files without pages
    start: int
    end: int
    level: int = 0  # headings: 1 = section, 2 = sub-section, ...
    rows: tuple[tuple[str, ...], ...] = ()  # tables: cells, header rows first
    header_rows: int = 0
    gap_before: int = 1  # blank lines before the block in the text: 2 marks a large gap (a new box)


@dataclass(frozen=True)
class Document:
    source: str
    text: str  # what the fiche parser and the chunker read
    blocks: tuple[Block, ...]
    pages: int = 0  # 0: a text file
    page_starts: tuple[int, ...] = ()  # offset in `text` where page i+1 begins
    empty_pages: tuple[int, ...] = ()  # pages with no text layer (scans): OCR needed
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR
    furniture: tuple[Block, ...] = ()  # running headers and footers taken out of the text

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    def of_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]

    def summary(self) -> dict[str, int]:
        """What was found, for the ingest report."""
        return {
            "pages": self.pages,
            "empty_pages": len(self.empty_pages),
            "headings": len(self.of_kind(HEADING)),
            "tables": len(self.of_kind(TABLE)),
            "rows": sum(max(0, len(b.rows) - b.header_rows) for b in self.of_kind(TABLE)),
            "list_items": len(self.of_kind(LIST_ITEM)),
            "paragraphs": len(self.of_kind(PARAGRAPH)),
        }
