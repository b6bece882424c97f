"""MCP round trip: `python -m eval.mcp_bench [--url URL] [--n 40]`.

Without --url it starts the app with CDV_MCP=true (real embedder, the index in
CDV_INDEX_DIR or index/, built first if missing) on a free loopback port. One MCP session
(the `mcp` package's client, streamable HTTP) lists the tools, then calls `ask` on the
dev-set questions in turn; the same questions through gradio_client give the comparison.
Times are client-side wall clock, per call, after one warm-up call each."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from . import gold as G
from .load import start_app
from .metrics import percentile

HERE = Path(__file__).resolve().parent


async def _mcp_times(url: str, questions: list[str]) -> dict:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with (
        streamablehttp_client(url + "gradio_api/mcp/") as (read, write, _),
        ClientSession(read, write) as session,
    ):
        t0 = time.perf_counter()
        await session.initialize()
        init_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        tools = (await session.list_tools()).tools
        list_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        await session.call_tool("ask", {"question": questions[0]})  # the server's loopback client starts
        first_ms = (time.perf_counter() - t0) * 1000
        lat = []
        for q in questions:
            t0 = time.perf_counter()
            res = await session.call_tool("ask", {"question": q})
            lat.append((time.perf_counter() - t0) * 1000)
            assert not res.isError, res.content
    return {
        "tools": sorted(t.name for t in tools),
        "initialize_ms": round(init_ms, 1),
        "list_tools_ms": round(list_ms, 1),
        "first_call_ms": round(first_ms, 1),
        "ask_p50_ms": round(percentile(lat, 50), 1),
        "ask_p95_ms": round(percentile(lat, 95), 1),
        "calls": len(lat),
    }


def _client_times(url: str, questions: list[str]) -> dict:
    from gradio_client import Client

    client = Client(url, verbose=False)
    client.predict(questions[0], False, api_name="/ask")
    lat = []
    for q in questions:
        t0 = time.perf_counter()
        client.predict(q, False, api_name="/ask")
        lat.append((time.perf_counter() - t0) * 1000)
    return {"ask_p50_ms": round(percentile(lat, 50), 1), "ask_p95_ms": round(percentile(lat, 95), 1)}


def _wait_ready(url: str, timeout_s: float = 600) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    deadline = time.time() + timeout_s
    while "error" in client.predict("objectif 1", False, api_name="/ask"):
        if time.time() > deadline:
            raise RuntimeError("the index was never ready")
        time.sleep(2)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval.mcp_bench", description="Aller-retour d'un appel d'outil MCP."
    )
    p.add_argument("--url", help="application déjà lancée avec CDV_MCP=true (sinon, elle est démarrée ici)")
    p.add_argument("--n", type=int, default=40, help="nombre d'appels mesurés")
    p.add_argument("--out", type=Path, default=HERE / "results", help="dossier du rapport")
    args = p.parse_args(argv)
    questions = [r["question"] for r in G.load(HERE / "dev.jsonl")][: args.n]
    proc, url = (None, args.url) if args.url else start_app({"CDV_MCP": "true"}, timeout_s=300)
    try:
        _wait_ready(url)
        result = {
            "mcp": asyncio.run(_mcp_times(url, questions)),
            "gradio_client": _client_times(url, questions),
        }
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)
    print(json.dumps(result, indent=1))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "mcp.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    m, c = result["mcp"], result["gradio_client"]
    lines = [
        f"# MCP — {time.strftime('%Y-%m-%d')}",
        "",
        f"Reproduire : `python -m eval.mcp_bench` ({m['calls']} questions du jeu dev, outil `ask`, "
        "embedder réel, sans LLM, 2 cœurs, 127.0.0.1).",
        "",
        "| mesure | ms |",
        "|---|---|",
        f"| initialisation de la session MCP | {m['initialize_ms']} |",
        f"| liste des outils ({', '.join(m['tools'])}) | {m['list_tools_ms']} |",
        f"| premier appel (le serveur ouvre son client interne) | {m['first_call_ms']} |",
        f"| appel `ask` par MCP, p50 / p95 | {m['ask_p50_ms']} / {m['ask_p95_ms']} |",
        f"| même question par gradio_client, p50 / p95 | {c['ask_p50_ms']} / {c['ask_p95_ms']} |",
    ]
    (args.out / "mcp.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
