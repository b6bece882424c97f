"""Regression record (pyserini 2CR style): compare a run's summary with eval/expected.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def compare(summary: dict[str, Any], expected: dict[str, Any]) -> list[tuple[str, float, float, bool]]:
    """[(metric, expected, got, ok)] for every metric the record names."""
    rows = []
    for name, spec in expected["metrics"].items():
        got = float(summary[name])
        exp, tol = float(spec["expected"]), float(spec["tolerance"])
        ok = got >= exp - tol if spec.get("better", "higher") == "higher" else got <= exp + tol
        rows.append((name, exp, got, ok))
    return rows
