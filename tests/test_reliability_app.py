"""Issue 13 against the launched app (real server on 127.0.0.1): Host allow-list, the
upload route with uploads disabled, an empty /search, a bad CDV_AUTH, a failed first index."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from eval.load import start_app

from .conftest import ROOT, make_settings

pytestmark = pytest.mark.server


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(tmp / "index"),
        "CDV_DATA_DIR": str(tmp / "data"),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_TEMP_DIR": str(tmp / "gradio-tmp"),
        **extra,
    }


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("rel-app")
    Assistant(make_settings(tmp), embedder=FakeEmbedder()).ingest()
    proc, url = start_app(_env(tmp), log=tmp / "app.log", timeout_s=90)  # uploads disabled (default)
    try:
        yield url, tmp
    finally:
        proc.terminate()
        proc.wait(10)


def _request(url: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> int:
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def _multipart(name: str, payload: bytes) -> tuple[bytes, str]:
    boundary = "cdvboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_foreign_host_is_refused_even_with_a_matching_origin(app):
    url, _ = app
    evil = {"Host": "evil.example", "Origin": "http://evil.example", "Content-Type": "application/json"}
    assert _request(url, "POST", "/gradio_api/call/ask", evil, b'{"data": ["bonjour", false]}') == 403
    body, ctype = _multipart("x.pdf", b"%PDF-1.4\n")
    assert _request(url, "POST", "/gradio_api/upload", {**evil, "Content-Type": ctype}, body) == 403
    assert _request(url, "GET", "/", {"Host": "evil.example"}) == 403
    port = urlparse(url).port
    assert _request(url, "GET", "/", {"Host": f"localhost:{port}"}) == 200


def test_the_upload_route_is_closed_when_uploads_are_disabled(app):
    url, tmp = app
    port = urlparse(url).port
    body, ctype = _multipart("outil.exe", b"MZ" + b"\0" * (5 * 2**20))
    status = _request(
        url, "POST", "/gradio_api/upload", {"Host": f"127.0.0.1:{port}", "Content-Type": ctype}, body
    )
    assert status == 403
    stored = (
        [p for p in (tmp / "gradio-tmp").rglob("*") if p.is_file()] if (tmp / "gradio-tmp").exists() else []
    )
    assert not [p for p in stored if p.name == "outil.exe"]


def test_an_empty_search_gets_a_clear_error(app):
    from gradio_client import Client

    client = Client(app[0], verbose=False)
    with pytest.raises(Exception, match="La recherche est vide"):
        client.predict("   ", 5, api_name="/search")
    assert client.predict("taux de pauvreté", 2, api_name="/search")


@pytest.mark.parametrize("value", ["agent", "agent:pa,ss"])
def test_the_app_refuses_to_start_with_an_invalid_auth(tmp_path: Path, value: str):
    env = {**os.environ, **_env(tmp_path), "CDV_AUTH": value, "CDV_PORT": "1"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2
    assert (
        "CDV_AUTH" in out.stderr and "utilisateur:motdepasse" in out.stderr and "Traceback" not in out.stderr
    )


def test_a_failed_first_index_is_reported_on_ask(tmp_path: Path):
    from gradio_client import Client

    corpus = Path(tempfile.mkdtemp(dir=tmp_path)) / "corpus"
    corpus.mkdir()
    (corpus / "vide.txt").write_text(" \n", encoding="utf-8")
    proc, url = start_app(_env(tmp_path, CDV_CORPUS_DIR=str(corpus)), log=tmp_path / "app.log", timeout_s=90)
    try:
        client = Client(url, verbose=False)
        for _ in range(40):
            ans = client.predict("qui pilote l'objectif 12 ?", False, api_name="/ask")
            if "échoué" in ans.get("error", ""):
                break
            import time

            time.sleep(0.5)
        assert "a échoué" in ans["error"] and "python -m assistant ingest" in ans["error"], ans
    finally:
        proc.terminate()
        proc.wait(10)
