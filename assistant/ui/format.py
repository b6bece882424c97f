"""Pure formatters for the web UI: Answer/Hit/Fiche -> safe Markdown or HTML.

Everything that comes from a user or a document is escaped: no HTML, no images,
no links reach the page from the corpus or from a question."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ..glossary import FOOTER_LABEL
from ..schema import Answer, Citation, Fiche, Hit
from ..textnorm import analyze, raw_tokens
from .i18n import tr

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_md(text: str) -> str:
    """Document or user text shown as Markdown: every markup character is neutralised,
    so no link, image or HTML can come from the corpus or the question."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _marker_link(n: str, prefix: str) -> str:
    # a link to the passage in the sources panel; the page script opens it in place
    return f"[\\[{n}\\]](#{prefix}-{n})"


def answer_markdown(ans: Answer, simple: bool = False, lang: str = "fr", prefix: str = "cdv-cite") -> str:
    """The answer text for the chat: escaped, with our own bold (**...**) kept and the
    citation markers [n] as links that open their passage. In plain language, lists
    longer than five items show five and fold the rest under « voir tout »."""
    lines = ans.text.split("\n")
    if simple:
        lines = _fold_long_lists(_details_below(lines, lang), lang)
    out = []
    for line in lines:
        if line.startswith(("<details>", "</details>", "<summary>")):
            out.append(line)  # our own folding markup, built from escaped text
            continue
        bullet = re.match(r"^(\s*)([-•]|\d{1,2}\.)\s+", line)
        lead, rest = (line[: bullet.end()], line[bullet.end() :]) if bullet else ("", line)
        if bullet:
            lead = bullet.group(1) + (
                "- " if bullet.group(2) in "-•" else bullet.group(2).replace(".", "\\. ")
            )
        out.append(lead + _inline(rest, prefix, quoted_fr=ans.lang != "fr"))
    return "  \n".join(out).replace("  \n  \n", "\n\n")


def _inline(text: str, prefix: str, quoted_fr: bool = False) -> str:
    """One line: our bold, citation links, and (in an answer in another language) the
    French quoted from the documents marked as French, for screen readers."""
    parts = re.split(r"(\*\*[^*]+\*\*|\[\d{1,3}\]|“[^”]+”|«[^»]+»)", text)
    out = []
    for p in parts:
        if quoted_fr and re.fullmatch(r"“[^”]+”|«[^»]+»", p):
            out.append(f'<span lang="fr">{escape_md(p)}</span>')
        elif re.fullmatch(r"\*\*[^*]+\*\*", p):
            out.append(f"**{escape_md(p[2:-2])}**")
        elif re.fullmatch(r"\[\d{1,3}\]", p):
            out.append(_marker_link(p[1:-1], prefix))
        else:
            out.append(escape_md(p))
    return "".join(out)


def _details_below(lines: list[str], lang: str) -> list[str]:
    """Plain language: the answer's first paragraph is what a resident reads; the passages
    and lists that follow (another field, the quotes, the acronyms) are folded under
    « Détails ». Nothing folds when the answer is one paragraph."""
    if "" not in lines:
        return lines
    cut = lines.index("")
    rest = lines[cut + 1 :]
    if not any(line.strip() for line in rest):
        return lines
    # the acronyms' line stays in sight: it explains the words of the first paragraph
    glossary = [line for line in rest if line.startswith(tuple(FOOTER_LABEL.values()))]
    rest = [line for line in rest if line not in glossary]
    if not any(line.strip() for line in rest):
        return lines
    return [
        *lines[:cut],
        *(["", *glossary] if glossary else []),
        "",
        f"<details><summary>{html.escape(tr(lang, 'details'))}</summary>",
        "",
        *rest,
        "",
        "</details>",
    ]


def _fold_long_lists(lines: list[str], lang: str, keep: int = 5) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and re.match(r"^\s*[-•]\s", lines[j]):
            j += 1
        if j - i > keep:
            out += lines[i : i + keep]
            out += ["", f"<details><summary>{html.escape(tr(lang, 'see_all'))} ({j - i})</summary>", ""]
            out += lines[i + keep : j]
            out += ["", "</details>", ""]
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def _highlight(text: str, span: tuple[int, int] | None) -> str:
    if not span:
        return html.escape(text)
    s, e = span
    return f"{html.escape(text[:s])}<mark>{html.escape(text[s:e])}</mark>{html.escape(text[e:])}"


def citation_label(c: Citation, lang: str, titles: dict[str, str] | None = None) -> str:
    """« Plan d'actions 2021-2022 · page 3 · Objectif 12 » — the document by its title."""
    return _where(c.source, c.page, c.objective, c.section, lang, titles, marked=False)


