import pytest

from assistant.answer.understand import A_DEVELOPPER, Turn, understand


@pytest.mark.parametrize(
    "text,intent,fields,objectives",
    [
        ("qui pilote l'objectif 12 ?", "field", ("pilots",), (12,)),
        ("who leads objective 3?", "field", ("pilots",), (3,)),
        ("qui pilote lobjectif 7", "field", ("pilots",), (7,)),
        ("qui pillote l'objectif 12", "field", ("pilots",), (12,)),
        ("partenaires de la GUP", "field", ("partners",), ()),
        ("outils d'intervention de l'objectif 15", "field", ("tools",), (15,)),
        ("à quel axe appartient l'objectif 9 ?", "field", ("axis",), (9,)),
        ("c'est quoi l'objectif 12 ?", "field", ("title",), (12,)),
        ("objectif 4", "summary", (), (4,)),
        ("quels sont les 5 axes ?", "list_axes", (), ()),
        ("quels sont les objectifs de l'axe 3 ?", "list_objectives", (), ()),
        ("dans quels objectifs la CAF est-elle partenaire ?", "org", ("partners",), ()),
        ("j'anime des ateliers numériques pour les seniors", "finder", (), ()),
        ("we want to help residents with online procedures", "finder", (), ()),
        ("combien d'interventions des correspondants de nuit en 2018 ?", "fact", (), ()),
        ("qu'est-ce que le DIRED ?", "fact", (), ()),
        ("la fiche sur la crise covid c qui qui s'en occupe ?", "field", ("pilots",), ()),
        # a long text without « ? » describes a project, unless it asks (users drop the mark)
        (
            "on fait un atelier couture pour les femmes du quartier le mardi soir avec une salle prêtée par la mairie",
            "finder",
            (),
            (),
        ),
        # … told in the first person: a long run of keywords asks the documents
        (
            "carte d'identité des quartiers pour le QPV Biollay Bellevue, population, demandeurs d'emploi et revenu médian",
            "fact",
            (),
            (),
        ),
        (
            "whats the median monthly income in grand chambery compared to the hauts de chambery and the biollay",
            "fact",
            (),
            (),
        ),
    ],
)
def test_intents(text, intent, fields, objectives):
    q = understand(text)
    assert (q.intent, q.fields, q.objectives) == (intent, fields, objectives)


def test_status_and_topic():
    q = understand("actions à développer pour le numérique")
    assert q.status == A_DEVELOPPER and q.fields == ("actions",) and q.topic == "numerique"
    # « planned » is what the plan lists, under way or to develop
    q = understand("What actions are planned under objective 17?")
    assert q.status is None and q.fields == ("actions",) and q.objectives == (17,)
    assert understand("which actions are still to be developed for objective 17?").status == A_DEVELOPPER


def test_numeric_and_language():
    assert understand("combien de jeunes ?").numeric
    assert understand("how many young people?").lang == "en"
    assert understand("Quel est le taux de pauvreté ?").lang == "fr"


def test_where_the_asker_belongs_is_asked_of_the_finder():
    q = understand("Notre atelier répare des vélos avec les jeunes du quartier. On se rattache à quoi ?")
    assert q.intent == "finder"  # « se rattacher » with the asker as subject: no objective's axis


def test_which_objectives_fit_is_asked_of_the_finder_even_with_whom_to_contact():
    # « objectifs » and « contacter » (the pilots) would read as « which objectives is this
    # organisation in »; asking which ones fit is the finder, whose answer names the pilots
    for text in (
        "Notre association fait de l'aide aux devoirs au Biollay. Quels objectifs correspondent et qui contacter ?",
        "We teach French to adults in Cognin. Which objectives fit, and who are the pilots?",
    ):
        assert understand(text).intent == "finder", text
    assert understand("dans quels objectifs la CAF est-elle partenaire ?").intent == "org"


