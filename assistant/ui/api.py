"""Named API endpoints for gradio_client: /ask, /search, /fiches (stable contract)."""

from __future__ import annotations

import time

import gradio as gr

from ..cli import answer_json
from .context import Ctx


def register(ctx: Ctx) -> None:
    assistant = ctx.assistant

    def ask(question: str, simple: bool = False) -> dict:
        """Answer a question with citations (same JSON as `python -m assistant ask --json`)."""
        if not ctx.ready():
            return {"error": ctx.not_ready("fr")}
        t0 = time.perf_counter()
        ans = assistant.ask(question[:2000], simple=simple)
        return answer_json(ans, (time.perf_counter() - t0) * 1000)

    def search(query: str, k: int = 5) -> list:
        """Hybrid search: passages with source, page, objective, section, text, score."""
        if not ctx.ready():
            return []
        if not isinstance(query, str) or not query.strip():
            raise gr.Error("La recherche est vide : tapez quelques mots.")
        hits = assistant.search(query[:500], k=max(1, min(int(k), 50)))
        return [h.as_json() for h in hits]

    def fiches() -> list:
        """The objectives as structured data."""
        return [f.as_json() for f in assistant.fiches()] if ctx.ready() else []

    gr.api(ask, api_name="ask")
    gr.api(search, api_name="search")
    gr.api(fiches, api_name="fiches")
