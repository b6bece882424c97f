"""Load with re-indexing: `python -m eval.load_reindex [--levels 1 5 10 20] [--seconds 75] [--every 10]`.

Starts the app (real embedder) on a fresh index in a temporary folder, records each dev-set
question's answer once, then runs each level of concurrent gradio_client users while
`python -m assistant ingest --rebuild` switches the index every `--every` seconds (as an
operator or a cron would). Reports errors, answers that differ from the recorded ones
(a mixed or wrong answer), latency percentiles, the longest request that overlapped a
switch, and the app's open files, threads and memory after every re-index.
Traffic goes to 127.0.0.1 only; the corpus is only read."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import gold as G
from .load import HERE, ROOT, rss_mb, start_app
from .metrics import percentile


@dataclass(frozen=True)
class Call:
    start: float  # wall clock
    ms: float  # round trip seen by the client
    question: str
    lease_ms: float  # the app's wait for a generation (timings_ms.lease_ms)


def proc_stats(pid: int) -> dict[str, float]:
    threads = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            threads = int(line.split()[1])
    return {"fds": len(os.listdir(f"/proc/{pid}/fd")), "threads": threads, "rss_mb": round(rss_mb(pid), 1)}


class Reindexer(threading.Thread):
    """Runs the CLI's forced re-index every `every` seconds; records when each switch ended."""

    def __init__(self, env: dict[str, str], every: float, app_pid: int) -> None:
        super().__init__(daemon=True)
        self.env, self.every, self.app_pid = env, every, app_pid
        self.switches: list[tuple[float, float]] = []  # (start, end) wall-clock of each re-index
        self.samples: list[dict[str, float]] = []
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            t0 = time.time()
            out = subprocess.run(
                [sys.executable, "-m", "assistant", "ingest", "--rebuild"],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
            )
            if out.returncode:
                self.failures.append(out.stderr[-300:])
            self.switches.append((t0, time.time()))
            time.sleep(2)  # the app notices within CDV_GENERATION_CHECK_S and opens it
            self.samples.append(proc_stats(self.app_pid))


def run_level(url: str, users: int, seconds: float, questions: list[str], reference: dict[str, str]) -> dict:
    from gradio_client import Client

    calls: list[Call] = []
    errors: list[str] = []
    wrong: list[str] = []
    lock = threading.Lock()
    stop = time.time() + seconds

    def user(n: int) -> None:
        client = Client(url, verbose=False)
        i = n
        while time.time() < stop:
            q = questions[i % len(questions)]
            i += users
            start = time.time()
            t0 = time.perf_counter()
            try:
                out = client.predict(q, False, api_name="/ask")
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
                continue
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                lease = (
                    float((out.get("timings_ms") or {}).get("lease_ms", 0.0))
                    if isinstance(out, dict)
                    else 0.0
                )
                calls.append(Call(start, ms, q, lease))
                if not isinstance(out, dict) or "answer" not in out:
                    errors.append(f"unexpected: {str(out)[:120]}")
                elif out["answer"] != reference[q]:
                    wrong.append(q)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = [c.ms for c in calls]
    return {
        "users": users,
        "requests": len(lat),
        "per_s": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "max_ms": round(max(lat, default=0.0), 1),
        "errors": len(errors),
        "wrong": len(wrong),
        "error_samples": errors[:3],
        "wrong_samples": sorted(set(wrong))[:3],
        "calls": calls,
    }


def is_near(call: Call, switches: list[tuple[float, float]], window: float = 3.0) -> bool:
    """Was the request running between a re-index's end and `window` s after it (when the
    app notices the new generation and opens it beside the live one)?"""
    end = call.start + call.ms / 1000
    return any(s_end <= end and call.start <= s_end + window for _, s_end in switches)


