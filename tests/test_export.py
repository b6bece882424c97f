"""Fiches and tables as spreadsheets: French figures parsed, tables recovered whole,
files written and opened back with spreadsheet libraries (pandas + odfpy, csv)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.export import (
    build_sheets,
    fiche_sheets,
    parse_figure,
    table_sheets,
    typed_columns,
    write_csv,
    write_csv_zip,
    write_ods,
)
from assistant.ingest import read_corpus
from assistant.schema import DocMeta, SourceDoc
from assistant.tables import find_tables, split_header

from .conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def docs() -> list[SourceDoc]:
    found, errors = read_corpus(CORPUS)
    assert not errors
    return found


@pytest.fixture(scope="module")
def report_tables(docs):
    return find_tables(next(d for d in docs if d.source == "rapport-annuel-2018.txt"))


def _doc(text: str) -> SourceDoc:
    return SourceDoc("synth.txt", text, DocMeta("Synthèse"), "0" * 64)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 871", (8871, None)),
        ("8\u202f871", (8871, None)),
        ("41,4%", (41.4, "%")),
        ("41.3%", (41.3, "%")),
        ("18 %", (18, "%")),
        ("480 000 €", (480000, "€")),
        ("1 278 672 € HT", (1278672, "€")),
        ("13 397 €", (13397, "€")),
        ("10.8", (10.8, None)),
        ("1.500", (1500, None)),
        ("-3,5", (-3.5, None)),
        ("2 k€", (2, "k€")),
        ("53", (53, None)),
    ],
)
def test_french_figures_become_numbers(text, expected):
    assert parse_figure(text) == expected
    assert isinstance(parse_figure(text)[0], type(expected[0]))


@pytest.mark.parametrize("text", ["ND", "", "2015-2018", "8 soirées", "730650601", "CH1", "1/Le besoin", "€"])
def test_what_is_not_a_figure_stays_text(text):
    assert parse_figure(text) is None


def test_a_column_says_its_unit_and_keeps_odd_cells_as_text():
    header, rows = typed_columns(
        ("Quartier", "Revenu", "Taux", "Code"),
        [
            ["A", "13 397 €", "41,4%", "730650601"],
            ["B", "ND", "12 €", "730650602"],  # a euro figure in a percent column stays text
        ],
    )
    assert header == ("Quartier", "Revenu (€)", "Taux (%)", "Code")
    assert rows[0] == ["A", 13397, 41.4, "730650601"]
    assert rows[1] == ["B", "ND", "12 €", "730650602"]


def test_the_reports_tables_are_recovered_with_their_titles(report_tables):
    titles = [t.title for t in report_tables]
    assert len(report_tables) == 9
    assert titles[0] == "Carte d'identité des quartiers"
    assert "Fonds de concours versés ou votés entre 2015 et 2018" in titles
    first = report_tables[0]
    assert first.header[1:] == (
        "Population Municipale",
        "Nombre total de demandeurs d'emplois",
        "Logements sociaux",
        "Revenu médian mensuel",  # the footnote star is dropped
        "Taux de pauvreté",
    )
    assert [r[0] for r in first.rows][:2] == ["QPV Hauts de Chambéry", "QPV Biollay -Bellevue"]


def test_a_table_continued_after_a_blank_line_and_a_repeated_header_is_one_table(report_tables):
    fonds = next(t for t in report_tables if t.title.startswith("Fonds de concours"))
    assert fonds.header[0] == "COMMUNE"
    assert not any(r[0] == "COMMUNE" for r in fonds.rows)  # the repeated header is not a row
    assert len(fonds.rows) == 27
    # grouped rows: the commune written once applies to its operations below
    espace = next(r for r in fonds.rows if r[2] == "Espace jeunes")
    assert espace[:2] == ("CHAMBERY Hauts-de-", "Equipement")


def test_the_figures_add_up_once_typed(report_tables):
    """The spreadsheet's numbers are the report's: the operations of the quartiers
    prioritaires add up to the sub-total the report prints, and the sub-totals to the total."""
    (sheet,) = table_sheets([next(t for t in report_tables if t.title.startswith("Fonds de concours"))])
    col = sheet.header.index("Participation de Grand Chambéry (€)")
    rows = list(sheet.rows)
    sub = next(i for i, r in enumerate(rows) if str(r[0]).startswith("SOUS-TOTAL Quartiers prioritaires"))
    assert sum(r[col] for r in rows[:sub]) == rows[sub][col] == 298358
    total = next(r for r in rows if r[0] == "TOTAL GENERAL")
    subtotals = [r[col] for r in rows if str(r[0]).startswith("SOUS-TOTAL")]
    assert sum(subtotals) == total[col] == 966849
    assert total[sheet.header.index("Montant HT de l'opération (€)")] == 4395010


def test_a_two_row_header_spanning_columns_names_each_column():
    header, data = split_header(
        [
            ["Coût HT", "Bailleur", "", "Ville"],
            ["", "Fonds propres", "Emprunts", ""],
            ["10 498", "446", "7 263", "57"],
        ]
    )
    assert header == ["Coût HT", "Bailleur Fonds propres", "Bailleur Emprunts", "Ville"]
    assert data == [["10 498", "446", "7 263", "57"]]


def test_tables_of_another_document_with_other_names_and_numbers():
    text = (
        "Budget des maisons de quartier :\n\n"
        "Maison\tBudget 2024\tPart\n"
        "Le Tilleul\t12 500 €\t25,5%\n"
        "Les Lilas\t37 250 €\t74,5%\n\n"
        "Un paragraphe qui sépare.\n\n\n"
        "Effectifs\n\n"
        "\tAgents\n"
        "Nord\t7\n"
        "Sud\t11\n"
    )
    tables = find_tables(_doc(text))
    assert [t.title for t in tables] == ["Budget des maisons de quartier", "Effectifs"]
    (budget, staff) = table_sheets(tables)
    assert budget.header == ("Maison", "Budget 2024 (€)", "Part (%)")
    assert budget.rows == (("Le Tilleul", 12500, 25.5), ("Les Lilas", 37250, 74.5))
    assert staff.rows == (("Nord", 7), ("Sud", 11))
    assert budget.name != staff.name


def test_fiche_sheets_one_row_per_fiche_and_per_action(fake_assistant):
    fiches = fake_assistant.fiches()
    sheet, actions = fiche_sheets(fiches)
    assert [r[0] for r in sheet.rows] == list(range(1, 20))
    twelve = sheet.rows[11]
    assert twelve[sheet.header.index("Pilotes")] == "Grand Chambéry; Ville de Chambéry"
    assert len(actions.rows) == sum(len(f.actions) for f in fiches)
    statuses = {r[2] for r in actions.rows}
    assert {"en cours", "à développer"} <= statuses
    n = sheet.header.index("Actions")
    assert all(
        r[n] == r[n + 1] + r[n + 2] + sum(1 for a in actions.rows if a[0] == r[0] and a[2] is None)
        for r in sheet.rows
    )


def test_sheet_names_are_unique_and_short(fake_assistant, docs):
    sheets = build_sheets(fake_assistant.fiches(), docs)
    names = [s.name for s in sheets]
    assert names[:3] == ["Sommaire", "Fiches", "Actions"]
    assert len({n.lower() for n in names}) == len(names) and all(len(n) <= 31 for n in names)
    contents = sheets[0]
    assert [r[0] for r in contents.rows] == names[1:]
    assert all(r[4] == len(s.rows) for r, s in zip(contents.rows, sheets[1:], strict=True))


def test_ods_opens_back_with_numbers_as_numbers(fake_assistant, docs, tmp_path):
    import pandas as pd
    from odf.namespaces import OFFICENS
    from odf.opendocument import load
    from odf.table import Table, TableCell

    sheets = build_sheets(fake_assistant.fiches(), docs)
    path = write_ods(sheets, tmp_path / "cdv.ods")
    book = pd.read_excel(path, sheet_name=None, engine="odf")
    assert list(book) == [s.name for s in sheets]
    quartiers = book[next(s.name for s in sheets if s.title == "Carte d'identité des quartiers")]
    row = quartiers.set_index(quartiers.columns[0]).loc["QPV Hauts de Chambéry"]
    assert row["Population Municipale"] == 6270 and row["Taux de pauvreté (%)"] == pytest.approx(41.4)
    assert row["Revenu médian mensuel (€)"] == 13397
    assert book["Fiches"]["Objectif"].tolist() == list(range(1, 20))

    # the cells themselves are typed (not text that a reader happens to convert)
    doc = load(str(path))
    sheet = next(
        t for t in doc.spreadsheet.getElementsByType(Table) if t.getAttribute("name").startswith("T1 ")
    )
    kinds = {(c.attributes.get((OFFICENS, "value-type")), str(c)) for c in sheet.getElementsByType(TableCell)}
    assert ("float", "6270") in kinds and ("float", "41.4") in kinds and ("string", "ND") in kinds


def test_csv_files_open_back(fake_assistant, docs, tmp_path):
    sheets = build_sheets(fake_assistant.fiches(), docs)
    files = write_csv(sheets, tmp_path / "csv")
    assert len(files) == len(sheets) and files[1].name == "01-fiches.csv"
    raw = files[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents
    with files[3].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-1] == "Taux de pauvreté (%)" and rows[1][1:] == ["6270", "968", "2555", "13397", "41.4"]
    z = write_csv_zip(sheets, tmp_path / "all.zip")
    import zipfile

    with zipfile.ZipFile(z) as zf:
        assert zf.namelist() == [f.name for f in files]
    assert not list((tmp_path).glob("*.part"))


def test_cli_export_writes_csv_and_ods(fake_assistant, tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(fake_assistant.settings.index_dir),
    }
    for fmt in ("csv", "ods"):
        out = subprocess.run(
            [sys.executable, "-m", "assistant", "export", "--format", fmt, "--out", str(tmp_path / fmt)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        assert "19 fiches et 9 tableaux" in out.stderr
    assert len(list((tmp_path / "csv").glob("*.csv"))) == 12
    assert (tmp_path / "ods" / "contrat-de-ville.ods").stat().st_size > 5000
    helped = subprocess.run(
        [sys.executable, "-m", "assistant", "export", "--help"], env=env, capture_output=True, text=True
    )
    assert "--format" in helped.stdout and "ods" in helped.stdout


def test_export_refuses_an_unknown_format(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "export", "--format", "xls", "--out", str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "invalid choice" in out.stderr
    assert not any(Path(tmp_path).iterdir())
