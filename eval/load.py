"""Load test: `python -m eval.load [--url URL] [--levels 1 5 10 20] [--seconds 20]`.

Without --url it starts the app (real embedder, existing index) on a free loopback port
and measures its memory. Each level runs that many concurrent gradio_client users for a
fixed time, asking the dev-set questions in turn. Traffic goes to 127.0.0.1 only."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from . import gold as G
from .metrics import percentile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(
    extra_env: dict[str, str] | None = None, log: Path | None = None, timeout_s: float = 180
) -> tuple[subprocess.Popen, str]:
    """Start app.py on a free loopback port and wait until it serves; output goes to `log`
    (shown in the error if the app dies or never answers)."""
    port = free_port()
    env = {**os.environ, "CDV_PORT": str(port), "CDV_HOST": "127.0.0.1", **(extra_env or {})}
    out = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + timeout_s
    while time.time() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the app did not start" + (f":\n{log.read_text()}" if log else ""))


def run_level(url: str, users: int, seconds: float, questions: list[str]) -> dict:
    from gradio_client import Client

    lat: list[float] = []
    errors: list[str] = []
    busy = 0
    lock = threading.Lock()
    stop = time.time() + seconds

    def user(n: int) -> None:
        nonlocal busy
        client = Client(url, verbose=False)
        i = n
        while time.time() < stop:
            q = questions[i % len(questions)]
            i += users
            t0 = time.perf_counter()
            try:
                out = client.predict(q, False, api_name="/ask")
                ok = isinstance(out, dict) and ("answer" in out or "error" in out)
                with lock:
                    lat.append((time.perf_counter() - t0) * 1000)
                    if not ok:
                        errors.append(f"unexpected: {str(out)[:80]}")
            except Exception as exc:  # the client surfaces server refusals as exceptions
                with lock:
                    if "queue" in str(exc).lower() and "full" in str(exc).lower():
                        busy += 1
                    else:
                        errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "users": users,
        "requests": len(lat),
        "per_s": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "errors": len(errors),
        "busy": busy,
        "error_samples": errors[:3],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval.load", description="Test de charge de l'application (127.0.0.1)."
    )
    p.add_argument("--url", help="application déjà lancée (sinon, elle est démarrée ici)")
    p.add_argument("--levels", type=int, nargs="+", default=[1, 5, 10, 20], help="utilisateurs simultanés")
    p.add_argument("--seconds", type=float, default=20, help="durée de chaque palier")
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier du rapport")
    args = p.parse_args(argv)
    questions = [r["question"] for r in G.load(HERE / "dev.jsonl")]
    proc, url = (None, args.url) if args.url else start_app()
    try:
        before = rss_mb(proc.pid) if proc else float("nan")
        rows = [run_level(url, n, args.seconds, questions) for n in args.levels]
        after = rss_mb(proc.pid) if proc else float("nan")
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)
    result = {
        "levels": rows,
        "rss_mb_before": round(before, 1),
        "rss_mb_after": round(after, 1),
        "seconds": args.seconds,
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    lines = [
        f"# Charge — {time.strftime('%Y-%m-%d')}",
        "",
        f"Reproduire : `make load` ({args.seconds:.0f} s par palier, "
        "questions du jeu dev, sans LLM, 2 cœurs).",
        "",
        "| utilisateurs | requêtes | req/s | p50 ms | p95 ms | erreurs | « occupé » |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['users']} | {r['requests']} | {r['per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['errors']} | {r['busy']} |"
        for r in rows
    ]
    lines += [
        "",
        f"Mémoire de l'application : {result['rss_mb_before']} Mo avant, {result['rss_mb_after']} Mo après.",
    ]
    (args.out / "load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
