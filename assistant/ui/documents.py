"""The documents tab: what is indexed, and the admin's PDF upload when enabled."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from ..ingest import IngestError, read_document
from .context import Ctx
from .format import UI_TEXT, escape_md
from .indexing import start_indexing


def safe_pdf_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.") or "document"
    return f"{stem[:80]}.pdf"


def check_upload(path: Path, max_mb: int) -> str | None:
    """Why an uploaded file is refused, or None if it may go into the corpus."""
    if path.suffix.lower() != ".pdf":
        return "seuls les fichiers PDF sont acceptés"
    if path.stat().st_size > max_mb * 2**20:
        return f"fichier trop volumineux (maximum {max_mb} Mo)"
    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF-"):
            return "ce fichier n'est pas un PDF"
    try:
        read_document(path)
    except IngestError as err:
        return err.reason
    return None


def build(ctx: Ctx) -> dict[str, Any]:
    t = UI_TEXT["fr"]
    settings = ctx.settings
    with gr.Tab(t["tab_docs"], id="docs") as tab:
        gr.Markdown(t["docs_intro"])
        docs_table = gr.Dataframe(interactive=False)
        if settings.allow_uploads:
            upload = gr.File(label=t["upload"], file_types=[".pdf"], file_count="single", type="filepath")
            upload_status = gr.Markdown()
            reindex_btn = gr.Button(t["reindex"], size="sm")
        else:
            gr.Markdown("L'ajout de documents est désactivé (réglage `CDV_ALLOW_UPLOADS`).")

    if settings.allow_uploads:

        def on_upload(path: str | None, lg: str) -> str:
            if not path:
                return ""
            src = Path(path)
            reason = check_upload(src, settings.max_upload_mb)
            if reason:
                return f"Fichier refusé : {escape_md(reason)}"
            dest = settings.corpus_dir / safe_pdf_name(src.name)
            with tempfile.NamedTemporaryFile(dir=settings.corpus_dir, suffix=".part", delete=False) as tmp:
                shutil.copyfile(src, tmp.name)
            Path(tmp.name).replace(dest)  # appears whole in corpus/, never half-copied
            start_indexing(ctx.assistant, ctx.status)
            return f"« {escape_md(dest.name)} » ajouté ; réindexation en cours."

        upload.upload(on_upload, [upload, ctx.lang], [upload_status], api_visibility="private")
        reindex_btn.click(
            lambda: start_indexing(ctx.assistant, ctx.status) and None, None, None, api_visibility="private"
        )
    return dict(tab=tab, docs_table=docs_table)


def fill(ctx: Ctx, lg: str) -> tuple[Any, ...]:
    docs = ctx.assistant.documents()
    sources_choices = [UI_TEXT[lg]["all"], *[x["source"] for x in docs]]
    rows = [
        [x["source"], x.get("title"), x.get("kind"), x.get("year"), x.get("date"), x["chunks"]] for x in docs
    ]
    return (
        gr.update(choices=sources_choices, value=sources_choices[0]),
        gr.update(value=rows, headers=["fichier", "titre", "type", "année", "date", "passages"]),
    )
