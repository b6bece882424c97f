"""The 19 objectives tab: who-is-where for an actor first, then the fiche cards."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .context import Ctx
from .format import actors, crossref_html, fiches_html
from .i18n import key


def build(ctx: Ctx) -> dict[str, Any]:
    with gr.Tab(key("tab_fiches"), id="fiches") as tab:
        actor = gr.Dropdown([], label=key("crossref"), allow_custom_value=False, elem_id="cdv-actor")
        crossref = gr.HTML(elem_id="cdv-crossref")
        fiches_view = gr.HTML(elem_id="cdv-fiches")
    actor.change(
        lambda a, lg: (
            crossref_html(ctx.assistant.fiches(), a or "", lg) if ctx.ready() else ctx.not_ready(lg)
        ),
        [actor, ctx.lang],
        [crossref],
        api_visibility="private",
    )
    return dict(tab=tab, outputs=[fiches_view, actor, crossref])


def fill(ctx: Ctx, lang: str) -> tuple[Any, ...]:
    fs = ctx.assistant.fiches()
    cards = {n: c.text for n, c in ctx.assistant.answerer.fiches.cards.items()}
    return (
        fiches_html(fs, cards, lang),
        gr.update(choices=actors(fs), value=None),
        crossref_html(fs, "", lang),
    )
