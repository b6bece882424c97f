import pytest

from assistant.answer.citations import CitationList, contains_evidence, numbers_in, validate_generated
from assistant.schema import Chunk


def _chunk(i: str, text: str) -> Chunk:
    return Chunk(id=i, source="s.txt", text=text, context="", kind="plan", chunk_type="section")


def test_citations_are_numbered_in_order_of_first_use():
    cl = CitationList()
    a, b = _chunk("a", "texte A"), _chunk("b", "texte B")
    assert cl.cite(a, (0, 5)) == "[1]"
    assert cl.cite(b) == "[2]"
    assert cl.cite(a) == "[1]"
    assert [c.number for c in cl.as_tuple()] == [1, 2]
    assert cl.as_tuple()[0].span == (0, 5)


def test_numbers_are_compared_without_separators():
    assert numbers_in("8 871 interventions et 4.265.462 euros") == {"8871", "4265462"}


def test_evidence_matching_ignores_layout_and_accents():
    assert contains_evidence(
        "Pilote : Grand Chambéry, Ville de Chambéry", "Grand Chambery\nVille de Chambery"
    )
    assert not contains_evidence("Pilote : Etat", "Grand Chambéry")


def test_generated_answers_are_validated():
    passages = {1: "En 2018, 8 871 interventions spontanées.", 2: "Le pilote est Grand Chambéry."}
    assert validate_generated("Il y a eu 8871 interventions [1].", passages).ok
    assert not validate_generated("Il y a eu 8871 interventions.", passages).ok  # no citation
    assert not validate_generated("Il y a eu 8871 interventions [3].", passages).ok  # unknown number
    assert not validate_generated("Il y a eu 9 999 interventions [1].", passages).ok  # invented figure
    assert not validate_generated(
        "Le pilote est Grand Chambéry, 8871 fois [2].", passages
    ).ok  # figure not in cited passage
    assert not validate_generated("", passages).ok


def test_a_draft_continues_the_numbering_and_is_only_kept_when_adopted():
    from assistant.answer.citations import CitationList
    from assistant.schema import Chunk

    def c(i: str) -> Chunk:
        return Chunk(i, "doc.txt", f"texte {i}", "Doc", "rapport", "section")

    cites = CitationList()
    assert cites.cite(c("a")) == "[1]"
    draft = cites.draft()
    assert draft.cite(c("b")) == "[2]"  # a second part's answer, numbered after the first
    assert len(cites.items) == 1  # not kept yet
    cites.adopt(draft)
    assert [x.chunk_id for x in cites.items] == ["a", "b"]
    with pytest.raises(ValueError):
        cites.adopt(CitationList())  # not a draft of this list
