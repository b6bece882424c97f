"""Gold files: JSON lines with id, question, lang, persona, kind, answer, must_include,
source_file, evidence, objective. `check` verifies every evidence string against the corpus."""

from __future__ import annotations

import json
from pathlib import Path

REQUIRED = (
    "id",
    "question",
    "lang",
    "persona",
    "kind",
    "answer",
    "must_include",
    "source_file",
    "evidence",
    "objective",
)
KINDS = ("fiche_field", "finder", "figure", "table_cell", "list", "multi_passage", "unanswerable")


def load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            missing = [k for k in REQUIRED if k not in row]
            if missing:
                raise ValueError(f"{path}:{n}: champs manquants {missing}")
            rows.append(row)
    return rows


def check(rows: list[dict], corpus_dir: Path) -> list[str]:
    """Problems found (empty list = the gold file is sound)."""
    problems = []
    seen = set()
    for r in rows:
        if r["id"] in seen:
            problems.append(f"{r['id']}: id en double")
        seen.add(r["id"])
        if r["kind"] not in KINDS:
            problems.append(f"{r['id']}: type inconnu {r['kind']}")
        if r["kind"] == "unanswerable":
            if r["must_include"] or r["evidence"]:
                problems.append(f"{r['id']}: une question sans réponse n'a ni faits ni preuve")
            continue
        if not r["must_include"]:
            problems.append(f"{r['id']}: aucun fait requis")
        source = corpus_dir / str(r["source_file"])
        if not source.exists():
            problems.append(f"{r['id']}: source absente {r['source_file']}")
        elif r["evidence"] not in source.read_text(encoding="utf-8"):
            problems.append(f"{r['id']}: preuve introuvable dans {r['source_file']}: {r['evidence'][:60]!r}")
    return problems
