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
# the kinds of our own sets; files written elsewhere may use others (reported as given)
KINDS = ("fiche_field", "finder", "figure", "table_cell", "list", "multi_passage", "unanswerable")
# the question sets in eval/, oldest first; NEVER_FITTED are measured, never fitted on nor read
SETS = (
    "dev",
    "realistic",
    "blind",
    "blind3",
    "blind_plan",
    "blind_report",
    "coverage",
    "outside",
    "outside2",
    "blind6",
    "blind7",
    "blind8",
    "blind9",
    "blind10",
    "blind11",
    "blind12",
    "blind13",
    "blind14",
    "blind15",
    "blind16",
    "blind17",
)
NEVER_FITTED = ("blind13", "blind14")


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


def check(rows: list[dict], corpus_dir: Path) -> tuple[list[str], list[str]]:
    """(problems, warnings). A problem makes the file unusable (duplicate id, an answerable
    line without facts, evidence found nowhere); a warning is reported and the run goes on
    (a source_file that is not a corpus file name: the evidence is then looked up in every
    document). Unanswerable lines may carry an evidence string: it is ignored."""
    problems: list[str] = []
    warnings: list[str] = []
    seen = set()
    texts = {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(corpus_dir.glob("*"))
        if p.suffix in (".txt", ".md")
    }
    for r in rows:
        if r["id"] in seen:
            problems.append(f"{r['id']}: id en double")
        seen.add(r["id"])
        if r["kind"] == "unanswerable" or (not r["must_include"] and not r["evidence"]):
            continue
        if not r["must_include"]:
            problems.append(f"{r['id']}: aucun fait requis")
        name = str(r["source_file"])
        if name in texts:
            if r["evidence"] not in texts[name]:
                problems.append(f"{r['id']}: preuve introuvable dans {name}: {r['evidence'][:60]!r}")
            continue
        holders = [n for n, t in texts.items() if r["evidence"] in t]
        if holders:
            warnings.append(f"{r['id']}: source {name!r} absente du corpus, preuve trouvée dans {holders[0]}")
        else:
            problems.append(f"{r['id']}: source {name!r} absente du corpus et preuve introuvable ailleurs")
    return problems, warnings
