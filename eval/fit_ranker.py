"""Fit the answer ranker on the tune halves of the gold sets: python -m eval.fit_ranker

For every tune question, the candidates the answerer would consider (units of the passages
retrieved for its ask and parts) are labelled: a unit is a positive when it contains one of
the question's required facts and its passage holds the gold evidence. A logistic regression
(scikit-learn, standardised features, L2, C chosen by grouped cross-validation on the tune
questions) gives each candidate a probability. The refusal threshold is the one that best
separates, on the tune questions, the answerable ones (their best candidate must clear it)
from the unanswerable ones (theirs must not): balanced accuracy, ties to the lower value.
The held-out halves are never read here.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from pathlib import Path

import numpy as np

from assistant.answer.compose import announced
from assistant.answer.frame import make_frame
from assistant.answer.objective_fit import FINDER_FEATURES, FinderModel
from assistant.answer.rank import (
    ABSOLUTE,
    FEATURES,
    MODEL_PATH,
    QUESTION_FEATURES,
    ROUTED,
    Candidate,
    RankerModel,
    question_features,
)
from assistant.assistant import Assistant
from assistant.config import load_settings

from . import gold as G
from . import metrics as M
from .split import half

HERE = Path(__file__).resolve().parent
# the tune halves of every set but those kept out of every fit (blind13: it measures the fitted
# model on questions it never saw, whole)
DEFAULT_GOLD = tuple(HERE / f"{name}.jsonl" for name in G.SETS if name not in G.NEVER_FITTED)


def label(unit_text: str, passage: str, row: dict) -> int:
    facts = row["must_include"]
    if row["kind"] == "unanswerable" or not facts:
        return 0
    if not any(M.includes(unit_text, f) for f in facts):
        return 0
    evidence = row.get("evidence") or ""
    return int(
        not evidence or M.contains_evidence(passage, evidence) or M.contains_evidence(evidence, unit_text)
    )


def collect(assistant: Assistant, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict]]:
    answerer = assistant.answerer
    X, y, groups, meta = [], [], [], []
    for qi, row in enumerate(rows):
        frame = make_frame(row["question"])
        found = answerer.candidates.generate(frame)
        for c in found.candidates:
            text = c.unit.text
            if frame.parts[c.part].wants == "list":
                # a line that announces a list is answered with its items (compose.select)
                text = " ".join([text] + [u.text for u in announced(c.unit, answerer.units)])
            X.append(c.features)
            y.append(label(text, c.unit.chunk.text, row))
            groups.append(qi)
        meta.append({"id": row["id"], "kind": row["kind"], "n": len(found.candidates)})
    return np.asarray(X, dtype=np.float64), np.asarray(y), np.asarray(groups), meta


def top_per_question(
    p: np.ndarray, y: np.ndarray, groups: np.ndarray, n: int, depth: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Per question: the best probability, and whether a positive is among the `depth` best
    (an answer quotes its best unit and the close runners-up)."""
    top = np.zeros(n)
    top_ok = np.zeros(n, dtype=bool)
    for g in range(n):
        idx = np.where(groups == g)[0]
        if len(idx):
            order = idx[np.argsort(-p[idx])]
            top[g], top_ok[g] = p[order[0]], bool(y[order[:depth]].any())
    return top, top_ok


