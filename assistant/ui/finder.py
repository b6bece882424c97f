"""The finder tab: a project description -> the objectives it fits."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .context import Ctx, not_ready
from .format import UI_TEXT, answer_markdown, citations_html


def build(ctx: Ctx) -> dict[str, Any]:
    t = UI_TEXT["fr"]
    with gr.Tab(t["tab_finder"], id="finder") as tab:
        finder_intro = gr.Markdown(t["finder_intro"])
        project = gr.Textbox(label=t["finder_box"], lines=4, elem_id="cdv-project", max_length=3000)
        finder_btn = gr.Button(t["finder_btn"], variant="primary", elem_id="cdv-finder-btn")
        finder_out = gr.Markdown(elem_id="cdv-finder-out")
        finder_sources = gr.HTML()

    def do_find(text: str, simple_on: bool, lg: str) -> tuple[str, str]:
        if not ctx.ready():
            return not_ready(lg), ""
        ans = ctx.assistant.find(text[:3000], simple=simple_on)
        return answer_markdown(ans), citations_html(ans, lg)

    finder_btn.click(
        do_find, [project, ctx.simple, ctx.lang], [finder_out, finder_sources], api_visibility="private"
    )
    return dict(tab=tab, finder_intro=finder_intro, project=project, finder_btn=finder_btn)
