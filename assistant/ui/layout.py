"""The page: header (title, language, plain-language switch), the five tabs, the indexing
banner; the page script (language, citation markers); and the safe launch."""

from __future__ import annotations

import html
import logging
from typing import Any

import gradio as gr

from ..assistant import Assistant
from ..web_guard import OriginGuard, UploadPolicy, allowed_hosts
from . import api, chat, documents, fiches, finder, search
from .context import Ctx
from .corpus_files import CorpusFiles
from .i18n import gradio_i18n, key, lang_of, tr
from .indexing import IndexingStatus
from .page_script import HeadScript

log = logging.getLogger(__name__)

# The language is the page's (?lang=en, French by default): Gradio reads the browser's, so
# the page tells it before it starts (HeadScript puts this first in <head>), and Gradio's
# own labels (copy, like, clear…) follow. Citation markers [n] are links to their passage
# in the sources panel: the script opens it there (mouse or keyboard).
HEAD = r"""
<style>
/* outside Gradio's scoped CSS (which only reaches inside its container) */
@media (max-width: 640px) { .gradio-container .main { padding: 4px 6px !important; } }
.gradio-container .show-api, .gradio-container footer a, .gradio-container footer button { color: #4b5563 !important; }
</style>
<script>
(function () {
  var lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "fr";
  try {
    Object.defineProperty(Navigator.prototype, "language", { get: function () { return lang; }, configurable: true });
    Object.defineProperty(Navigator.prototype, "languages", { get: function () { return [lang]; }, configurable: true });
  } catch (e) {}
  document.documentElement.lang = lang;
  // labels Gradio writes in English whatever the language (not in its translations)
  var FR = {
    "Copy message": "Copier le message", "Copied message": "Message copié", "Copy": "Copier",
    "chatbot conversation": "Conversation", "Clear": "Effacer la conversation",
    "Like": "Utile", "Dislike": "Pas utile", "More tabs": "Autres onglets",
    "Remove": "Retirer", "Loading...": "Chargement…"
  };
  var PREFIX = [["user's message: ", "Votre message : "], ["bot's message: ", "Réponse : "]];
  function relabel(root) {
    // a message's aria-label would hide its content (and the French quoted in it, marked
    // lang="fr") from screen readers: let them read the message itself
    root.querySelectorAll('[data-testid="bot"][aria-label], [data-testid="user"][aria-label]').forEach(function (el) {
      el.removeAttribute("aria-label");
    });
    root.querySelectorAll("[aria-label], [title]").forEach(function (el) {
      ["aria-label", "title"].forEach(function (att) {
        var v = el.getAttribute(att);
        if (!v) return;
        // a message's label is its Markdown source: read « [1] », not the link syntax
        var w = v.replace(/\[\\\[(\d+)\\\]\]\(#[\w-]+\)/g, "[$1]").replace(/\\([\\`*_{}\[\]()#+!|<>~.-])/g, "$1");
        if (lang === "fr") {
          if (FR[w]) w = FR[w];
          PREFIX.forEach(function (p) { if (w.indexOf(p[0]) === 0) w = p[1] + w.slice(p[0].length); });
        }
        if (w !== v) el.setAttribute(att, w);
      });
    });
  }
  // a new answer is read from its start: the chat scrolls to the question just asked
  var asked = 0;
  function followAnswer() {
    var chat = document.getElementById("cdv-chat");
    if (!chat) return;
    var users = chat.querySelectorAll(".user-row");
    if (users.length === asked) return;
    asked = users.length;
    var last = users[users.length - 1];
    if (!last) return;
    [chat, chat.querySelector(".bubble-wrap")].forEach(function (box) {
      if (!box || box.scrollHeight <= box.clientHeight) return;
      box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    });
  }
  var pending = false;  // one pass per frame, however many changes Gradio makes
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; relabel(document); followAnswer(); });
  })
    .observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "title"] });
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest('a[href^="#cdv-cite-"], a[href^="#fiche-"]');
    if (!a) return;
    var el = document.getElementById(a.getAttribute("href").slice(1));
    if (!el) return;
    ev.preventDefault();
    ev.stopPropagation();
    if (el.tagName === "DETAILS") el.open = true;
    el.scrollIntoView({ block: "nearest" });
    var s = el.querySelector("summary");
    (s || el).focus();
  }, true);
})();
</script>
"""