def choose_threshold(
    top: np.ndarray, top_ok: np.ndarray, answerable: np.ndarray, middle: bool = True
) -> tuple[float, float]:
    """The threshold with the most right decisions on the tune questions: an answerable
    question is right when its best candidate is right and kept; an unanswerable one when
    refused (users mostly ask what the documents say: a wrong refusal costs as much as a
    wrong answer). The curve is flat near its top: of the thresholds within one question of
    the best, the middle one, so that a refit on slightly other candidates does not jump to
    an edge of the plateau; `middle=False` takes its lower edge (the portable model, whose
    calibration depends on an embedder it was not fitted with, errs towards answering)."""
    scores = []
    for t in sorted(set(np.round(top, 4)) | {0.0}):
        right = np.where(answerable, (top >= t) & top_ok, top < t)
        scores.append((float(t), float(right.mean())))
    best = max(score for _, score in scores)
    near = [t for t, score in scores if score >= best - 1.0 / len(top) - 1e-9]
    return (near[len(near) // 2] if middle else near[0]), best


def choose_strong(top: np.ndarray, top_ok: np.ndarray, floor: float, precision: float = 0.8) -> float:
    """The lowest probability, above the refusal threshold, from which the best candidate
    is right at least `precision` of the time on the tune questions."""
    for t in sorted(set(np.round(top, 4))):
        if t < floor:
            continue
        above = top >= t
        if above.any() and float(top_ok[above].mean()) >= precision:
            return float(t)
    return float(top.max())


def fit(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, use: np.ndarray, metric: str = "top1"
) -> tuple[np.ndarray, float, float, dict]:
    """`use`: mask of the features this model may weigh (the others get weight 0). C is chosen
    by grouped cross-validation: top-1 hit rate per question for the unit ranker, log-likelihood
    for the question-level refusal model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    X = np.where(use, X, 0.0)
    mu, sigma = X.mean(axis=0), X.std(axis=0)
    sigma[sigma == 0] = 1.0
    Z = (X - mu) / sigma
    scores = {}
    for C in (0.01, 0.1, 1.0, 10.0):
        hits = []
        for train, test in GroupKFold(n_splits=5).split(Z, y, groups):
            if y[train].sum() == 0:
                continue
            m = LogisticRegression(C=C, max_iter=2000).fit(Z[train], y[train])
            p = m.predict_proba(Z[test])[:, 1]
            if metric == "logloss":
                eps = 1e-9
                hits += list(y[test] * np.log(p + eps) + (1 - y[test]) * np.log(1 - p + eps))
                continue
            g = groups[test]
            for q in np.unique(g):
                idx = np.where(g == q)[0]
                if y[test][idx].any():
                    hits.append(bool(y[test][idx[np.argmax(p[idx])]]))
        scores[C] = float(np.mean(hits)) if hits else 0.0
    C = max(scores, key=lambda c: (scores[c], -c))
    model = LogisticRegression(C=C, max_iter=2000).fit(Z, y)
    w = model.coef_[0] / sigma
    b = float(model.intercept_[0] - np.sum(model.coef_[0] * mu / sigma))
    return w, b, C, {str(k): round(v, 3) for k, v in scores.items()}


def gold_objectives(row: dict) -> set[int]:
    """The objectives a finder question should be pointed to: its `objective`, and any
    objective number its required facts name (« Objectif 9 », « 16 »)."""
    out = {int(row["objective"])} if row.get("objective") else set()
    for fact in row["must_include"]:
        m = re.fullmatch(r"(?:objecti(?:f|ve)\s+)?(\d{1,2})", fact.strip(), re.I)
        if m:
            out.add(int(m.group(1)))
    return out


def choose_show(
    probs: list[dict[int, float]], golds: list[set[int]], most: int = 3, cost: float = 0.25
) -> float:
    """The probability from which an objective is shown (the best one always is, at most
    `most`): the one that shows the most right objectives on the tune questions, each wrong
    one shown costing `cost` of a right one (a partner reads a short list)."""
    best_t, best_u = 0.5, -1e9
    for t in sorted({round(p, 4) for ps in probs for p in ps.values()}):
        u = 0.0
        for ps, gold in zip(probs, golds, strict=True):
            order = sorted(ps, key=lambda n: -ps[n])
            kept = [n for n in order[:most] if ps[n] >= t] or order[:1]
            u += sum(n in gold for n in kept) - cost * sum(n not in gold for n in kept)
        if u > best_u + 1e-9:
            best_t, best_u = t, u
    return best_t


def fit_finder(assistant: Assistant, rows: list[dict]) -> dict:
    """The finder's model: per (finder question, objective) the two signals of
    objective_fit.py, labelled by whether the question's gold names the objective; a
    logistic regression (C by grouped CV, log-likelihood) gives the probability, `show`
    and `strong` are read off the tune questions."""
    answerer = assistant.answerer
    X, y, groups, golds, numbers = [], [], [], [], []
    for row in rows:
        gold = gold_objectives(row)
        if row["kind"] != "finder" or not gold:
            continue
        lang = make_frame(row["question"]).lang
        scores = answerer.objective_fit_scores(row["question"], lang)
        for s in scores:
            X.append(s.features)
            y.append(int(s.number in gold))
            groups.append(len(golds))
        numbers.append([s.number for s in scores])
        golds.append(gold)
    Xa, ya, ga = np.asarray(X, dtype=np.float64), np.asarray(y), np.asarray(groups)
    w, b, C, cv = fit(Xa, ya, ga, np.ones(len(FINDER_FEATURES), dtype=bool), metric="logloss")
    model = FinderModel(tuple(float(v) for v in w), b, 0.0, 1.0)
    probs = [
        {n: model.probability(Xa[i]) for n, i in zip(nums, np.where(ga == g)[0], strict=True)}
        for g, nums in enumerate(numbers)
    ]
    show = choose_show(probs, golds)
    flat = np.array([p for ps in probs for p in ps.values()])
    right = np.array([n in gold for ps, gold in zip(probs, golds, strict=True) for n in ps])
    strong = choose_strong(flat, right, show)
    top1 = np.mean([max(ps, key=lambda n: ps[n]) in gold for ps, gold in zip(probs, golds, strict=True)])
    info = {
        "method": "logistic regression (scikit-learn) over the two signals of objective_fit.py, per "
        "(finder question, objective); C by grouped CV (log-likelihood); show = the probability that "
        "shows the most right objectives on the tune questions, a wrong one costing 1/4 of a right one; "
        "strong = lowest probability from which >= 80 % of objectives are right",
        "tune_questions": len(golds),
        "C": C,
        "cv_loglik_by_C": cv,
        "tune_top1": round(float(top1), 3),
    }
    print("finder", json.dumps(info, ensure_ascii=False, indent=1), f"show {show:.4f}, strong {strong:.4f}")
    return {
        "features": list(FINDER_FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "show": round(show, 4),
        "strong": round(strong, 4),
        "info": info,
    }


def lowest_precise(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest probability from which at least `precision` of the questions are positives."""
    for t in sorted(set(np.round(p, 4))):
        if float(y[p >= t].mean()) >= precision:
            return float(t)
    return 1.0


def _head(X: np.ndarray, y: np.ndarray) -> tuple[dict, np.ndarray, dict]:
    """One head of the router: a logistic regression on normalised question embeddings, C by
    5-fold CV (log-likelihood); returns the fitted head, the out-of-fold probabilities of the
    tune questions (what a model that never saw a question says of it) and the CV scores."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    scores = {}
    for C in (1.0, 3.0, 10.0, 30.0):
        p = cross_val_predict(LogisticRegression(C=C, max_iter=3000), X, y, cv=5, method="predict_proba")[
            :, 1
        ]
        scores[C] = (float(np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9))), p)
    C = max(scores, key=lambda c: scores[c][0])
    model = LogisticRegression(C=C, max_iter=3000).fit(X, y)
    head = {
        "weights": [round(float(v), 6) for v in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
    }
    return head, scores[C][1], {"C": C, "cv_loglik_by_C": {str(c): round(v[0], 4) for c, v in scores.items()}}


def fit_router(assistant: Assistant, rows: list[dict]) -> tuple[dict, np.ndarray]:
    """The router (route.py), on the hand-written tune questions: P(finder question) and
    P(unanswerable question) from the question's embedding. The finder's thresholds are read
    off its out-of-fold probabilities: `route` where >= 80 % of the questions are finder
    questions, `fallback` (instead of a refusal) where >= 50 % are. Returns the model and the
    out-of-fold P(unanswerable) of each row, the prior the refusal model is fitted with."""
    X = assistant.embedder.embed_queries([r["question"] for r in rows])
    X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-9)
    is_finder = np.array([r["kind"] == "finder" for r in rows])
    is_unanswerable = np.array([r["kind"] == "unanswerable" for r in rows])
    finder, finder_oof, finder_cv = _head(X, is_finder)
    unanswerable, unanswerable_oof, unanswerable_cv = _head(X, is_unanswerable)
    route, fallback = lowest_precise(finder_oof, is_finder, 0.8), lowest_precise(finder_oof, is_finder, 0.5)
    info = {
        "method": "two logistic regressions (scikit-learn) on the normalised e5 question embedding; labels: "
        "kind == finder, kind == unanswerable in the tune halves; C by 5-fold CV (log-likelihood); route / "
        "fallback = lowest out-of-fold finder probability from which >= 80 % / >= 50 % of tune questions "
        "are finder questions",
        "tune_questions": len(rows),
        "finder_questions": int(is_finder.sum()),
        "unanswerable_questions": int(is_unanswerable.sum()),
        "finder": finder_cv,
        "unanswerable": unanswerable_cv,
        "cv_recall_at_route": round(float((finder_oof[is_finder] >= route).mean()), 3),
        "cv_recall_at_fallback": round(float((finder_oof[is_finder] >= fallback).mean()), 3),
    }
    print(
        "router",
        json.dumps(info, ensure_ascii=False, indent=1),
        f"route {route:.4f}, fallback {fallback:.4f}",
    )
    model = {
        "finder": finder,
        "unanswerable": unanswerable,
        "route": round(route, 4),
        "fallback": round(fallback, 4),
        "info": info,
    }
    return {assistant.embedder.name: model}, unanswerable_oof


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.fit_ranker", description=__doc__.split("\n\n")[0])
    p.add_argument("--gold", type=Path, nargs="+", default=list(DEFAULT_GOLD), help="fichiers de référence")
    p.add_argument("--out", type=Path, default=MODEL_PATH, help="où écrire les poids (ranker.json)")
    p.add_argument(
        "--keep-portable",
        action="store_true",
        help="garder le modèle « portable » (autres embedders) du fichier --out au lieu de le réajuster",
    )
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    t0 = time.time()
    rows = [r for path in args.gold for r in half(G.load(path), "tune")]
    # the refusal decision is fitted on the sets that hold unanswerable questions, in their
    # real proportion (a generated set of answerable questions would teach "never refuse")
    mixed = {path.name for path in args.gold if any(r["kind"] == "unanswerable" for r in G.load(path))}
    sources = [path.name for path in args.gold for _ in half(G.load(path), "tune")]
    in_refusal = np.array([name in mixed for name in sources])
    assistant = Assistant(load_settings(), ranker=RankerModel.neutral())
    assistant.ensure_index()
    X, y, groups, _meta = collect(assistant, rows)
    answerable = np.array([r["kind"] != "unanswerable" for r in rows])
    has_positive = np.array([bool(y[groups == g].any()) for g in range(len(rows))])
    # the router learns from the hand-written sets only (the generated one has no finder or
    # unanswerable question); the refusal model weighs its out-of-fold prior, as it would
    # weigh it on a question it never saw
    router, prior_oof = fit_router(
        assistant, [r for r, inside in zip(rows, in_refusal, strict=True) if inside]
    )
    prior = np.zeros(len(rows))
    prior[in_refusal] = prior_oof
    # the portable model (any other embedder) is fitted without the cosine features, so its
    # refusal leans on coverage alone; refitted on the sixteen sets (C 1.0 instead of 0.1) it
    # answered « quel temps fera-t-il samedi ? » under the tests' hashing embedder: --keep-portable
    # keeps the one in --out instead of fitting another
    kept = args.keep_portable and args.out.exists()
    models = {}
    for name, use in (
        (assistant.embedder.name, np.ones(len(FEATURES), dtype=bool)),
        ("portable", np.array([f not in ABSOLUTE for f in FEATURES])),
    ):
        if name == "portable" and kept:
            models[name] = json.loads(args.out.read_text(encoding="utf-8"))["models"]["portable"]
            continue
        w, b, C, cv = fit(X, y, groups, use)
        prob = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        _, top_ok = top_per_question(prob, y, groups, len(rows))
        _, top3_ok = top_per_question(prob, y, groups, len(rows), depth=3)
        # the refusal model: question-level features of the scored candidates → "the best
        # candidate answers" (answerable and right), fitted on the same tune questions
        Q = np.array(
            [
                question_features(
                    [Candidate(None, 0, tuple(X[i]), float(prob[i])) for i in np.where(groups == g)[0]],  # type: ignore[arg-type]
                    make_frame(rows[g]["question"]).lang,
                    prior[g] if name != "portable" else 0.0,
                )
                for g in range(len(rows))
            ]
        )
        qy = (answerable & top3_ok).astype(int)
        rw, rb, rC, _ = fit(
            Q[in_refusal],
            qy[in_refusal],
            np.arange(int(in_refusal.sum())),
            # the portable refusal model does not weigh a cosine's spread either: how peaked an
            # embedder's similarities are is its own (a hashing fake's are all noise); nor the
            # router's prior, fitted with one embedder
            np.array([name != "portable" or f not in ("cos_z", *ROUTED) for f in QUESTION_FEATURES]),
            metric="logloss",
        )
        answer_p = 1.0 / (1.0 + np.exp(-(Q @ rw + rb)))
        threshold, decisions = choose_threshold(
            answer_p[in_refusal], top3_ok[in_refusal], answerable[in_refusal], middle=name != "portable"
        )
        info = {
            "method": "logistic regression (scikit-learn), standardised features, L2; C by 5-fold grouped CV "
            "(top-1 hit rate); refusal: a second logistic regression on question-level "
            "features (best probability, margin, the best unit's coverage…) predicting 'a positive is among the 3 "
            "best'; its threshold maximises right decisions (answerable: a positive in the 3 best and kept; "
            "unanswerable: refused) on the tune questions",
            "embedder": assistant.embedder.name
            if name != "portable"
            else "any (no absolute cosine features)",
            "gold": [str(path.name) for path in args.gold],
            "tune_questions": len(rows),
            "refusal_fitted_on": sorted(mixed),
            "candidates": len(y),
            "positives": int(y.sum()),
            "C": C,
            "cv_top1_by_C": cv,
            "tune_top1_hit_when_a_positive_exists": round(float(top_ok[has_positive].mean()), 3),
            "tune_top3_hit_when_a_positive_exists": round(float(top3_ok[has_positive].mean()), 3),
            "tune_questions_with_a_positive": int(has_positive.sum()),
            "threshold_tune_decision_accuracy": round(decisions, 3),
            "seconds": round(time.time() - t0, 1),
        }
        models[name] = {
            "features": list(FEATURES),
            "weights": [round(float(v), 6) for v in w],
            "bias": round(b, 6),
            "refusal": {
                "features": list(QUESTION_FEATURES),
                "weights": [round(float(v), 6) for v in rw],
                "bias": round(rb, 6),
                "C": rC,
                "threshold": round(threshold, 4),
            },
            "info": info,
        }
        print(name, json.dumps(info, ensure_ascii=False, indent=1))
        for f, v in sorted(zip(FEATURES, w, strict=True), key=lambda x: -abs(x[1]))[:12]:
            print(f"  {f:20s} {v:+.3f}")
        print(f"seuil {threshold:.4f}")
    data = {"models": models, "finder": fit_finder(assistant, rows), "router": router}
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"→ {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
