"""Named API endpoints for gradio_client (and MCP tools when enabled): /ask, /search,
/fiches, /find — the functions and their bilingual descriptions live in
integrations/tools.py, one definition for both."""

from __future__ import annotations

import gradio as gr

from ..integrations.tools import api_functions
from .context import Ctx


def register(ctx: Ctx) -> None:
    for fn in api_functions(ctx.assistant, ctx.not_ready):
        gr.api(fn, api_name=fn.__name__)
