"""Where a project fits in the plan: every objective scored against a description.

Two signals that hold on other people's wording, each measured per objective:
- meaning: the e5 cosine between the description and the objective's closest action
  (unit vectors computed at ingest), as a z-score among the objectives, so that it does not
  depend on how peaked one embedder's similarities are;
- words: BM25 of the description (acronyms spelled out, English given its French terms)
  over the whole fiche — title, sub-theme, actions, partners, tools — relative to the best
  fiche's score.

A logistic regression fitted on the tune halves' finder questions (`python -m
eval.fit_ranker`, weights in ranker.json beside this file) turns them into the probability
that the objective is one a person describing this project should be pointed to. The same
probability decides which objectives are shown (`show`) and which fit well (`strong`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..lexical import LexicalIndex
from ..schema import Fiche
from ..textnorm import analyze
from .citations import squash
from .units import UnitIndex

MODEL_PATH = Path(__file__).with_name("ranker.json")
# how much the description's rare words found in an action (their idf share) add to its cosine
# when a fiche's actions are ordered, the three first being shown. Tune halves, answerable
# right: 945 at 0, 947 at 0.05, 946 at 0.1, 943 at 0.2
ACTION_WORDS = 0.05
FINDER_FEATURES = ("cos_z", "lexical")


@dataclass(frozen=True)
class FinderModel:
    weights: tuple[float, ...]
    bias: float
    show: float  # objectives from this probability are shown (the best one always is)
    strong: float  # from this probability an objective « correspond bien »
    info: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> FinderModel:
        data = json.loads(path.read_text(encoding="utf-8")).get("finder")
        if data is None:
            return cls.neutral()
        if tuple(data["features"]) != FINDER_FEATURES:
            raise ValueError(
                f"{path.name} : le modèle du finder a d'autres variables, relancer eval.fit_ranker"
            )
        return cls(
            tuple(data["weights"]), float(data["bias"]), data["show"], data["strong"], data.get("info", {})
        )

    @classmethod
    def neutral(cls) -> FinderModel:
        """Both signals weighed alike: what the fitting script scores with before a model exists."""
        return cls((1.0, 1.0), 0.0, 0.5, 0.9, {"method": "neutral"})

    def strength(self, probability: float) -> str:
        """How a fit reads: « strong » (correspond bien), « partial » (shown), « none »."""
        return "strong" if probability >= self.strong else "partial" if probability >= self.show else "none"

    def probability(self, features: Sequence[float]) -> float:
        z = float(np.dot(features, self.weights) + self.bias)
        return 1.0 / (1.0 + math.exp(-z))


def fiche_text(f: Fiche) -> str:
    """What a fiche says, for the word signal: its title and everything it lists."""
    return "\n".join([f.title, f.sub_theme or "", *f.tools, *f.partners, *(a.text for a in f.actions)])


def features(best_cos: dict[int, float], lexical: dict[int, float]) -> dict[int, tuple[float, ...]]:
    """Per objective: its closest action's cosine as a z-score among the objectives, and its
    BM25 score over the best fiche's (0 when no fiche shares a word with the description)."""
    numbers = sorted(best_cos)
    if not numbers:
        return {}
    cos = np.array([best_cos[n] for n in numbers])
    spread = float(cos.std()) or 1.0
    top_lex = max(lexical.values(), default=0.0)
    return {
        n: (
            (best_cos[n] - float(cos.mean())) / spread,
            (lexical.get(n, 0.0) / top_lex) if top_lex > 0 else 0.0,
        )
        for n in numbers
    }


@dataclass(frozen=True)
class ObjectiveFitScore:
    number: int
    probability: float
    features: tuple[float, ...]
    actions: tuple[int, ...]  # the fiche's action indices, closest to the description first


