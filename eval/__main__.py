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
from .split import SEED, half

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


def _sets_md(named: dict[str, dict]) -> str:
    """The sets side by side, then accuracy per kind (as each file names its kinds)."""
    cols = list(named)
    keys = [
        ("questions", "questions"),
        ("accuracy_answerable", "exactitude (répondables)"),
        ("refusal_wrong_on_answerable", "refus à tort"),
        ("refusal_correct_on_unanswerable", "sans réponse refusées"),
        ("citation_hit", "citation contenant la preuve"),
        ("ask_ms_p50", "ask p50 (ms)"),
        ("ask_ms_p95", "ask p95 (ms)"),
    ]
    lines = ["", "## Jeux de questions côte à côte", "", "| mesure | " + " | ".join(cols) + " |"]
    lines.append("|---|" + "---|" * len(cols))
    for key, label in keys:
        lines.append(f"| {label} | " + " | ".join(_fmt(named[c][key]) for c in cols) + " |")
    for group in ("accuracy_by_kind", "accuracy_by_lang"):
        names = sorted({k for c in cols for k in named[c][group]})
        lines += [
            "",
            f"### {group}",
            "",
            "| groupe | " + " | ".join(cols) + " |",
            "|---|" + "---|" * len(cols),
        ]
        for n in names:
            cells = [named[c][group].get(n) for c in cols]
            lines.append(f"| {n} | " + " | ".join("—" if v is None else _fmt(v) for v in cells) + " |")
    return "\n".join(lines) + "\n"


def _fmt(v: object) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval",
        description="Évalue l'assistant sur un ou plusieurs fichiers de référence (JSONL), "
        "moitié réservée (held-out) par défaut.",
    )
    p.add_argument(
        "--gold",
        type=Path,
        nargs="+",
        default=[HERE / "dev.jsonl", HERE / "realistic.jsonl"],
        help="fichiers de questions de référence (plusieurs : rapportés côte à côte)",
    )
    p.add_argument(
        "--half",
        choices=("heldout", "tune", "all"),
        default="heldout",
        help="moitié évaluée (graine fixe, stratifiée par type ; défaut : la moitié réservée)",
    )
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
        "--check-only", action="store_true", help="vérifier seulement les preuves des fichiers de référence"
    )
    p.add_argument("--no-write", action="store_true", help="ne pas écrire de rapport")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    settings = load_settings()
    sets: dict[str, list[dict]] = {}
    bad = 0
    for path in args.gold:
        rows = G.load(path)
        problems, warnings = G.check(rows, settings.corpus_dir)
        for w in warnings:
            print(f"AVERTISSEMENT  {path.name}: {w}", file=sys.stderr)
        for pb in problems:
            print(f"PREUVE  {path.name}: {pb}", file=sys.stderr)
        bad += len(problems)
        sets[f"{path.stem}:{args.half}"] = half(rows, args.half)
    if bad or args.check_only:
        print(f"{sum(len(r) for r in sets.values())} questions, {bad} problèmes")
        return 1 if bad else 0

    assistant = Assistant(settings)
    assistant.ensure_index()
    assistant.warm_up()
    named: dict[str, dict] = {}
    all_records: list[dict] = []
    retrieval: dict[str, dict[str, float]] = {}
    facts: dict = {}
    modes = our_modes(assistant.search)
    for name, rows in sets.items():
        records = evaluate_answers(assistant, rows, args.k)
        for r in records:
            r["set"] = name
        all_records += records
        named[name] = summarize(records)
        named[name].update(evaluate_retrieval(modes["hybrid"], rows, args.k))
    first = next(iter(sets))
    for label, mode in (("notre hybride", "hybrid"), ("BM25 seul", "bm25"), ("dense seul", "dense")):
        retrieval[label] = evaluate_retrieval(modes[mode], sets[first], args.k)
    if not args.no_baselines:
        starter, facts = llamaindex_starter(settings.corpus_dir, assistant.embedder)
        retrieval["llama-index (départ)"] = evaluate_retrieval(starter, sets[first], args.k)
    summary = dict(named[first])
    summary["retrieval"] = retrieval
    summary["sets"] = {n: {k: v for k, v in m.items()} for n, m in named.items()}
    summary["half"] = args.half
    speed: dict = {}
    if not args.no_speed:
        from .bench import run as bench

        speed = bench(settings.corpus_dir, rounds=1)
        summary["speed"] = speed

    expected = E.load(args.expected) if args.expected.exists() else None
    checks = E.compare_sets(named, expected) if expected else []
    for name, exp, got, ok in checks:
        print(f"{'OK  ' if ok else 'FAIL'} {name}: {got:.3f} (attendu {exp})")
    for n, m in named.items():
        print(n, json.dumps({k: v for k, v in m.items() if not isinstance(v, dict)}, ensure_ascii=False))

    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d")
        pngs = ("accuracy", "systems", "latency")
        plots.accuracy_per_kind(named[first], args.out / f"{stamp}-accuracy.png")
        plots.latency(all_records, args.out / f"{stamp}-latency.png")
        plots.systems(retrieval, args.k, args.out / f"{stamp}-systems.png")
        for name in pngs:
            shutil.copyfile(args.out / f"{stamp}-{name}.png", args.out / f"latest-{name}.png")
        extra = _sets_md(named) + _systems_md(retrieval, args.k, facts) + (_speed_md(speed) if speed else "")
        extra += "\n## Graphiques\n\n![exactitude par type](latest-accuracy.png)\n\n![systèmes](latest-systems.png)\n\n![latences](latest-latency.png)\n"
        extra += (
            "\n## Chiffres attendus (eval/expected.json)\n\n"
            + "\n".join(f"- {'OK' if ok else 'FAIL'} {n} : {g:.3f} (attendu {e})" for n, e, g, ok in checks)
            + "\n"
        )
        cmd = expected["command"] if expected else "python -m eval"
        extra += f"\nReproduire : `{cmd}` (moitié {args.half} de chaque fichier, graine `{SEED}`).\n"
        print(f"rapport : {write_report(args.out, summary, all_records, extra)}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
