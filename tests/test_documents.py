"""The document model and the PDF layout step, on hand-made page layouts (no PDF, no
browser): reading order of two columns and of a side column, running headers and
footers, drawn bullets, unruled tables, tables over a page break, exact pages."""

from __future__ import annotations

from assistant.documents.model import FOOTER, HEADING, LIST_ITEM, PARAGRAPH, TABLE
from assistant.documents.pdf_layout import PageLayout, Piece, TableArea
from assistant.documents.pdf_reader import build_document
from assistant.documents.report import page_list, pdf_notes, plan_notes
from assistant.documents.text_reader import read_text
from assistant.fiches import A_DEVELOPPER, EN_COURS, parse_fiches

W, H = 595.0, 842.0
SIZE = 10.0
PITCH = 13.5


def line(text: str, x0: float, top: float, size: float = SIZE, width: float | None = None, **kw) -> Piece:
    w = width if width is not None else len(text) * size * 0.5
    return Piece(text, x0, x0 + w, top, top + size, size, False, **kw)


def column(texts: list[str], x0: float, top: float, width: float = 230.0) -> list[Piece]:
    return [line(t, x0, top + i * PITCH, width=width) for i, t in enumerate(texts)]


def furniture(n: int) -> list[Piece]:
    return [
        line("Contrat de ville de Grand Chambéry", 300, 30, size=7.5, width=200),
        line(f"Rapport annuel 2018 – page {n}", 250, 810, size=7.5, width=120),
    ]


def test_text_reader_finds_headings_lists_and_tables_with_their_spans():
    text = "\n\n\nTitre de section\n\nUn paragraphe qui se termine.\n- un point\n- un autre\n\nA\tB\nx\t1\n"
    doc = read_text(text)
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [HEADING, PARAGRAPH, LIST_ITEM, LIST_ITEM, TABLE]
    heading = doc.blocks[0]
    assert heading.level == 1 and text[heading.start : heading.end] == "Titre de section"
    table = doc.blocks[-1]
    assert table.rows == (("A", "B"), ("x", "1")) and table.header_rows == 1
    assert doc.summary()["tables"] == 1 and doc.summary()["rows"] == 1


def test_two_columns_are_read_left_then_right_and_headers_footers_leave_the_text():
    left = [f"gauche ligne {i} du texte courant" for i in range(12)]
    right = [f"droite ligne {i} du texte courant" for i in range(12)]
    pages = [
        PageLayout(
            n,
            W,
            H,
            tuple([*furniture(n), *column(left, 40, 100), *column(right, 320, 100)]),
        )
        for n in (1, 2, 3)
    ]
    doc = build_document("r.pdf", pages)
    lines = [ln for ln in doc.text.split("\n") if ln]
    assert lines[:12] == left and lines[12:24] == right
    assert "page" not in doc.text and "Contrat de ville" not in doc.text
    assert {b.kind for b in doc.furniture} >= {FOOTER}
    # each page starts where its first line is
    for n in (1, 2, 3):
        assert doc.text[doc.page_starts[n - 1] :].startswith("gauche ligne 0")
        assert doc.page_at(doc.page_starts[n - 1]) == n


def test_a_paragraph_over_a_page_break_keeps_both_pages():
    p1 = column(
        ["Le premier paragraphe commence ici et continue", "sur la ligne suivante de la"], 40, 700, 500
    )
    p2 = column(["page suivante, où il se termine."], 40, 80, 500)
    doc = build_document("r.pdf", [PageLayout(1, W, H, tuple(p1)), PageLayout(2, W, H, tuple(p2))])
    assert "de la\npage suivante" in doc.text  # one paragraph: no blank line at the break
    assert doc.page_at(doc.text.index("Le premier")) == 1
    assert doc.page_at(doc.text.index("page suivante")) == 2