def test_this_fiche_points_back_however_long_the_question():
    h = [Turn((18,), (), "fact")]
    q = understand("et qui est listé en partenaires sur cette fiche, dans le plan 2021-2022 ?", h)
    assert (q.fields, q.objectives, q.follow_up) == (("partners",), (18,), True)


def test_follow_ups_take_the_previous_objective_or_field():
    h = [Turn((12,), ("pilots",), "field:pilots")]
    q = understand("et ses partenaires ?", h)
    assert (q.intent, q.fields, q.objectives, q.follow_up) == ("field", ("partners",), (12,), True)
    q = understand("and the tools?", h)
    assert (q.fields, q.objectives) == (("tools",), (12,))
    q = understand("et pour l'objectif 13 ?", h)
    assert (q.fields, q.objectives) == (("pilots",), (13,))


def test_empty_and_punctuation_only():
    assert understand("   ").intent == "empty"
    assert understand("???").intent == "empty"


def test_a_project_preamble_before_a_figure_question_is_a_figure_question():
    from assistant.answer.frame import make_frame
    from assistant.answer.understand import understand_framed

    # who asks (« nous organisons … je voudrais ») is context; the ask is a number
    told = "Nous organisons des sorties familiales. Je voudrais savoir combien de jardins partagés en 2019 ?"
    assert understand_framed(make_frame(told)).intent == "fact"
    # the same preamble with a place-my-project ask stays the finder, on the whole text
    q = understand_framed(make_frame("Nous organisons des sorties familiales. Quel objectif pour nous ?"))
    assert q.intent == "finder" and "sorties familiales" in q.text


def test_the_plan_d_actions_is_a_document_name_not_the_actions_field():
    from assistant.answer.understand import detect_fields

    assert detect_fields("Quel est le budget global du plan d'actions 2021-2022 ?") == ()
    assert detect_fields("what does the action plan cost?") == ()
    assert detect_fields("les actions du plan d'actions pour le jardin") == ("actions",)


def test_a_word_of_its_own_is_no_typo_of_a_field_word():
    from assistant.answer.understand import detect_fields

    assert detect_fields("How many weeks did the work sites last before and after the change?") == ()
    assert detect_fields("que dit la charte de la GUP ?") == ()
    assert detect_fields("qui est en charge de la GUP ?") == ("pilots",)
    assert detect_fields("qui sont les pilottes de l'objectif 3 ?") == ("pilots",)  # a typo still is


def test_a_fiche_has_one_axis_so_a_plural_theme_asks_a_list_not_the_axis():
    from assistant.answer.understand import detect_fields

    assert detect_fields("Fiche jardins (objectif 4) : quelles thématiques sont retenues en priorité ?") == ()
    assert detect_fields("Objective 4: which themes were kept as priorities?") == ()
    assert detect_fields("L'objectif 4 est rattaché à quelle thématique ?") == ("axis",)
    assert detect_fields("objective 4: which axis and which theme?") == ("axis",)


def test_a_figure_no_fiche_field_holds_is_asked_of_the_passages():
    from assistant.answer.frame import make_frame
    from assistant.answer.understand import understand_framed

    def intent(text):
        return understand_framed(make_frame(text)).intent

    assert intent("Combien d'éducateurs la fiche 4 prévoit-elle de recruter ?") == "fact"
    assert intent("What budget does objective 4 plan for the gardens?") == "fact"
    # a count of what a fiche lists, or a field asked beside « à part », stays a field
    assert intent("Combien de partenaires a l'objectif 4 ?") == "field"
    assert intent("L'objectif 4, à part l'Etat, c'est qui les partenaires ?") == "field"
    assert intent("Quels outils prévoit la fiche 4 ?") == "field"


