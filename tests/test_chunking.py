from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.ingest import load_manifest, read_document

from .conftest import CORPUS


@pytest.fixture(scope="module")
def chunks_by_doc():
    manifest = load_manifest(CORPUS)
    out = {}
    for name in manifest:
        doc = read_document(CORPUS / name, manifest[name])
        out[name] = chunk_document(doc)[0]
    return out


def test_fiche_chunks_carry_objective_context_in_metadata_and_embedded_text(chunks_by_doc):
    plan = chunks_by_doc["plan-actions-2021-2022.txt"]
    card = next(c for c in plan if c.objective == 12 and c.chunk_type == "fiche")
    assert card.axis == 3
    assert "Objectif 12" in card.embed_text
    start, end = card.spans["pilots"]
    assert card.text[start:end] == "Grand Chambéry, Ville de Chambéry"
    actions = [c for c in plan if c.objective == 12 and c.chunk_type == "actions"]
    assert actions and all("Objectif 12 - Favoriser l'accès aux soins" in c.context for c in actions)


def test_table_rows_keep_their_column_headers(chunks_by_doc):
    report = chunks_by_doc["rapport-annuel-2018.txt"]
    row = next(
        c for c in report if c.chunk_type == "table_row" and c.text.startswith("QPV Hauts de Chambéry")
    )
    assert "Population Municipale : 6 270" in row.text
    assert "Taux de pauvreté : 41,4%" in row.text  # the footnote stars of the header are gone
    fonds = [c for c in report if c.chunk_type == "table_row" and "Participation de Grand Chambéry" in c.text]
    assert any(
        "COGNIN La Forgerie / La Poterie" in c.text and "Création d'une tyrolienne" in c.text for c in fonds
    )
    assert not any(c.text.startswith("COMMUNE") for c in fonds)  # a repeated header is not a row


def test_a_row_labelled_by_a_code_keeps_its_column_name(tmp_path: Path):
    """A code alone (« 38185 ») says nothing; with its column's name a question that names
    the column (« le code INSEE de Voiron ») finds the row. A worded label stays as it is."""
    doc = tmp_path / "stats.txt"
    doc.write_text(
        "Communes\n\nCode INSEE\tCommune\tHabitants\n38185\tGrenoble\t158 000\n38563\tVoiron\t20 000\n\n"
        "Quartiers\n\nQuartier\tHabitants\nMistral\t3 000\n",
        encoding="utf-8",
    )
    rows = [c.text for c in chunk_document(read_document(doc))[0] if c.chunk_type == "table_row"]
    assert "Code INSEE 38563 — Commune : Voiron ; Habitants : 20 000" in rows
    assert "Mistral — Habitants : 3 000" in rows


def test_report_is_split_by_sections(chunks_by_doc):
    report = chunks_by_doc["rapport-annuel-2018.txt"]
    sections = {c.section.split(" › ")[0] for c in report if c.section}
    assert {
        "Correspondants de nuit",
        "Démographie",
        "Diversifier les pratiques culturelles et sportives",
    } <= sections
    night = [c for c in report if "8871 interventions" in c.text]
    assert night and night[0].section.startswith("Correspondants de nuit")


def test_ids_are_stable_and_hashes_follow_content(chunks_by_doc, tmp_path: Path):
    plan = chunks_by_doc["plan-actions-2021-2022.txt"]
    assert len({c.id for c in plan}) == len(plan)
    again = chunk_document(read_document(CORPUS / "plan-actions-2021-2022.txt"))[0]
    # same file, other title (no manifest entry): ids stay, hashes of context-bearing chunks move
    assert [c.id for c in again] == [c.id for c in plan]
    edited = tmp_path / "plan-actions-2021-2022.txt"
    edited.write_text(
        (CORPUS / "plan-actions-2021-2022.txt").read_text(encoding="utf-8").replace("CDOS", "CDOS 73"),
        encoding="utf-8",
    )
    changed = chunk_document(read_document(edited))[0]
    diff = [a.id for a, b in zip(again, changed, strict=True) if a.content_hash != b.content_hash]
    assert len(diff) == 1


def test_a_heading_with_nothing_under_it_keeps_its_words_in_the_index():
    from assistant.answer.citations import squash
    from assistant.schema import DocMeta, SourceDoc

    text = (
        "Jardins et cultures\n\n"
        "Les jardins partagés ont accueilli 40 familles en 2019. Les ateliers ont lieu le samedi.\n\n"
        "ENCART : qu'est-ce qu'un jardin partagé ? Un lieu cultivé ensemble par les habitants\n\n"
        "Développer le sport pour les filles\n\n"
        "Un tournoi de basket a réuni 60 joueuses au gymnase du quartier. Il sera reconduit.\n\n"
        "Une phrase finale.\n\n"
        "Dernier titre sans texte\n"
    )
    chunks, _ = chunk_document(SourceDoc("synth.txt", text, DocMeta("Synthèse", kind="rapport"), "0" * 64))
    body = squash(" ".join(c.text for c in chunks))
    # a heading with a passage under it lives in that passage's context; one without (the
    # encart, followed by the next title; the last title) is a passage of its own
    for line in text.split("\n\n")[1:]:
        assert squash(line) in body, line
    assert all("Jardins et cultures" in c.context for c in chunks)
    encart = next(c for c in chunks if "jardin partagé ?" in c.text)
    assert "Jardins et cultures" in encart.context
