"""The corpus printed to PDF by Debian's Chromium in two layouts (eval/render_pdf.py):
A, a simple flow; B, boxed fiches with a side column, a two-column report with ruled
tables, drawn bullets, running header and footer. What the PDF reader recovers is
compared with what the same code reads from the .txt. The PDFs are rendered once per
session; reading the six takes a few seconds each on a loaded machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.ingest import PdfLimits, load_manifest, read_document
from eval.pdf_layouts import PLAN, REPORT, compare_fiches, page_right, pdf_page_texts
from eval.render_pdf import CHROMIUM, CORPUS, DOCS, browser, render, scanned_pages

pytestmark = pytest.mark.browser

LAYOUTS = ("A", "B")


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: make browser-deps"
    out = tmp_path_factory.mktemp("pdf")
    files: dict[str, dict[str, Path]] = {lay: {} for lay in LAYOUTS}
    with browser() as b:
        for lay in LAYOUTS:
            for name in DOCS:
                files[lay][name] = render(b, name, lay, out)
    files["scan"] = {REPORT: scanned_pages(files["B"][REPORT], [3, 7], out / "scan" / "rapport.pdf", keep=8)}
    return files


@pytest.fixture(scope="session")
def reference():
    manifest = load_manifest(CORPUS)
    return {n: chunk_document(read_document(CORPUS / n, manifest.get(n))) for n in DOCS}


@pytest.fixture(scope="session")
def read(pdfs):
    manifest = load_manifest(CORPUS)
    cache: dict[tuple[str, str], tuple] = {}

    def get(layout: str, name: str):
        if (layout, name) not in cache:
            doc = read_document(pdfs[layout][name], manifest.get(name))
            cache[layout, name] = (doc, *chunk_document(doc))
        return cache[layout, name]

    return get


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_19_fiches_read_from_the_pdf_match_the_txt(layout, read, reference):
    doc, _, fiches = read(layout, PLAN)
    scores = compare_fiches(reference[PLAN][1], fiches)
    assert scores["fiches"] == "19/19"
    assert scores["pilots identical"] == "19/19"
    assert scores["axis right"] == "19/19"
    assert scores["partners F1"] >= 0.95 and scores["tools F1"] >= 0.95
    assert not doc.notes  # nothing to warn about: every fiche and field was read


@pytest.mark.parametrize("layout", LAYOUTS)
def test_table_rows_headings_and_no_page_furniture_in_passages(layout, read, reference):
    _, chunks, _ = read(layout, REPORT)
    norm = lambda s: re.sub(r"\W+", "", s.lower())  # noqa: E731
    want = [norm(c.text) for c in reference[REPORT][0] if c.chunk_type == "table_row"]
    got = {norm(c.text) for c in chunks if c.chunk_type == "table_row"}
    assert sum(w in got for w in want) >= 0.95 * len(want)
    report = [c for c in chunks if c.chunk_type in ("section", "table_row")]
    assert sum(c.section is not None for c in report) >= 0.95 * len(report)
    for c in chunks:
        assert not re.search(r"–\s*page\s*\d+", c.text), c.text
        assert "Contrat de ville de Grand Chambéry\n" not in c.text + "\n" or layout == "A"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_passages_name_the_page_their_text_is_on(layout, pdfs, read):
    checks = []
    for name in DOCS:
        pages = pdf_page_texts(pdfs[layout][name])
        checks += [page_right(c, pages) for c in read(layout, name)[1]]
    known = [c for c in checks if c is not None]
    assert known and sum(known) >= 0.98 * len(known)


def test_a_report_read_by_two_processes_is_the_report_read_by_one(pdfs, read):
    """The two-column report of layout B (running headers, tables over page breaks) is read
    in child processes sharing its pages; joined, the document is the one reader's."""
    shared = read("B", REPORT)[0]
    one = read_document(pdfs["B"][REPORT], load_manifest(CORPUS).get(REPORT), PdfLimits(workers=1))
    assert (shared.text, shared.page_starts) == (one.text, one.page_starts)
    assert shared.document.blocks == one.document.blocks


def test_an_answer_on_the_pdf_corpus_is_the_txt_answer(read):
    """Fiche answers read the same fields: the pilots of objective 12, from layout B."""
    _, _, fiches = read("B", PLAN)
    f12 = next(f for f in fiches if f.number == 12)
    assert f12.pilots == ("Grand Chambéry", "Ville de Chambéry")
    assert f12.axis == 3 and f12.sub_theme == "Prévention - Santé"


def test_scanned_pages_are_reported_by_number_and_the_rest_is_indexed(pdfs):
    doc = read_document(pdfs["scan"][REPORT], load_manifest(CORPUS).get(REPORT))
    assert any("OCR nécessaire, pages 3, 7" in n for n in doc.notes), doc.notes
    assert "Carte d'identité des quartiers" in doc.text


@pytest.mark.slow
def test_ocr_reads_the_scanned_pages_when_asked(pdfs, tmp_path):
    """OCR is off by default; on (CDV_PDF_OCR=1), the scanned pages are read and said so."""
    from assistant.documents.pdf_ocr import available
    from assistant.ingest import PdfLimits
    from eval.pdf_ocr import page_text, word_char_accuracy

    assert available(), "tesseract with French is required: make ocr-deps"
    doc = read_document(
        pdfs["scan"][REPORT], load_manifest(CORPUS).get(REPORT), PdfLimits(timeout_s=300, ocr=True)
    )
    assert any("pages 3, 7 lues par OCR" in n for n in doc.notes), doc.notes
    assert not any("OCR nécessaire" in n for n in doc.notes)
    page3 = doc.text[doc.page_starts[2] : doc.page_starts[3]]
    assert word_char_accuracy(page_text(pdfs["B"][REPORT], 2), page3) >= 0.95
    # the scanned tables are found from their rules: a row is a row, its cells in order
    page7 = doc.text[doc.page_starts[6] : doc.page_starts[7]]
    assert "\nBassens\tCorrespondants de nuit : 15 soirées (jumelage avec Saint-Alban-Leyse)\n" in page7
    assert "\n- Un appel à projets en fonctionnement\n" in page7  # a bullet read as « e »