def test_a_compound_question_whose_parts_go_different_ways_is_read_part_by_part():
    from assistant.answer.frame import make_frame
    from assistant.answer.understand import part_questions

    parts = part_questions(make_frame("Qui pilote l'objectif 4 et combien de parcelles au jardin en 2019 ?"))
    assert parts is not None
    (_, q1), (own2, q2) = parts
    assert q1.intent == "field" and q1.objectives == (4,)
    assert q2.intent == "fact" and "parcelles" in own2 and "pilote" not in own2
    # two figures, or two fields of one fiche: one reading answers both
    assert part_questions(make_frame("combien de parcelles et combien de jardiniers ?")) is None
    assert part_questions(make_frame("qui pilote l'objectif 4 et quels sont ses partenaires ?")) is None


def test_a_field_asked_beside_a_fact_of_the_same_fiche_keeps_both_parts():
    """Read whole, « …, quelles pistes sont envisagées, et qui pilote ? » asks the pilots only;
    the part without a field is kept, and the field part is read with the fiche it inherits."""
    from assistant.answer.frame import make_frame
    from assistant.answer.understand import part_questions

    q = "Pour la fiche sur l'accès aux soins, quelles démarches sont envisagées, et qui pilote ?"
    parts = part_questions(make_frame(q))
    assert parts is not None
    (own1, q1), (own2, q2) = parts
    assert q1.intent == "fact" and "démarches" in own1 and not q1.fields
    # a follow-up of the fiche the first part is answered from, else read with its own words
    assert q2.fields == ("pilots",) and q2.follow_up and "soins" in own2 and own2 != q2.text


@pytest.mark.parametrize(
    "question,focus",
    [
        ("qui est le maire de Chambéry ?", "maire"),
        ("quels sont les horaires d'ouverture de la piscine ?", "horaires"),
        ("Combien de conseillers numériques ont été recrutés ?", "conseillers numeriques"),
        ("How many flats does the residence have?", "flats"),
        ("who is the president of grand chambery?", "president"),
        ("la boxe au biollay l'inscription c combien ??", "inscription"),
        ("quel est le nombre de participants ?", "participants"),  # « nombre » says how, not what
        ("qui pilote l'objectif 12 ?", ""),  # asked by its verb: no focus
        ("le piedibus ca coute combien ?", ""),
        # an auxiliary after « how much » starts the clause: what is paid is not named
        ("how much did the town pay for the new gym?", ""),
        ("how much money went to the youth centre?", "money"),
    ],
)
def test_focus_is_what_the_part_asks_about(question, focus):
    from assistant.answer.frame import focus_of

    assert focus_of(question) == focus


@pytest.mark.parametrize(
    "question,measure,focus",
    [
        ("la piscine ouvre a quelle heure le dimanche ?", "time", ""),
        ("en quelle année le gymnase a-t-il été construit ?", "date", ""),
        ("combien d'heures de soutien scolaire par semaine ?", "count", "heures"),  # hours counted
    ],
)
def test_a_time_or_date_asked_is_the_measure_not_a_word_to_find(question, measure, focus):
    from assistant.answer.frame import make_frame

    part = make_frame(question).parts[0]
    assert (part.measure, part.focus) == (measure, focus)


@pytest.mark.parametrize(
    "ask",
    [
        "Where do we fit in the plan?",
        "which part of the plan is it",
        "Ça correspond à quel objectif ?",
        "Ça correspond à quoi dans le plan ?",
        "c'est dans quelle fiche ?",
    ],
)
def test_asking_where_a_project_fits_wants_an_objective(ask):
    from assistant.answer.frame import answer_type

    assert answer_type(ask) == "objective"
    assert answer_type("ça correspond à quoi le QPV ?") != "objective"


def test_an_ask_that_names_nothing_is_about_its_preamble():
    from assistant.answer.frame import make_frame

    f = make_frame("Objective 13 says some themes were kept as priorities. Which ones?")
    assert f.parts[0].text.startswith("Objective 13 says some themes") and f.parts[0].own == "Which ones"
    # an ask that names its subject stands alone
    g = make_frame("Je suis au Biollay. Qui pilote la GUP ?")
    assert g.parts[0].text == "Qui pilote la GUP"
