"""The learned router alone: its probability, its thresholds, and no router for an embedder
it was not fitted with."""

from __future__ import annotations

import json

import numpy as np

from assistant.answer.route import Router
from eval.fit_ranker import choose_show, gold_objectives, lowest_precise


def test_the_router_probability_follows_the_direction_it_learned():
    r = Router(np.array([3.0, 0.0, 0.0]), -1.0, 0.8, 0.5)
    assert r.finder(np.array([1.0, 0.0, 0.0])) > 0.8  # along the learned direction, any length
    assert r.finder(np.array([5.0, 0.0, 0.0])) == r.finder(np.array([1.0, 0.0, 0.0]))
    assert r.finder(np.array([0.0, 1.0, 0.0])) < 0.5
    assert r.finder(np.array([1.0, 0.0])) == 0.0  # a vector of another model: no opinion


def test_no_router_for_an_embedder_it_was_not_fitted_with(tmp_path):
    path = tmp_path / "ranker.json"
    path.write_text(
        json.dumps({"router": {"e5": {"weights": [1.0], "bias": 0.0, "route": 0.8, "fallback": 0.5}}})
    )
    assert Router.load("other", path) is None
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
