"""Issue 13 (web side, without a server): Host allow-list, upload route policy, feedback
validation and whole-or-nothing writes, CDV_AUTH validation, upload naming and queued
re-indexes, the failed-first-index message, per-page refresh."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import threading
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.assistant import Assistant
from assistant.config import load_settings, parse_auth, settings_error
from assistant.embeddings import FakeEmbedder
from assistant.feedback import FeedbackLog, FeedbackRefused, append_jsonl, comment_record, like_record
from assistant.indexing import IndexingStatus, not_ready_message, start_indexing
from assistant.uploads import UploadRefused, add_upload, safe_pdf_name
from assistant.web_guard import OriginGuard, UploadPolicy, allowed_hosts, host_name

from .conftest import make_settings
from .pdfgen import make_pdf

# --- 10. Host allow-list -----------------------------------------------------------------


def _status(path: str, headers: dict[str, str], method: str = "POST", **guard: object) -> int:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(msg):
        sent.append(msg)

    async def receive():  # the body, as a server hands it (empty here)
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "client": ("10.0.0.7", 5555),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(OriginGuard(app, **guard)(scope, receive, send))  # type: ignore[arg-type]
    return sent[0]["status"]


def test_host_names_are_parsed_and_defaults_are_local():
    assert host_name("Example.org:7860") == "example.org" and host_name("[::1]:7860") == "::1"
    hosts = allowed_hosts("127.0.0.1", ["cdv.example.fr"], ["https://proxy.example.fr"])
    assert {"127.0.0.1", "localhost", "::1", "cdv.example.fr", "proxy.example.fr"} <= hosts
    assert "evil.example" not in hosts
    assert "0.0.0.0" not in allowed_hosts("0.0.0.0")


def test_dns_rebinding_shape_is_refused_on_every_route():
    hosts = allowed_hosts("127.0.0.1")
    evil = {"Host": "evil.example", "Origin": "http://evil.example"}
    for path in ("/gradio_api/upload", "/gradio_api/call/ask", "/"):
        assert _status(path, evil, hosts=hosts) == 403, path
        assert _status(path, {"Host": "evil.example"}, "GET", hosts=hosts) == 403, path
    local = {"Host": "127.0.0.1:7860", "Origin": "http://127.0.0.1:7860"}
    assert _status("/gradio_api/call/ask", local, hosts=hosts) == 200
    assert _status("/", {"Host": "localhost:7860"}, "GET", hosts=hosts) == 200
    # configured public name behind a proxy
    proxied = allowed_hosts("127.0.0.1", ["cdv.example.fr"])
    assert _status("/", {"Host": "cdv.example.fr"}, "GET", hosts=proxied) == 200


# --- 13. Gradio's upload route -----------------------------------------------------------


def test_upload_route_is_refused_when_uploads_are_disabled():
    h = {"Host": "127.0.0.1:7860", "Content-Length": "5000000"}
    assert _status("/gradio_api/upload", h, uploads=UploadPolicy(False)) == 403
    assert _status("/gradio_api/call/ask", h, uploads=UploadPolicy(False)) == 200


def test_uploads_are_bounded_in_size_and_count_when_enabled():
    policy = UploadPolicy(True, max_bytes=2**20, per_hour=3)
    h = {"Host": "127.0.0.1:7860", "Content-Length": str(5 * 2**20)}
    assert _status("/gradio_api/upload", h, uploads=policy) == 413
    h["Content-Length"] = "1000"
    assert [_status("/gradio_api/upload", h, uploads=policy) for _ in range(4)] == [200, 200, 200, 429]
    assert policy.refusal("10.0.0.7", 1000, now=time.monotonic() + 3700) is None  # an hour later


# --- 11 and 6. feedback ------------------------------------------------------------------


@pytest.mark.parametrize("liked", ["x" * 1000, {"a": {"b": 1}}, None, 1, [True]])
def test_only_booleans_are_stored_as_likes(liked):
    with pytest.raises(FeedbackRefused):
        like_record(liked, "q", "a")
    assert like_record(True, "q", "a")["liked"] is True


def test_comments_are_bounded_and_clients_are_bounded(tmp_path: Path):
    rec = comment_record("é" * 5000, "q", "a")
    assert len(rec["comment"]) == 1000
    log = FeedbackLog(tmp_path / "feedback.jsonl", per_client_bytes=10_000)
    saved = 0
    with pytest.raises(FeedbackRefused, match="trop d'avis"):
        for _ in range(100):
            log.save(comment_record("x" * 1000, "q", "a"), client="1.2.3.4")
            saved += 1
    assert saved < 10
    log.save(comment_record("un autre poste", "q", "a"), client="5.6.7.8")  # others unaffected
    assert (tmp_path / "feedback.jsonl").stat().st_size <= 10_000 + 2_000


def test_a_full_disk_leaves_no_partial_feedback_line(tmp_path: Path):
    path = tmp_path / "feedback.jsonl"
    append_jsonl(path, {"n": 1})
    calls = []

    def enospc_after_half(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        append_jsonl(path, {"n": 2, "text": "x" * 200}, write=enospc_after_half)
    append_jsonl(path, {"n": 3})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["n"] for x in lines] == [1, 3]
    log = FeedbackLog(path, write=enospc_after_half)
    calls.clear()
    with pytest.raises(FeedbackRefused, match="manque de place"):
        log.save(like_record(False, "q", "a"))


def test_a_fragment_left_by_an_older_crash_does_not_swallow_the_next_record(tmp_path: Path):
    path = tmp_path / "feedback.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": 2, "tru')
    append_jsonl(path, {"n": 3})
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[-1]) == {"n": 3}


# --- 12. CDV_AUTH ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["agent", "agent:pa,ss", "agent: pw", " agent:pw", "agent:", ":pw", "a:b,,c:d"]
)
def test_an_invalid_auth_value_refuses_to_start(value):
    with pytest.raises(ValidationError) as exc:
        load_settings({"CDV_AUTH": value})
    msg = settings_error(exc.value)
    assert "CDV_AUTH" in msg and "utilisateur:motdepasse" in msg
    assert "pa,ss" not in msg and " pw" not in msg  # the value (a password) is never echoed


def test_valid_auth_values():
    assert parse_auth("agent:s3cret") == [("agent", "s3cret")]
    assert parse_auth("a:p:q,b:r") == [("a", "p:q"), ("b", "r")]
    assert load_settings({"CDV_AUTH": "agent:x"}).auth_pairs() == [("agent", "x")]


# --- 5. uploads: names, collisions, queued re-index ----------------------------------------


def test_uploads_never_replace_a_file(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    a, b, c = (tmp_path / n for n in ("a.pdf", "b.pdf", "c.pdf"))
    a.write_bytes(make_pdf(["Rapport en russe."]))
    b.write_bytes(make_pdf(["Rapport en chinois."]))
    c.write_bytes(make_pdf(["Encore un autre rapport."]))
    first = add_upload(a, corpus, "Отчёт.pdf")
    second = add_upload(b, corpus, "报告.pdf")
    assert first.name == "Отчёт.pdf" and second.name == "报告.pdf"
    third = add_upload(c, corpus, "Отчёт.pdf")  # same name, other content
    assert third.renamed and third.name == "Отчёт-2.pdf"
    assert (corpus / "Отчёт.pdf").read_bytes() == a.read_bytes()
    with pytest.raises(UploadRefused, match=r"déjà présent sous le nom « Отчёт\.pdf »"):
        add_upload(a, corpus, "copie.pdf")
    assert not list(corpus.glob("*.part"))
    assert safe_pdf_name("../../x y.pdf") == "x-y.pdf" and safe_pdf_name("???.pdf") == "document.pdf"


def test_a_reindex_asked_during_one_is_queued_and_the_index_matches_the_corpus(
    tmp_path: Path, small_corpus: Path
):
    from assistant.ingest import file_sha256

    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    a.ingest()
    real, calls = a.ingest, []
    in_build = threading.Event()

    def slow_ingest(**kw):
        calls.append(1)
        out = real(**kw)
        in_build.set()
        time.sleep(0.8)  # still « réindexation en cours » when the upload lands
        return out

    a.ingest = slow_ingest  # type: ignore[method-assign]
    status = IndexingStatus()
    worker = start_indexing(a, status, force=True)
    assert worker is not None
    in_build.wait(30)
    (small_corpus / "nouveau.txt").write_text("Le jardin partagé de Bissy ouvre en mai.\n", encoding="utf-8")
    assert start_indexing(a, status) is None  # queued, not dropped
    assert "une autre suivra" in status.banner("fr")
    worker.join(60)
    assert len(calls) == 2 and not status.running and status.message.startswith("Index à jour")
    assert any("jardin partagé de Bissy" in h.chunk.text for h in a.search("jardin partagé Bissy"))
    corpus = a.index.manifest["corpus"]
    on_disk = {p.name: file_sha256(p) for p in small_corpus.iterdir() if p.suffix in (".txt", ".pdf", ".md")}
    assert corpus == on_disk


# --- 8. a failed first index -------------------------------------------------------------


def test_a_failed_first_index_says_why_and_what_to_run(tmp_path: Path):
    empty = tmp_path / "corpus"
    empty.mkdir()
    (empty / "vide.txt").write_text("   \n", encoding="utf-8")
    a = Assistant(make_settings(tmp_path, corpus=empty), embedder=FakeEmbedder())
    status = IndexingStatus()
    assert "en cours de construction" in not_ready_message(status, "fr")
    worker = start_indexing(a, status)
    assert worker is not None
    worker.join(30)
    assert not a.ready()
    msg = not_ready_message(status, "fr")
    assert "a échoué" in msg and "Aucun passage à indexer" in msg and "python -m assistant ingest" in msg
    assert "failed" in not_ready_message(status, "en")


# --- 9. every open page refreshes after a build --------------------------------------------


def test_each_page_refreshes_after_a_background_build(fake_assistant: Assistant):
    from assistant.ui import build_ui

    status = IndexingStatus()
    demo = build_ui(fake_assistant, status)
    tick = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "tick")
    page_a = page_b = status.builds
    out_a, out_b = tick("fr", page_a), tick("fr", page_b)
    page_a, page_b = out_a[1], out_b[1]
    assert not isinstance(out_a[2], str)  # nothing to refresh yet: gr.update()
    with status.lock:
        status.builds += 1  # a background build ended
    out_a, out_b = tick("fr", page_a), tick("fr", page_b)
    assert isinstance(out_a[2], str) and isinstance(out_b[2], str)  # both pages refilled their fiches
    assert "cdv-fiche" in out_b[2] or "fiche" in out_b[2]
    again = tick("fr", out_a[1])
    assert not isinstance(again[2], str)  # once
