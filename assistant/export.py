"""The fiches and the documents' tables as spreadsheets (CSV, ODS).

Pure first: fiches and tables -> `Sheet`s (French figures such as « 8 871 »,
« 41,4% », « 480 000 € » become numbers, the unit goes into the column name);
writers at the end (one CSV per sheet, one ODS workbook with a sheet per table).
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .fiches import A_DEVELOPPER, EN_COURS
from .schema import Fiche, SourceDoc
from .tables import Table, find_tables, parse_figure

if TYPE_CHECKING:
    from .assistant import Assistant

Cell = str | int | float | None

_SHEET_BAD = re.compile(r"[\[\]*?:/\\]")
_SHEET_MAX = 31  # the strictest spreadsheet (Excel) limit, so a workbook opens everywhere


@dataclass(frozen=True)
class Sheet:
    name: str  # unique in a workbook, <= 31 characters
    title: str
    source: str | None
    page: int | None
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def typed_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[tuple[str, ...], list[list[Cell]]]:
    """Figures become numbers; a column says the unit of its figures in its name
    (« Taux de pauvreté (%) »); a figure with another unit than its column's stays text."""
    width = max([len(header), *(len(r) for r in rows)], default=0)
    names = list(header) + [""] * (width - len(header))
    out: list[list[Cell]] = [[c if c else None for c in r] for r in rows]
    for j in range(width):
        parsed = [parse_figure(r[j]) if j < len(r) and r[j] else None for r in rows]
        units = Counter(p[1] for p in parsed if p and p[1])
        unit = units.most_common(1)[0][0] if units else None
        for i, p in enumerate(parsed):
            if p is not None and (p[1] is None or p[1] == unit):
                out[i][j] = p[0]
        if unit and any(p and p[1] == unit for p in parsed):
            names[j] = f"{names[j]} ({unit})".strip()
    if not any(header):
        names = [f"colonne {j + 1}" for j in range(width)]
    return tuple(names), out


def fiche_sheets(fiches: Sequence[Fiche]) -> list[Sheet]:
    """Two sheets: one row per fiche, one row per action with its status."""
    source = fiches[0].source if fiches else None
    fiche_rows = [
        (
            f.number,
            f.axis,
            f.axis_title,
            f.sub_theme,
            f.title,
            "; ".join(f.pilots),
            "; ".join(f.partners),
            "; ".join(f.tools),
            len(f.actions),
            sum(a.status == EN_COURS for a in f.actions),
            sum(a.status == A_DEVELOPPER for a in f.actions),
        )
        for f in fiches
    ]
    action_rows = [(f.number, f.title, a.status, a.scope, a.text) for f in fiches for a in f.actions]
    return [
        Sheet(
            "Fiches",
            "Les fiches-actions (objectifs opérationnels)",
            source,
            None,
            (
                "Objectif",
                "Axe",
                "Intitulé de l'axe",
                "Sous-thème",
                "Intitulé",
                "Pilotes",
                "Partenaires",
                "Outils",
                "Actions",
                "Actions en cours",
                "Actions à développer",
            ),
            tuple(fiche_rows),
        ),
        Sheet(
            "Actions",
            "Les actions des fiches, avec leur statut",
            source,
            None,
            ("Objectif", "Intitulé de l'objectif", "Statut", "Périmètre", "Action"),
            tuple(action_rows),
        ),
    ]


def _sheet_name(number: int, title: str, taken: set[str]) -> str:
    base = re.sub(r"\s+", " ", _SHEET_BAD.sub(" ", f"T{number} {title}"))[:_SHEET_MAX].strip()
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[: _SHEET_MAX - 3]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


def table_sheets(tables: Iterable[Table], taken: set[str] | None = None) -> list[Sheet]:
    """A sheet per table, numbered across documents (T1, T2, ...) and named by its title."""
    taken = set() if taken is None else taken
    sheets = []
    for n, t in enumerate(tables, 1):
        header, rows = typed_columns(t.header, t.rows)
        title = re.sub(r"\s*\*+$", "", t.title)
        name = _sheet_name(n, title, taken)
        sheets.append(Sheet(name, title, t.source, t.page, header, tuple(map(tuple, rows))))
    return sheets