CSS = """
.cdv-muted { color: #374151; }
.cdv-header h1 { font-size: 1.4rem; margin: 0 0 2px; }
.cdv-header p { margin: 0; }
.cdv-nav a { margin-right: 12px; font-weight: 600; }
.cdv-nav a[aria-current] { text-decoration: none; color: #111827; }
.cdv-cite summary, .cdv-fiche summary, .cdv-source summary { cursor: pointer; padding: 6px 0; }
.cdv-cite blockquote, .cdv-source blockquote { border-left: 4px solid #1d4ed8; margin: 4px 0 10px; padding: 4px 10px; background: #f8fafc; color: #111827; }
mark { background: #fde68a; color: #111827; }
.cdv-hits { padding-left: 1.6em; }
.cdv-hit { border-bottom: 1px solid #e5e7eb; padding: 8px 0; }
.cdv-hit-meta { font-size: 0.92em; color: #1f2937; font-weight: 600; }
.cdv-banner { padding: 8px 12px; border-radius: 6px; background: #eff6ff; color: #1e3a8a; }
.cdv-table { border-collapse: collapse; width: 100%; }
.cdv-table th, .cdv-table td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
.cdv-fit { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
.cdv-fit h3 { margin: 0 0 6px; font-size: 1.05rem; }
.cdv-badge { display: inline-block; border-radius: 4px; padding: 1px 8px; font-size: 0.9rem; }
.cdv-badge-strong { background: #166534; color: #fff; }
.cdv-badge-partial { background: #fef3c7; color: #78350f; border: 1px solid #92400e; }
.cdv-contact { background: #eff6ff; border-left: 4px solid #1d4ed8; padding: 4px 10px; margin: 6px 0; }
.cdv-contact-title { font-weight: 700; margin: 0; }
.cdv-contact p { margin: 2px 0; }
.cdv-fit-none { font-weight: 600; }
.cdv-doc { max-height: 70vh; overflow-y: auto; border: 1px solid #e5e7eb; padding: 8px; }
.cdv-small p { font-size: 0.92rem; font-weight: 600; margin: 0; }
#cdv-chat { flex-grow: 0 !important; }
#cdv-tabs button.selected { color: #1e40af !important; }
input.subdued, input::placeholder, textarea::placeholder { color: #6b7280 !important; }
/* tabs by name on a phone: small enough that all five fit (Gradio hides the rest behind « ••• ») */
#cdv-tabs .tab-container button { padding: 6px 10px; }
#cdv-banner:has(.prose:empty) { display: none; }
#cdv-simple { padding: 0 4px; }
@media (max-width: 640px) {
  .cdv-header h1 { font-size: 1.1rem; }
  .cdv-header p { font-size: 0.88rem; }
  #cdv-tabs .tab-container button { padding: 4px 4px !important; font-size: 0.8rem !important; }
}
"""


def theme() -> gr.themes.Base:
    """Gradio's Soft theme with text and buttons dark enough for WCAG AA contrast (4.5:1)."""
    return gr.themes.Soft(primary_hue="blue").set(
        block_label_text_color="*primary_800",
        block_title_text_color="*primary_800",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        checkbox_label_background_fill_selected="*primary_700",
        body_text_color_subdued="*neutral_600",
        input_placeholder_color="*neutral_500",
    )


def header_html(lang: str) -> str:
    links = []
    for lg, name in (("fr", "Français"), ("en", "English")):
        current = " aria-current='page'" if lg == lang else ""
        links.append(f"<a href='?lang={lg}' lang='{lg}' hreflang='{lg}'{current}>{name}</a>")
    return (
        f"<header class='cdv-header'><h1>{html.escape(tr(lang, 'title'))}</h1>"
        f"<p>{html.escape(tr(lang, 'intro'))}</p>"
        f"<nav class='cdv-nav' aria-label='{html.escape(tr(lang, 'lang_nav'))}'>{''.join(links)}</nav></header>"
    )


