"""PNG plots of an evaluation run (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def accuracy_per_kind(summary: dict[str, Any], path: Path) -> None:
    plt = _plt()
    kinds = list(summary["accuracy_by_kind"])
    values = [summary["accuracy_by_kind"][k] for k in kinds]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar(kinds, values, color="#1d4ed8")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("exactitude")
    ax.set_title("Exactitude par type de question (dev)")
    for i, v in enumerate(values):
        ax.text(i, v + 0.02, f"{v:.2f}", ha="center", fontsize=8)
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def latency(records: Sequence[dict[str, Any]], path: Path) -> None:
    plt = _plt()
    ms = [r["ms"] for r in records]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(ms, bins=30, color="#0f766e")
    ax.set_xlabel("ms par question (ask, à chaud)")
    ax.set_ylabel("questions")
    ax.set_title("Distribution des latences de réponse")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def systems(retrieval: dict[str, dict[str, float]], k: int, path: Path) -> None:
    plt = _plt()
    names = list(retrieval)
    rec = [retrieval[n][f"recall@{k}"] for n in names]
    mrr = [retrieval[n][f"mrr@{k}"] for n in names]
    xs = range(len(names))
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar([x - 0.2 for x in xs], rec, width=0.4, label=f"recall@{k}", color="#1d4ed8")
    ax.bar([x + 0.2 for x in xs], mrr, width=0.4, label=f"MRR@{k}", color="#f59e0b")
    ax.set_xticks(list(xs))
    ax.set_xticklabels(names)
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("Recherche : notre système et les références")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