def test_a_side_column_is_read_before_the_main_column_and_titles_span():
    title = [line("Objectif 3 - Renforcer la mixité sociale des quartiers", 50, 60, 13.5, 480)]
    title.append(line("en limitant les précarités", 50, 78, 13.5, 150))
    main = [line("Actions en cours", 50, 110, 10.5, 100)]
    main += [
        line(
            f"Action numéro {i} de la fiche, écrite sur une ligne",
            62,
            130 + i * PITCH,
            width=290,
            bullet=True,
        )
        for i in range(8)
    ]
    side = [line("Pilote :", 390, 112, 8.5, 40), line("Grand Chambéry", 390, 124, 8.5, 80)]
    side += [line("Partenaires :", 390, 150, 8.5, 60), line("Etat, Département, CAF", 390, 162, 8.5, 110)]
    doc = build_document("plan.pdf", [PageLayout(1, W, H, tuple(title + main + side))])
    text = doc.text
    assert text.index("en limitant") < text.index("Pilote :") < text.index("Actions en cours")
    assert "- Action numéro 0" in text  # the drawn bullet became a text bullet
    (fiche,) = parse_fiches(text)
    assert fiche.pilots == ("Grand Chambéry",) and fiche.partners == ("Etat", "Département", "CAF")
    assert fiche.title.endswith("en limitant les précarités")
    assert {a.status for a in fiche.actions} == {EN_COURS}


def test_unruled_table_rows_become_tab_separated_rows_with_wrapped_cells_joined():
    rows = []
    # rows are set apart by cell padding (16.5 pt); a wrapped cell's next line is 12 pt below
    for top, label, a, b in (
        (100, "Quartier", "Population", "Taux"),
        (116.5, "Hauts de", "6 270", "41,4 %"),
        (145, "Biollay", "3 578", "36,7 %"),
    ):
        rows += [line(label, 40, top, 9, 50), line(a, 200, top, 9, 40), line(b, 320, top, 9, 40)]
    rows.append(line("Chambéry", 40, 128.5, 9, 45))
    body = column(
        [f"Ligne {i} d'un paragraphe avant le tableau, assez longue pour être du texte." for i in range(6)],
        40,
        10,
        480,
    )
    body += column(
        [f"Ligne {i} d'un paragraphe après le tableau, assez longue pour être du texte." for i in range(6)],
        40,
        200,
        480,
    )
    doc = build_document("t.pdf", [PageLayout(1, W, H, tuple(body + rows))])
    (table,) = doc.of_kind(TABLE)
    assert table.rows == (
        ("Quartier", "Population", "Taux"),
        ("Hauts de Chambéry", "6 270", "41,4 %"),
        ("Biollay", "3 578", "36,7 %"),
    )
    assert "Hauts de Chambéry\t6 270\t41,4 %" in doc.text


def test_a_ruled_table_over_a_page_break_drops_the_repeated_header():
    head = ("Commune", "Montant")
    t1 = TableArea(40, 500, 600, 780, (head, ("Barby", "85 000 €")), 1)
    t2 = TableArea(40, 500, 60, 120, (head, ("Cognin", "600 000 €")), 1)
    doc = build_document("t.pdf", [PageLayout(1, W, H, (), (t1,)), PageLayout(2, W, H, (), (t2,))])
    (table,) = doc.of_kind(TABLE)
    assert table.rows == (head, ("Barby", "85 000 €"), ("Cognin", "600 000 €"))
    assert doc.text == "Commune\tMontant\nBarby\t85 000 €\nCognin\t600 000 €"
    assert doc.page_at(doc.text.index("Cognin")) == 2


def test_a_table_at_the_top_of_the_left_column_keeps_the_right_column_after_it():
    """Two columns whose left one opens on a table: the text beside the table is the right
    column, read after the whole left column (table, then its text), not between them."""
    table = TableArea(40, 270, 80, 300, (("Piste", "Bilan"), ("3/ La visibilité", "Des outils")), 0)
    left = column([f"Conclusion ligne {i} du texte courant" for i in range(8)], 40, 320)
    right = column([f"Pour donner une chance ligne {i} du texte" for i in range(8)], 320, 80)
    doc = build_document("r.pdf", [PageLayout(1, W, H, tuple(left + right), (table,))])
    text = doc.text
    assert text.index("3/ La visibilité") < text.index("Conclusion ligne 0")
    assert text.index("Conclusion ligne 7") < text.index("Pour donner une chance ligne 0")


