"""Metrics on tiny hand-made cases."""

import pytest

from eval import metrics as M
from eval.expected import compare


def test_includes_is_case_accent_and_digit_separator_insensitive():
    assert M.includes("Il y a eu 8 871 interventions", "8871")
    assert M.includes("ÉTAT et Département", "etat")
    assert M.includes("L’objectif 1 « Poursuivre »", "objectif 1")
    assert not M.includes("L’objectif 12 « Favoriser »", "objectif 1")  # word boundaries hold


def test_answer_correct():
    assert M.answer_correct(
        {"kind": "figure", "must_include": ["145"]}, {"answer": "145 jeunes", "refused": False}
    )
    assert not M.answer_correct(
        {"kind": "figure", "must_include": ["145"]}, {"answer": "145 jeunes", "refused": True}
    )
    assert M.answer_correct({"kind": "unanswerable", "must_include": []}, {"answer": "...", "refused": True})


def test_ranking_metrics():
    passages = ["rien", "encore rien", "la preuve est ici"]
    assert M.reciprocal_rank(passages, "preuve est ici", 5) == pytest.approx(1 / 3)
    assert M.reciprocal_rank(passages, "preuve est ici", 2) == 0
    assert M.recall_at_k(passages, "preuve", 3) == 1.0


def test_table_rows_match_their_tab_separated_evidence():
    row = "QPV Hauts de Chambéry — Population Municipale : 6 270 ; Taux de pauvreté : 41,4%"
    assert M.contains_evidence(row, "QPV Hauts de Chambéry\t6 270\t41,4%")
    assert not M.contains_evidence(row, "QPV Hauts de Chambéry\t41,4%\t6 270")  # order matters
    assert not M.contains_evidence(row, "Hauts de Chambéry 41,4")  # prose evidence must be contiguous


def test_citation_scores_and_percentiles():
    assert M.citation_scores(["a preuve", "autre"], "preuve") == (1.0, 0.5)
    assert M.citation_scores([], "preuve") == (0.0, 0.0)
    assert M.percentile([1, 2, 3, 4], 50) == 2 and M.percentile([1, 2, 3, 4], 95) == 4


def test_expected_record_comparison():
    exp = {
        "metrics": {
            "acc": {"expected": 0.9, "tolerance": 0.05, "better": "higher"},
            "wrong": {"expected": 0.01, "tolerance": 0.02, "better": "lower"},
        }
    }
    assert [ok for *_, ok in compare({"acc": 0.86, "wrong": 0.02}, exp)] == [True, True]
    assert [ok for *_, ok in compare({"acc": 0.84, "wrong": 0.04}, exp)] == [False, False]


def test_switch_figures_separate_a_switch_stall_from_ordinary_latency():
    from eval.load_reindex import Call, switch_figures

    switches = [(100.0, 110.0)]  # a re-index ending at t=110
    calls = [
        Call(50.0, 80.0, "q1", 0.1),  # far from the switch
        Call(60.0, 90.0, "q1", 0.2),
        Call(111.0, 400.0, "q1", 5.0),  # during the open that follows the switch
        Call(200.0, 30.0, "q2", 0.1),
    ]
    out = switch_figures(calls, switches)
    assert out["max_near_switch_ms"] == 400.0
    assert out["max_switch_excess_ms"] == 315.0  # 400 − median(80, 90)
    assert out["max_lease_wait_ms"] == 5.0
