"""ASGI middleware in front of the web app: which Host it answers to, which Origin may
change state, and who may upload.

- Host: only the names the app is meant to be reached by (its bound address, localhost
  names, CDV_ALLOWED_HOSTS, the hosts of CDV_ALLOWED_ORIGINS). A DNS-rebinding page sends
  `Host: evil.example` with a matching `Origin`, which the Origin check alone lets through.
- Origin: browsers always send one on a cross-origin POST; a request whose Origin names
  another site than the one it is addressed to is refused. Requests without Origin
  (gradio_client, curl, same-origin GETs) pass.
- Uploads: Gradio's /gradio_api/upload route exists whatever the page shows; with uploads
  disabled it is refused before anything reaches the disk; enabled, each request is
  bounded in size and each client in number of uploads per hour.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")


def origin_allowed(origin: str, host: str, allowed: Sequence[str] = ()) -> bool:
    if origin in allowed:
        return True
    parsed = urlparse(origin)
    return bool(parsed.netloc) and parsed.netloc.lower() == host.lower()


def host_name(host_header: str) -> str:
    """'Example.org:7860' -> 'example.org'; '[::1]:7860' -> '::1'."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1 : h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def allowed_hosts(bound: str, extra: Sequence[str] = (), origins: Sequence[str] = ()) -> frozenset[str]:
    """Host names the app answers to (default: its bound address and localhost names)."""
    names = {*LOCAL_NAMES, *(host_name(h) for h in extra)}
    names.update(host_name(urlparse(o).netloc) for o in origins if urlparse(o).netloc)
    if bound not in WILDCARDS:
        names.add(host_name(bound))
    return frozenset(n for n in names if n)


@dataclass
class UploadPolicy:
    enabled: bool
    max_bytes: int = 20 * 2**20
    per_hour: int = 20

    def __post_init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def refusal(
        self, client: str, content_length: int | None, now: float | None = None
    ) -> tuple[int, str] | None:
        """(status, French reason) when this upload request must be refused, else None."""
        if not self.enabled:
            return 403, "l'ajout de fichiers est désactivé (réglage CDV_ALLOW_UPLOADS)"
        if content_length is None:
            return 411, "taille de l'envoi inconnue"
        if content_length > self.max_bytes + 2**20:  # + multipart framing
            return 413, f"fichier trop volumineux (maximum {self.max_bytes // 2**20} Mo)"
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] > 3600:
                times.popleft()
            if len(times) >= self.per_hour:
                return 429, f"trop d'envois (au plus {self.per_hour} par heure)"
            times.append(now)
        return None


async def _refuse(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# a refused upload's body is read (and dropped) up to this size before the refusal is sent: a
# client still sending when the answer comes sees a broken pipe instead of the « fichier trop
# volumineux » it should show (Python's urllib and requests do); beyond it the connection is cut
DRAIN_LIMIT = 32 * 2**20


async def _drain(receive: Any, limit: int) -> None:
    seen = 0
    while seen <= limit:
        message = await receive()
        if message.get("type") != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            return


class OriginGuard:
    """`hosts` None: no Host check (the Host allow-list is given by `launch`)."""

    def __init__(
        self,
        app: ASGIApp,
        allowed: Sequence[str] = (),
        hosts: Sequence[str] | None = None,
        uploads: UploadPolicy | None = None,
    ) -> None:
        self.app = app
        self.allowed = tuple(allowed)
        self.hosts = frozenset(hosts) if hosts is not None else None
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1")
        if self.hosts is not None and host_name(host) not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _refuse(send, 403, "hôte non autorisé (réglage CDV_ALLOWED_HOSTS)")
            return
        if scope["type"] == "http" and scope.get("method") in UNSAFE:
            origin = headers.get(b"origin", b"").decode("latin-1")
            if origin == "null":  # sandboxed frames and file:// pages: never trusted
                await send({"type": "http.response.start", "status": 403, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
            if origin and not origin_allowed(origin, host, self.allowed):
                await _refuse(send, 403, "requête d'une autre origine refusée")
                return
            if self.uploads is not None and scope.get("path", "").rstrip("/").endswith("/upload"):
                length = headers.get(b"content-length")
                size = int(length) if length and length.isdigit() else None
                client = (scope.get("client") or ("?", 0))[0]
                why = self.uploads.refusal(client, size)
                if why is not None:
                    if why[0] == 413 and size is not None and size <= DRAIN_LIMIT:
                        await _drain(receive, DRAIN_LIMIT)
                    await _refuse(send, *why)
                    return
        await self.app(scope, receive, send)
