"""The fiche parser reads structure, so it is tested on the real plan and on
synthetic plans with other numbers, names, spellings and block orders."""

from __future__ import annotations

import random

import pytest

from assistant.fiches import A_DEVELOPPER, EN_COURS, parse_fiches, parse_plan, split_items

# --- the real plan -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fiches(plan_text):
    return {f.number: f for f in parse_fiches(plan_text, "plan.txt")}


def test_nineteen_objectives_with_titles_axes_and_pilots(fiches):
    assert sorted(fiches) == list(range(1, 20))
    for f in fiches.values():
        assert f.title and "\n" not in f.title
        assert f.axis in {1, 2, 3, 4, 5}
        assert f.pilots, f.number
        assert f.partners, f.number


def test_objective_12_reads_as_written(fiches):
    f = fiches[12]
    assert f.title == "Favoriser l'accès aux soins des populations les plus vulnérables"
    assert f.pilots == ("Grand Chambéry", "Ville de Chambéry")
    assert f.partners == ("Etat", "Département", "CAF", "ARS", "Ville de Chambéry")
    assert f.axis == 3 and f.sub_theme == "Prévention - Santé"
    assert "MILDECA" in f.tools


def test_inverted_objective_1_gets_its_actions_partners_and_late_pilots(fiches):
    f = fiches[1]
    assert f.pilots == ("Grand Chambéry", "Etat", "Ville de Chambéry", "Cristal habitat")
    assert "ANRU" in f.partners and "Europe (Feder)" in f.partners
    assert any("reconstitution de l'offre locative" in a.text for a in f.actions)
    assert any("138 M€" in n for n in f.notes)  # the funding block is a note, not an action
    assert not any("M€" in a.text for a in f.actions)
    assert f.title.startswith("Poursuivre et renforcer le renouvellement urbain des quartiers")


def test_objective_5_late_actions_after_its_axis_line_are_to_develop(fiches):
    f = fiches[5]
    late = [a for a in f.actions if "permis de conduire" in a.text]
    assert late and late[0].status == A_DEVELOPPER
    early = [a for a in f.actions if "publics dits invisibles" in a.text]
    assert early and early[0].status == EN_COURS and early[0].scope == "Dans l'ensemble de l'agglomération"
    assert f.axis == 2  # written "Axe – 2"


def test_objective_15_tools_after_axis_line_and_broken_label(fiches):
    assert fiches[15].tools == ("Plan de développement des usages du numérique", "Ordi pratique")


def test_axis_spellings_and_consensus_titles(fiches):
    assert fiches[18].axis == 5  # "Axe 5 : Gouvernance..."
    assert fiches[5].axis_title == fiches[6].axis_title
    assert (
        fiches[7].axis_title
        == "Renforcer l’inclusion et la réussite des habitants pour créer les conditions du vivre ensemble"
    )
    assert fiches[7].sub_theme == "Education - parentalité"


def test_names_without_accents_take_the_documents_accented_spelling(fiches):
    assert fiches[4].pilots == ("Communes", "Bailleurs sociaux", "Grand Chambéry")
    assert any(p.startswith("Groupe d'éducation aux médias de Grand Chambéry") for p in fiches[15].partners)


def test_status_split_follows_the_label_runs(fiches):
    f = fiches[2]
    statuses = [a.status for a in f.actions]
    assert statuses[0] == EN_COURS and statuses[-1] == A_DEVELOPPER
    assert [a.status for a in fiches[18].actions] == [EN_COURS] * len(fiches[18].actions)
    assert {a.status for a in fiches[19].actions} == {A_DEVELOPPER}


def test_spans_point_at_the_source(fiches, plan_text):
    f = fiches[12]
    (pilot_span,) = f.spans["pilots"]
    assert pilot_span.slice(plan_text).startswith("Pilote :")
    assert "Grand Chambéry" in pilot_span.slice(plan_text)
    for a in f.actions:
        assert a.text.split()[0] in a.span.slice(plan_text)


def test_split_items_commas_parentheses_and_quotes():
    assert split_items(["Etat, Département,", "CAF (Caisse, allocations), ARS"]) == [
        "Etat",
        "Département",
        "CAF (Caisse, allocations)",
        "ARS",
    ]
    assert split_items(["Grand Chambéry", "Etat"]) == ["Grand Chambéry", "Etat"]
    assert split_items(['Dispositif "une école, un site" du PNR']) == [
        'Dispositif "une école, un site" du PNR'
    ]
    assert split_items(["Pôle de Santé des", "Hauts-de-Chambéry, REP+"]) == [
        "Pôle de Santé des Hauts-de-Chambéry",
        "REP+",
    ]


# --- synthetic plans ------------------------------------------------------------------

RECORDS = [
    dict(
        number=31,
        title="Ouvrir les gymnases le dimanche aux familles du quartier",
        axis=7,
        axis_title="Bouger ensemble dans les quartiers",
        pilots=["Ville d'Aix-les-Bains", "Département"],
        partners=["Office des sports", "Clubs de quartier", "Mission Locale"],
        tools=["Pass sport", "Contrat de ville"],
        en_cours=["Ouvrir deux gymnases le dimanche matin", "Former des animateurs bénévoles"],
        a_dev=["Étendre l'ouverture aux vacances scolaires"],
    ),
    dict(
        number=32,
        title="Réduire la fracture énergétique des copropriétés",
        axis=8,
        axis_title="Habiter mieux et moins cher",
        pilots=["Agence de l'énergie"],
        partners=["Bailleurs", "Syndics", "Région"],
        tools=[],
        en_cours=["Diagnostiquer 40 copropriétés"],
        a_dev=["Créer un fonds d'avance travaux", "Informer les locataires"],
    ),
    dict(
        number=33,
        title="Accueillir les nouveaux arrivants",
        axis=8,
        axis_title="Habiter mieux et moins cher",
        pilots=["Mairie de Méry", "Préfecture"],
        partners=["Associations d'accueil"],
        tools=["Livret d'accueil"],
        en_cours=["Tenir une permanence mensuelle"],
        a_dev=["Traduire le livret en trois langues"],
    ),
]


