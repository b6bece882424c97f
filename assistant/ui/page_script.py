"""ASGI middleware: put the page script at the top of the served page's <head>.

Gradio adds `head=` content from the browser once the app has started, too late for
what must run first: telling Gradio the page's language (it reads navigator.language
when it starts, and translates its own labels and ours from it)."""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]


class HeadScript:
    def __init__(self, app: Any, script: str) -> None:
        self.app = app
        self.script = script.encode()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                kept = dict(message.get("headers", []))
                if b"text/html" not in kept.get(b"content-type", b"") or b"content-encoding" in kept:
                    start["pass"] = True
                    await send(message)
                    return
                start.update(message)
                return
            if start.get("pass"):
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if b"<head>" in body:
                body = body.replace(b"<head>", b"<head>" + self.script, 1)
            out = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            out.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": out})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
