"""python -m eval [--gold FILE] [--k 5] [--check-only]"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import load_settings

from . import gold as G
from .run import evaluate_answers, evaluate_retrieval, summarize, write_report

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval", description="Évalue l'assistant sur un fichier de référence (JSONL)."
    )
    p.add_argument("--gold", type=Path, default=HERE / "dev.jsonl", help="fichier de questions de référence")
    p.add_argument("--k", type=int, default=5, help="profondeur des mesures de recherche (défaut 5)")
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier des rapports")
    p.add_argument(
        "--check-only", action="store_true", help="vérifier seulement les preuves du fichier de référence"
    )
    p.add_argument("--no-write", action="store_true", help="ne pas écrire de rapport")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    settings = load_settings()
    rows = G.load(args.gold)
    problems = G.check(rows, settings.corpus_dir)
    for pb in problems:
        print(f"PREUVE  {pb}", file=sys.stderr)
    if problems or args.check_only:
        print(f"{len(rows)} questions, {len(problems)} problèmes")
        return 1 if problems else 0

    assistant = Assistant(settings)
    assistant.ensure_index()
    assistant.warm_up()
    records = evaluate_answers(assistant, rows, args.k)
    summary = summarize(records)
    summary.update(
        evaluate_retrieval(lambda q, k: [h.chunk.text for h in assistant.search(q, k)], rows, args.k)
    )
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if not args.no_write:
        print(f"rapport : {write_report(args.out, summary, records)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
