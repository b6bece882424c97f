"""The corpus as PDFs: what survives the PDF reader, layout by layout, against the .txt.

    python -m eval.pdf_layouts [--out DIR] [--no-render] [--write]

Renders the three corpus .txt documents with Debian's Chromium in layouts A and B
(eval/render_pdf.py), reads them with the ingest reader, and prints per layout:
fiches found, pilots identical, partners / tools word-F1, axis right, table rows
recovered (exact row text), report passages with a section heading, passages with
header/footer text, passages whose page is right (its opening words are on that
page of the PDF), and the PDF read time. --write records it in eval/results/pdf-layouts.md.
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.chunking import chunk_document
from assistant.ingest import load_manifest, read_document
from assistant.schema import Chunk, Fiche, SourceDoc
from assistant.textclean import clean_document

from .render_pdf import CACHE, CORPUS, DOCS, render_all

HERE = Path(__file__).resolve().parent
PLAN, REPORT = DOCS[0], DOCS[1]
_FURNITURE = re.compile(r"–\s*page\s*\d+|^Contrat de ville de Grand Chambéry$", re.MULTILINE)


def words(items: tuple[str, ...]) -> Counter[str]:
    return Counter(w for it in items for w in re.findall(r"\w+", it.lower()))


def word_f1(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0
    common = sum((wa & wb).values())
    if not common:
        return 0.0
    p, r = common / sum(wa.values()), common / sum(wb.values())
    return 2 * p * r / (p + r)


def compare_fiches(ref: list[Fiche], got: list[Fiche]) -> dict[str, Any]:
    by = {f.number: f for f in got}
    n = len(ref)
    return {
        "fiches": f"{sum(f.number in by for f in ref)}/{n}",
        "pilots identical": f"{sum(f.number in by and by[f.number].pilots == f.pilots for f in ref)}/{n}",
        "partners F1": round(
            sum(word_f1(f.partners, by[f.number].partners) for f in ref if f.number in by) / n, 3
        ),
        "tools F1": round(sum(word_f1(f.tools, by[f.number].tools) for f in ref if f.number in by) / n, 3),
        "axis right": f"{sum(f.number in by and by[f.number].axis == f.axis for f in ref)}/{n}",
        "actions F1": round(
            sum(
                word_f1(tuple(a.text for a in f.actions), tuple(a.text for a in by[f.number].actions))
                for f in ref
                if f.number in by
            )
            / n,
            3,
        ),
        "action statuses right": f"{sum(f.number in by and [a.status for a in by[f.number].actions] == [a.status for a in f.actions] for f in ref)}/{n}",
    }


def _norm(s: str) -> str:
    return re.sub(r"\W+", "", s.lower())


def page_right(chunk: Chunk, page_texts: list[str]) -> bool | None:
    """Are the passage's opening words on the page it names? None when it names none."""
    if chunk.page is None:
        return None
    lines = chunk.text.split("\n")
    # the chunker writes some first lines itself: the status label of an actions passage,
    # the sub-heading repeated on top of a section passage; the passage's own text follows
    sub = (chunk.section or "").split(" › ")[-1]
    if len(lines) > 1 and (chunk.chunk_type == "actions" or lines[0] == sub):
        lines = lines[1:]
    head = re.sub(r"^[-•]\s*", "", lines[0].split("—")[0])
    if chunk.chunk_type == "table_row" and " — " in lines[0]:
        # the row's label may be carried down from a row above (grouped rows): its first value
        head = lines[0].split(" — ", 1)[1].split(" ; ")[0].split(" : ")[-1]
    probe = _norm(" ".join(head.split()[:4]))[:30]
    if not probe:
        return None
    return probe in page_texts[chunk.page - 1]


