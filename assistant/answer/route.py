"""Which way a question goes, learned: is it a project or a need to place in the plan (the
finder), whatever its words? « We're a coding bootcamp… does the plan have anything for
that? », « mon fils a lâché le lycée, ya quoi pour lui ? », « ça rentre où dans le plan ? »
ask where something fits without the words a rule would look for.

A logistic regression over the question's e5 embedding (the vector the search computes
anyway), fitted on the tune halves of the hand-written gold sets, whose `kind` says which
questions are finder questions (`python -m eval.fit_ranker`, weights in ranker.json). Its
probability routes a question to the finder from `route` up, and gives the finder's answer
instead of a refusal from `fallback` up. A model belongs to one embedder: with another one
there is no router and the question frame's rules decide alone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Router:
    weights: np.ndarray
    bias: float
    route: float  # from this probability the question goes to the finder
    fallback: float  # from this one the finder answers a question the documents' passages do not

    @classmethod
    def load(cls, embedder: str, path: Path = MODEL_PATH) -> Router | None:
        data = json.loads(path.read_text(encoding="utf-8")).get("router", {}).get(embedder)
        if data is None:
            return None
        return cls(
            np.asarray(data["weights"], dtype=np.float64), data["bias"], data["route"], data["fallback"]
        )

    def finder(self, vector: np.ndarray) -> float:
        """The probability that a question (its embedding) asks where something fits in the plan."""
        if vector.shape[-1] != self.weights.shape[0]:
            return 0.0  # an index built with another model of the same name: no opinion
        v = vector / max(float(np.linalg.norm(vector)), 1e-9)
        return 1.0 / (1.0 + math.exp(-(float(v @ self.weights) + self.bias)))
