import pytest

from assistant.query import detect_lang, parse_refs


@pytest.mark.parametrize(
    "text",
    [
        "qui pilote l'objectif 12 ?",
        "qui pilote lobjectif 12",
        "obj 12",
        "fiche 12",
        "objective 12",
        "Objectif n°12",
        "l’OBJECTIF 12",
        "objctif 12 pilote",
        "objecitf 12",
    ],
)
def test_objective_reference_variants(text):
    assert parse_refs(text).objectives == (12,)


def test_lists_and_axes():
    assert parse_refs("objectifs 12 et 13").objectives == (12, 13)
    assert parse_refs("axe 3, objectif 9").axes == (3,)
    assert parse_refs("axe 3, objectif 9").objectives == (9,)


def test_numbers_that_are_not_references():
    assert parse_refs("combien d'interventions en 2018 ?").objectives == ()
    assert parse_refs("les 5 axes").axes == ()
    assert parse_refs("12 objectifs").objectives == ()


def test_detect_lang():
    assert detect_lang("who leads objective 3?") == "en"
    assert detect_lang("qui pilote l'objectif 3 ?") == "fr"
    assert detect_lang("GUP") == "fr"
    # a French name or a quoted French title inside an English question
    assert detect_lang("how many people did the maison de la justice et du droit help?") == "en"
    assert detect_lang("In the report, what is listed under « Les enjeux pour la suite du Contrat »?") == "en"
    assert detect_lang("que veut dire « what works » dans le rapport ?") == "fr"
    assert detect_lang("« who leads objective 3? »") == "en"  # all quoted: the quote is the question


def test_a_function_word_is_never_corrected_into_a_corpus_word():
    from assistant.lexical import LexicalIndex

    # a corpus where « combine », « cout », « jour » and « soins » are one edit away from
    # « combien », « tout », « pour » and « moins », which it never writes itself
    lex = LexicalIndex.build(["Le cout du jour combine les soins et les partenaires."])
    for word in ("combien", "tout", "pour", "moins"):
        assert lex.correct(word) == word
    assert lex.correct("partenaries") == "partenaires"  # a real typo still is corrected
    assert "combin" not in lex.query_terms("combien de partenaries ?")


def test_a_french_word_the_corpus_lacks_is_not_corrected_but_a_typo_and_an_ending_are():
    from assistant.lexical import LexicalIndex

    lex = LexicalIndex.build(["Le vert des hommes et l'agent participant aux actions de la tranquillité."])
    # real French words one edit from a corpus word: the question keeps them
    assert [lex.correct(w) for w in ("veut", "sommes", "argent")] == ["veut", "sommes", "argent"]
    # a typo (no French word) and another ending of a corpus word are still brought back
    assert lex.correct("tranquilite") == "tranquillite"
    assert lex.correct("participent") == "participant"


def test_a_verbs_plural_the_stemmer_keeps_whole_meets_its_family_in_the_corpus():
    from assistant.lexical import LexicalIndex

    lex = LexicalIndex.build(["Développer les mesures de réparation avec les parents."])
    # « réparent » stems to itself; « répare » is « réparation »'s family
    assert "repar" in lex.query_terms("des jeunes qui réparent ce qu'ils ont abîmé")
    # a noun in -ent that the corpus has is left as it is
    assert lex.correct("parent") == "parent"
