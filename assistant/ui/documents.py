"""The documents tab: what is indexed, and the admin's PDF upload when enabled."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import gradio as gr

from ..export import export_downloads
from ..ingest import IngestError, read_document
from ..uploads import UploadRefused, add_upload, check_upload
from .context import Ctx
from .format import escape_md, open_link
from .i18n import key, tr
from .indexing import start_indexing
from .search import KINDS


def documents_table_html(docs: list[dict[str, Any]], lang: str, files: bool = False) -> str:
    rows = "".join(
        f"<tr><td><span lang='fr'>{html.escape(str(d.get('title') or d['source']))}</span>"
        f"{'<br>' + open_link(d['source'], None, lang) if files else ''}</td>"
        f"<td>{html.escape(tr(lang, 'kind_' + str(d.get('kind'))) if d.get('kind') in KINDS else str(d.get('kind') or ''))}</td>"
        f"<td>{d.get('year') or ''}</td><td>{d['chunks']}</td></tr>"
        for d in docs
    )
    return (
        "<table class='cdv-table'><thead><tr>"
        + "".join(
            f"<th scope='col'>{tr(lang, k)}</th>" for k in ("col_doc", "col_kind", "col_year", "col_passages")
        )
        + f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def document_html(text: str, page_starts: tuple[int, ...], lang: str) -> str:
    """The whole document, escaped; a PDF by page (each page a heading and an anchor)."""
    if not page_starts:
        return f"<div class='cdv-doc' lang='fr' tabindex='0' role='region' aria-label='{html.escape(tr(lang, 'doc'))}'>{html.escape(text).replace(chr(10), '<br>')}</div>"
    bounds = [*page_starts, len(text)]
    pages = []
    for n in range(len(page_starts)):
        body = html.escape(text[bounds[n] : bounds[n + 1]]).replace("\n", "<br>")
        pages.append(
            f"<section id='doc-page-{n + 1}'><h3>{tr(lang, 'page').capitalize()} {n + 1}</h3><div lang='fr'>{body}</div></section>"
        )
    label = html.escape(tr(lang, "doc"))
    return (
        f"<div class='cdv-doc' tabindex='0' role='region' aria-label='{label}'>" + "".join(pages) + "</div>"
    )


def open_document(ctx: Ctx, source: str | None, lang: str) -> str:
    """Only a document the index lists can be opened: no path from the page reaches the disk."""
    known = {d["source"] for d in ctx.assistant.documents()}
    if not source or source not in known:
        return ""
    try:
        doc = read_document(ctx.settings.corpus_dir / source)
    except (IngestError, OSError) as err:
        return f"<p role='alert'>{html.escape(str(err))}</p>"
    return document_html(doc.text, doc.page_starts, lang)


def build(ctx: Ctx) -> dict[str, Any]:
    settings = ctx.settings
    with gr.Tab(key("tab_docs"), id="docs") as tab:
        gr.Markdown(key("docs_intro"))
        docs_table = gr.HTML(elem_id="cdv-docs-table")
        pick = gr.Dropdown([], label=key("doc_pick"), elem_id="cdv-doc-pick")
        viewer = gr.HTML(elem_id="cdv-doc-view")
        with gr.Row():
            export_btn = gr.Button(key("export"), size="sm", elem_id="cdv-export")
        # shown once it holds files: an empty file box carries an ARIA attribute axe refuses
        export_out = gr.File(
            label=key("export_files"),
            file_count="multiple",
            interactive=False,
            elem_id="cdv-export-files",
            visible=False,
        )
        if settings.allow_uploads:
            upload = gr.File(label=key("upload"), file_types=[".pdf"], file_count="single", type="filepath")
            upload_status = gr.Markdown()
            reindex_btn = gr.Button(key("reindex"), size="sm")
    pick.change(lambda s, lg: open_document(ctx, s, lg), [pick, ctx.lang], [viewer], api_visibility="private")
    export_btn.click(
        lambda: (
            gr.update(value=export_downloads(ctx.assistant), visible=True) if ctx.ready() else gr.update()
        ),
        None,
        export_out,
        api_visibility="private",
    )

    if settings.allow_uploads:

        def on_upload(path: str | None, lg: str) -> str:
            if not path:
                return ""
            src = Path(path)
            try:
                reason = check_upload(src, settings.max_upload_mb)
                if reason:
                    return tr(lg, "upload_refused", reason=escape_md(reason))
                added = add_upload(src, settings.corpus_dir, src.name)
            except UploadRefused as exc:
                return tr(lg, "upload_refused", reason=escape_md(str(exc)))
            finally:
                src.unlink(missing_ok=True)  # Gradio's temp copy: never kept, never served back
            queued = start_indexing(ctx.assistant, ctx.status) is None
            msg = tr(lg, "upload_added", name=escape_md(added.name))
            if added.renamed:
                msg += " " + tr(lg, "upload_renamed", wanted=escape_md(added.wanted))
            if queued:
                msg += " " + tr(lg, "upload_queued")
            return msg

        upload.upload(on_upload, [upload, ctx.lang], [upload_status], api_visibility="private")
        reindex_btn.click(
            lambda: start_indexing(ctx.assistant, ctx.status) and None, None, None, api_visibility="private"
        )
    return dict(tab=tab, outputs=[docs_table, pick])


def fill(ctx: Ctx, lang: str) -> tuple[Any, ...]:
    docs = ctx.assistant.documents()
    choices = [(str(d.get("title") or d["source"]), d["source"]) for d in docs]
    return documents_table_html(docs, lang, ctx.files), gr.update(choices=choices, value=None)
