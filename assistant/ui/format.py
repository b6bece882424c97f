"""Pure formatters for the web UI: Answer/Hit/Fiche -> safe Markdown or HTML.

Everything that comes from a user or a document is escaped: no HTML, no images,
no links reach the page from the corpus or from a question."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from ..schema import Answer, Citation, Fiche, Hit
from ..textnorm import analyze, raw_tokens

UI_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Assistant du Contrat de ville — Grand Chambéry",
        "intro": "Posez vos questions sur le Contrat de ville (plan d'actions 2021-2022, rapport annuel 2018). "
        "Chaque réponse cite ses sources : cliquez sur une source pour lire le passage.",
        "tab_chat": "Poser une question",
        "tab_search": "Rechercher",
        "tab_fiches": "Les 19 objectifs",
        "tab_finder": "Trouver mon objectif",
        "tab_docs": "Documents",
        "question": "Votre question",
        "placeholder": "Ex. : qui pilote l'objectif 12 ?",
        "send": "Envoyer",
        "simple": "Langage simple",
        "clear": "Effacer la conversation",
        "sources": "Sources de la dernière réponse",
        "no_sources": "Les sources de la réponse s'affichent ici.",
        "comment": "Un commentaire sur la réponse (facultatif)",
        "send_comment": "Envoyer le commentaire",
        "thanks": "Merci, votre avis est enregistré.",
        "search": "Recherche",
        "search_btn": "Rechercher",
        "doc": "Document",
        "kind": "Type de document",
        "axis": "Axe",
        "objective": "Objectif",
        "page": "Page",
        "all": "Tous",
        "finder_intro": "Décrivez votre projet en quelques phrases : l'assistant propose les objectifs qui correspondent, "
        "les actions proches et les pilotes à contacter.",
        "finder_box": "Votre projet",
        "finder_btn": "Trouver les objectifs",
        "partner": "Partenaire ou pilote",
        "crossref": "Où intervient cet acteur ?",
        "docs_intro": "Documents indexés.",
        "upload": "Ajouter un PDF (administrateur)",
        "reindex": "Réindexer",
        "examples_staff": "Agents",
        "examples_partners": "Associations partenaires",
        "examples_residents": "Habitants",
        "lang": "Langue / Language",
        "see_also": "Voir aussi (passages proches, qui ne répondent pas forcément)",
        "no_result": "Aucun passage trouvé.",
        "prev": "◀ Précédents",
        "next": "Suivants ▶",
    },
    "en": {
        "title": "Contrat de ville assistant — Grand Chambéry",
        "intro": "Ask about the Contrat de ville (2021-2022 action plan, 2018 annual report). "
        "Every answer cites its sources: click a source to read the passage.",
        "tab_chat": "Ask a question",
        "tab_search": "Search",
        "tab_fiches": "The 19 objectives",
        "tab_finder": "Find my objective",
        "tab_docs": "Documents",
        "question": "Your question",
        "placeholder": "E.g.: who leads objective 12?",
        "send": "Send",
        "simple": "Plain language",
        "clear": "Clear conversation",
        "sources": "Sources of the last answer",
        "no_sources": "The sources of the answer show here.",
        "comment": "A comment on the answer (optional)",
        "send_comment": "Send comment",
        "thanks": "Thank you, your feedback is saved.",
        "search": "Search",
        "search_btn": "Search",
        "doc": "Document",
        "kind": "Document type",
        "axis": "Axis",
        "objective": "Objective",
        "page": "Page",
        "all": "All",
        "finder_intro": "Describe your project in a few sentences: the assistant suggests the matching objectives, "
        "related actions and the leads to contact.",
        "finder_box": "Your project",
        "finder_btn": "Find objectives",
        "partner": "Partner or lead",
        "crossref": "Where does this actor appear?",
        "docs_intro": "Indexed documents.",
        "upload": "Add a PDF (administrator)",
        "reindex": "Re-index",
        "examples_staff": "Staff",
        "examples_partners": "Partner associations",
        "examples_residents": "Residents",
        "lang": "Langue / Language",
        "see_also": "See also (nearby passages, which may not answer)",
        "no_result": "No passage found.",
        "prev": "◀ Previous",
        "next": "Next ▶",
    },
}

EXAMPLES = {
    "staff": [
        "qui pilote l'objectif 12 ?",
        "quels partenaires pour la GUP ?",
        "combien d'interventions des correspondants de nuit en 2018 ?",
    ],
    "partners": [
        "j'anime des ateliers numériques pour les seniors",
        "actions à développer pour le numérique",
        "Notre association organise des cafés parents : quel objectif correspond ?",
    ],
    "residents": [
        "quels sont les quartiers en veille active de Cognin ?",
        "taux de pauvrete hauts de chambery",
        "c'est quoi un QPV ?",
    ],
}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_md(text: str) -> str:
    """Document or user text shown as Markdown: every markup character is neutralised,
    so no link, image or HTML can come from the corpus or the question."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def answer_markdown(ans: Answer) -> str:
    """The answer text for the chat: escaped, with our own bold (**...**) and citation
    markers [n] kept, and the markers written as superscript-like bold tags."""
    parts = re.split(r"(\*\*[^*]+\*\*|\[\d{1,3}\])", ans.text)
    out = []
    for p in parts:
        if re.fullmatch(r"\*\*[^*]+\*\*", p):
            out.append(f"**{escape_md(p[2:-2])}**")
        elif re.fullmatch(r"\[\d{1,3}\]", p):
            out.append(f"**[{p[1:-1]}]**")
        else:
            out.append(escape_md(p))
    text = "".join(out).replace("\n", "  \n")
    return text


