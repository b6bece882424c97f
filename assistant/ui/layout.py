"""The page: header, language, the five tabs, the indexing banner; and the safe launch."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from ..assistant import Assistant
from ..web_guard import OriginGuard
from . import api, chat, documents, fiches, finder, search
from .context import Ctx, not_ready
from .format import UI_TEXT
from .indexing import IndexingStatus

log = logging.getLogger(__name__)

CSS = """
.cdv-muted { color: #4b5563; }
.cdv-cite summary, .cdv-fiche summary { cursor: pointer; padding: 4px 0; }
.cdv-cite blockquote, .cdv-source blockquote { border-left: 4px solid #1d4ed8; margin: 4px 0 10px; padding: 4px 10px; background: #f8fafc; color: #111827; }
mark { background: #fde68a; color: #111827; }
.cdv-hit { border-bottom: 1px solid #e5e7eb; padding: 8px 0; }
.cdv-hit-meta { font-size: 0.9em; color: #374151; }
.cdv-banner { padding: 8px 12px; border-radius: 6px; background: #eff6ff; color: #1e3a8a; }
"""


def parse_auth(value: str) -> list[tuple[str, str]]:
    """'alice:pw1,bob:pw2' -> [('alice', 'pw1'), ('bob', 'pw2')]."""
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if sep and user and password:
            pairs.append((user, password))
    return pairs


def build_ui(assistant: Assistant, status: IndexingStatus | None = None) -> gr.Blocks:
    status = status or IndexingStatus()
    t = UI_TEXT["fr"]
    with gr.Blocks(title=t["title"], analytics_enabled=False) as demo:
        ctx = Ctx(assistant, status, gr.State("fr"))
        header = gr.Markdown(f"# {t['title']}\n{t['intro']}")
        with gr.Row():
            lang_radio = gr.Radio(["Français", "English"], value="Français", label=t["lang"], scale=1)
        banner = gr.HTML(status.banner("fr"), elem_id="cdv-banner")
        timer = gr.Timer(2.0)
        with gr.Tabs():
            c = chat.build(ctx)
            s = search.build(ctx)
            f = fiches.build(ctx)
            fd = finder.build(ctx)
            d = documents.build(ctx)

        def fill_static(lg: str) -> tuple[Any, ...]:
            if not ctx.ready():
                return (not_ready(lg), gr.update(), gr.update(), gr.update())
            return (*fiches.fill(ctx, lg), *documents.fill(ctx, lg))

        static_out = [f["fiches_view"], f["actor"], s["doc"], d["docs_table"]]
        demo.load(fill_static, [ctx.lang], static_out, api_visibility="private")

        was_running = {"value": status.running}

        def tick(lg: str) -> tuple[Any, ...]:
            # when a background build ends, refresh what depends on the index
            running = status.running
            refresh = was_running["value"] and not running
            was_running["value"] = running
            filled = fill_static(lg) if refresh else tuple(gr.update() for _ in static_out)
            return (status.banner(lg), *filled)

        timer.tick(tick, [ctx.lang], [banner, *static_out], api_visibility="private")

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
                ctx.lang,
                header,
                c["box"],
                c["send"],
                c["simple"],
                c["clear"],
                c["sources_title"],
                c["tab"],
                s["tab"],
                f["tab"],
                fd["tab"],
                d["tab"],
                fd["finder_intro"],
                fd["finder_btn"],
                s["search_btn"],
                c["chatbot"],
                s["query"],
                fd["project"],
                c["comment"],
            ],
            api_visibility="private",
        )
        api.register(ctx)
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
    from starlette.middleware import Middleware

    kwargs["app_kwargs"] = {"middleware": [Middleware(OriginGuard, allowed=s.allowed_origins)]}
    kwargs.update(overrides)
    demo.launch(**kwargs)
    return demo
