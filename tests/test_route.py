"""The learned router alone: its probability, its thresholds, and no router for an embedder
it was not fitted with."""

from __future__ import annotations

import json

import numpy as np

from assistant.answer.route import Head, Priors, Router
from eval.fit_ranker import choose_show, gold_objectives, lowest_precise


def test_the_router_probabilities_follow_the_directions_they_learned():
    r = Router(Head(np.array([3.0, 0.0, 0.0]), -1.0), Head(np.array([0.0, 3.0, 0.0]), -1.0), 0.8, 0.5)
    along = r.priors(np.array([1.0, 0.0, 0.0]))
    assert along.finder > 0.8 and along.unanswerable < 0.5  # along the finder's direction
    assert r.priors(np.array([5.0, 0.0, 0.0])) == along  # any length: the vector is normalised
    other = r.priors(np.array([0.0, 1.0, 0.0]))
    assert other.finder < 0.5 and other.unanswerable > 0.8
    assert r.priors(np.array([1.0, 0.0])) == Priors(0.0, 0.0)  # a vector of another model: no opinion


def test_no_router_for_an_embedder_it_was_not_fitted_with(tmp_path):
    path = tmp_path / "ranker.json"
    head = {"weights": [1.0], "bias": 0.0}
    model = {"finder": head, "unanswerable": head, "route": 0.8, "fallback": 0.5}
    path.write_text(json.dumps({"router": {"e5": model, "old": {"weights": [1.0]}}}))
    assert Router.load("other", path) is None
    assert Router.load("old", path) is None  # written by an older fitting script
    assert Router.load("e5", path).route == 0.8  # type: ignore[union-attr]


def test_thresholds_are_read_off_the_tune_questions():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.2])
    y = np.array([True, True, False, True, False, False])
    assert lowest_precise(p, y, 0.75) == 0.6  # 3 of the 4 from 0.6 up are positives
    assert lowest_precise(p, y, 1.0) == 0.8
    # a wrong objective shown costs a quarter of a right one: show the second when it is right often
    probs = [{1: 0.9, 2: 0.4, 3: 0.1}, {4: 0.8, 5: 0.45, 6: 0.1}]
    assert choose_show(probs, [{1, 2}, {5}]) <= 0.4
    assert choose_show(probs, [{1}, {4}]) > 0.45


def test_the_objectives_a_finder_question_points_to_are_read_from_its_gold():
    row = {"objective": 9, "must_include": ["Objectif 16", "street workout", "7"]}
    assert gold_objectives(row) == {9, 16, 7}