def _blocks_for(r, *, axis_style, broken_tools_label=False, strip_accents_pilots=False):
    pilots = [p.replace("é", "e") for p in r["pilots"]] if strip_accents_pilots else r["pilots"]
    tools_label = "Outils\nd'interventions :" if broken_tools_label else "Outils d'interventions :"
    axis_line = {
        "dash": f"Axe {r['axis']} - {r['axis_title']}",
        "endash": f"Axe – {r['axis']} {r['axis_title']}",
        "colon": f"Axe {r['axis']} : {r['axis_title']}",
    }[axis_style]
    words = r["title"].split()
    half = len(words) // 2
    heading = f"Objectif {r['number']} - " + " ".join(words[:half]) + "\n" + " ".join(words[half:])
    paras = {
        "heading": heading,
        "en_cours": "\n".join(f"- {a}" for a in r["en_cours"]),
        "a_dev": "\n".join(f"- {a}" for a in r["a_dev"]),
        "labels": "Actions en cours\n\nActions à développer",
        "pilots": "Pilote :\n" + "\n".join(pilots),
        "partners": "Partenaires :\n" + ",\n".join(r["partners"]),
        "axis": axis_line,
    }
    if r["tools"]:
        paras["tools"] = tools_label + "\n" + ",\n".join(r["tools"])
    return paras


def _plan(records, order, **kw):
    blocks = []
    for r in records:
        p = _blocks_for(r, **kw)
        blocks.append("\n\n".join(p[k] for k in order if k in p))
    return "Introduction du plan.\nIl compte plusieurs objectifs.\n\n\n\n" + "\n\n\n\n".join(blocks) + "\n"


STANDARD = ["heading", "en_cours", "a_dev", "labels", "pilots", "partners", "tools", "axis"]
INVERTED = ["en_cours", "a_dev", "partners", "tools", "heading", "axis", "labels", "pilots"]


@pytest.mark.parametrize("order", [STANDARD, INVERTED], ids=["standard", "inverted"])
@pytest.mark.parametrize("axis_style", ["dash", "endash", "colon"])
def test_synthetic_plan_other_numbers_and_names(order, axis_style):
    text = _plan(RECORDS, order, axis_style=axis_style, broken_tools_label=True)
    parsed = {f.number: f for f in parse_fiches(text)}
    assert sorted(parsed) == [31, 32, 33]
    for r in RECORDS:
        f = parsed[r["number"]]
        assert f.title == r["title"]
        assert f.axis == r["axis"] and f.axis_title == r["axis_title"]
        assert list(f.pilots) == r["pilots"]
        assert list(f.partners) == r["partners"]
        assert list(f.tools) == r["tools"]
        assert [a.text for a in f.actions if a.status == EN_COURS] == r["en_cours"]
        assert [a.text for a in f.actions if a.status == A_DEVELOPPER] == r["a_dev"]


def test_intro_text_is_not_a_fiche():
    text = _plan(RECORDS, STANDARD, axis_style="dash")
    plan = parse_plan(text)
    assert len(plan.fiches) == 3
    assert text[plan.other[0].start : plan.other[0].end].startswith("Introduction du plan.")


def test_accentless_names_are_restored_when_the_document_spells_them_with_accents():
    text = _plan(RECORDS, STANDARD, axis_style="dash", strip_accents_pilots=True)
    text += "\n\n\n\nObjectif 34 - Autre fiche\n\n- Une action\n\nActions en cours\n\nPilote :\nMairie de Méry\n\nPartenaires :\nEtat\n\nAxe 8 - Habiter mieux et moins cher\n"
    parsed = {f.number: f for f in parse_fiches(text)}
    assert parsed[33].pilots[0] == "Mairie de Méry"


@pytest.mark.parametrize("seed", range(8))
def test_fields_survive_any_block_order(seed):
    rng = random.Random(seed)
    order = STANDARD[:]
    rng.shuffle(order)
    text = _plan(RECORDS, order, axis_style=rng.choice(["dash", "endash", "colon"]))
    parsed = {f.number: f for f in parse_fiches(text)}
    for r in RECORDS:
        f = parsed[r["number"]]
        assert (list(f.pilots), list(f.partners), list(f.tools), f.axis, f.title) == (
            r["pilots"],
            r["partners"],
            r["tools"],
            r["axis"],
            r["title"],
        )
        assert sorted(a.text for a in f.actions) == sorted(r["en_cours"] + r["a_dev"])


def test_table_of_contents_headings_are_not_fiches():
    text = "Sommaire\nObjectif 1 - Premier\nObjectif 2 - Second\n\n\n\n" + _plan(
        RECORDS[:1], STANDARD, axis_style="dash"
    )
    assert [f.number for f in parse_fiches(text)] == [31]
