import asyncio

from assistant.web_guard import OriginGuard, origin_allowed


def test_origin_allowed():
    assert origin_allowed("http://127.0.0.1:7860", "127.0.0.1:7860")
    assert not origin_allowed("http://evil.example", "127.0.0.1:7860")
    assert origin_allowed("https://cdv.example.fr", "127.0.0.1:7860", ["https://cdv.example.fr"])
    assert not origin_allowed("null", "127.0.0.1:7860")


def _run(method: str, headers: list[tuple[bytes, bytes]]) -> int:
    sent: list[dict] = []
    called = []

    async def app(scope, receive, send):
        called.append(True)
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(msg):
        sent.append(msg)

    asyncio.run(OriginGuard(app)({"type": "http", "method": method, "headers": headers}, None, send))
    return sent[0]["status"]


def test_guard_blocks_foreign_posts_only():
    host = (b"host", b"127.0.0.1:7860")
    assert _run("POST", [host, (b"origin", b"http://evil.example")]) == 403
    assert _run("POST", [host, (b"origin", b"http://127.0.0.1:7860")]) == 200
    assert _run("POST", [host]) == 200
    assert _run("GET", [host, (b"origin", b"http://evil.example")]) == 200