def contents_sheet(sheets: Sequence[Sheet]) -> Sheet:
    """Where each sheet comes from (document, page), so a figure can be checked."""
    return Sheet(
        "Sommaire",
        "Sommaire : d'où vient chaque feuille",
        None,
        None,
        ("Feuille", "Titre", "Document", "Page", "Lignes"),
        tuple((s.name, s.title, s.source, s.page, len(s.rows)) for s in sheets),
    )


def build_sheets(fiches: Sequence[Fiche], docs: Iterable[SourceDoc]) -> list[Sheet]:
    """Sommaire, Fiches, Actions, then every table of every document."""
    body = fiche_sheets(fiches)
    taken = {s.name.lower() for s in body} | {"sommaire"}
    body += table_sheets((t for d in docs for t in find_tables(d)), taken)
    return [contents_sheet(body), *body]


# --- writers (I/O) -------------------------------------------------------------------


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(fd)
    try:
        write(Path(tmp))
        Path(tmp).replace(path)  # a reader never sees a half-written file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def csv_name(n: int, sheet: Sheet) -> str:
    return f"{n:02d}-{re.sub(r'[^A-Za-z0-9]+', '-', sheet.name).strip('-').lower()}.csv"


def write_csv(sheets: Sequence[Sheet], out_dir: Path) -> list[Path]:
    """One CSV per sheet: UTF-8 with a BOM (Excel then reads the accents), comma-separated,
    decimal point; empty cells empty."""

    def writer(sheet: Sheet) -> Callable[[Path], None]:
        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(sheet.header)
                w.writerows(["" if c is None else c for c in r] for r in sheet.rows)

        return write

    return [_atomic(out_dir / csv_name(n, s), writer(s)) for n, s in enumerate(sheets)]


def write_ods(sheets: Sequence[Sheet], path: Path) -> Path:
    """One OpenDocument workbook, a sheet per table, numbers stored as numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TextProperties
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    bold = Style(name="cdvHeader", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)

    def cell(value: Cell, header: bool = False) -> TableCell:
        if value is None or value == "":
            return TableCell()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            tc = TableCell(valuetype="float", value=str(value))
        else:
            tc = TableCell(valuetype="string", stylename=bold) if header else TableCell(valuetype="string")
        for line in str(value).split("\n"):
            tc.addElement(P(text=line))
        return tc

    for s in sheets:
        table = OdsTable(name=s.name)
        for values, header in [(s.header, True), *((r, False) for r in s.rows)]:
            row = TableRow()
            for v in values:
                row.addElement(cell(v, header))
            table.addElement(row)
        doc.spreadsheet.addElement(table)
    return _atomic(path, lambda tmp: doc.save(str(tmp)))


def write_csv_zip(sheets: Sequence[Sheet], path: Path) -> Path:
    """The CSV files in one zip (a single download in the web app)."""
    with tempfile.TemporaryDirectory() as tmp:
        files = write_csv(sheets, Path(tmp))

        def write(dest: Path) -> None:
            with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
                for f in files:
                    z.write(f, f.name)

        return _atomic(path, write)


def assistant_sheets(assistant: Assistant) -> list[Sheet]:
    """The sheets of what the assistant serves: its fiches, and the tables of corpus/."""
    from .ingest import PdfLimits, read_corpus

    s = assistant.settings
    docs, _ = read_corpus(s.corpus_dir, PdfLimits(s.pdf_timeout_s, s.pdf_memory_mb, s.pdf_max_pages))
    return build_sheets(assistant.fiches(), docs)


def export_downloads(assistant: Assistant, out_dir: Path | None = None) -> list[str]:
    """The web app's download: the ODS workbook and a zip of the CSV files. They are
    rewritten in place (atomically) in one folder per process, so clicks leave no litter."""
    out_dir = out_dir or Path(tempfile.gettempdir()) / f"cdv-export-{os.getpid()}"
    sheets = assistant_sheets(assistant)
    return [
        str(write_ods(sheets, out_dir / "contrat-de-ville.ods")),
        str(write_csv_zip(sheets, out_dir / "contrat-de-ville-csv.zip")),
    ]