def pdf_page_texts(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return [_norm(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()


def measure(
    files: dict[str, Path], ref: dict[str, tuple[SourceDoc, list[Chunk], list[Fiche]]]
) -> dict[str, Any]:
    t0 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the PDFs are read in child processes
    docs = {name: read_document(path, load_manifest(CORPUS).get(name)) for name, path in files.items()}
    read_s = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    read_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    chunked = {name: chunk_document(d) for name, d in docs.items()}
    row: dict[str, Any] = compare_fiches(ref[PLAN][2], chunked[PLAN][1])
    ref_rows = [_norm(c.text) for c in ref[REPORT][1] if c.chunk_type == "table_row"]
    got_rows = Counter(_norm(c.text) for c in chunked[REPORT][0] if c.chunk_type == "table_row")
    found = sum(1 for r in ref_rows if got_rows[r] > 0 and not got_rows.subtract([r]))
    row["table rows"] = f"{found}/{len(ref_rows)}"
    report = [c for c in chunked[REPORT][0] if c.chunk_type in ("section", "table_row")]
    row["report passages with a section"] = f"{sum(c.section is not None for c in report)}/{len(report)}"
    all_chunks = [c for ch, _ in chunked.values() for c in ch]
    row["passages with header/footer text"] = sum(bool(_FURNITURE.search(c.text)) for c in all_chunks)
    checks = []
    for name, path in files.items():
        pages = pdf_page_texts(path)
        checks += [page_right(c, pages) for c in chunked[name][0]]
    known = [c for c in checks if c is not None]
    row["passage pages right"] = f"{sum(known)}/{len(known)}"
    # reading order inside a page: each report page's text against the .txt it was printed
    # from (the plan is left out: layout B moves a fiche's side column and axis banner on
    # purpose, which reorders blocks without breaking a line)
    from .pdf_ocr import in_order, reader_page

    source = re.sub(
        r"\s+", "", clean_document((CORPUS / REPORT).read_text(encoding="utf-8")).replace("*", "")
    )
    d = docs[REPORT]
    orders = [in_order(source, reader_page(d, n)) for n in range(1, len(d.page_starts) + 1)]
    row["report pages read in order (≥ 0.95 of characters)"] = (
        f"{sum(a >= 0.95 for a in orders)}/{len(orders)}"
    )
    row["ingest notes"] = sum(len(d.notes) for d in docs.values())
    row["PDF read (s, 3 docs)"] = round(read_s, 1)
    row["PDF read CPU (s, 3 docs)"] = round(read_cpu, 1)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=CACHE, help="dossier des PDF rendus")
    ap.add_argument("--no-render", action="store_true", help="réutiliser les PDF déjà rendus")
    ap.add_argument("--write", action="store_true", help="écrire eval/results/pdf-layouts.md")
    args = ap.parse_args(argv)
    if args.no_render:
        files = {lay: {n: args.out / lay / (Path(n).stem + ".pdf") for n in DOCS} for lay in ("A", "B")}
    else:
        t0 = time.perf_counter()
        files = render_all(args.out)
        print(f"rendered 6 PDFs with chromium in {time.perf_counter() - t0:.1f} s")
    manifest = load_manifest(CORPUS)
    ref = {}
    for n in DOCS:
        d = read_document(CORPUS / n, manifest.get(n))
        ch, fi = chunk_document(d)
        ref[n] = (d, ch, fi)
    txt_row = compare_fiches(ref[PLAN][2], ref[PLAN][2])
    txt_rows = sum(c.chunk_type == "table_row" for c in ref[REPORT][1])
    rep = [c for c in ref[REPORT][1] if c.chunk_type in ("section", "table_row")]
    txt_row |= {
        "table rows": f"{txt_rows}/{txt_rows}",
        "report passages with a section": f"{sum(c.section is not None for c in rep)}/{len(rep)}",
        "passages with header/footer text": 0,
        "passage pages right": "—",
        "report pages read in order (≥ 0.95 of characters)": "—",
        "ingest notes": sum(len(r[0].notes) for r in ref.values()),
        "PDF read (s, 3 docs)": "—",
        "PDF read CPU (s, 3 docs)": "—",
    }
    cols = {".txt": txt_row} | {f"PDF {lay}": measure(files[lay], ref) for lay in ("A", "B")}
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for key in txt_row:
        lines.append(f"| {key} | " + " | ".join(str(c[key]) for c in cols.values()) + " |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        out = HERE / "results" / "pdf-layouts.md"
        out.write_text(
            "# The corpus as PDFs (layouts A and B) against the .txt\n\n"
            "Reproduce: `python -m eval.pdf_layouts --write` (renders with /usr/bin/chromium, ~10 s, "
            "then reads the 6 PDFs). Wall time is on a shared 2-core machine (load average 4-7 while "
            "measured); the CPU time is what the reading costs.\n\n" + table + "\n",
            encoding="utf-8",
        )
        print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
