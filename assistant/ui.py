"""Thin Gradio adapter over Assistant. Formatting lives in ui_format (pure, tested
without a server); this module wires components to Assistant calls."""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from .assistant import Assistant
from .export import export_downloads
from .index_store import IndexError_
from .ingest import IngestError, read_document
from .integrations.tools import api_functions
from .retrieval import Filters
from .schema import Answer
from .ui_format import (
    EXAMPLES,
    UI_TEXT,
    actors,
    answer_markdown,
    citations_html,
    crossref_rows,
    escape_md,
    fiches_html,
    search_results_html,
)
from .web_guard import OriginGuard

log = logging.getLogger(__name__)
PAGE = 10

CSS = """
.cdv-muted { color: #4b5563; }
.cdv-cite summary, .cdv-fiche summary { cursor: pointer; padding: 4px 0; }
.cdv-cite blockquote, .cdv-source blockquote { border-left: 4px solid #1d4ed8; margin: 4px 0 10px; padding: 4px 10px; background: #f8fafc; color: #111827; }
mark { background: #fde68a; color: #111827; }
.cdv-hit { border-bottom: 1px solid #e5e7eb; padding: 8px 0; }
.cdv-hit-meta { font-size: 0.9em; color: #374151; }
.cdv-banner { padding: 8px 12px; border-radius: 6px; background: #eff6ff; color: #1e3a8a; }
"""


@dataclass
class IndexingStatus:
    """Shared between the background indexer and the page (read by a timer)."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, stage: str, done: int, total: int) -> None:
        with self.lock:
            self.stage, self.done, self.total = stage, done, total

    def banner(self, lang: str) -> str:
        with self.lock:
            if self.running:
                what = {
                    "chunking": "découpage",
                    "embedding": "calcul des embeddings",
                    "chroma": "enregistrement",
                }
                label = what.get(self.stage, self.stage) if lang == "fr" else self.stage
                head = "Construction de l'index" if lang == "fr" else "Building the index"
                return f"<div class='cdv-banner' role='status'>⏳ {head} : {label} {self.done}/{self.total}</div>"
            if self.message:
                return f"<div class='cdv-banner' role='status'>{self.message}</div>"
            return ""


def start_indexing(
    assistant: Assistant,
    status: IndexingStatus,
    force: bool = False,
    also: Callable[[str, int, int], None] | None = None,
) -> threading.Thread | None:
    """Re-index in the background; the live index keeps serving until the switch.
    `also` receives the same progress (the terminal's progress bar)."""
    with status.lock:
        if status.running:
            return None
        status.running, status.message = True, ""

    def progress(stage: str, done: int, total: int) -> None:
        status.update(stage, done, total)
        if also is not None:
            also(stage, done, total)

    def work() -> None:
        try:
            report, errors = assistant.ingest(progress=progress, force=force)
            msg = f"Index à jour : {report.chunks} passages, {report.fiches} fiches."
            if errors:
                msg += " Ignorés : " + "; ".join(f"{e.source} ({e.reason})" for e in errors)
        except Exception as exc:  # shown on the page; the previous index stays live
            log.exception("indexing failed")
            msg = f"Échec de l'indexation : {exc}"
        with status.lock:
            status.running, status.message = False, msg

    t = threading.Thread(target=work, name="indexer", daemon=True)
    t.start()
    return t


def _not_ready(lang: str) -> str:
    return (
        "L'index est en cours de construction : réessayez dans quelques secondes."
        if lang == "fr"
        else "The index is being built: please try again in a few seconds."
    )


def _save_feedback(data_dir: Path, record: dict[str, Any]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "feedback.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(
            json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}, ensure_ascii=False) + "\n"
        )


def parse_auth(value: str) -> list[tuple[str, str]]:
    """'alice:pw1,bob:pw2' -> [('alice', 'pw1'), ('bob', 'pw2')]."""
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if sep and user and password:
            pairs.append((user, password))
    return pairs


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


