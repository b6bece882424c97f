"""The finder tab: a project description -> the objectives it fits, how well, and whom
to contact. The plain-language switch is the page's one (shared with the chat)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import gradio as gr

from ..schema import ObjectiveFit
from .context import Ctx
from .i18n import key, tr


def fits_html(fits: Sequence[ObjectiveFit], lang: str, simple: bool = False) -> str:
    """One card per fitting objective: strength first, then whom to contact, then why
    (matching actions and words). Says so when nothing fits well."""
    shown = [(f, f.strength) for f in fits]
    shown = [(f, s) for f, s in shown if s != "none"]
    if not shown:
        return f"<p role='status' class='cdv-fit-none'>{html.escape(tr(lang, 'fit_nothing'))}</p>"
    out = []
    if all(s != "strong" for _, s in shown):
        out.append(f"<p role='status' class='cdv-fit-none'>{html.escape(tr(lang, 'fit_none'))}</p>")
    for fit, s in shown:
        f = fit.fiche
        actions = [f.actions[i].text for i in fit.actions][: 2 if simple else 3]
        contact = (
            f"<p><b>{tr(lang, 'leads')}</b> : <span lang='fr'>{html.escape(', '.join(f.pilots))}</span></p>"
        )
        if f.partners and not simple:
            partners = ", ".join(f.partners)
            contact += (
                f"<p><b>{tr(lang, 'partners')}</b> : <span lang='fr'>{html.escape(partners)}</span></p>"
            )
        words = ", ".join(fit.words)
        out.append(
            f"<section class='cdv-fit cdv-fit-{s}' aria-labelledby='fit-{f.number}'>"
            f"<h3 id='fit-{f.number}'><span class='cdv-badge cdv-badge-{s}'>{tr(lang, 'fit_' + s)}</span> "
            f"{tr(lang, 'objective')} {f.number} — <span lang='fr'>{html.escape(f.title)}</span></h3>"
            f"<div class='cdv-contact'><p class='cdv-contact-title'>{tr(lang, 'contact')}</p>{contact}</div>"
            + (
                f"<p><b>{tr(lang, 'matching_actions')}</b> :</p><ul lang='fr'>"
                + "".join(f"<li>{html.escape(a)}</li>" for a in actions)
                + "</ul>"
                if actions
                else ""
            )
            + (
                f"<p class='cdv-muted'>{tr(lang, 'matching_words')} : {html.escape(words)}</p>"
                if words
                else ""
            )
            + "</section>"
        )
    return "\n".join(out)


def build(ctx: Ctx) -> dict[str, Any]:
    with gr.Tab(key("tab_finder"), id="finder") as tab:
        gr.Markdown(key("finder_intro"))
        project = gr.Textbox(label=key("finder_box"), lines=3, elem_id="cdv-project", max_length=3000)
        finder_btn = gr.Button(key("finder_btn"), variant="primary", elem_id="cdv-finder-btn")
        finder_out = gr.HTML(elem_id="cdv-finder-out")

    def do_find(text: str, simple_on: bool, lg: str) -> str:
        if not ctx.ready():
            return ctx.not_ready(lg)
        if not text.strip():
            return ""
        return fits_html(ctx.assistant.objective_fits(text[:3000]), lg, simple_on)

    finder_btn.click(do_find, [project, ctx.simple, ctx.lang], [finder_out], api_visibility="private")
    project.submit(do_find, [project, ctx.simple, ctx.lang], [finder_out], api_visibility="private")
    return dict(tab=tab)
