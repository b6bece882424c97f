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


def compare_sets(
    named: dict[str, dict[str, Any]], expected: dict[str, Any]
) -> list[tuple[str, float, float, bool]]:
    """The record's `sets` section: {"dev:heldout": {metric: spec}, …}; sets not run are skipped."""
    rows = []
    for set_name, metrics in expected.get("sets", {}).items():
        if set_name in named:
            for name, exp, got, ok in compare(named[set_name], {"metrics": metrics}):
                rows.append((f"{set_name} {name}", exp, got, ok))
    return rows