def build_ui(assistant: Assistant, status: IndexingStatus | None = None) -> gr.Blocks:
    settings = assistant.settings
    status = status or IndexingStatus()
    t = UI_TEXT["fr"]

    def ready() -> bool:
        return assistant.ready()

    with gr.Blocks(title=t["title"], analytics_enabled=False) as demo:
        lang = gr.State("fr")
        header = gr.Markdown(f"# {t['title']}\n{t['intro']}")
        with gr.Row():
            lang_radio = gr.Radio(["Français", "English"], value="Français", label=t["lang"], scale=1)
        banner = gr.HTML(status.banner("fr"), elem_id="cdv-banner")
        timer = gr.Timer(2.0)

        with gr.Tabs():
            with gr.Tab(t["tab_chat"], id="chat") as tab_chat:
                chatbot = gr.Chatbot(
                    label=t["tab_chat"],
                    height=460,
                    buttons=["copy"],
                    feedback_options=("Like", "Dislike"),
                    elem_id="cdv-chat",
                    render_markdown=True,
                    sanitize_html=True,
                )
                with gr.Row():
                    box = gr.Textbox(
                        label=t["question"],
                        placeholder=t["placeholder"],
                        scale=5,
                        elem_id="cdv-question",
                        max_length=2000,
                    )
                    send = gr.Button(t["send"], variant="primary", scale=1, elem_id="cdv-send")
                with gr.Row():
                    simple = gr.Checkbox(label=t["simple"], value=False, elem_id="cdv-simple")
                    clear = gr.Button(t["clear"], size="sm", elem_id="cdv-clear")
                sources_title = gr.Markdown(f"**{t['sources']}**")
                sources = gr.HTML(citations_html(None), elem_id="cdv-sources")
                with gr.Row():
                    gr.Examples(EXAMPLES["staff"], inputs=box, label=t["examples_staff"])
                    gr.Examples(EXAMPLES["partners"], inputs=box, label=t["examples_partners"])
                    gr.Examples(EXAMPLES["residents"], inputs=box, label=t["examples_residents"])
                with gr.Row():
                    comment = gr.Textbox(label=t["comment"], scale=4, max_length=1000)
                    send_comment = gr.Button(t["send_comment"], size="sm", scale=1)
                feedback_status = gr.Markdown()
                answers = gr.State([])

            with gr.Tab(t["tab_search"], id="search") as tab_search:
                with gr.Row():
                    query = gr.Textbox(label=t["search"], scale=4, elem_id="cdv-search-box", max_length=500)
                    search_btn = gr.Button(t["search_btn"], variant="primary", scale=1)
                with gr.Row():
                    doc = gr.Dropdown([t["all"]], value=t["all"], label=t["doc"])
                    kind = gr.Dropdown(
                        [t["all"], "plan", "rapport annuel", "page web"], value=t["all"], label=t["kind"]
                    )
                    axis = gr.Dropdown([t["all"], *map(str, range(1, 6))], value=t["all"], label=t["axis"])
                    objective = gr.Dropdown(
                        [t["all"], *map(str, range(1, 20))], value=t["all"], label=t["objective"]
                    )
                results = gr.HTML()
                with gr.Row():
                    prev_btn = gr.Button(t["prev"], size="sm")
                    next_btn = gr.Button(t["next"], size="sm")
                page = gr.State(0)

            with gr.Tab(t["tab_fiches"], id="fiches") as tab_fiches:
                fiches_view = gr.HTML(elem_id="cdv-fiches")
                actor = gr.Dropdown([], label=t["partner"], allow_custom_value=False, elem_id="cdv-actor")
                crossref = gr.Dataframe(
                    headers=["Objectif", "Intitulé", "Rôle"], label=t["crossref"], interactive=False
                )

            with gr.Tab(t["tab_finder"], id="finder") as tab_finder:
                finder_intro = gr.Markdown(t["finder_intro"])
                project = gr.Textbox(label=t["finder_box"], lines=4, elem_id="cdv-project", max_length=3000)
                finder_btn = gr.Button(t["finder_btn"], variant="primary", elem_id="cdv-finder-btn")
                finder_out = gr.Markdown(elem_id="cdv-finder-out")
                finder_sources = gr.HTML()

            with gr.Tab(t["tab_docs"], id="docs") as tab_docs:
                gr.Markdown(t["docs_intro"])
                docs_table = gr.Dataframe(interactive=False)
                with gr.Row():
                    export_btn = gr.Button(
                        "Télécharger les fiches et les tableaux (ODS, CSV)", size="sm", elem_id="cdv-export"
                    )
                    export_out = gr.File(
                        label="Tableur", file_count="multiple", interactive=False, elem_id="cdv-export-files"
                    )
                if settings.allow_uploads:
                    upload = gr.File(
                        label=t["upload"], file_types=[".pdf"], file_count="single", type="filepath"
                    )
                    upload_status = gr.Markdown()
                    reindex_btn = gr.Button(t["reindex"], size="sm")
                else:
                    gr.Markdown("L'ajout de documents est désactivé (réglage `CDV_ALLOW_UPLOADS`).")

        # --- handlers -------------------------------------------------------------------

        def respond(message: str, history: list[dict], past: list[Answer], simple_on: bool, lg: str):
            history = list(history or [])
            if not ready():
                history += [
                    {"role": "user", "content": escape_md(message)},
                    {"role": "assistant", "content": _not_ready(lg)},
                ]
                yield history, past, citations_html(None, lg), ""
                return
            try:
                ans = assistant.ask(message, history=past, simple=simple_on)
            except IndexError_ as exc:
                history += [{"role": "assistant", "content": escape_md(str(exc))}]
                yield history, past, citations_html(None, lg), ""
                return
            history += [
                {"role": "user", "content": escape_md(message[:2000])},
                {"role": "assistant", "content": ""},
            ]
            words = answer_markdown(ans).split(" ")
            for i in range(0, len(words), 8):  # the answer is ready; streaming is for reading comfort
                history[-1]["content"] = " ".join(words[: i + 8])
                yield history, past, gr.update(), ""
            yield history, [*past, ans], citations_html(ans, lg), ""

        inputs = [box, chatbot, answers, simple, lang]
        outputs = [chatbot, answers, sources, box]
        box.submit(respond, inputs, outputs, api_visibility="private")
        send.click(respond, inputs, outputs, api_visibility="private")
        clear.click(
            lambda lg: ([], [], citations_html(None, lg), ""),
            [lang],
            [chatbot, answers, sources, feedback_status],
            api_visibility="private",
        )

        def on_like(data: gr.LikeData, past: list[Answer]) -> str:
            i = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            ans = past[i // 2] if past and 0 <= i // 2 < len(past) else None
            _save_feedback(
                settings.data_dir,
                {
                    "liked": data.liked,
                    "question": ans.question if ans else None,
                    "answer": ans.text if ans else None,
                },
            )
            return UI_TEXT["fr"]["thanks"]

        chatbot.like(on_like, [answers], [feedback_status], api_visibility="private")

        def on_comment(text: str, past: list[Answer], lg: str) -> tuple[str, str]:
            if not text.strip():
                return "", ""
            last = past[-1] if past else None
            _save_feedback(
                settings.data_dir,
                {
                    "comment": text[:1000],
                    "question": last.question if last else None,
                    "answer": last.text if last else None,
                },
            )
            return UI_TEXT[lg]["thanks"], ""

        send_comment.click(
            on_comment, [comment, answers, lang], [feedback_status, comment], api_visibility="private"
        )

        def do_search(q: str, d: str, kd: str, ax: str, ob: str, pg: int, lg: str) -> tuple[str, int]:
            if not ready():
                return _not_ready(lg), 0
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

        def fill_static(lg: str) -> tuple[Any, ...]:
            if not ready():
                return (_not_ready(lg), gr.update(), gr.update(), gr.update())
            fs = assistant.fiches()
            cards = {n: c.text for n, c in assistant.answerer.fiches.cards.items()}
            docs = assistant.documents()
            sources_choices = [UI_TEXT[lg]["all"], *[x["source"] for x in docs]]
            rows = [
                [x["source"], x.get("title"), x.get("kind"), x.get("year"), x.get("date"), x["chunks"]]
                for x in docs
            ]
            return (
                fiches_html(fs, cards, lg),
                gr.update(choices=actors(fs)),
                gr.update(choices=sources_choices, value=sources_choices[0]),
                gr.update(value=rows, headers=["fichier", "titre", "type", "année", "date", "passages"]),
            )

        static_out = [fiches_view, actor, doc, docs_table]
        demo.load(fill_static, [lang], static_out, api_visibility="private")
        actor.change(
            lambda a, lg: crossref_rows(assistant.fiches(), a or "", lg) if ready() else [],
            [actor, lang],
            [crossref],
            api_visibility="private",
        )

        def do_find(text: str, simple_on: bool, lg: str) -> tuple[str, str]:
            if not ready():
                return _not_ready(lg), ""
            ans = assistant.find(text[:3000], simple=simple_on)
            return answer_markdown(ans), citations_html(ans, lg)

        finder_btn.click(
            do_find, [project, simple, lang], [finder_out, finder_sources], api_visibility="private"
        )

        export_btn.click(
            lambda: export_downloads(assistant) if ready() else None,
            None,
            export_out,
            api_visibility="private",
        )

        was_running = {"value": status.running}

        def tick(lg: str) -> tuple[Any, ...]:
            # when a background build ends, refresh what depends on the index
            running = status.running
            refresh = was_running["value"] and not running
            was_running["value"] = running
            filled = fill_static(lg) if refresh else tuple(gr.update() for _ in static_out)
            return (status.banner(lg), *filled)

        timer.tick(tick, [lang], [banner, *static_out], api_visibility="private")

        if settings.allow_uploads:

            def on_upload(path: str | None, lg: str) -> str:
                if not path:
                    return ""
                src = Path(path)
                reason = check_upload(src, settings.max_upload_mb)
                if reason:
                    return f"Fichier refusé : {escape_md(reason)}"
                dest = settings.corpus_dir / safe_pdf_name(src.name)
                with tempfile.NamedTemporaryFile(
                    dir=settings.corpus_dir, suffix=".part", delete=False
                ) as tmp:
                    shutil.copyfile(src, tmp.name)
                Path(tmp.name).replace(dest)  # appears whole in corpus/, never half-copied
                start_indexing(assistant, status)
                return f"« {escape_md(dest.name)} » ajouté ; réindexation en cours."

            upload.upload(on_upload, [upload, lang], [upload_status], api_visibility="private")
            reindex_btn.click(
                lambda: start_indexing(assistant, status) and None, None, None, api_visibility="private"
            )

        def switch(choice: str) -> tuple[Any, ...]:
            lg = "en" if choice == "English" else "fr"
            tx = UI_TEXT[lg]
            return (
                lg,
                f"# {tx['title']}\n{tx['intro']}",
                gr.update(label=tx["question"], placeholder=tx["placeholder"]),
                gr.update(value=tx["send"]),
                gr.update(label=tx["simple"]),
                gr.update(value=tx["clear"]),
                f"**{tx['sources']}**",
                gr.update(label=tx["tab_chat"]),
                gr.update(label=tx["tab_search"]),
                gr.update(label=tx["tab_fiches"]),
                gr.update(label=tx["tab_finder"]),
                gr.update(label=tx["tab_docs"]),
                tx["finder_intro"],
                gr.update(value=tx["finder_btn"]),
                gr.update(value=tx["search_btn"]),
                gr.update(label=tx["tab_chat"]),
                gr.update(label=tx["search"]),
                gr.update(label=tx["finder_box"]),
                gr.update(label=tx["comment"]),
            )

        lang_radio.change(
            switch,
            [lang_radio],
            [
                lang,
                header,
                box,
                send,
                simple,
                clear,
                sources_title,
                tab_chat,
                tab_search,
                tab_fiches,
                tab_finder,
                tab_docs,
                finder_intro,
                finder_btn,
                search_btn,
                chatbot,
                query,
                project,
                comment,
            ],
            api_visibility="private",
        )

        # --- named API endpoints (gradio_client) ----------------------------------------

        # also the MCP tools when CDV_MCP=true: name and docstring make the tool
        for fn in api_functions(assistant):
            gr.api(fn, api_name=fn.__name__)
    return demo


def launch(assistant: Assistant, status: IndexingStatus | None = None, **overrides: Any) -> gr.Blocks:
    """Safe defaults: loopback, no share link, bounded queue, upload size limit, and no
    file route that can reach index/, corpus/ or data/."""
    s = assistant.settings
    pairs = parse_auth(s.auth.get_secret_value()) if s.auth else []
    if s.allow_uploads and not pairs and s.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("uploads disabled: CDV_ALLOW_UPLOADS needs CDV_AUTH when the app listens on %s", s.host)
        assistant.settings = s = s.model_copy(update={"allow_uploads": False})
    demo = build_ui(assistant, status)
    demo.queue(max_size=s.queue_size, default_concurrency_limit=s.concurrency)
    kwargs: dict[str, Any] = dict(
        server_name=s.host,
        server_port=s.port,
        share=False,
        max_file_size=f"{s.max_upload_mb}mb",
        blocked_paths=[str(s.index_dir), str(s.corpus_dir), str(s.data_dir), ".env"],
        enable_monitoring=False,
        show_error=False,
        theme=gr.themes.Soft(primary_hue="blue"),
        css=CSS,
        footer_links=["api"],
    )
    if pairs:
        kwargs["auth"] = pairs
    # explicit, so GRADIO_MCP_SERVER cannot switch it on; Gradio's MCP tools call the app
    # back without CDV_AUTH's login (every call would fail), so authenticate in the proxy
    kwargs["mcp_server"] = s.mcp_server and not pairs
    if s.mcp_server and pairs:
        log.warning(
            "MCP server off: it cannot log in with CDV_AUTH; authenticate in the reverse proxy instead"
        )
    from starlette.middleware import Middleware

    kwargs["app_kwargs"] = {"middleware": [Middleware(OriginGuard, allowed=s.allowed_origins)]}
    kwargs.update(overrides)
    demo.launch(**kwargs)
    return demo