def test_a_ruled_table_of_one_row_and_two_cells_is_a_table():
    from assistant.documents.pdf_layout import _tables

    class Found:
        bbox = (40.0, 100.0, 500.0, 200.0)
        rows: tuple = ()

        def extract(self):
            return [["Renouvellement urbain : ▪ Impliquer les habitants", "Gestion urbaine de proximité"]]

    class Page:
        def find_tables(self):
            return [Found()]

    (t,) = _tables(Page(), [])
    assert t.rows == (("Renouvellement urbain : ▪ Impliquer les habitants", "Gestion urbaine de proximité"),)

    class Frame(Found):
        def extract(self):
            return [["Objectif 3 : un cadre autour de la fiche"], ["Pilote : la Ville"]]

    class Boxed:
        def find_tables(self):
            return [Frame()]

    assert _tables(Boxed(), []) == []  # one cell per row: a frame around a box


def test_pages_without_text_are_named_in_the_ingest_notes():
    pages = [
        PageLayout(1, W, H, tuple(column(["Texte de la page un."], 40, 100)), chars=20),
        PageLayout(2, W, H, images=1),
        PageLayout(3, W, H),
    ]
    doc = build_document("s.pdf", pages)
    assert doc.empty_pages == (2, 3)
    assert pdf_notes(doc, 3) == ["aucun texte : OCR nécessaire, pages 2-3 (2 sur 3, non indexées)"]
    assert page_list([1, 2, 3, 7, 9, 10]) == "1-3, 7, 9-10"


def test_plan_notes_say_which_objectives_and_fields_were_not_read():
    text = (
        "Objectif 1 - Premier\n- une action\n\nPilote :\nEtat\n\nPartenaires :\nCAF\n\nAxe 1 - Cadre de vie\n\n\n"
        "Objectif 2 - Second\n- une action\n\nPartenaires :\nCAF\n\nAxe 1 - Cadre de vie\n\n\n"
        "Objectif 3 - Titre sans rien d'autre\n"
    )
    notes = plan_notes(text)
    assert any("2 fiches lues pour 3 titres" in n and "objectifs 3" in n for n in notes)
    assert "objectif 2 : pilote non lu(s) dans le document" in notes
    assert plan_notes("Un texte sans objectif.") == []


def test_status_labels_printed_above_their_bullets_lead_them():
    text = (
        "Objectif 4 - Décliner la stratégie\n\nActions en cours\n\nDans les QPV :\n- Utiliser les outils\n- Animer\n\n"
        "Actions à développer\n\n- Développer une démarche\n\nPilote :\nEtat\n\nAxe 1 - Cadre de vie\n"
    )
    (f,) = parse_fiches(text)
    assert [(a.text, a.status, a.scope) for a in f.actions] == [
        ("Utiliser les outils", EN_COURS, "Dans les QPV"),
        ("Animer", EN_COURS, "Dans les QPV"),
        ("Développer une démarche", A_DEVELOPPER, None),
    ]


def test_a_text_file_is_read_into_the_same_model_with_spans_into_its_text():
    from pathlib import Path

    from assistant.ingest import read_document

    doc = read_document(Path(__file__).resolve().parent.parent / "corpus" / "rapport-annuel-2018.txt")
    model = doc.document
    assert model is not None and model.text == doc.text
    tables = model.of_kind(TABLE)
    assert len(tables) >= 10 and sum(len(t.rows) - t.header_rows for t in tables) >= 60
    carte = next(t for t in tables if "Population Municipale" in t.rows[0])
    assert carte.rows[1][0] == "QPV Hauts de Chambéry" and carte.header_rows == 1
    for b in model.blocks:
        assert doc.text[b.start : b.end].strip(), b


