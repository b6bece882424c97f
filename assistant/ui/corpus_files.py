"""ASGI middleware: the documents themselves, read-only, at corpus/<file name>.

Only the files the index lists are served (exact names, no path is ever built from the
request), so nothing else under corpus/ — manifest, glossary, half-copied uploads — nor
anything outside it is reachable. A PDF opens at a page with corpus/name.pdf#page=N."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

PREFIX = "/corpus/"
TYPES = {
    ".pdf": b"application/pdf",
    ".txt": b"text/plain; charset=utf-8",
    ".md": b"text/plain; charset=utf-8",
}


class CorpusFiles:
    def __init__(self, app: Any, corpus_dir: Path, listed: Callable[[], set[str]]) -> None:
        self.app = app
        self.corpus_dir = corpus_dir
        self.listed = listed

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(PREFIX) or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        name = unquote(path[len(PREFIX) :])
        kind = TYPES.get(Path(name).suffix.lower())
        body = b""
        if kind and name in self.listed():
            body = (self.corpus_dir / name).read_bytes()
        status = 200 if body else 404
        headers = [
            (b"content-type", kind if body and kind else b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"content-disposition", b"inline"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope.get("method") == "GET" else b""})