class ObjectiveScorer:
    """The finder's two signals over one index's fiches and action units."""

    def __init__(self, fiches: Sequence[Fiche], units: UnitIndex, speller: LexicalIndex) -> None:
        self.fiches = {f.number: f for f in fiches}
        self.numbers = [f.number for f in fiches]
        self.speller = speller  # typos corrected against the whole corpus, as the search does
        self.lexical = LexicalIndex.build([fiche_text(f) for f in fiches]) if fiches else None
        # each action of each fiche: the unit rows of the index that quote it
        self.action_rows: dict[int, list[tuple[int, list[int]]]] = {}
        by_objective: dict[int, list[int]] = {}
        for uid in units.actions:
            n = units.units[uid].chunk.objective
            if n in self.fiches:
                by_objective.setdefault(n, []).append(uid)
        self.vectors = units.vectors
        # each action's stems, and how rare each stem is among all the plan's actions: a word
        # of the description that few actions use (« permis », « reconditionné ») says which
        # action of a fiche it is about better than a cosine over the whole description
        self.action_stems = {n: [set(analyze(a.text)) for a in f.actions] for n, f in self.fiches.items()}
        df: dict[str, int] = {}
        for stems in (s for per in self.action_stems.values() for s in per):
            for t in stems:
                df[t] = df.get(t, 0) + 1
        total = sum(len(per) for per in self.action_stems.values())
        self.action_idf = {t: math.log(1 + total / d) for t, d in df.items()}
        for n, f in self.fiches.items():
            said = [(i, squash(a.text)) for i, a in enumerate(f.actions)]
            rows = by_objective.get(n, [])
            texts = {uid: squash(units.units[uid].text) for uid in rows}
            self.action_rows[n] = [(i, [u for u in rows if s and s in texts[u]]) for i, s in said]

    def score(
        self, query_vector: np.ndarray, query_text: str, model: FinderModel, spell: bool = True
    ) -> list[ObjectiveFitScore]:
        """Every objective with an action in the index, most probable first. `spell`: correct
        typos to the corpus's words (not for English, whose words are no typos of French ones)."""
        qv = query_vector / max(float(np.linalg.norm(query_vector)), 1e-9)
        asked = set(self.speller.query_terms(query_text, spell))
        weight = sum(self.action_idf.get(t, 0.0) for t in asked)
        best_cos: dict[int, float] = {}
        orders: dict[int, tuple[int, ...]] = {}
        for n, actions in self.action_rows.items():
            per_action = [
                (max((float(self.vectors[u] @ qv) for u in rows), default=-1.0), i)
                for i, rows in actions
                if rows
            ]
            if not per_action:
                continue
            best_cos[n] = max(c for c, _ in per_action)

            def closeness(item: tuple[float, int], n: int = n) -> float:
                cos, i = item
                found = asked & self.action_stems[n][i]
                words = sum(self.action_idf[t] for t in found) / weight if weight else 0.0
                return cos + ACTION_WORDS * words

            per_action.sort(key=lambda x: (-closeness(x), x[1]))
            orders[n] = tuple(i for _, i in per_action)
        lexical: dict[int, float] = {}
        if self.lexical is not None:
            terms = [t for t in self.speller.query_terms(query_text, spell) if t in self.lexical.vocab]
            if terms:
                got = self.lexical.retriever.get_scores(terms)
                lexical = {n: float(s) for n, s in zip(self.numbers, got, strict=True)}
        feats = features(best_cos, lexical)
        out = [ObjectiveFitScore(n, model.probability(v), v, orders[n]) for n, v in feats.items()]
        out.sort(key=lambda s: (-s.probability, s.number))
        return out


def shown(scores: Sequence[ObjectiveFitScore], model: FinderModel, most: int = 3) -> list[ObjectiveFitScore]:
    """The objectives to point to: those the model finds likely enough, at most `most`, and
    always the best one (a person asking where a project fits gets the closest objective,
    marked as a partial fit when it is one)."""
    kept = [s for s in scores[:most] if s.probability >= model.show]
    return kept or list(scores[:1])
