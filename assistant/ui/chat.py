"""The chat tab: question box and latest answer in the first screen, citation markers
that open their passage, examples, a reset that forgets everything, feedback."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..assistant import Assistant
from ..feedback import FeedbackLog, FeedbackRefused, comment_record, like_record
from ..index_store import IndexError_
from ..schema import Answer
from .context import Ctx
from .format import answer_markdown, citations_html, escape_md
from .i18n import EXAMPLES, key, tr


def answer_turn(
    assistant: Assistant,
    message: str,
    past: list[Answer],
    simple: bool,
    lang: str,
    titles: dict[str, str],
    files: bool = False,
) -> tuple[list[dict], Answer | None, str]:
    """One question -> the two chat messages, the Answer (None when refused before asking)
    and the sources panel. No streaming here: the answer takes milliseconds."""
    user = {"role": "user", "content": escape_md(message[:2000])}
    try:
        ans = assistant.ask(message, history=past, simple=simple)
    except IndexError_ as exc:
        return [user, {"role": "assistant", "content": escape_md(str(exc))}], None, citations_html(None, lang)
    reply = {"role": "assistant", "content": answer_markdown(ans, simple, lang)}
    return [user, reply], ans, citations_html(ans, lang, titles, files=files)


def reset(lang: str) -> tuple[Any, ...]:
    """A new conversation: the messages, the memory of past answers (follow-ups), the
    sources and the feedback target all go together."""
    return [], [], citations_html(None, lang), "", ""


def build(ctx: Ctx) -> dict[str, Any]:
    assistant, settings, lang = ctx.assistant, ctx.settings, ctx.lang
    with gr.Tab(key("tab_chat"), id="chat") as tab:
        chatbot = gr.Chatbot(
            label=key("chat_label"),
            show_label=False,
            height="auto",
            min_height=90,
            max_height="calc(100svh - 400px)",
            buttons=["copy"],
            feedback_options=("Like", "Dislike"),
            elem_id="cdv-chat",
            render_markdown=True,
            sanitize_html=True,
            placeholder=key("chat_empty"),
            autoscroll=False,  # the page script shows a new answer from its start
        )
        with gr.Row(equal_height=True, elem_id="cdv-ask-row"):
            box = gr.Textbox(
                label=key("question"),
                placeholder=key("placeholder"),
                scale=5,
                min_width=200,
                elem_id="cdv-question",
                max_length=2000,
                lines=1,
            )
            send = gr.Button(key("send"), variant="primary", scale=1, min_width=90, elem_id="cdv-send")
        clear = gr.Button(key("clear"), size="sm", elem_id="cdv-clear")
        sources_title = gr.Markdown(key("sources"), elem_id="cdv-sources-title")
        sources = gr.HTML(citations_html(None), elem_id="cdv-sources")
        gr.Markdown(key("examples"), elem_classes=["cdv-h2"])
        example_buttons = []
        with gr.Row(elem_id="cdv-examples"):
            for aud in ("staff", "partners", "residents"):
                with gr.Column(min_width=160):
                    gr.Markdown(key(f"examples_{aud}"), elem_classes=["cdv-small"])
                    for i in range(len(EXAMPLES["fr"][aud])):
                        example_buttons.append((aud, i, gr.Button(key(f"ex_{aud}_{i}"), size="sm")))
        with gr.Row():
            comment = gr.Textbox(label=key("comment"), scale=4, max_length=1000, elem_id="cdv-comment")
            send_comment = gr.Button(key("send_comment"), size="sm", scale=1, elem_id="cdv-send-comment")
        feedback_status = gr.Markdown(elem_id="cdv-feedback-status")
        answers = gr.State([])

    def respond(message: str, history: list[dict], past: list[Answer], simple_on: bool, lg: str):
        history = list(history or [])
        if not message.strip():
            return history, past, gr.update(), ""
        if not ctx.ready():
            history += [
                {"role": "user", "content": escape_md(message)},
                {"role": "assistant", "content": ctx.not_ready(lg)},
            ]
            return history, past, citations_html(None, lg), ""
        turn, ans, panel = answer_turn(assistant, message, past, simple_on, lg, ctx.titles(), ctx.files)
        return history + turn, [*past, ans] if ans else past, panel, ""

    inputs = [box, chatbot, answers, ctx.simple, lang]
    outputs = [chatbot, answers, sources, box]
    box.submit(respond, inputs, outputs, api_visibility="private")
    send.click(respond, inputs, outputs, api_visibility="private")
    for aud, i, btn in example_buttons:
        btn.click(
            lambda lg, aud=aud, i=i: EXAMPLES[lg][aud][i], [lang], [box], api_visibility="private"
        ).then(respond, inputs, outputs, api_visibility="private")
    reset_out = [chatbot, answers, sources, feedback_status, comment]
    clear.click(reset, [lang], reset_out, api_visibility="private")
    chatbot.clear(reset, [lang], reset_out, api_visibility="private")

    feedback = FeedbackLog(settings.data_dir / "feedback.jsonl")

    def on_like(data: gr.LikeData, past: list[Answer], lg: str, request: gr.Request) -> str:
        i = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        ans = past[i // 2] if past and isinstance(i, int) and 0 <= i // 2 < len(past) else None
        try:
            record = like_record(data.liked, ans.question if ans else None, ans.text if ans else None)
            feedback.save(record, client_of(request))
        except FeedbackRefused as exc:
            return escape_md(str(exc))
        return tr(lg, "thanks")

    chatbot.like(on_like, [answers, lang], [feedback_status], api_visibility="private")

    def on_comment(text: str, past: list[Answer], lg: str, request: gr.Request) -> tuple[str, str]:
        if not isinstance(text, str) or not text.strip():
            return "", ""
        if not past:
            return tr(lg, "no_answer_yet"), text
        last = past[-1]
        try:
            feedback.save(comment_record(text, last.question, last.text), client_of(request))
        except FeedbackRefused as exc:
            return escape_md(str(exc)), text
        return tr(lg, "thanks"), ""

    send_comment.click(
        on_comment, [comment, answers, lang], [feedback_status, comment], api_visibility="private"
    )
    return dict(tab=tab, chatbot=chatbot, box=box, sources=sources, sources_title=sources_title)


def client_of(request: gr.Request | None) -> str:
    """Who sent a request, for per-client bounds (the proxy's address behind a proxy)."""
    client = getattr(request, "client", None)
    return str(getattr(client, "host", None) or "?")
