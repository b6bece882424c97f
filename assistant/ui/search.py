"""The search tab: hybrid search with titled filters, a count, pages, highlighted words,
and an empty result that names the filter that excludes everything."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import gradio as gr

from ..assistant import Assistant
from ..retrieval import Filters
from .context import Ctx
from .format import empty_search_html, search_results_html
from .i18n import key, tr

PAGE = 10
MOST = 100  # passages counted; fused search ranks every candidate, so more is noise
ALL = ""  # the value of every « Tous » choice
KINDS = ("plan", "rapport annuel", "page web")


def filter_choices(assistant: Assistant, lang: str) -> dict[str, list[tuple[str, Any]]]:
    """The four filters' choices, labelled with titles (documents, axes, objectives)."""
    docs = assistant.documents()
    fiches = sorted(assistant.fiches(), key=lambda f: f.number)
    axes: dict[int, str] = {}
    for f in fiches:
        if f.axis:
            axes.setdefault(f.axis, f.axis_title or "")
    kinds = [k for k in KINDS if any(d.get("kind") == k for d in docs)] or list(KINDS)
    return {
        "doc": [
            (tr(lang, "all_doc"), ALL),
            *[(str(d.get("title") or d["source"]), d["source"]) for d in docs],
        ],
        "kind": [(tr(lang, "all_kind"), ALL), *[(tr(lang, f"kind_{k}"), k) for k in kinds]],
        "axis": [(tr(lang, "all_axis"), ALL), *[(f"{n} — {t}", str(n)) for n, t in sorted(axes.items())]],
        "objective": [
            (tr(lang, "all_objective"), ALL),
            *[(f"{f.number} — {f.title}", str(f.number)) for f in fiches],
        ],
    }


def run_search(
    assistant: Assistant, q: str, doc: str, kind: str, axis: str, objective: str, page: int, lang: str
) -> tuple[str, int]:
    """The results page as HTML and the page number actually shown."""
    if not q.strip():
        return "", 0
    filters = Filters(
        source=doc or None,
        kind=kind or None,
        axis=int(axis) if axis else None,
        objective=int(objective) if objective else None,
    )
    hits = assistant.search(q[:500], k=MOST, filters=filters)
    titles = {d["source"]: str(d.get("title") or d["source"]) for d in assistant.documents()}
    if not hits:
        return _why_empty(assistant, q, filters, lang), 0
    last = (len(hits) - 1) // PAGE
    page = min(max(0, page), last)
    shown = hits[page * PAGE : (page + 1) * PAGE]
    return search_results_html(shown, q, lang, offset=page * PAGE, total=len(hits), titles=titles), page


def _why_empty(assistant: Assistant, q: str, filters: Filters, lang: str) -> str:
    choices = filter_choices(assistant, lang)
    labels = {"source": ("doc", tr(lang, "doc")), "kind": ("kind", tr(lang, "kind"))}
    labels |= {"axis": ("axis", tr(lang, "axis")), "objective": ("objective", tr(lang, "objective"))}
    active = [(f, getattr(filters, f)) for f in labels if getattr(filters, f) is not None]
    for field_name, value in active:
        n = len(assistant.search(q[:500], k=MOST, filters=replace(filters, **{field_name: None})))
        if n:
            name, label = labels[field_name]
            shown = next((lab for lab, v in choices[name] if v == str(value)), str(value))
            return empty_search_html(lang, (label, shown, n), [])
    return empty_search_html(lang, None, [labels[f][1] for f, _ in active])


def build(ctx: Ctx) -> dict[str, Any]:
    with gr.Tab(key("tab_search"), id="search") as tab:
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                label=key("search"), scale=4, min_width=200, elem_id="cdv-search-box", max_length=500
            )
            search_btn = gr.Button(
                key("search_btn"), variant="primary", scale=1, min_width=90, elem_id="cdv-search-btn"
            )
        with gr.Row():
            doc = gr.Dropdown([("—", ALL)], value=ALL, label=key("doc"), elem_id="cdv-f-doc")
            kind = gr.Dropdown([("—", ALL)], value=ALL, label=key("kind"), elem_id="cdv-f-kind")
            axis = gr.Dropdown([("—", ALL)], value=ALL, label=key("axis"), elem_id="cdv-f-axis")
            objective = gr.Dropdown(
                [("—", ALL)], value=ALL, label=key("objective"), elem_id="cdv-f-objective"
            )
        results = gr.HTML(elem_id="cdv-results")
        with gr.Row():
            prev_btn = gr.Button(key("prev"), size="sm", elem_id="cdv-prev")
            next_btn = gr.Button(key("next"), size="sm", elem_id="cdv-next")
        page = gr.State(0)

    def go(step: int | None):
        def handler(q: str, d: str, kd: str, ax: str, ob: str, pg: int, lg: str) -> tuple[str, int]:
            if not ctx.ready():
                return ctx.not_ready(lg), 0
            return run_search(ctx.assistant, q, d, kd, ax, ob, 0 if step is None else pg + step, lg)

        return handler

    s_in = [query, doc, kind, axis, objective, page, ctx.lang]
    out = [results, page]
    for trigger, step in (
        (search_btn.click, None),
        (query.submit, None),
        (next_btn.click, 1),
        (prev_btn.click, -1),
    ):
        trigger(go(step), s_in, out, api_visibility="private")
    for dd in (doc, kind, axis, objective):
        dd.input(go(None), s_in, out, api_visibility="private")
    return dict(tab=tab, filters=[doc, kind, axis, objective])


def fill(ctx: Ctx, lang: str) -> tuple[Any, ...]:
    choices = filter_choices(ctx.assistant, lang)
    return tuple(gr.update(choices=choices[n], value=ALL) for n in ("doc", "kind", "axis", "objective"))