def switch_figures(calls: list[Call], switches: list[tuple[float, float]]) -> dict[str, float]:
    """The longest request near a switch, and the stall a switch adds: near a switch, a
    request's latency minus the median latency of the same question away from switches (the
    CLI's re-index and the app's background open share the cores, so some excess is CPU,
    not waiting); and the longest wait for a generation lease (the lock a switch takes)."""
    near = [c for c in calls if is_near(c, switches)]
    away: dict[str, list[float]] = {}
    for c in calls:
        if not is_near(c, switches):
            away.setdefault(c.question, []).append(c.ms)
    excess = [c.ms - statistics.median(away[c.question]) for c in near if c.question in away]
    return {
        "max_near_switch_ms": round(max((c.ms for c in near), default=0.0), 1),
        "max_switch_excess_ms": round(max(excess, default=0.0), 1),
        "max_lease_wait_ms": round(max((c.lease_ms for c in calls), default=0.0), 2),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.load_reindex", description=__doc__.split("\n\n")[0])
    p.add_argument("--levels", type=int, nargs="+", default=[1, 5, 10, 20], help="utilisateurs simultanés")
    p.add_argument("--seconds", type=float, default=75, help="durée de chaque palier")
    p.add_argument("--every", type=float, default=10, help="une réindexation toutes les N secondes")
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier du rapport")
    p.add_argument(
        "--work",
        type=Path,
        help="dossier de travail (index, données) ; réutilisé, son cache d'embeddings aussi",
    )
    args = p.parse_args(argv)
    questions = [r["question"] for r in G.load(HERE / "dev.jsonl")]
    tmp = args.work or Path(tempfile.mkdtemp(prefix="cdv-load-"))
    env = {**os.environ, "CDV_INDEX_DIR": str(tmp / "index"), "CDV_DATA_DIR": str(tmp / "data")}
    print("indexation initiale…", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "assistant", "ingest"], cwd=ROOT, env=env, check=True)
    proc, url = start_app({k: env[k] for k in ("CDV_INDEX_DIR", "CDV_DATA_DIR")}, log=tmp / "app.log")
    try:
        from gradio_client import Client

        client = Client(url, verbose=False)
        reference = {q: client.predict(q, False, api_name="/ask")["answer"] for q in dict.fromkeys(questions)}
        start_stats = proc_stats(proc.pid)
        reindexer = Reindexer(env, args.every, proc.pid)
        reindexer.start()
        rows = []
        for n in args.levels:
            print(f"palier {n} utilisateurs…", file=sys.stderr)
            rows.append(run_level(url, n, args.seconds, questions, reference))
        reindexer.stop.set()
        reindexer.join()
        for r in rows:
            r.update(switch_figures(r.pop("calls"), reindexer.switches))
    finally:
        proc.terminate()
        proc.wait(10)
    samples = reindexer.samples
    result = {
        "levels": rows,
        "reindexes": len(reindexer.switches),
        "reindex_failures": reindexer.failures[:3],
        "app_before_load": start_stats,
        "app_after_each_reindex": samples,
        "seconds": args.seconds,
        "every": args.every,
    }
    print(
        json.dumps(
            {k: v for k, v in result.items() if k != "app_after_each_reindex"}, indent=1, ensure_ascii=False
        )
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load_reindex.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8"
    )

    def series(key: str) -> str:
        vals = [s[key] for s in samples]
        return f"{start_stats[key]} → {vals[0] if vals else '–'} … {vals[-1] if vals else '–'} (max {max(vals, default=0)})"

    lines = [
        f"# Charge avec réindexation — {time.strftime('%Y-%m-%d')}",
        "",
        f"Reproduire : `python -m eval.load_reindex` ({args.seconds:.0f} s par palier, "
        f"`ingest --rebuild` toutes les {args.every:.0f} s, questions du jeu dev, sans LLM, 2 cœurs partagés).",
        "« Fausses » : réponses différentes de celle enregistrée avant la charge pour la même question. "
        "Surcoût d'une bascule : latence d'une requête proche d'une bascule moins la médiane de la même "
        "question loin des bascules (le CPU partagé avec la réindexation en fait partie). Attente du bail : "
        "temps passé par une requête à attendre une génération (le verrou de la bascule).",
        "",
        "| utilisateurs | requêtes | req/s | p50 ms | p95 ms | max ms | max ms autour d'une bascule "
        "| surcoût max d'une bascule ms | attente max du bail ms | erreurs | fausses |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['users']} | {r['requests']} | {r['per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} "
        f"| {r['max_near_switch_ms']} | {r['max_switch_excess_ms']} | {r['max_lease_wait_ms']} "
        f"| {r['errors']} | {r['wrong']} |"
        for r in rows
    ]
    lines += [
        "",
        f"{result['reindexes']} réindexations ({len(reindexer.failures)} en échec). Application, avant la charge → "
        "après la 1re réindexation … après la dernière :",
        "",
        f"- fichiers ouverts : {series('fds')}",
        f"- threads : {series('threads')}",
        f"- mémoire (Mo) : {series('rss_mb')}",
    ]
    (args.out / "load_reindex.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