def _where(
    source: str,
    page: int | None,
    objective: int | None,
    section: str | None,
    lang: str,
    titles: dict[str, str] | None,
    marked: bool = True,
) -> str:
    """Where a passage is: title, page, objective, section (the document's own words,
    French, marked as such in HTML for screen readers in an English page)."""

    def fr(text: str) -> str:
        return f"<span lang='fr'>{html.escape(text)}</span>" if marked else text

    bits = [fr((titles or {}).get(source, source))]
    if page:
        bits.append(f"{tr(lang, 'page')} {page}")
    if objective:
        bits.append(f"{tr(lang, 'objective')} {objective}")
    if section and not re.fullmatch(r"(?i)objectif\s+\d+", section.strip()):
        bits.append(fr(section))
    return " · ".join(bits)


def open_link(source: str, page: int | None, lang: str) -> str:
    """A link to the document itself (served read-only by ui.corpus_files), at its page."""
    label = tr(lang, "open_doc_page", page=page) if page else tr(lang, "open_doc")
    href = f"corpus/{quote(source)}" + (f"#page={page}" if page else "")
    return (
        f"<a class='cdv-open' href='{html.escape(href)}' target='_blank' rel='noopener'>"
        f"{html.escape(label)} <span class='cdv-muted'>{html.escape(tr(lang, 'new_tab'))}</span></a>"
    )


