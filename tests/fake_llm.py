"""A scripted OpenAI-compatible chat server on 127.0.0.1 for the LLM tests.
The model name picks the behaviour: good, badcite, nocite, badfigure, slow, error, junk."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        return

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append(body)  # type: ignore[attr-defined]
        model = body.get("model", "good")
        user = next((m["content"] for m in body.get("messages", []) if m["role"] == "user"), "")
        first = re.search(r"\[1\] \([^)]*\) (.+)", user)
        passage = first.group(1)[:200] if first else ""
        if model == "slow":
            time.sleep(3)
        if model == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b'{"error": "boom"}')
            return
        if model == "junk":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"<html>not json</html>")
            return
        content = {
            "good": f"Réponse générée : {passage} [1]",
            "badcite": f"Réponse : {passage} [7]",
            "nocite": f"Réponse sans citation : {passage}",
            "badfigure": "Il y a eu 123 456 interventions [1].",
            "slow": f"Trop tard {passage} [1]",
        }.get(model, "?")
        payload = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeLLMServer:
    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.requests = []  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    @property
    def requests(self) -> list:
        return self.httpd.requests  # type: ignore[attr-defined]

    def __enter__(self) -> FakeLLMServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
