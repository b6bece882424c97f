"""The search tab: filtered hybrid search with paging."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..retrieval import Filters
from .context import Ctx, not_ready
from .format import UI_TEXT, search_results_html

PAGE = 10


def build(ctx: Ctx) -> dict[str, Any]:
    t = UI_TEXT["fr"]
    assistant, lang = ctx.assistant, ctx.lang
    with gr.Tab(t["tab_search"], id="search") as tab:
        with gr.Row():
            query = gr.Textbox(label=t["search"], scale=4, elem_id="cdv-search-box", max_length=500)
            search_btn = gr.Button(t["search_btn"], variant="primary", scale=1)
        with gr.Row():
            doc = gr.Dropdown([t["all"]], value=t["all"], label=t["doc"])
            kind = gr.Dropdown(
                [t["all"], "plan", "rapport annuel", "page web"], value=t["all"], label=t["kind"]
            )
            axis = gr.Dropdown([t["all"], *map(str, range(1, 6))], value=t["all"], label=t["axis"])
            objective = gr.Dropdown([t["all"], *map(str, range(1, 20))], value=t["all"], label=t["objective"])
        results = gr.HTML()
        with gr.Row():
            prev_btn = gr.Button(t["prev"], size="sm")
            next_btn = gr.Button(t["next"], size="sm")
        page = gr.State(0)

    def do_search(q: str, d: str, kd: str, ax: str, ob: str, pg: int, lg: str) -> tuple[str, int]:
        if not ctx.ready():
            return not_ready(lg), 0
        if not q.strip():
            return "", 0
        all_ = {UI_TEXT["fr"]["all"], UI_TEXT["en"]["all"]}
        filters = Filters(
            source=None if d in all_ else d,
            kind=None if kd in all_ else kd,
            axis=None if ax in all_ else int(ax),
            objective=None if ob in all_ else int(ob),
        )
        pg = max(0, pg)
        hits = assistant.search(q[:500], k=(pg + 1) * PAGE, filters=filters)
        return search_results_html(hits[pg * PAGE :], q, lg, offset=pg * PAGE), pg

    s_in = [query, doc, kind, axis, objective, page, lang]

    def first_page(q: str, d: str, kd: str, ax: str, ob: str, pg: int, lg: str) -> tuple[str, int]:
        return do_search(q, d, kd, ax, ob, 0, lg)

    def next_page(q: str, d: str, kd: str, ax: str, ob: str, pg: int, lg: str) -> tuple[str, int]:
        return do_search(q, d, kd, ax, ob, pg + 1, lg)

    def prev_page(q: str, d: str, kd: str, ax: str, ob: str, pg: int, lg: str) -> tuple[str, int]:
        return do_search(q, d, kd, ax, ob, pg - 1, lg)

    search_btn.click(first_page, s_in, [results, page], api_visibility="private")
    query.submit(first_page, s_in, [results, page], api_visibility="private")
    next_btn.click(next_page, s_in, [results, page], api_visibility="private")
    prev_btn.click(prev_page, s_in, [results, page], api_visibility="private")
    return dict(tab=tab, query=query, search_btn=search_btn, doc=doc)
