"""Render the corpus's .txt documents to PDF with Debian's Chromium, in two layouts.

A (simple flow): each line of the .txt is a line of the page, blank lines are blank
  lines, tab-separated lines are an (unruled) HTML table.
B (realistic): the plan's fiches one per page in a ruled box, Pilote / Partenaires /
  Outils in a shaded side column, actions as CSS-drawn bullets (squares), status
  labels above their bullets; the report and the plan's other text in two justified
  columns with headings by size, ruled tables with merged header cells (repeated on
  the next page), round CSS bullets; a running header and a footer « … – page N ».
`scanned_pages` replaces some pages of a B rendering with images (no text layer).

    python -m eval.render_pdf [--out DIR] [--layout A|B|both]
"""

from __future__ import annotations

import argparse
import html
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.documents.model import HEADING, LIST_ITEM, TABLE
from assistant.documents.text_reader import read_text
from assistant.fiches import parse_plan
from assistant.ingest import load_manifest, read_text_file
from assistant.schema import Fiche
from assistant.textclean import clean_document, strip_bullet

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CACHE = ROOT / ".cache" / "pdf"
# Debian's Chromium and the flags it needs on this closed network (also the browser tests')
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = ("plan-actions-2021-2022.txt", "rapport-annuel-2018.txt", "page-contrat-de-ville.txt")
REPORT_NAME = DOCS[1]


def e(s: str) -> str:
    return html.escape(s, quote=False)


def source_text(name: str, corpus: Path = CORPUS) -> str:
    return clean_document(read_text_file(corpus / name))


# --- layout A -------------------------------------------------------------------------

CSS_A = """
@page { size: A4; margin: 18mm 16mm; }
body { font: 10pt/1.35 'DejaVu Sans', sans-serif; margin: 0; }
.l { white-space: pre-wrap; }
.b { height: 1.35em; }
table { border-collapse: collapse; margin: 0; }
td { padding: 2pt 16pt 2pt 0; vertical-align: top; font-size: 9pt; }
"""


def html_a(text: str) -> str:
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            trs = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
            out.append(f"<table>{trs}</table>")
            rows.clear()

    # line by line of the raw file: a line with tabs is a table row even where cleaning
    # trims its trailing tabs ("2015-2018\t\t\t" inside a table)
    for raw in text.split("\n"):
        if "\t" in raw:
            rows.append([clean_document(c) for c in raw.split("\t")])
            continue
        flush()
        for line in clean_document(raw).split("\n"):
            out.append(f'<div class="l">{e(line)}</div>' if line.strip() else '<div class="b"></div>')
    flush()
    return f"<!doctype html><html lang=fr><meta charset=utf-8><style>{CSS_A}</style><body>{''.join(out)}"


# --- layout B -------------------------------------------------------------------------

CSS_B = """
@page { size: A4; margin: 22mm 15mm 20mm 15mm; }
body { font: 9.5pt/1.4 'DejaVu Sans', sans-serif; margin: 0; color: #222; }
.flow { columns: 2; column-gap: 9mm; text-align: justify; }
.flow h1 { font-size: 17pt; column-span: all; margin: 0 0 8pt; color: #1c3d6e; text-align: left; }
.flow h2 { font-size: 13pt; margin: 12pt 0 5pt; color: #1c3d6e; text-align: left; break-after: avoid; }
.flow h3 { font-size: 11pt; margin: 9pt 0 4pt; color: #2d5c99; text-align: left; break-after: avoid; }
.flow p { margin: 0 0 6pt; }
.flow p.caption { font-style: italic; margin-bottom: 3pt; text-align: left; }
ul { list-style: none; padding-left: 13pt; margin: 0 0 6pt; }
li { position: relative; margin: 0 0 1pt; }
.flow li::before { content: ""; position: absolute; left: -9pt; top: 0.42em; width: 4.5pt; height: 4.5pt;
  border-radius: 50%; background: #2d5c99; }
.fiche li::before { content: ""; position: absolute; left: -9pt; top: 0.45em; width: 4pt; height: 4pt;
  background: #c0392b; }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 8pt; font-size: 8pt; line-height: 1.25;
  text-align: left; }
table.wide { column-span: all; }
th, td { border: 0.6pt solid #7a8ca8; padding: 2pt 3pt; vertical-align: top; }
th { background: #dfe7f3; font-weight: bold; }
tr { break-inside: avoid; }
.fiche { break-before: page; border: 1.2pt solid #1c3d6e; padding: 9pt 11pt; }
.fiche .axe { background: #1c3d6e; color: white; padding: 4pt 6pt; margin: -9pt -11pt 8pt; font-size: 9pt; }
.fiche h2 { font-size: 13.5pt; margin: 0 0 8pt; color: #1c3d6e; }
.fiche .cols { display: grid; grid-template-columns: 64% 33%; column-gap: 3%; }
.fiche h4 { font-size: 10.5pt; margin: 6pt 0 3pt; color: #c0392b; }
.fiche .scope { font-style: italic; margin: 3pt 0 2pt; }
.fiche .note { border-left: 2pt solid #aaa; padding-left: 5pt; margin: 5pt 0; }
.fiche aside { background: #eef2f8; padding: 6pt 7pt; font-size: 8.5pt; align-self: start; }
.fiche aside p { margin: 0; }
.fiche aside .label { font-weight: bold; margin-top: 7pt; }
.fiche aside .label:first-child { margin-top: 0; }
.scan { break-before: page; }
.scan img { width: 100%; }
"""


