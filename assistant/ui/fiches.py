"""The 19 objectives tab: fiche cards and who-is-where for a pilot or partner."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .context import Ctx
from .format import UI_TEXT, actors, crossref_rows, fiches_html


def build(ctx: Ctx) -> dict[str, Any]:
    t = UI_TEXT["fr"]
    with gr.Tab(t["tab_fiches"], id="fiches") as tab:
        fiches_view = gr.HTML(elem_id="cdv-fiches")
        actor = gr.Dropdown([], label=t["partner"], allow_custom_value=False, elem_id="cdv-actor")
        crossref = gr.Dataframe(
            headers=["Objectif", "Intitulé", "Rôle"], label=t["crossref"], interactive=False
        )
    actor.change(
        lambda a, lg: crossref_rows(ctx.assistant.fiches(), a or "", lg) if ctx.ready() else [],
        [actor, ctx.lang],
        [crossref],
        api_visibility="private",
    )
    return dict(tab=tab, fiches_view=fiches_view, actor=actor)


def fill(ctx: Ctx, lg: str) -> tuple[Any, ...]:
    fs = ctx.assistant.fiches()
    cards = {n: c.text for n, c in ctx.assistant.answerer.fiches.cards.items()}
    return fiches_html(fs, cards, lg), gr.update(choices=actors(fs))
