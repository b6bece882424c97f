"""Thin command-line adapter over Assistant: `python -m assistant --help`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .assistant import Assistant
from .config import load_settings, settings_error
from .index_store import IndexError_
from .retrieval import Filters


def _progress_bar() -> Any:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}
    labels = {"chunking": "fichiers", "embedding": "embeddings", "chroma": "chroma"}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(
                total=total, desc=labels.get(stage, stage), unit="", file=sys.stderr, leave=True
            )
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return report


def cmd_ingest(args: argparse.Namespace, assistant: Assistant) -> int:
    report, errors = assistant.ingest(progress=_progress_bar(), force=args.rebuild)
    for err in errors:
        print(f"{'IGNORÉ   ' if err.fatal else 'ATTENTION'} {err}", file=sys.stderr)
    if report.skipped:
        print(
            f"Index à jour ({report.chunks} passages, {report.fiches} fiches) : rien à faire [{report.seconds:.2f} s]"
        )
    else:
        print(
            f"Index {report.generation} : {report.documents} documents, {report.chunks} passages, "
            f"{report.fiches} fiches ; {report.embedded} passages calculés, "
            f"{report.chunks - report.embedded} repris du cache [{report.seconds:.1f} s]"
        )
    return 1 if any(e.fatal for e in errors) and report.documents == 0 else 0


def cmd_fiches(args: argparse.Namespace, assistant: Assistant) -> int:
    fiches = assistant.fiches()
    if args.objective:
        fiches = [f for f in fiches if f.number == args.objective]
    if args.json:
        keys = ("objective", "title", "axis", "axis_title", "pilots", "partners", "tools", "actions")
        out = [{k: f.as_json()[k] for k in keys} for f in fiches]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for f in fiches:
        print(f"Objectif {f.number} - {f.title}")
        print(f"  Axe {f.axis} - {f.axis_title}" + (f" ({f.sub_theme})" if f.sub_theme else ""))
        print(f"  Pilote(s)   : {', '.join(f.pilots)}")
        print(f"  Partenaires : {', '.join(f.partners)}")
        if f.tools:
            print(f"  Outils      : {' ; '.join(f.tools)}")
        print(f"  Actions     : {len(f.actions)}")
    return 0


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"un entier positif est attendu (reçu : {text})")
    return value


def cmd_search(args: argparse.Namespace, assistant: Assistant) -> int:
    filters = Filters(source=args.doc, kind=args.kind, objective=args.objective, axis=args.axis)
    t0 = time.perf_counter()
    hits = assistant.search(args.query, k=args.k, filters=filters, mode=args.mode)
    ms = (time.perf_counter() - t0) * 1000
    if args.json:
        print(
            json.dumps(
                [h.as_json() for h in hits],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not hits:
        print("Aucun passage trouvé.")
    for n, h in enumerate(hits, 1):
        c = h.chunk
        where = (
            c.source
            + (f" p.{c.page}" if c.page else "")
            + (f" · objectif {c.objective}" if c.objective else "")
        )
        print(f"[{n}] {where} · {c.section or ''} · score {h.score:.4f}")
        print("    " + c.text[:400].replace("\n", "\n    "))
    print(f"({len(hits)} résultats, {ms:.0f} ms)", file=sys.stderr)
    return 0


def answer_json(ans: Any, ms: float, ident: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {} if ident is None else {"id": ident}
    out.update(
        {
            "answer": ans.text,
            "refused": ans.refused,
            "intent": ans.intent,
            "lang": ans.lang,
            "citations": [
                {
                    "n": c.number,
                    "source": c.source,
                    "page": c.page,
                    "objective": c.objective,
                    "section": c.section,
                    "text": c.text,
                    "span": list(c.span) if c.span else None,
                }
                for c in ans.citations
            ],
            "see_also": [
                {"source": c.source, "page": c.page, "objective": c.objective, "text": c.text}
                for c in ans.see_also
            ],
            "ms": round(ms, 2),
            "timings_ms": {k: round(v, 2) for k, v in ans.timings_ms.items()},
        }
    )
    return out


def cmd_ask(args: argparse.Namespace, assistant: Assistant) -> int:
    if args.jsonl:
        return _ask_jsonl(assistant, args.simple)
    if not args.question:
        print(
            "Erreur : donnez une question, ou --jsonl pour lire des questions sur l'entrée standard.",
            file=sys.stderr,
        )
        return 2
    t0 = time.perf_counter()
    ans = assistant.ask(args.question, simple=args.simple)
    ms = (time.perf_counter() - t0) * 1000
    if args.json:
        print(json.dumps(answer_json(ans, ms), ensure_ascii=False, indent=2))
        return 0
    print(ans.text)
    if ans.citations:
        print("\nSources :")
        for c in ans.citations:
            where = (
                c.source
                + (f", p. {c.page}" if c.page else "")
                + (f", objectif {c.objective}" if c.objective else "")
            )
            passage = c.text[c.span[0] : c.span[1]] if c.span else c.text
            print(f"  [{c.number}] {where} — « {passage[:300]} »")
    if ans.see_also:
        print("\nVoir aussi :" if ans.lang == "fr" else "\nSee also:")
        for c in ans.see_also:
            print(f"  - {c.source} : {c.text[:160]}")
    print(f"({ms:.0f} ms)", file=sys.stderr)
    return 0


def _ask_jsonl(assistant: Assistant, simple: bool) -> int:
    """One JSON line in ({"id", "question"}), one JSON line out; the model loads once."""
    assistant.warm_up()
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = str(item.get("question", "")) if isinstance(item, dict) else ""
            ident = item.get("id", n) if isinstance(item, dict) else n
        except json.JSONDecodeError as exc:
            print(
                json.dumps({"id": n, "error": f"ligne JSON invalide : {exc}"}, ensure_ascii=False), flush=True
            )
            continue
        t0 = time.perf_counter()
        ans = assistant.ask(question, simple=simple)
        out = answer_json(ans, (time.perf_counter() - t0) * 1000, ident)
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def cmd_export(args: argparse.Namespace, assistant: Assistant) -> int:
    from .export import assistant_sheets, write_csv, write_ods

    sheets = assistant_sheets(assistant)
    if args.format == "csv":
        files = write_csv(sheets, args.out)
    else:
        files = [write_ods(sheets, args.out / "contrat-de-ville.ods")]
    for f in files:
        print(f)
    tables = len(sheets) - 3  # Sommaire, Fiches, Actions
    print(f"{len(assistant.fiches())} fiches et {tables} tableaux exportés dans {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Assistant du Contrat de ville de Grand Chambéry : indexer, rechercher, interroger.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "ingest",
        help="indexer le dossier corpus/ (incrémental)",
        description="Lit corpus/ (txt, md, pdf), découpe, calcule les embeddings manquants et bascule sur le nouvel index.",
    )
    s.add_argument("--rebuild", action="store_true", help="reconstruire même si rien n'a changé")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("fiches", help="les fiches-actions (objectifs) en données structurées")
    s.add_argument("--json", action="store_true", help="sortie JSON")
    s.add_argument("--objective", type=int, help="une seule fiche")
    s.set_defaults(func=cmd_fiches)

    s = sub.add_parser("search", help="recherche hybride (BM25 français + dense)")
    s.add_argument("query", help="la recherche, en langage courant")
    s.add_argument("--k", type=positive_int, default=5, help="nombre de passages (défaut 5)")
    s.add_argument("--objective", type=int, help="filtrer sur un objectif")
    s.add_argument("--axis", type=int, help="filtrer sur un axe")
    s.add_argument("--doc", help="filtrer sur un document (nom de fichier ou début)")
    s.add_argument("--kind", help="filtrer sur un type de document (plan, rapport annuel, page web)")
    s.add_argument(
        "--mode", choices=("hybrid", "bm25", "dense"), default="hybrid", help="méthode (défaut hybrid)"
    )
    s.add_argument("--json", action="store_true", help="sortie JSON")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser(
        "ask",
        help="poser une question (réponse citée)",
        description="Répond à partir des documents, avec citations ; refuse si les documents ne disent rien.",
    )
    s.add_argument("question", nargs="?", help="la question, en français ou en anglais")
    s.add_argument("--json", action="store_true", help="sortie JSON")
    s.add_argument("--simple", action="store_true", help="langage simple (sigles développés)")
    s.add_argument(
        "--jsonl",
        action="store_true",
        help='lire des lignes {"id", "question"} sur l\'entrée standard, écrire une ligne JSON par réponse',
    )
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser(
        "export",
        help="les fiches et les tableaux des documents en tableur (CSV ou ODS)",
        description="Écrit les fiches, leurs actions et chaque tableau des documents : un fichier CSV par "
        "feuille, ou un classeur ODS avec une feuille par tableau ; les chiffres sont des nombres.",
    )
    s.add_argument("--format", choices=("csv", "ods"), default="ods", help="format (défaut ods)")
    s.add_argument("--out", type=Path, default=Path("export"), help="dossier de sortie (défaut export/)")
    s.set_defaults(func=cmd_export)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    try:
        settings = load_settings()
    except ValueError as exc:  # pydantic's ValidationError
        print(settings_error(exc), file=sys.stderr)
        return 2
    assistant = Assistant(settings)
    try:
        if args.command in ("search", "ask", "fiches", "export"):
            assistant.ensure_index(_progress_bar())  # first use on a fresh clone: build it
        return int(args.func(args, assistant))
    except IndexError_ as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