def _highlight(text: str, span: tuple[int, int] | None) -> str:
    if not span:
        return html.escape(text)
    s, e = span
    return f"{html.escape(text[:s])}<mark>{html.escape(text[s:e])}</mark>{html.escape(text[e:])}"


def citation_label(c: Citation, lang: str) -> str:
    bits = [c.source]
    if c.page:
        bits.append(f"p. {c.page}")
    if c.objective:
        bits.append(("objectif " if lang == "fr" else "objective ") + str(c.objective))
    if c.section and c.section != f"Objectif {c.objective}":
        bits.append(c.section)
    return " · ".join(bits)


def citations_html(ans: Answer | None, lang: str = "fr") -> str:
    t = UI_TEXT[lang]
    if ans is None or (not ans.citations and not ans.see_also):
        return f"<p class='cdv-muted'>{html.escape(t['no_sources'])}</p>"
    blocks = []
    for c in ans.citations:
        blocks.append(
            f"<details class='cdv-cite' id='cite-{c.number}'><summary><b>[{c.number}]</b> "
            f"{html.escape(citation_label(c, lang))}</summary>"
            f"<blockquote>{_highlight(c.text, c.span).replace(chr(10), '<br>')}</blockquote></details>"
        )
    if ans.see_also:
        blocks.append(f"<p><b>{html.escape(t['see_also'])}</b></p>")
        for c in ans.see_also:
            blocks.append(
                f"<details class='cdv-cite'><summary>{html.escape(citation_label(c, lang))}</summary>"
                f"<blockquote>{html.escape(c.text).replace(chr(10), '<br>')}</blockquote></details>"
            )
    return "\n".join(blocks)


def highlight_terms(text: str, query: str) -> str:
    """HTML of a passage with the query's words marked (matched on stems, so accents,
    case and plurals do not matter)."""
    wanted = set(analyze(query))
    out = []
    for m in re.finditer(r"\w+|\W+", text):
        tok = m.group(0)
        esc = html.escape(tok)
        out.append(f"<mark>{esc}</mark>" if tok[0].isalnum() and set(analyze(tok)) & wanted else esc)
    return "".join(out).replace("\n", "<br>")


