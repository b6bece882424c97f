"""Pure UI formatters and upload checks, without a server."""

from __future__ import annotations

from pathlib import Path

from assistant.schema import Action, Answer, Chunk, Citation, Fiche, Hit, Span
from assistant.ui.format import (
    actors,
    answer_markdown,
    citation_label,
    citations_html,
    crossref_rows,
    empty_search_html,
    escape_md,
    fiches_html,
    highlight_terms,
    search_results_html,
)
from assistant.uploads import check_upload, safe_pdf_name

from .pdfgen import make_pdf


def _answer(text: str, citations=(), see_also=()) -> Answer:
    return Answer("q", text, tuple(citations), False, "fact", "fr", tuple(see_also))


def test_document_text_cannot_inject_markup():
    md = answer_markdown(_answer("Voir ![img](http://evil/x.png) et <script>alert(1)</script> [1]"))
    assert "![img]" not in md and "<script>" not in md
    assert "\\!\\[img\\]" in md and "[\\[1\\]](#cdv-cite-1)" in md


def test_our_bold_figures_survive_escaping():
    md = answer_markdown(_answer("**8 871 interventions**\nD’après le rapport : « … » [1]"))
    assert md.startswith("**8 871 interventions**")


def test_citation_panel_highlights_the_supporting_span_and_escapes_the_passage():
    c = Citation(1, "id", "plan.txt", 3, 12, "Objectif 12", "Pilote : <b>Grand Chambéry</b>", (9, 29))
    out = citations_html(_answer("x [1]", [c]))
    assert "<mark>&lt;b&gt;Grand Chambéry" in out
    assert (
        "<span lang='fr'>plan.txt</span> · page 3 · Objectif 12" in out
        and "Objectif 12 · Objectif 12" not in out
    )
    assert citation_label(c, "en", {"plan.txt": "Action plan"}) == "Action plan · page 3 · Objective 12"
    assert "id='cdv-cite-1'" in out


def test_see_also_is_shown_for_refusals():
    c = Citation(1, "id", "r.txt", None, None, "Section", "passage proche", None)
    out = citations_html(Answer("q", "Je ne trouve pas…", (), True, "fact", "fr", (c,)))
    assert "Voir aussi" in out and "passage proche" in out


def test_search_highlighting_matches_stems_and_ignores_accents():
    html = highlight_terms("Les partenaires de l'égalité", "partenaire egalite")
    assert "<mark>partenaires</mark>" in html and "<mark>égalité</mark>" in html
    chunk = Chunk(
        id="a",
        source="r.txt",
        text="<i>taux</i> de pauvreté",
        context="",
        kind="k",
        chunk_type="section",
        page=2,
    )
    out = search_results_html([Hit(chunk, 0.5)], "pauvreté", offset=10, total=14, titles={"r.txt": "Rapport"})
    assert "start='11'" in out and "&lt;i&gt;" in out and "<span lang='fr'>Rapport</span> · page 2" in out
    assert "14 passages trouvés" in out and "11 à 11" in out
    assert "score" not in out and "0.5" not in out


def _fiche(n: int, pilots, partners) -> Fiche:
    return Fiche(
        n,
        f"Titre {n}",
        1,
        "Axe un",
        None,
        tuple(pilots),
        tuple(partners),
        (),
        (Action("Agir", "en cours", None, Span(0, 1)),),
        (),
        "plan.txt",
    )


def test_cross_reference_and_fiche_cards():
    fs = [_fiche(1, ["Etat"], ["CAF", "Ville de Chambéry : services"]), _fiche(2, ["CAF"], ["Etat"])]
    assert actors(fs) == ["CAF", "Etat", "Ville de Chambéry"]
    assert crossref_rows(fs, "CAF") == [[1, "Titre 1", "partenaire"], [2, "Titre 2", "pilote"]]
    assert crossref_rows(fs, "CAF", "en")[1][2] == "lead"
    sentence = _fiche(3, ["Etat"], ["45 travailleurs sociaux formés aux valeurs de la République"])
    assert "45 travailleurs sociaux formés aux valeurs de la République" not in actors([*fs, sentence])
    html = fiches_html(fs, {1: "Objectif 1 - <Titre>"})
    assert "id='fiche-1'" in html and "&lt;Titre&gt;" in html and "(en cours)" in html


def test_upload_checks(tmp_path: Path):
    good = tmp_path / "rapport 2023 (final).pdf"
    good.write_bytes(make_pdf(["Bilan 2023 des jardins partagés."]))
    assert check_upload(good, 20) is None
    assert safe_pdf_name(good.name) == "rapport-2023-final.pdf"
    assert safe_pdf_name("../../etc/passwd.pdf") == "passwd.pdf"
    fake = tmp_path / "faux.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    assert check_upload(fake, 20) == "ce fichier n'est pas un PDF"
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK")
    assert "PDF" in (check_upload(doc, 20) or "")
    big = tmp_path / "gros.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (2 * 2**20))
    assert "trop volumineux" in (check_upload(big, 1) or "")
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(make_pdf([""]))
    assert "OCR" in (check_upload(scanned, 20) or "")


def test_escape_md():
    assert escape_md("[lien](http://x)") == "\\[lien\\]\\(http://x\\)"


def test_plain_language_folds_lists_longer_than_five():
    text = "Actions de l'objectif 5 :\n" + "\n".join(f"- action {i} [1]" for i in range(1, 9))
    md = answer_markdown(_answer(text), simple=True, lang="fr")
    shown, folded = md.split("<details>")
    assert shown.count("- action") == 5 and folded.count("- action") == 3
    assert "Voir tout (8)" in folded
    assert "<details>" not in answer_markdown(_answer(text), simple=False)
    short = "Actions :\n" + "\n".join(f"- a{i}" for i in range(5))
    assert "<details>" not in answer_markdown(_answer(short), simple=True)


def test_empty_search_names_the_filter():
    out = empty_search_html("fr", ("Objectif", "12 — Santé", 7), [])
    assert "« Objectif : 12 — Santé »" in out and "7 passages" in out
    assert "Axe, Objectif" in empty_search_html("fr", None, ["Axe", "Objectif"])
    assert "No passage" in empty_search_html("en", None, [])


def test_plain_language_shows_the_first_paragraph_and_folds_the_details():
    text = (
        "Partenaires de l’objectif 2 : Ville, Régies, GUP [1].\n\n"
        "D’après le plan :\n- une action [2]\n\nSigles : GUP = gestion urbaine de proximité"
    )
    md = answer_markdown(_answer(text), simple=True, lang="fr")
    shown, folded = md.split("<details>", 1)
    assert "Partenaires de l’objectif 2" in shown and "Sigles" in shown  # the acronyms stay in sight
    assert "Détails" in folded and "une action" in folded
    assert "<details>" not in answer_markdown(_answer(text), simple=False)
    # one paragraph: nothing to fold
    assert "<details>" not in answer_markdown(_answer("La réponse [1]."), simple=True)
    assert "Details" in answer_markdown(_answer(text), simple=True, lang="en")
