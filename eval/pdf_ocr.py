"""OCR character accuracy on scanned pages of the rendered report.

    python -m eval.pdf_ocr [--pages 3 7] [--write]

Pages of the layout-B report (eval/render_pdf.py) are replaced by 200 dpi images (a
partly scanned report); each is read by the optional OCR (tesseract, French) and its
text compared with the text layer of the same page before scanning: character
accuracy = 1 - edits / reference length, whitespace ignored.
"""

from __future__ import annotations

import argparse
import difflib
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from assistant.documents.pdf_ocr import available, ocr_words

from .render_pdf import CACHE, REPORT_NAME, browser, render, scanned_pages

HERE = Path(__file__).resolve().parent


def _chars(text: str) -> str:
    return re.sub(r"\s+", "", text)


def word_char_accuracy(reference: str, read: str) -> float:
    """Characters of the reference's words found, word for word, in the OCR text (order-free:
    tesseract reads the columns and table cells in its own order)."""
    ref, got = Counter(reference.split()), Counter(read.split())
    return sum(len(w) * min(n, got[w]) for w, n in ref.items()) / max(
        1, sum(len(w) * n for w, n in ref.items())
    )


def char_accuracy(reference: str, read: str) -> float:
    ref, got = _chars(reference), _chars(read)
    edits = sum(
        max(i2 - i1, j2 - j1)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ref, got, autojunk=False).get_opcodes()
        if op != "equal"
    )
    return max(0.0, 1 - edits / max(1, len(ref)))


def page_text(pdf: Path, index: int) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[index].get_textpage().get_text_range()
    finally:
        doc.close()


def reader_page(doc, n: int) -> str:
    """Page `n` (1-based) of a document read by our PDF reader, as it is indexed."""
    starts = [*doc.page_starts, len(doc.text)]
    return doc.text[starts[n - 1] : starts[n]]


def source_span(source: str, page: str, least: int = 25) -> str:
    """The stretch of the source text (whitespace removed) a page's text comes from: from the
    first to the last run of at least `least` characters the two share."""
    blocks = [
        b
        for b in difflib.SequenceMatcher(None, source, page, autojunk=False).get_matching_blocks()
        if b.size >= least
    ]
    return source[min(b.a for b in blocks) : max(b.a + b.size for b in blocks)] if blocks else ""


def in_order(source: str, text: str) -> float:
    """Character accuracy, in reading order, of a page's text against the source it renders."""
    page = _chars(text)
    return char_accuracy(source_span(source, page), page)


def measure(
    report_pdf: Path, pages: list[int], work: Path
) -> list[tuple[int, float, float, float, float, float]]:
    """[(page, tesseract order, words any order, seconds, our reader on the scan, our reader on
    the born-digital page)]. The first two compare tesseract's words, in the order it gives
    them, with the page's text layer. The last two compare the text our reader indexes for the
    page (OCR words through the layout step; text-layer words through the same step) with the
    document's own text (the corpus .txt the page was printed from), in reading order."""
    from assistant.ingest import PdfLimits, load_manifest, read_document
    from assistant.textclean import clean_document

    from .render_pdf import CORPUS

    scan = scanned_pages(report_pdf, pages, work / "scan.pdf", keep=max(pages))
    meta = load_manifest(CORPUS).get(REPORT_NAME)
    source = _chars(clean_document((CORPUS / REPORT_NAME).read_text(encoding="utf-8")).replace("*", ""))
    digital = read_document(report_pdf, meta, PdfLimits(timeout_s=600))
    scanned = read_document(scan, meta, PdfLimits(timeout_s=600, ocr=True))
    out = []
    for n in pages:
        t0 = time.perf_counter()
        words = ocr_words(str(scan), n - 1)
        seconds = time.perf_counter() - t0
        ref, read = page_text(report_pdf, n - 1), " ".join(w["text"] for w in words)
        out.append(
            (
                n,
                char_accuracy(ref, read),
                word_char_accuracy(ref, read),
                seconds,
                in_order(source, reader_page(scanned, n)),
                in_order(source, reader_page(digital, n)),
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[3, 7])
    ap.add_argument("--write", action="store_true", help="écrire eval/results/pdf-ocr.md")
    args = ap.parse_args(argv)
    if not available():
        print("OCR indisponible : installer tesseract (make ocr-deps)")
        return 1
    report = CACHE / "B" / (Path(REPORT_NAME).stem + ".pdf")
    if not report.exists():
        with browser() as b:
            render(b, REPORT_NAME, "B", CACHE)
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(report, args.pages, Path(tmp))
    lines = [
        "| page | tesseract's word order vs the text layer | words, any order | our reader on the scan vs the document, in order | our reader on the born-digital page, same measure | OCR time (s) |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {n} | {acc:.3f} | {wacc:.3f} | **{scan:.3f}** | {dig:.3f} | {s:.1f} |"
        for n, acc, wacc, s, scan, dig in rows
    ]
    table = "\n".join(lines)
    print(table)
    if args.write:
        (HERE / "results" / "pdf-ocr.md").write_text(
            "# OCR of scanned pages (tesseract 5, French, 300 dpi render of a 200 dpi scan)\n\n"
            "Reproduce: `make ocr-deps && python -m eval.pdf_ocr --write`. Character accuracy =\n"
            "1 − edits / reference length, whitespace ignored. « The document » is the corpus .txt\n"
            "the page was printed from, the stretch of it the page covers.\n\n" + table + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
