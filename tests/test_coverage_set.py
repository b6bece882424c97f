"""The committed coverage set is exactly what eval/make_coverage.py generates from the corpus
(deterministic), and every line is sound: its evidence is in its source file, its facts are
not empty, its kind is one the project's checker knows."""

from __future__ import annotations

import json
from pathlib import Path

from eval import gold
from eval.make_coverage import PLAN, generate, main, parse_cells, parse_fiches, parse_places

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
COMMITTED = ROOT / "eval" / "coverage.jsonl"


def test_regenerated_set_equals_committed(tmp_path):
    out = tmp_path / "coverage.jsonl"
    assert main(["--corpus", str(CORPUS), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_every_line_is_sound():
    rows = gold.load(COMMITTED)
    assert len(rows) >= 300
    assert gold.check(rows, CORPUS)[0] == []
    texts = {r["source_file"]: (CORPUS / r["source_file"]).read_text(encoding="utf-8") for r in rows}
    for r in rows:
        assert r["evidence"] in texts[r["source_file"]], r["id"]
        assert r["must_include"] and all(f.strip() for f in r["must_include"]), r["id"]
    assert {r["lang"] for r in rows} == {"fr", "en"}
    assert {r["kind"] for r in rows} == {"fiche_field", "table_cell", "list"}


def test_generation_is_deterministic():
    assert generate(CORPUS) == generate(CORPUS)


def test_parsers_handle_the_known_traps():
    plan = (CORPUS / PLAN).read_text(encoding="utf-8")
    fiches = {f.number: f for f in parse_fiches(plan)}
    assert sorted(fiches) == list(range(1, 20))
    # objective 1 inverted: partners before the heading, pilots after
    assert fiches[1].fields["pilots"].items == (
        "Grand Chambéry",
        "Etat",
        "Ville de Chambéry",
        "Cristal habitat",
    )
    assert "ANRU" in fiches[1].fields["partners"].items
    # objective 5: tools go on after a blank line; a second action group after the axis line
    assert "French Tech tremplin" in fiches[5].fields["tools"].items
    assert any(a.startswith("Lever les freins") for _, a in fiches[5].actions)
    assert fiches[5].axis == 2  # « Axe – 2 »
    # objective 15: tools after the axis line, label split over two lines
    assert fiches[15].fields["tools"].items == (
        "Plan de développement des usages du numérique",
        "Ordi pratique",
    )
    assert fiches[18].axis == 5  # « Axe 5 : »
    assert fiches[7].theme == "Education - parentalité"
    cells = parse_cells((CORPUS / "rapport-annuel-2018.txt").read_text(encoding="utf-8"))
    poverty = [c for c in cells if c.row == "QPV Hauts de Chambéry" and c.column == "Taux de pauvreté"]
    assert [c.value for c in poverty] == ["41,4%"]
    assert not [c for c in cells if c.value == "ND"]
    espace = [c for c in cells if c.row == "Espace collégien"]
    assert {c.context for c in espace} == {"CHAMBERY Hauts-de-Chambéry"}
    places, qpv, _ = parse_places((CORPUS / "page-contrat-de-ville.txt").read_text(encoding="utf-8"))
    assert {p.commune for p in places if p.name == "Epinettes"} == {"Barby", "La Ravoire"}
    assert qpv == ["Hauts-de-Chambéry", "Biollay", "Bellevue"]


def test_committed_lines_have_the_dev_set_keys():
    dev_keys = list(json.loads((ROOT / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]))
    for line in COMMITTED.read_text(encoding="utf-8").splitlines():
        assert list(json.loads(line)) == dev_keys
