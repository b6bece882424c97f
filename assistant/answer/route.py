"""What a question is, learned from how it is asked, before any passage is read.

Two heads over the question's e5 embedding (the vector the search computes anyway), each a
logistic regression fitted on the tune halves of the hand-written gold sets, whose `kind`
labels say what each question is (`python -m eval.fit_ranker`, weights in ranker.json):

- finder: does it ask where something fits in the plan? « We're a coding bootcamp… does the
  plan have anything for that? », « mon fils a lâché le lycée, ya quoi pour lui ? » ask it
  without the words a rule would look for. From `route` the question goes to the finder;
  from `fallback` the finder answers instead of a refusal.
- unanswerable: is it the kind of question these documents do not answer (opening hours, a
  phone number, next year's figures, another town)? Not a decision on its own: a prior that
  the refusal model (rank.py) weighs with what the best passages say.

A model belongs to one embedder: with another one there is no router, the question frame's
rules route alone and the portable refusal model does without the prior.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Head:
    weights: np.ndarray
    bias: float

    def probability(self, unit_vector: np.ndarray) -> float:
        return 1.0 / (1.0 + math.exp(-(float(unit_vector @ self.weights) + self.bias)))


@dataclass(frozen=True)
class Priors:
    finder: float  # the question asks where something fits in the plan
    unanswerable: float  # the question is of a kind the documents do not answer


@dataclass(frozen=True)
class Router:
    finder_head: Head
    unanswerable_head: Head
    route: float  # from this finder probability the question goes to the finder
    fallback: float  # from this one the finder answers a question the passages do not

    @classmethod
    def load(cls, embedder: str, path: Path = MODEL_PATH) -> Router | None:
        data = json.loads(path.read_text(encoding="utf-8")).get("router", {}).get(embedder)
        if data is None or not {"finder", "unanswerable"} <= set(data):
            return None  # none fitted for this embedder (or by an older fitting script)

        def head(h: dict) -> Head:
            return Head(np.asarray(h["weights"], dtype=np.float64), float(h["bias"]))

        return cls(head(data["finder"]), head(data["unanswerable"]), data["route"], data["fallback"])

    def priors(self, vector: np.ndarray) -> Priors:
        """Both probabilities for a question's embedding (any length: it is normalised)."""
        if vector.shape[-1] != self.finder_head.weights.shape[0]:
            return Priors(0.0, 0.0)  # an index built with another model of the same name: no opinion
        v = vector / max(float(np.linalg.norm(vector)), 1e-9)
        return Priors(self.finder_head.probability(v), self.unanswerable_head.probability(v))
