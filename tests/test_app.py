"""The launched web app: named API through gradio_client, and a real headless Chromium
(Debian's /usr/bin/chromium driven by Playwright; no downloaded browser)."""

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

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"


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


@pytest.mark.browser
def test_a_person_asks_reads_the_source_and_browses(app_url):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: make browser-deps"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
        t0 = time.perf_counter()
        page.goto(app_url)
        page.get_by_label("Votre question").fill("qui pilote l'objectif 12 ?")
        page.locator("#cdv-send").click()
        chat = page.locator("#cdv-chat")
        chat.get_by_text("Ville de Chambéry").first.wait_for(timeout=20_000)
        page.locator("#cdv-sources details").first.wait_for(timeout=10_000)
        first_answer_s = time.perf_counter() - t0
        text = chat.inner_text()
        assert "Grand Chambéry" in text and "Ville de Chambéry" in text and "[1]" in text
        page.screenshot(path=str(ARTIFACTS / "1-answer.png"), full_page=True)

        cite = page.locator("#cdv-sources details").first
        cite.locator("summary").click()
        mark = cite.locator("mark")
        mark.wait_for(timeout=5000)
        assert "Grand Chambéry" in mark.inner_text()
        assert "plan-actions-2021-2022.txt" in cite.locator("summary").inner_text()
        page.screenshot(path=str(ARTIFACTS / "2-citation-open.png"), full_page=True)

        page.get_by_role("tab", name="Les 19 objectifs").click()
        page.locator("#fiche-12 > summary").click()
        page.locator("#fiche-12").get_by_text("Pilote(s)").wait_for(timeout=5000)
        page.screenshot(path=str(ARTIFACTS / "3-fiches.png"), full_page=True)

        page.get_by_role("tab", name="Trouver mon objectif").click()
        page.get_by_label("Votre projet").fill("j'anime des ateliers numériques pour les seniors")
        page.locator("#cdv-finder-btn").click()
        page.locator("#cdv-finder-out").get_by_text("Objectifs qui correspondent").wait_for(timeout=20_000)
        assert "15" in page.locator("#cdv-finder-out").inner_text()
        page.screenshot(path=str(ARTIFACTS / "4-finder.png"), full_page=True)
        browser.close()
    (ARTIFACTS / "timing.txt").write_text(f"page load to first answer: {first_answer_s:.2f} s\n")