def test_ocr_lines_are_the_runs_and_the_columns_stay_apart():
    """Tesseract has already parted a two-column page into lines: a justified line's wide word
    gaps do not cut it into cells, and two columns on one baseline are two runs."""
    from assistant.documents.pdf_layout import _pieces

    def word(text, x0, line, top=100.0):
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + 6 * len(text),
            "top": top,
            "bottom": top + 10,
            "size": 8.0,
            "fontname": "OCR",
            "line": line,
        }

    words = [
        word("en", 50, (1, 1, 1)),
        word("matière", 90, (1, 1, 1)),
        word("de", 160, (1, 1, 1)),
        word("quartiers", 320, (2, 1, 1), top=101.0),
        word("en", 390, (2, 1, 1), top=101.0),
    ]
    texts = sorted(p.text for p in _pieces(words, []))
    assert texts == ["en matière de", "quartiers en"]
    # the same words from a text layer (no line of their own) are cut at the wide gaps
    plain = [{k: v for k, v in w.items() if k != "line"} for w in words]
    assert len(_pieces(plain, [])) > 2


def test_a_ruled_table_in_a_page_image_is_found_from_its_rules_and_read_cell_by_cell():
    """A scan has no drawn rectangles: the table is found from the dark rules of its image
    (a glyph's stroke is not a rule), and the OCR words go to the cells they sit in."""
    import numpy as np

    from assistant.documents.pdf_layout import grid_table, ocr_bullets
    from assistant.documents.pdf_ocr import ruled_grids

    k = 300 / 72  # pixels per point at 300 dpi
    img = np.zeros((round(400 * k), round(500 * k)), dtype=bool)

    def px(v: float) -> int:
        return round(v * k)

    for y in (100, 140, 200):  # three horizontal rules: two rows
        img[px(y) : px(y) + 3, px(50) : px(450)] = True
    for x in (50, 150, 450):  # three vertical rules: two columns
        img[px(100) : px(200) + 3, px(x) : px(x) + 3] = True
    img[px(300) : px(312), px(60) : px(60) + 4] = True  # a glyph's stroke below the table
    img[px(330) : px(333), px(50) : px(450)] = True  # a lone rule under it: no table
    (grid,) = ruled_grids(img, k)
    grid = grid.scaled(1 / k)
    assert len(grid.rows) == 2 and all(len(c) == 3 for c in grid.cols)
    x0, top, x1, bottom = grid.box
    assert abs(x0 - 50) < 2 and abs(top - 100) < 2 and abs(x1 - 451) < 2 and abs(bottom - 200) < 2

    def word(text, x0, top, line):
        return {"text": text, "x0": x0, "x1": x0 + 5 * len(text), "top": top, "bottom": top + 9, "line": line}

    words = [
        word("Bassens", 60, 110, 1),
        word("|", 148, 110, 1),  # the rule, read as a glyph
        word("Correspondants", 160, 110, 1),
        word("de", 240, 110, 1),
        word("Saint-", 60, 150, 2),
        word("nuit", 160, 150, 2),
        word("Alban", 60, 162, 3),
    ]
    table = grid_table(grid, words)
    assert table is not None
    assert table.rows == (("Bassens", "Correspondants de"), ("Saint-Alban", "nuit"))

    bullets, marks = ocr_bullets(
        [word("e", 40, 300, 7), word("Un", 50, 300, 7), word("appel", 65, 300, 7), word("e", 40, 320, 8)]
    )
    assert [w["text"] for w in bullets] == ["Un", "appel", "e"] and len(marks) == 1


