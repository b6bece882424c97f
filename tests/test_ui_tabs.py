"""Each tab of the web app alone: its handlers on a real (fake-embedder) index, and its
components built in a Blocks of their own, without a server or a browser."""

from __future__ import annotations

import gradio as gr
import pytest

from assistant.ui import chat, documents, finder, search
from assistant.ui.context import Ctx
from assistant.ui.indexing import IndexingStatus
from assistant.ui.layout import build_ui


@pytest.fixture(scope="module")
def ctx(fake_assistant):
    with gr.Blocks():
        return Ctx(fake_assistant, IndexingStatus(), gr.State("fr"), gr.Checkbox())


def test_every_tab_builds_alone(fake_assistant):
    for tab in (chat, search, finder, documents):
        with gr.Blocks() as demo:
            c = Ctx(fake_assistant, IndexingStatus(), gr.State("fr"), gr.Checkbox())
            with gr.Tabs():
                parts = tab.build(c)
        assert parts["tab"] in demo.blocks.values()


def test_the_page_keeps_the_named_api(fake_assistant):
    demo = build_ui(fake_assistant)
    names = {d.api_name for d in demo.fns.values() if getattr(d, "api_name", None)}
    assert {"ask", "search", "fiches"} <= names


def test_chat_turn_links_markers_to_titled_sources(ctx):
    turn, ans, panel = chat.answer_turn(
        ctx.assistant, "qui pilote l'objectif 12 ?", [], False, "fr", ctx.titles()
    )
    assert ans is not None and ans.objective == 12
    assert "[\\[1\\]](#cdv-cite-1)" in turn[1]["content"]
    assert "id='cdv-cite-1'" in panel and "Plan d&#x27;actions 2021-2022 du Contrat de ville" in panel
    assert "plan-actions-2021-2022.txt" not in panel


def test_reset_forgets_messages_memory_sources_and_feedback():
    history, memory, sources, feedback, comment = chat.reset("en")
    assert history == [] and memory == [] and feedback == "" and comment == ""
    assert "sources show here" in sources


def test_search_counts_pages_and_names_the_excluding_filter(fake_assistant):
    out, page = search.run_search(fake_assistant, "taux de pauvreté", "", "", "", "", 0, "fr")
    assert "passages trouvés" in out and "Passages 1 à 10" in out and "<mark>" in out and page == 0
    assert "score" not in out
    out2, page2 = search.run_search(fake_assistant, "taux de pauvreté", "", "", "", "", 1, "fr")
    assert "Passages 11 à" in out2 and page2 == 1
    # the web page has no objectives: that filter is the one that excludes everything
    empty, _ = search.run_search(
        fake_assistant, "taux de pauvreté", "page-contrat-de-ville.txt", "", "", "12", 0, "fr"
    )
    assert "Aucun passage avec le filtre" in empty
    choices = search.filter_choices(fake_assistant, "en")
    assert ("All objectives", "") in choices["objective"]
    assert any(label.startswith("12 — Favoriser l'accès aux soins") for label, _ in choices["objective"])


def test_finder_says_how_well_objectives_fit(fake_assistant):
    fits = fake_assistant.objective_fits("j'anime des ateliers numériques pour les seniors")
    assert fits[0].fiche.number == 15 and fits[0].strength == "strong"
    out = finder.fits_html(fits, "fr")
    assert "Correspond bien" in out and "À contacter" in out and "Grand Chambéry" in out
    weak = finder.fits_html(fake_assistant.objective_fits("vente de voitures de luxe"), "fr")
    assert "Aucun objectif ne correspond" in weak and "Correspond bien" not in weak
    assert "Good fit" in finder.fits_html(fits, "en")


def test_documents_open_only_what_the_index_lists(ctx):
    html = documents.open_document(ctx, "rapport-annuel-2018.txt", "fr")
    assert "Hauts de Chambéry" in html
    for probe in ("../corpus/manifest.json", "manifest.json", "/etc/passwd", "glossaire.json"):
        assert documents.open_document(ctx, probe, "fr") == ""
