"""Optional OCR of pages without a text layer (scans), off by default.

Engine: Debian's `tesseract-ocr` + `tesseract-ocr-fra` through pytesseract (`make ocr-deps`).
The page is rendered by pypdfium2 at 300 dpi; tesseract's words come back with their boxes
and line numbers, and become the same positioned words the text layer gives, so the layout
step (columns, headings, bullets, gaps) is the same for scanned and born-digital pages.
"""

from __future__ import annotations

import shutil
from typing import Any

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
    import pypdfium2 as pdfium
    import pytesseract

    doc = pdfium.PdfDocument(pdf_path)
    try:
        image = doc[page_index].render(scale=DPI / 72).to_pil()
    finally:
        doc.close()
    data = pytesseract.image_to_data(image, lang=LANG, output_type=pytesseract.Output.DICT)
    scale = 72 / DPI
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][i]) >= 0:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(i)
    words = []
    for key, idx in lines.items():
        top = min(data["top"][i] for i in idx) * scale
        bottom = max(data["top"][i] + data["height"][i] for i in idx) * scale
        # a line's box runs from ascenders to descenders: about 1.2 times the font size;
        # rounded so that the lines of one paragraph share one size
        size = round((bottom - top) / 1.2 * 2) / 2
        for i in idx:
            x0 = data["left"][i] * scale
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
