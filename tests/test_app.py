"""The launched web app through its named API (gradio_client) and its HTTP routes; the
page in a real browser is tests/test_ui_browser.py."""

from __future__ import annotations

import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from eval.load import start_app

from .conftest import ROOT, make_settings


def _start_app(tmp: Path, **extra_env: str):
    env = {
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(tmp / "index"),
        "CDV_DATA_DIR": str(tmp / "data"),
        "GRADIO_ANALYTICS_ENABLED": "False",
        **extra_env,
    }
    return start_app(env, log=tmp / "app.log", timeout_s=90)


@pytest.fixture(scope="module")
def app_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("app-corpus") / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    return corpus


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, app_corpus: Path):
    tmp = tmp_path_factory.mktemp("app")
    Assistant(make_settings(tmp, corpus=app_corpus), embedder=FakeEmbedder()).ingest()
    # uploads on (loopback, so no auth needed), limited to 1 MB, into a copy of the corpus
    proc, url = _start_app(
        tmp, CDV_CORPUS_DIR=str(app_corpus), CDV_ALLOW_UPLOADS="true", CDV_MAX_UPLOAD_MB="1"
    )
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.server
def test_first_start_without_an_index_builds_it_in_the_background(tmp_path: Path):
    from gradio_client import Client

    proc, url = _start_app(tmp_path)  # no index yet: the page is served at once
    try:
        client = Client(url, verbose=False)
        t0 = time.perf_counter()
        while True:
            ans = client.predict("qui pilote l'objectif 12 ?", False, api_name="/ask")
            if "answer" in ans:
                break
            assert "construction" in ans["error"]
            assert time.perf_counter() - t0 < 60, "index never became ready"
            time.sleep(0.5)
        assert "Grand Chambéry" in ans["answer"]
        assert (tmp_path / "index" / "CURRENT").exists()
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.server
def test_named_api_endpoints(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    ans = client.predict("qui pilote l'objectif 12 ?", False, api_name="/ask")
    assert "Grand Chambéry" in ans["answer"] and ans["citations"][0]["objective"] == 12
    hits = client.predict("taux de pauvreté", 3, api_name="/search")
    assert len(hits) == 3 and {"source", "page", "objective", "section", "text", "score"} <= set(hits[0])
    fiches = client.predict(api_name="/fiches")
    assert len(fiches) == 19 and fiches[11]["pilots"] == ["Grand Chambéry", "Ville de Chambéry"]


@pytest.mark.server
def test_file_routes_do_not_reach_the_index_or_corpus(app_url, tmp_path):
    for probe in (
        "file=/etc/passwd",
        f"file={ROOT / 'corpus' / 'manifest.json'}",
        "file=../corpus/manifest.json",
        "file=%2e%2e%2fcorpus%2fmanifest.json",
        f"gradio_api/file={ROOT / 'corpus' / 'manifest.json'}",
    ):
        try:
            code = urllib.request.urlopen(app_url + probe, timeout=5).status
        except urllib.error.HTTPError as err:
            code = err.code
        assert code in (403, 404), probe


def _post(url: str, origin: str | None) -> int:
    req = urllib.request.Request(
        url + "gradio_api/call/ask",
        method="POST",
        data=b'{"data": ["qui pilote l objectif 12 ?", false]}',
        headers={"Content-Type": "application/json", **({"Origin": origin} if origin else {})},
    )
    try:
        return urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.server
def test_cross_origin_posts_are_refused(app_url):
    port = app_url.rsplit(":", 1)[1].strip("/")
    assert _post(app_url, "http://evil.example") == 403
    assert _post(app_url, "null") == 403
    assert _post(app_url, f"http://127.0.0.1:{port}") == 200
    assert _post(app_url, None) == 200  # gradio_client and scripts send no Origin


@pytest.mark.server
def test_oversize_upload_is_refused_and_nothing_is_written(app_url, app_corpus):
    before = sorted(p.name for p in app_corpus.iterdir())
    boundary = "cdvboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="gros.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-1.4\n"
        + b"0" * (2 * 2**20)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    req = urllib.request.Request(
        app_url + "gradio_api/upload",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        code = urllib.request.urlopen(req, timeout=20).status
    except urllib.error.HTTPError as err:
        code = err.code
    assert code == 413
    assert sorted(p.name for p in app_corpus.iterdir()) == before