def _table_b(rows: tuple[tuple[str, ...], ...], header_rows: int) -> str:
    width = max(len(r) for r in rows)
    rows = tuple(r + ("",) * (width - len(r)) for r in rows)
    head, body = rows[:header_rows], rows[header_rows:]
    parts = ['<table class="wide">' if width > 3 else "<table>"]
    if head:
        parts.append("<thead>")
        for k, r in enumerate(head):
            parts.append("<tr>")
            j = 0
            while j < width:
                span = 1
                # a header cell written once over blank cells spans them (merged cells)
                if k == 0 and r[j] and len(head) > 1 and j > 0:
                    while j + span < width and not r[j + span]:
                        span += 1
                parts.append(f'<th colspan="{span}">{e(r[j])}</th>' if span > 1 else f"<th>{e(r[j])}</th>")
                j += span
            parts.append("</tr>")
        parts.append("</thead>")
    parts.append("<tbody>")
    for i, r in enumerate(body):
        cells = []
        for j, c in enumerate(r):
            if j == 0 and not c and i > 0:
                continue  # grouped rows: the first cell above spans down
            span = 1
            if j == 0 and c:
                while i + span < len(body) and not body[i + span][0]:
                    span += 1
            cells.append(f'<td rowspan="{span}">{e(c)}</td>' if span > 1 else f"<td>{e(c)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _flow_b(text: str, title: str | None) -> str:
    doc = read_text(text)
    out: list[str] = [f"<h1>{e(title)}</h1>"] if title else []
    items: list[str] = []
    blocks = list(doc.blocks)
    for k, b in enumerate(blocks):
        if b.kind != LIST_ITEM and items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if b.kind == HEADING:
            out.append(f"<h{b.level + 1}>{e(b.text)}</h{b.level + 1}>")
        elif b.kind == TABLE:
            out.append(_table_b(b.rows, b.header_rows))
        elif b.kind == LIST_ITEM:
            items.append(f"<li>{e(strip_bullet(b.text))}</li>")
        else:
            nxt = blocks[k + 1].kind if k + 1 < len(blocks) else ""
            cls = ' class="caption"' if b.text.endswith(":") and nxt == TABLE else ""
            out.append(f"<p{cls}>{e(b.text)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return '<div class="flow">' + "".join(out) + "</div>"


def _fiche_b(f: Fiche) -> str:
    axe = f"Axe {f.axis} - {f.axis_title}" if f.axis_title else f"Axe {f.axis}"
    sub = f"<br>{e(f.sub_theme)}" if f.sub_theme else ""
    main: list[str] = []
    labels = {"en cours": "Actions en cours", "à développer": "Actions à développer"}
    key: tuple[str | None, str | None] | None = None
    for a in f.actions:
        if key is None or (a.status, a.scope) != key:
            if key is not None:
                main.append("</ul>")
            if key is None or a.status != key[0]:
                main.append(f"<h4>{labels.get(a.status or '', 'Actions')}</h4>")
            if a.scope:
                main.append(f'<p class="scope">{e(a.scope)} :</p>')
            main.append("<ul>")
            key = (a.status, a.scope)
        main.append(f"<li>{e(a.text)}</li>")
    if key is not None:
        main.append("</ul>")
    main += [f'<p class="note">{e(n)}</p>' for n in f.notes]
    side: list[str] = []
    if f.pilots:  # one name a line, as the plan writes them
        side.append('<p class="label">Pilote :</p>' + "".join(f"<p>{e(p)}</p>" for p in f.pilots))
    if f.partners:
        side.append(f'<p class="label">Partenaires :</p><p>{e(", ".join(f.partners))}</p>')
    if f.tools:
        side.append(f'<p class="label">Outils d\'interventions :</p><p>{e(", ".join(f.tools))}</p>')
    return (
        f'<section class="fiche"><div class="axe">{e(axe)}{sub}</div>'
        f"<h2>Objectif {f.number} - {e(f.title)}</h2>"
        f'<div class="cols"><div class="main">{"".join(main)}</div><aside>{"".join(side)}</aside></div>'
        "</section>"
    )


def html_b(text: str, title: str) -> str:
    plan = parse_plan(text)
    if plan.fiches:
        other = "\n\n\n".join(text[s.start : s.end] for s in plan.other)
        body = _flow_b(other, title) + "".join(_fiche_b(f) for f in plan.fiches)
    else:
        body = _flow_b(text, title)
    return f"<!doctype html><html lang=fr><meta charset=utf-8><style>{CSS_B}</style><body>{body}"


def _templates(title: str) -> dict[str, Any]:
    style = "font: 7.5pt 'DejaVu Sans', sans-serif; color: #555; width: 100%; margin: 0 15mm;"
    return {
        "display_header_footer": True,
        "header_template": f'<div style="{style} text-align: right;">Contrat de ville de Grand Chambéry</div>',
        "footer_template": f'<div style="{style} text-align: center;">{e(title)} – page '
        '<span class="pageNumber"></span></div>',
    }


# --- printing ---------------------------------------------------------------------------


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def print_pdf(b: Any, page_html: str, out: Path, title: str | None = None) -> Path:
    page = b.new_page()
    try:
        page.set_content(page_html, wait_until="load")
        opts: dict[str, Any] = {"format": "A4", "print_background": True, "prefer_css_page_size": True}
        if title:
            opts |= _templates(title)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(out), **opts)
    finally:
        page.close()
    return out


def render(b: Any, name: str, layout: str, out_dir: Path, corpus: Path = CORPUS) -> Path:
    text = source_text(name, corpus)
    title = (load_manifest(corpus).get(name) or None, None)[0]
    label = title.title if title else Path(name).stem
    out = out_dir / layout / (Path(name).stem + ".pdf")
    if layout == "A":
        return print_pdf(b, html_a(read_text_file(corpus / name)), out)
    return print_pdf(b, html_b(text, label), out, title=label)


def scanned_pages(pdf: Path, pages: list[int], out: Path, keep: int | None = None) -> Path:
    """A copy of `pdf` (its first `keep` pages) whose given pages (1-based) are images
    without a text layer: a report partly scanned."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    src = pdfium.PdfDocument(str(pdf))
    images = {}
    for n in pages:
        bitmap = src[n - 1].render(scale=200 / 72).to_pil()
        buf = io.BytesIO()
        bitmap.save(buf, format="PDF", resolution=200)
        images[n] = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
    src.close()
    writer = PdfWriter()
    for i, page in enumerate(PdfReader(str(pdf)).pages[:keep], 1):
        writer.add_page(images.get(i, page))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def render_all(out_dir: Path = CACHE, layouts: tuple[str, ...] = ("A", "B")) -> dict[str, dict[str, Path]]:
    """{layout: {txt name: pdf path}} for the three corpus documents."""
    result: dict[str, dict[str, Path]] = {lay: {} for lay in layouts}
    with browser() as b:
        for lay in layouts:
            for name in DOCS:
                result[lay][name] = render(b, name, lay, out_dir)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=CACHE, help="dossier de sortie (défaut : .cache/pdf)")
    ap.add_argument("--layout", choices=["A", "B", "both"], default="both")
    args = ap.parse_args(argv)
    layouts = ("A", "B") if args.layout == "both" else (args.layout,)
    for lay, files in render_all(args.out, layouts).items():
        for name, path in files.items():
            print(f"{lay}  {name} -> {path} ({path.stat().st_size // 1024} Ko)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