def build_ui(assistant: Assistant, status: IndexingStatus | None = None, files: bool = False) -> gr.Blocks:
    """The page; `files`: links to the documents themselves (served by CorpusFiles)."""
    status = status or IndexingStatus()
    # delete_cache: files uploaded through Gradio's route do not pile up in its temp folder
    with gr.Blocks(title=tr("fr", "title"), analytics_enabled=False, delete_cache=(600, 3600)) as demo:
        ctx = Ctx(assistant, status, gr.State("fr"), files=files)
        header = gr.HTML(header_html("fr"), elem_id="cdv-header-box", padding=False)
        ctx.simple = gr.Checkbox(label=key("simple"), value=False, elem_id="cdv-simple", container=False)
        banner = gr.HTML(status.banner("fr"), elem_id="cdv-banner")
        timer = gr.Timer(2.0)
        with gr.Tabs(elem_id="cdv-tabs"):
            chat.build(ctx)
            s = search.build(ctx)
            f = fiches.build(ctx)
            finder.build(ctx)
            d = documents.build(ctx)

        static_out = [*f["outputs"], *s["filters"], *d["outputs"]]

        def fill_static(lg: str) -> tuple[Any, ...]:
            if not ctx.ready():
                return (tr(lg, "not_ready"), *(gr.update() for _ in static_out[1:]))
            return (*fiches.fill(ctx, lg), *search.fill(ctx, lg), *documents.fill(ctx, lg))

        def on_load(request: gr.Request) -> tuple[Any, ...]:
            lg = lang_of(request.query_params.get("lang") if request else None)
            return (lg, header_html(lg), status.banner(lg), *fill_static(lg))

        demo.load(on_load, None, [ctx.lang, header, banner, *static_out], api_visibility="private")

        builds_seen = gr.State(status.builds)  # per page: every open page refreshes after a build

        def tick(lg: str, seen: int) -> tuple[Any, ...]:
            # when a background build ends, refresh what depends on the index
            refresh, seen = status.refresh_due(seen)
            filled = fill_static(lg) if refresh else tuple(gr.update() for _ in static_out)
            return (status.banner(lg), seen, *filled)

        timer.tick(
            tick, [ctx.lang, builds_seen], [banner, builds_seen, *static_out], api_visibility="private"
        )
        api.register(ctx)
    return demo


def launch(assistant: Assistant, status: IndexingStatus | None = None, **overrides: Any) -> gr.Blocks:
    """Safe defaults: loopback, no share link, bounded queue, upload size limit, and no
    file route that can reach index/, corpus/ or data/."""
    s = assistant.settings
    pairs = s.auth_pairs()
    if s.allow_uploads and not pairs and s.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("uploads disabled: CDV_ALLOW_UPLOADS needs CDV_AUTH when the app listens on %s", s.host)
        assistant.settings = s = s.model_copy(update={"allow_uploads": False})
    # the documents are served beside the app only without a login: CorpusFiles would
    # bypass Gradio's authentication (with one, the Documents tab still shows their text)
    files = not pairs
    demo = build_ui(assistant, status, files)
    demo.queue(max_size=s.queue_size, default_concurrency_limit=s.concurrency)
    kwargs: dict[str, Any] = dict(
        server_name=s.host,
        server_port=s.port,
        share=False,
        max_file_size=f"{s.max_upload_mb}mb",
        blocked_paths=[str(s.index_dir), str(s.corpus_dir), str(s.data_dir), ".env"],
        enable_monitoring=False,
        show_error=False,
        theme=theme(),
        css=CSS,
        i18n=gradio_i18n(),
        footer_links=["api"],
    )
    if pairs:
        kwargs["auth"] = pairs
    # MCP tools call the app back without a login: with CDV_AUTH they would be listed to
    # anyone and fail for everyone, so MCP stays off (authenticate in the proxy instead)
    kwargs["mcp_server"] = s.mcp_server and not pairs
    if s.mcp_server and pairs:
        log.warning(
            "MCP server off: it cannot log in with CDV_AUTH; authenticate in the reverse proxy instead"
        )
    from starlette.middleware import Middleware

    hosts = allowed_hosts(s.host, s.allowed_hosts, s.allowed_origins)
    if s.host in ("0.0.0.0", "::") and not s.allowed_hosts:
        log.warning(
            "listening on %s: only localhost names are accepted in Host; set CDV_ALLOWED_HOSTS", s.host
        )
    uploads = UploadPolicy(s.allow_uploads, s.max_upload_mb * 2**20, s.max_uploads_per_hour)
    kwargs["app_kwargs"] = {
        "middleware": [
            Middleware(OriginGuard, allowed=s.allowed_origins, hosts=sorted(hosts), uploads=uploads),
            Middleware(HeadScript, script=HEAD),
        ]
    }
    if files:

        def listed() -> set[str]:
            return {d["source"] for d in assistant.documents()} if assistant.ready() else set()

        kwargs["app_kwargs"]["middleware"].append(
            Middleware(CorpusFiles, corpus_dir=s.corpus_dir, listed=listed)
        )
    kwargs.update(overrides)
    demo.launch(**kwargs)
    return demo
