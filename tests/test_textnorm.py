from assistant.textnorm import Speller, analyze, edit_distance, fold, raw_tokens


def test_fold_strips_accents_case_and_digit_grouping():
    assert fold("Égalité Femmes/Hommes") == "egalite femmes/hommes"
    assert fold("8 871 interventions") == fold("8871 interventions") == "8871 interventions"
    assert fold("4.265.462 euros") == "4265462 euros"
    assert fold("10.8 millions") == "10.8 millions"  # a decimal is not a thousands group
    assert fold("cœur") == "coeur"


def test_analyze_removes_stopwords_and_stems_the_same_with_or_without_accents():
    assert analyze("les partenaires de l'objectif") == analyze("PARTENAIRES objectif")
    assert analyze("développer") == analyze("developper")
    assert "le" not in analyze("le pilote")


def test_elisions_are_split():
    assert raw_tokens("l'objectif d’insertion") == ["l", "objectif", "d", "insertion"]


def test_edit_distance_counts_transpositions_as_one():
    assert edit_distance("pilote", "pilote") == 0
    assert edit_distance("piltoe", "pilote") == 1
    assert edit_distance("numerique", "numreique") == 1
    assert edit_distance("abc", "xyzabc", limit=2) == 3


def test_speller_corrects_within_budget_and_prefers_frequent_words():
    sp = Speller(
        ["partenaires", "pilote", "numerique", "quartier", "quartiers"], {"quartiers": 10, "quartier": 2}
    )
    assert sp.correct("partenaries") == "partenaires"
    assert sp.correct("pilotte") == "pilote"
    assert sp.correct("numerik") is None  # two edits on a 7-letter word: too far
    assert sp.correct("quartiere") in {"quartier", "quartiers"}
    assert sp.correct("pilote") is None  # known words are left alone


def test_phone_shorthand_is_spelled_out_as_whole_words_only():
    from assistant.textnorm import expand_shorthand

    assert expand_shorthand("c koi les quartiers en veille a st baldoph") == (
        "c quoi les quartiers en veille a saint baldoph"
    )
    assert (
        expand_shorthand("le pellican ca aide cb de personnes") == "le pellican ca aide combien de personnes"
    )
    assert expand_shorthand("r there any ppl") == "are there any people"
    assert expand_shorthand("St-Alban-Leysse") == "saint-Alban-Leysse"
    # acronyms, compounds and words that merely contain a short form are kept
    for kept in ("le PR de la ville", "a u-turn", "the 1st step", "une station", "PRU"):
        assert expand_shorthand(kept) == kept


def test_everyday_words_the_documents_never_use_become_the_documents_words():
    from assistant.textnorm import expand_shorthand

    assert (
        expand_shorthand("et ca touche combien de gens par an ?")
        == "et ca touche combien de personnes par an ?"
    )
    assert (
        expand_shorthand("Les gamins et les ados du quartier") == "Les enfants et les adolescents du quartier"
    )
    # elided, as a word usually is (a short form is not: « l'st » stays)
    assert expand_shorthand("combien d'ados suivis ?") == "combien d'adolescents suivis ?"
    # only the whole word: « agents », « gensdarmes » are not « gens »; a compound is kept
    for kept in ("les agents de médiation", "des gensdarmes", "Gens-du-voyage", "l'st"):
        assert expand_shorthand(kept) == kept
