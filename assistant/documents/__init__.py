"""One document model for every format: pages -> typed blocks with page and span.

`text_reader` (txt/md) and `pdf_reader` (PDF layout) both produce a `Document`;
fiches, chunks and table rows are derived from its text, whose layout (blank lines
between blocks, two for a large gap, tab-separated table rows, "- " bullets,
headings on their own line) is the contract both readers honour.
"""