def test_a_merged_cell_of_a_scanned_table_is_its_first_row_and_rules_are_wiped_not_text():
    """« CHAMBERY Biollay » spans two rows: no rule under its first row in its column, so its
    words, wherever they sit, are the first row's; wiping the rules keeps its text."""
    import numpy as np

    from assistant.documents.pdf_layout import grid_table
    from assistant.documents.pdf_ocr import erase_rules, ruled_grids

    k = 300 / 72

    def px(v: float) -> int:
        return round(v * k)

    img = np.zeros((round(300 * k), round(500 * k)), dtype=bool)
    img[px(100) : px(100) + 3, px(50) : px(450)] = True
    img[px(130) : px(130) + 3, px(150) : px(450)] = True  # under row 1, but not under the merged cell
    img[px(160) : px(160) + 3, px(50) : px(450)] = True
    for x in (50, 150, 450):
        img[px(100) : px(160) + 3, px(x) : px(x) + 3] = True
    (grid,) = ruled_grids(img, k)
    assert grid.merged == ((False, False), (True, False))
    grid = grid.scaled(1 / k)

    def word(text, x0, top):
        return {"text": text, "x0": x0, "x1": x0 + 5 * len(text), "top": top, "bottom": top + 9, "line": top}

    words = [
        word("CHAMBERY", 60, 118),
        word("Biollay", 60, 133),
        word("Salle", 160, 110),
        word("Terrain", 160, 140),
    ]
    table = grid_table(grid, words)
    assert table is not None and table.rows == (("CHAMBERY Biollay", "Salle"), ("", "Terrain"))

    gray = np.where(img, 0, 255).astype(np.uint8)
    gray[px(125) : px(135), px(60) : px(62)] = 0  # a letter's stroke across the missing rule
    clean = erase_rules(gray, k)
    assert clean[px(100) + 1, px(300)] == 255 and clean[px(120), px(150) + 1] == 255  # rules gone
    assert clean[px(130), px(61)] == 0  # the stroke stays


def test_two_justified_columns_cut_at_their_word_spaces_are_still_columns():
    """A justified column of long words comes as single-word pieces spaced alike; its lines
    still run edge to edge, so the page has two columns, read one after the other."""
    from assistant.documents.pdf_regions import _line_span, gutter

    pieces = []
    for i in range(10):
        top = 100.0 + 14 * i
        for j, word in enumerate(("Poursuivre", "les", "chantiers", "éducatifs")):
            x0 = 50.0 + 52 * j
            pieces.append(Piece(word, x0, x0 + 44, top, top + 10, 10.0, False, False))
        for j, word in enumerate(("l'opération", "des", "chantiers", "citoyens")):
            x0 = 300.0 + 52 * j
            pieces.append(Piece(word, x0, x0 + 44, top + 6, top + 16, 10.0, False, False))
    x = gutter(pieces, [], 550.0)
    assert x is not None and 250 < x < 300
    line = [p for p in pieces if p.top == 100.0]
    assert _line_span(line) == 200.0  # edge to edge
    # single words spaced unevenly are a table row's cells: the widest one is the line's width
    shift = (0, 9, 9, 30)
    cells = [
        Piece(p.text, p.x0 + d, p.x1 + d, p.top, p.bottom, 10.0, False, False)
        for d, p in zip(shift, line, strict=True)
    ]
    assert _line_span(cells) == 44.0


def test_a_title_with_a_count_or_a_quoted_name_is_a_heading_and_a_figure_line_is_not():
    text = (
        "Le programme des jardins\n\n"
        "La rénovation des 12 maisons du « Clos Fleuri »\n\n"
        "Le projet permet de passer de 40 à 44 logements.\n\n"
        "255 bénéficiaires du dispositif **Jardins partagés**\n\n"
        "Il a dit « bonjour. »\n"
    )
    headings = [b.text for b in read_text(text).blocks if b.kind == HEADING]
    assert headings == ["Le programme des jardins", "La rénovation des 12 maisons du « Clos Fleuri »"]
    # the chunker reads the same headings: the passage under the title carries it
    from assistant.chunking import chunk_document
    from assistant.schema import DocMeta, SourceDoc

    chunks, _ = chunk_document(SourceDoc("r.txt", text, DocMeta("Rapport", "report"), "0"))
    under = next(c for c in chunks if "passer de 40" in c.text)
    assert "Clos Fleuri" in under.context