def citations_html(
    ans: Answer | None,
    lang: str = "fr",
    titles: dict[str, str] | None = None,
    prefix: str = "cdv-cite",
    files: bool = False,
) -> str:
    if ans is None or (not ans.citations and not ans.see_also):
        return f"<p class='cdv-muted'>{html.escape(tr(lang, 'no_sources'))}</p>"
    blocks = []
    for c in ans.citations:
        blocks.append(
            f"<details class='cdv-cite' id='{prefix}-{c.number}'><summary><b>[{c.number}]</b> "
            f"{_where(c.source, c.page, c.objective, c.section, lang, titles)}</summary>"
            f"<blockquote lang='fr'>{_highlight(c.text, c.span).replace(chr(10), '<br>')}</blockquote>"
            + (f"<p>{open_link(c.source, c.page, lang)}</p>" if files else "")
            + "</details>"
        )
    if ans.see_also:
        blocks.append(f"<p><b>{html.escape(tr(lang, 'see_also'))}</b></p>")
        for c in ans.see_also:
            blocks.append(
                f"<details class='cdv-cite'><summary>{_where(c.source, c.page, c.objective, c.section, lang, titles)}</summary>"
                f"<blockquote lang='fr'>{html.escape(c.text).replace(chr(10), '<br>')}</blockquote></details>"
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


def search_results_html(
    hits: Sequence[Hit],
    query: str,
    lang: str = "fr",
    offset: int = 0,
    total: int | None = None,
    titles: dict[str, str] | None = None,
) -> str:
    """Numbered passages with their document title, page and objective, the query's words
    marked; a count first; no scores (they mean nothing to a reader)."""
    if not hits:
        return f"<p role='status'>{html.escape(tr(lang, 'no_result'))}</p>"
    total = total if total is not None else offset + len(hits)
    head = (
        tr(lang, "count_one")
        if total == 1
        else tr(lang, "count", n=total, a=offset + 1, b=offset + len(hits))
    )
    rows = [
        f"<p class='cdv-count' role='status'>{html.escape(head)}</p><ol class='cdv-hits' start='{offset + 1}'>"
    ]
    for h in hits:
        c = h.chunk
        meta = _where(c.source, c.page, c.objective, c.section, lang, titles)
        rows.append(
            f"<li class='cdv-hit'><div class='cdv-hit-meta'>{meta}</div>"
            f"<div class='cdv-hit-text' lang='fr'>{highlight_terms(c.text, query)}</div></li>"
        )
    rows.append("</ol>")
    return "\n".join(rows)


def empty_search_html(lang: str, excluding: tuple[str, str, int] | None, active: Sequence[str]) -> str:
    """Why a filtered search found nothing: the one filter that excludes everything (with
    how many passages match without it), or the combination."""
    if excluding:
        label, value, n = excluding
        msg = tr(lang, "no_result_filter", label=label, value=value, n=n)
    elif active:
        msg = tr(lang, "no_result_filters", labels=", ".join(active))
    else:
        msg = tr(lang, "no_result")
    return f"<p role='status'>{html.escape(msg)}</p>"


def _is_actor(name: str) -> bool:
    """An organisation or a role, not a sentence (« 45 travailleurs sociaux… »)."""
    words = name.split()
    return (
        1 <= len(words) <= 7
        and not re.search(r"\d", name)
        and not name.endswith(("…", "..."))
        and (name[0].isupper() or name.split()[0].lower() in {"les", "la", "le", "l'"})
    )


def actors(fiches: Sequence[Fiche]) -> list[str]:
    """Every pilot and partner name, for the who-is-where picker ('X : y' keeps X; sentences
    and counts that sit in partner lists are left out)."""
    names: dict[str, str] = {}
    for f in fiches:
        for item in (*f.pilots, *f.partners):
            name = item.split(" : ", 1)[0].strip().strip(".,;")
            if _is_actor(name):
                names.setdefault(" ".join(raw_tokens(name)), name)
    return sorted(names.values(), key=str.casefold)


def crossref_rows(fiches: Sequence[Fiche], actor: str, lang: str = "fr") -> list[list[Any]]:
    """[objective, title, role] for every fiche where `actor` is pilot or partner."""
    key = f" {' '.join(raw_tokens(actor))} "
    rows = []
    for f in sorted(fiches, key=lambda x: x.number):
        roles = []
        if any(key in f" {' '.join(raw_tokens(p))} " for p in f.pilots):
            roles.append(tr(lang, "role_lead"))
        if any(key in f" {' '.join(raw_tokens(p))} " for p in f.partners):
            roles.append(tr(lang, "role_partner"))
        if roles:
            rows.append([f.number, f.title, ", ".join(roles)])
    return rows


def crossref_html(fiches: Sequence[Fiche], actor: str, lang: str = "fr") -> str:
    if not actor:
        return f"<p class='cdv-muted'>{html.escape(tr(lang, 'crossref_pick'))}</p>"
    rows = crossref_rows(fiches, actor, lang)
    body = "".join(
        f"<tr><td><a href='#fiche-{n}'>{n}</a></td><td lang='fr'>{html.escape(title)}</td><td>{html.escape(role)}</td></tr>"
        for n, title, role in rows
    )
    return (
        f"<table class='cdv-table'><caption>{html.escape(actor)}</caption><thead><tr>"
        f"<th scope='col'>{tr(lang, 'col_objective')}</th><th scope='col'>{tr(lang, 'col_title')}</th>"
        f"<th scope='col'>{tr(lang, 'col_role')}</th></tr></thead><tbody>{body}</tbody></table>"
    )


def fiches_html(fiches: Sequence[Fiche], cards: dict[int, str], lang: str = "fr") -> str:
    """Axis -> objective cards, each expandable, with the source passage of its card."""
    by_axis: dict[int, list[Fiche]] = {}
    for f in fiches:
        by_axis.setdefault(f.axis or 0, []).append(f)
    out = []
    for axis in sorted(by_axis):
        fs = sorted(by_axis[axis], key=lambda x: x.number)
        title = html.escape(fs[0].axis_title or "")
        out.append(f"<h3 class='cdv-axis'>{tr(lang, 'axis')} {axis} — <span lang='fr'>{title}</span></h3>")
        for f in fs:
            acts = "".join(
                f"<li>{html.escape(a.text)}{' <i>(' + html.escape(a.status) + ')</i>' if a.status else ''}</li>"
                for a in f.actions
            )
            tools = (
                f"<p><b>{tr(lang, 'tools')}</b> : <span lang='fr'>{html.escape(' ; '.join(f.tools))}</span></p>"
                if f.tools
                else ""
            )
            sub = f" <i>({html.escape(f.sub_theme)})</i>" if f.sub_theme else ""
            source = cards.get(f.number, "")
            out.append(
                f"<details class='cdv-fiche' id='fiche-{f.number}'><summary><b>{tr(lang, 'objective')} {f.number}</b> — "
                f"<span lang='fr'>{html.escape(f.title)}{sub}</span></summary>"
                f"<p><b>{tr(lang, 'leads')}</b> : <span lang='fr'>{html.escape(', '.join(f.pilots))}</span></p>"
                f"<p><b>{tr(lang, 'partners')}</b> : <span lang='fr'>{html.escape(', '.join(f.partners))}</span></p>{tools}"
                f"<p><b>{tr(lang, 'actions')}</b> :</p><ul lang='fr'>{acts}</ul>"
                f"<details class='cdv-source'><summary>{tr(lang, 'source_passage')}</summary>"
                f"<blockquote lang='fr'>{html.escape(source).replace(chr(10), '<br>')}</blockquote></details></details>"
            )
    return "\n".join(out)
