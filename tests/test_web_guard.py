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


def test_an_oversize_upload_is_read_to_its_end_before_its_refusal():
    """A client still sending its body when the 413 comes sees a broken pipe, not the refusal:
    the guard reads (and drops) a refused body of bounded size first, then answers."""
    from assistant.web_guard import UploadPolicy

    chunks = [{"type": "http.request", "body": b"0" * 2**20, "more_body": i < 2} for i in range(3)]
    events: list[str] = []

    async def receive():
        events.append("read")
        return chunks.pop(0)

    async def send(message):
        events.append(message["type"])

    async def app(scope, receive, send):
        raise AssertionError("a refused upload never reaches the app")

    size = str(3 * 2**20).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/gradio_api/upload",
        "headers": [(b"host", b"127.0.0.1"), (b"content-length", size)],
        "client": ("127.0.0.1", 5000),
    }
    guard = OriginGuard(app, uploads=UploadPolicy(enabled=True, max_bytes=2**20))
    asyncio.run(guard(scope, receive, send))
    assert events == ["read", "read", "read", "http.response.start", "http.response.body"]