def search_results_html(hits: Sequence[Hit], query: str, lang: str = "fr", offset: int = 0) -> str:
    t = UI_TEXT[lang]
    if not hits:
        return f"<p>{html.escape(t['no_result'])}</p>"
    rows = []
    for n, h in enumerate(hits, offset + 1):
        c = h.chunk
        meta = [c.source]
        if c.page:
            meta.append(f"{t['page']} {c.page}")
        if c.objective:
            meta.append(f"{t['objective']} {c.objective}")
        if c.section:
            meta.append(c.section)
        rows.append(
            f"<div class='cdv-hit'><div class='cdv-hit-meta'><b>{n}.</b> {html.escape(' · '.join(meta))} "
            f"<span class='cdv-muted'>(score {h.score:.4f})</span></div>"
            f"<div class='cdv-hit-text'>{highlight_terms(c.text, query)}</div></div>"
        )
    return "\n".join(rows)


def actors(fiches: Sequence[Fiche]) -> list[str]:
    """Every pilot and partner name, for the cross-reference picker (headers of 'X : y' kept)."""
    names: dict[str, str] = {}
    for f in fiches:
        for item in (*f.pilots, *f.partners):
            name = item.split(" : ", 1)[0].strip()
            names.setdefault(" ".join(raw_tokens(name)), name)
    return sorted(names.values(), key=str.casefold)


def crossref_rows(fiches: Sequence[Fiche], actor: str, lang: str = "fr") -> list[list[Any]]:
    """[objective, title, role] for every fiche where `actor` is pilot or partner."""
    key = f" {' '.join(raw_tokens(actor))} "
    rows = []
    for f in sorted(fiches, key=lambda x: x.number):
        roles = []
        if any(key in f" {' '.join(raw_tokens(p))} " for p in f.pilots):
            roles.append("pilote" if lang == "fr" else "lead")
        if any(key in f" {' '.join(raw_tokens(p))} " for p in f.partners):
            roles.append("partenaire" if lang == "fr" else "partner")
        if roles:
            rows.append([f.number, f.title, ", ".join(roles)])
    return rows


def fiches_html(fiches: Sequence[Fiche], cards: dict[int, str], lang: str = "fr") -> str:
    """Axis -> objective cards, each expandable, with the source passage of its card."""
    fr = lang == "fr"
    by_axis: dict[int, list[Fiche]] = {}
    for f in fiches:
        by_axis.setdefault(f.axis or 0, []).append(f)
    out = []
    for axis in sorted(by_axis):
        fs = sorted(by_axis[axis], key=lambda x: x.number)
        title = html.escape(fs[0].axis_title or "")
        out.append(f"<h3 class='cdv-axis'>{'Axe' if fr else 'Axis'} {axis} — {title}</h3>")
        for f in fs:
            acts = "".join(
                f"<li>{html.escape(a.text)}{' <i>(' + html.escape(a.status) + ')</i>' if a.status else ''}</li>"
                for a in f.actions
            )
            tools = (
                f"<p><b>{'Outils' if fr else 'Tools'}</b> : {html.escape(' ; '.join(f.tools))}</p>"
                if f.tools
                else ""
            )
            sub = f" <i>({html.escape(f.sub_theme)})</i>" if f.sub_theme else ""
            source = cards.get(f.number, "")
            out.append(
                f"<details class='cdv-fiche' id='fiche-{f.number}'><summary><b>{'Objectif' if fr else 'Objective'} {f.number}</b> — "
                f"{html.escape(f.title)}{sub}</summary>"
                f"<p><b>{'Pilote(s)' if fr else 'Lead(s)'}</b> : {html.escape(', '.join(f.pilots))}</p>"
                f"<p><b>{'Partenaires' if fr else 'Partners'}</b> : {html.escape(', '.join(f.partners))}</p>{tools}"
                f"<p><b>Actions</b> :</p><ul>{acts}</ul>"
                f"<details class='cdv-source'><summary>{'Passage source' if fr else 'Source passage'} ({html.escape(f.source)})</summary>"
                f"<blockquote>{html.escape(source).replace(chr(10), '<br>')}</blockquote></details></details>"
            )
    return "\n".join(out)
