"""python -m eval [--gold FILE] [--k 5] [--no-baselines] [--no-speed] [--check-only]"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import load_settings

from . import expected as E
from . import gold as G
from . import plots
from .baselines import llamaindex_starter, our_modes
from .run import evaluate_answers, evaluate_retrieval, summarize, write_report

HERE = Path(__file__).resolve().parent


def _systems_md(retrieval: dict[str, dict[str, float]], k: int, facts: dict) -> str:
    ours = retrieval["notre hybride"]
    lines = [
        "",
        "## Recherche : trois systèmes, mêmes questions, même embedder",
        "",
        f"| système | recall@{k} | MRR@{k} | ratio recall (nous / lui) | ratio MRR |",
        "|---|---|---|---|---|",
    ]
    for name, m in retrieval.items():
        rr = ours[f"recall@{k}"] / m[f"recall@{k}"] if m[f"recall@{k}"] else float("inf")
        rm = ours[f"mrr@{k}"] / m[f"mrr@{k}"] if m[f"mrr@{k}"] else float("inf")
        lines.append(f"| {name} | {m[f'recall@{k}']:.3f} | {m[f'mrr@{k}']:.3f} | {rr:.2f} | {rm:.2f} |")
    if facts:
        lines += [
            "",
            f"Pipeline llama-index de départ : {facts['documents']} documents, {facts['nodes']} nœuds "
            f"(SentenceSplitter par défaut), construit en {facts['build_s']} s.",
        ]
    return "\n".join(lines) + "\n"


def _speed_md(speed: dict) -> str:
    lines = ["", "## Vitesse et mémoire (cette machine, 2 cœurs)", "", "| mesure | valeur |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in speed.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval", description="Évalue l'assistant sur un fichier de référence (JSONL)."
    )
    p.add_argument("--gold", type=Path, default=HERE / "dev.jsonl", help="fichier de questions de référence")
    p.add_argument("--k", type=int, default=5, help="profondeur des mesures de recherche (défaut 5)")
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier des rapports")
    p.add_argument(
        "--expected", type=Path, default=HERE / "expected.json", help="chiffres attendus (OK/FAIL)"
    )
    p.add_argument("--no-baselines", action="store_true", help="sans le pipeline llama-index de départ")
    p.add_argument(
        "--no-speed", action="store_true", help="sans la mesure de construction d'index et de mémoire"
    )
    p.add_argument(
        "--check-only", action="store_true", help="vérifier seulement les preuves du fichier de référence"
    )
    p.add_argument("--no-write", action="store_true", help="ne pas écrire de rapport")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

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

    retrieval = {}
    modes = our_modes(assistant.search)
    for label, mode in (("notre hybride", "hybrid"), ("BM25 seul", "bm25"), ("dense seul", "dense")):
        retrieval[label] = evaluate_retrieval(modes[mode], rows, args.k)
    summary.update(retrieval["notre hybride"])
    facts: dict = {}
    if not args.no_baselines:
        starter, facts = llamaindex_starter(settings.corpus_dir, assistant.embedder)
        retrieval["llama-index (départ)"] = evaluate_retrieval(starter, rows, args.k)
    summary["retrieval"] = retrieval
    speed: dict = {}
    if not args.no_speed:
        from .bench import run as bench

        speed = bench(settings.corpus_dir, rounds=1)
        summary["speed"] = speed

    checks = E.compare(summary, E.load(args.expected)) if args.expected.exists() else []
    for name, exp, got, ok in checks:
        print(f"{'OK  ' if ok else 'FAIL'} {name}: {got:.3f} (attendu {exp})")
    print(
        json.dumps(
            {k: v for k, v in summary.items() if k not in ("retrieval", "speed")},
            ensure_ascii=False,
            indent=1,
        )
    )

    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d")
        pngs = {"accuracy": plots.accuracy_per_kind, "systems": None, "latency": plots.latency}
        plots.accuracy_per_kind(summary, args.out / f"{stamp}-accuracy.png")
        plots.latency(records, args.out / f"{stamp}-latency.png")
        plots.systems(retrieval, args.k, args.out / f"{stamp}-systems.png")
        for name in pngs:
            shutil.copyfile(args.out / f"{stamp}-{name}.png", args.out / f"latest-{name}.png")
        extra = _systems_md(retrieval, args.k, facts) + (_speed_md(speed) if speed else "")
        extra += "\n## Graphiques\n\n![exactitude par type](latest-accuracy.png)\n\n![systèmes](latest-systems.png)\n\n![latences](latest-latency.png)\n"
        extra += (
            "\n## Chiffres attendus (eval/expected.json)\n\n"
            + "\n".join(f"- {'OK' if ok else 'FAIL'} {n} : {g:.3f} (attendu {e})" for n, e, g, ok in checks)
            + "\n"
        )
        extra += f"\nReproduire : `{E.load(args.expected)['command'] if args.expected.exists() else 'python -m eval'}`\n"
        print(f"rapport : {write_report(args.out, summary, records, extra)}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
