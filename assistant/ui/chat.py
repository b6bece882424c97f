"""The chat tab: question, streamed answer, its sources, examples and feedback."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import gradio as gr

from ..index_store import IndexError_
from ..schema import Answer
from .context import Ctx, not_ready
from .format import EXAMPLES, UI_TEXT, answer_markdown, citations_html, escape_md


def _save_feedback(data_dir: Path, record: dict[str, Any]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "feedback.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(
            json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}, ensure_ascii=False) + "\n"
        )


def build(ctx: Ctx) -> dict[str, Any]:
    t = UI_TEXT["fr"]
    assistant, settings, lang = ctx.assistant, ctx.settings, ctx.lang
    with gr.Tab(t["tab_chat"], id="chat") as tab:
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
    ctx.simple = simple

    def respond(message: str, history: list[dict], past: list[Answer], simple_on: bool, lg: str):
        history = list(history or [])
        if not ctx.ready():
            history += [
                {"role": "user", "content": escape_md(message)},
                {"role": "assistant", "content": not_ready(lg)},
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
    return dict(
        tab=tab,
        chatbot=chatbot,
        box=box,
        send=send,
        simple=simple,
        clear=clear,
        sources_title=sources_title,
        comment=comment,
    )
