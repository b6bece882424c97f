"""Thin Gradio adapter over Assistant. Formatting lives in ui_format (pure, tested
without a server); this module wires components to Assistant calls."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import gradio as gr

from .assistant import Assistant
from .cli import answer_json
from .feedback import FeedbackLog, FeedbackRefused, comment_record, like_record
from .index_store import IndexError_
from .indexing import IndexingStatus, not_ready_message, start_indexing
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
from .uploads import UploadRefused, add_upload, check_upload
from .web_guard import OriginGuard, UploadPolicy, allowed_hosts

__all__ = ["IndexingStatus", "build_ui", "launch", "start_indexing"]

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


def build_ui(assistant: Assistant, status: IndexingStatus | None = None) -> gr.Blocks:
    settings = assistant.settings
    status = status or IndexingStatus()
    t = UI_TEXT["fr"]
    feedback = FeedbackLog(settings.data_dir / "feedback.jsonl")

    def ready() -> bool:
        return assistant.ready()

    def _not_ready(lg: str) -> str:
        return not_ready_message(status, lg)

    # delete_cache: files uploaded through Gradio's route do not pile up in its temp folder
    with gr.Blocks(title=t["title"], analytics_enabled=False, delete_cache=(600, 3600)) as demo:
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

        def on_like(data: gr.LikeData, past: list[Answer], request: gr.Request) -> str:
            i = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            ans = past[i // 2] if past and isinstance(i, int) and 0 <= i // 2 < len(past) else None
            try:
                record = like_record(data.liked, ans.question if ans else None, ans.text if ans else None)
                feedback.save(record, _client(request))
            except FeedbackRefused as exc:
                return escape_md(str(exc))
            return UI_TEXT["fr"]["thanks"]

        chatbot.like(on_like, [answers], [feedback_status], api_visibility="private")

        def on_comment(text: str, past: list[Answer], lg: str, request: gr.Request) -> tuple[str, str]:
            if not isinstance(text, str) or not text.strip():
                return "", ""
            last = past[-1] if past else None
            try:
                record = comment_record(text, last.question if last else None, last.text if last else None)
                feedback.save(record, _client(request))
            except FeedbackRefused as exc:
                return escape_md(str(exc)), text
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

        builds_seen = gr.State(status.builds)  # per page: every open page refreshes after a build

        def tick(lg: str, seen: int) -> tuple[Any, ...]:
            # when a background build ends, refresh what depends on the index
            refresh, seen = status.refresh_due(seen)
            filled = fill_static(lg) if refresh else tuple(gr.update() for _ in static_out)
            return (status.banner(lg), seen, *filled)

        timer.tick(tick, [lang, builds_seen], [banner, builds_seen, *static_out], api_visibility="private")

        if settings.allow_uploads:

            def on_upload(path: str | None, lg: str) -> str:
                if not path:
                    return ""
                src = Path(path)
                try:
                    reason = check_upload(src, settings.max_upload_mb)
                    if reason:
                        return f"Fichier refusé : {escape_md(reason)}"
                    added = add_upload(src, settings.corpus_dir, src.name)
                except UploadRefused as exc:
                    return f"Fichier refusé : {escape_md(str(exc))}"
                finally:
                    src.unlink(missing_ok=True)  # Gradio's temp copy: never kept, never served back
                queued = start_indexing(assistant, status) is None
                msg = f"« {escape_md(added.name)} » ajouté"
                if added.renamed:
                    msg += f" (un fichier « {escape_md(added.wanted)} » existait déjà : nouveau nom)"
                if queued:
                    return msg + " ; il sera indexé dès la fin de la réindexation en cours."
                return msg + " ; réindexation en cours."

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

        def ask(question: str, simple: bool = False) -> dict:
            """Answer a question with citations (same JSON as `python -m assistant ask --json`)."""
            if not ready():
                return {"error": _not_ready("fr")}
            t0 = time.perf_counter()
            ans = assistant.ask(question[:2000], simple=simple)
            return answer_json(ans, (time.perf_counter() - t0) * 1000)

        def search(query: str, k: int = 5) -> list:
            """Hybrid search: passages with source, page, objective, section, text, score."""
            if not ready():
                return []
            if not isinstance(query, str) or not query.strip():
                raise gr.Error("La recherche est vide : tapez quelques mots.")
            hits = assistant.search(query[:500], k=max(1, min(int(k), 50)))
            return [h.as_json() for h in hits]

        def fiches() -> list:
            """The objectives as structured data."""
            return [f.as_json() for f in assistant.fiches()] if ready() else []

        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
        gr.api(fiches, api_name="fiches")
    return demo


def _client(request: gr.Request | None) -> str:
    """Who sent a request, for per-client bounds (the proxy's address behind a proxy)."""
    client = getattr(request, "client", None)
    return str(getattr(client, "host", None) or "?")


def launch(assistant: Assistant, status: IndexingStatus | None = None, **overrides: Any) -> gr.Blocks:
    """Safe defaults: loopback, no share link, bounded queue, upload size limit, and no
    file route that can reach index/, corpus/ or data/."""
    s = assistant.settings
    pairs = s.auth_pairs()
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
    from starlette.middleware import Middleware

    hosts = allowed_hosts(s.host, s.allowed_hosts, s.allowed_origins)
    if s.host in ("0.0.0.0", "::") and not s.allowed_hosts:
        log.warning(
            "listening on %s: only localhost names are accepted in Host; set CDV_ALLOWED_HOSTS", s.host
        )
    uploads = UploadPolicy(s.allow_uploads, s.max_upload_mb * 2**20, s.max_uploads_per_hour)
    guard = Middleware(OriginGuard, allowed=s.allowed_origins, hosts=sorted(hosts), uploads=uploads)
    kwargs["app_kwargs"] = {"middleware": [guard]}
    kwargs.update(overrides)
    demo.launch(**kwargs)
    return demo
