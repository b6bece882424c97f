"""Pure extraction helpers of the extractive answerer."""

from assistant.answer.extract import _ends_name, focus, key_figure
from assistant.answer.units import split_units
from assistant.schema import Chunk
from assistant.textnorm import analyze


def _stems(text):
    return analyze(text)


def test_key_figure_is_the_number_next_to_the_question_words():
    text = "Sport dans la Ville : avec 145 jeunes inscrits sur les deux terrains ; 7 jeunes ont pu accéder aux camps"
    fig, fit = key_figure(text, _stems("jeunes inscrits"), {})
    assert fig == "145 jeunes" and fit > 0


def test_the_figure_of_the_kind_asked_answers_when_the_text_has_one():
    text = "Médiation : 900 visites dont 60% en quartier prioritaire, soit 540 visites, pour 12 000 €"
    stems = _stems("quartier prioritaire")
    assert key_figure(text, stems, {})[0] == "60%"  # the closest to the words
    assert key_figure(text, stems, {}, "count")[0] == "540 visites"
    assert key_figure(text, stems, {}, "amount")[0] == "12 000 €"
    # a kind the text does not have: the closest figure, as without a measure
    assert key_figure("Médiation : 60% en quartier prioritaire", stems, {}, "amount")[0] == "60%"
    # a year or a name's number is no count: the text has none, the rate leads
    assert key_figure("En 2018, 60% en quartier prioritaire (Posse 33)", stems, {}, "count")[0] == "60%"


def test_years_and_names_are_not_figures():
    fig, _ = key_figure(
        "En 2018, ateliers (Posse 33) et 60 ateliers sociolinguistiques", _stems("ateliers"), {}
    )
    assert fig == "60 ateliers"
    assert _ends_name("accompagnement (Posse ")
    assert not _ends_name("Environ ")


def test_a_day_written_in_figures_is_no_figure():
    # « combien » is not answered by the day of a deadline
    text = "Développer les contrats d'alternance (primes exceptionnelles maintenues jusqu'au 31/12/2021)"
    assert key_figure(text, _stems("primes exceptionnelles"), {})[0] is None
    assert key_figure("12 primes versées avant le 31/12/2021", _stems("primes"), {})[0] == "12 primes"


def test_no_figure_near_the_words_means_no_fit():
    assert (
        key_figure(
            "Les conseils citoyens de Grand Chambéry, Aix-les-Bains et Albertville",
            _stems("habitants aix"),
            {},
        )[1]
        == 0
    )


def test_focus_keeps_the_clause_with_the_rare_word():
    text = (
        "Des quartiers en veille active ont aussi été définis. Il s'agit du Clos Gaillard (Barby), de Chantemerle, "
        "du Piochet, de la Cassine et du Mas Barral (Chambéry), de la Forgerie et la Poterie (Cognin), du Val Fleuri, "
        "de Féjaz et pour partie des Epinettes (La Ravoire), du Corbelet (Jacob- Bellecombette), des Tournelles (Saint-Alban-Leysse), "
        "des Chantres (La Motte-Servolex), de l'Espinier et du Pré Rond (Saint-Baldoph)"
    )
    out = focus(text, _stems("quartiers veille active cognin"), {"cognin": 3.0}, limit=200)
    assert "Cognin" in out and "veille active" in out and "…" in out


def test_units_split_sentences_but_keep_rows_whole():
    c = Chunk(
        id="x",
        source="s",
        text="Première phrase. Deuxième phrase.\n- Une puce",
        context="",
        kind="k",
        chunk_type="section",
    )
    units = split_units(c)
    assert [u.text for u in units] == ["Première phrase.", "Deuxième phrase.", "- Une puce"]
    assert units[1].with_context == "Première phrase. Deuxième phrase."
    row = Chunk(id="r", source="s", text="A — b : 1 ; c : 2", context="", kind="k", chunk_type="table_row")
    assert len(split_units(row)) == 1


def test_figures_are_split_where_french_writes_them_apart():
    fig, _ = key_figure("En 2018, 60 ateliers sociolinguistiques", _stems("ateliers"), {})
    assert fig == "60 ateliers"
    fig, _ = key_figure("s'élève à 4.265.462 euros", _stems("euros"), {})
    assert fig.startswith("4.265.462")
    fig, _ = key_figure("un taux de 41,4 % et 10.8 millions", _stems("taux"), {})
    assert fig.startswith("41,4")


def test_the_counted_thing_follows_the_number():
    text = "en 3 ans, 70 membres des conseils citoyens ; 3 conseils citoyens créés"
    fig, _ = key_figure(text, _stems("conseils citoyens"), {})
    assert fig == "3 conseils"


def test_focus_never_cuts_the_list_a_kept_label_opens():
    text = (
        "Partenaires : Etat, Ville, MJC, centres sociaux, bibliothèques, régies de quartier, foyers, "
        "Groupe jardins : Pousses Vertes, Compost Plus, Graines de Bassens, Jardin des Prés, Les Bineurs, "
        "Groupe sport : Club A, Club B, Club C, Club D, Club E, Club F, Club G, Club H, Club I, Club J, Club K."
    )
    out = focus(text, _stems("groupe jardins"), {"jardin": 3.0}, limit=60)
    assert (
        "Groupe jardins : Pousses Vertes, Compost Plus, Graines de Bassens, Jardin des Prés, Les Bineurs,"
        in out
    )
    assert "Club A" not in out  # the next label's list is another answer


def test_focus_keeps_an_enumeration_whole_with_the_clause_that_announces_it():
    text = (
        "Une longue phrase d'introduction sur le programme, qui ne dit rien de ce qui est demandé ici. "
        "Mise en place de 12 ateliers pour les familles sur des sujets comme le jardinage, la cuisine "
        "du monde, le sommeil des petits, la lecture à voix haute, animés par une conseillère. "
        "Une autre phrase encore, assez longue, sur le financement et le calendrier de l'opération."
    )
    out = focus(text, _stems("ateliers familles sujets"), {"ateliers": 3.0}, limit=120)
    assert "le jardinage, la cuisine du monde, le sommeil des petits, la lecture à voix haute," in out
    assert out.startswith("…") and "financement" not in out


def test_a_number_the_question_gives_is_not_the_figure_asked():
    text = "Avec le fonds depuis 4 ans, 210 porteurs de projets accompagnés dont 38% de femmes."
    asked = "Le fonds : bilan sur 4 ans en porteurs accompagnés ?"
    assert key_figure(text, _stems(asked), {})[0] == "4 ans"  # the nearest words are « ans »
    assert key_figure(text, _stems(asked), {}, told=asked)[0] == "210 porteurs"
