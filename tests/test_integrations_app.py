"""The launched app as the tools people already use see it: an MCP client (the `mcp`
package, streamable HTTP) listing and calling the tools, gradio_client on the objective
finder, and the spreadsheet download in a real headless Chromium."""

from __future__ import annotations

import ast
import asyncio
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from eval.load import start_app
from eval.render_pdf import ARGS, CHROMIUM

from .conftest import make_settings

TOOLS = {"ask", "search", "fiches", "find"}


@pytest.fixture(scope="module")
def mcp_app(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("mcp-app")
    Assistant(make_settings(tmp), embedder=FakeEmbedder()).ingest()
    env = {
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(tmp / "index"),
        "CDV_DATA_DIR": str(tmp / "data"),
        "CDV_MCP": "true",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    proc, url = start_app(env, log=tmp / "app.log", timeout_s=90)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _mcp(url: str, calls: list[tuple[str, dict[str, Any]]]) -> tuple[list[Any], list[Any]]:
    """(tools, results of `calls`) through one MCP session, as an AI assistant would."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def run() -> tuple[list[Any], list[Any]]:
        async with (
            streamablehttp_client(url + "gradio_api/mcp/") as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            tools = (await session.list_tools()).tools
            results = [await session.call_tool(name, args) for name, args in calls]
            return tools, results

    return asyncio.run(run())


def _payload(result: Any) -> Any:
    """Gradio sends a tool's JSON result as one text block written Python-style
    (True/None): a literal, read as such."""
    assert not result.isError, result.content
    assert len(result.content) == 1 and result.content[0].type == "text"
    return ast.literal_eval(result.content[0].text)


@pytest.mark.server
def test_mcp_tools_are_listed_with_bilingual_descriptions(mcp_app):
    tools, _ = _mcp(mcp_app, [])
    by_name = {t.name: t for t in tools}
    assert set(by_name) == TOOLS  # the page's own handlers are not tools
    ask = by_name["ask"]
    assert "Répond à une question" in ask.description and "Answers a question" in ask.description
    for word in ("refused", "citations", "page", "objective"):
        assert word in ask.description, word
    assert ask.inputSchema["required"] == ["question"]
    assert "français" in ask.inputSchema["properties"]["question"]["description"]
    assert by_name["search"].inputSchema["properties"]["k"]["default"] == 5
    assert "19" in by_name["fiches"].description and "pilots" in by_name["fiches"].description
    assert "projet" in by_name["find"].description and "project" in by_name["find"].description


@pytest.mark.server
def test_mcp_ask_answers_with_citations_and_refuses_what_the_documents_do_not_say(mcp_app):
    _, (pilot, unknown, found, fiches) = _mcp(
        mcp_app,
        [
            ("ask", {"question": "qui pilote l'objectif 12 ?"}),
            ("ask", {"question": "quel temps fera-t-il samedi ?"}),
            ("find", {"description": "j'anime des ateliers numériques pour les seniors"}),
            ("fiches", {}),
        ],
    )
    ans = _payload(pilot)
    assert ans["refused"] is False
    assert "Grand Chambéry" in ans["answer"] and "Ville de Chambéry" in ans["answer"]
    cite = ans["citations"][0]
    assert cite["n"] == 1 and cite["objective"] == 12 and cite["source"] == "plan-actions-2021-2022.txt"
    assert "Grand Chambéry" in cite["text"]

    no = _payload(unknown)
    assert no["refused"] is True and no["citations"] == []
    assert "Je ne trouve pas" in no["answer"]

    fit = _payload(found)
    assert fit["refused"] is False and any(c["objective"] == 15 for c in fit["citations"])
    assert len(_payload(fiches)) == 19


@pytest.mark.server
def test_the_objective_finder_is_a_named_endpoint(mcp_app):
    from gradio_client import Client

    out = Client(mcp_app, verbose=False).predict(
        "j'anime des ateliers numériques pour les seniors", False, api_name="/find"
    )
    assert out["refused"] is False and any(c["objective"] == 15 for c in out["citations"])


@pytest.mark.browser
def test_the_fiches_and_tables_download_from_the_page(mcp_app, tmp_path):
    import pandas as pd
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: make browser-deps"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=ARGS,
        )
        try:
            page = browser.new_page(accept_downloads=True, locale="fr-FR")
            page.goto(mcp_app)
            page.get_by_role("tab", name="Documents").click()
            page.locator("#cdv-export").click()
            files = page.locator("#cdv-export-files a")
            files.first.wait_for(timeout=30_000)
            t0 = time.perf_counter()
            while files.count() < 2 and time.perf_counter() - t0 < 10:
                time.sleep(0.2)
            saved = {}
            for i in range(files.count()):
                with page.expect_download() as info:
                    files.nth(i).click()
                d = info.value
                saved[d.suggested_filename] = tmp_path / d.suggested_filename
                d.save_as(saved[d.suggested_filename])
        finally:
            browser.close()
    assert set(saved) == {"contrat-de-ville.ods", "contrat-de-ville-csv.zip"}
    book = pd.read_excel(saved["contrat-de-ville.ods"], sheet_name=None, engine="odf")
    assert len(book["Fiches"]) == 19
    quartiers = next(v for k, v in book.items() if "Carte d'identité" in k)
    assert quartiers["Taux de pauvreté (%)"].iloc[0] == pytest.approx(41.4)
    with zipfile.ZipFile(saved["contrat-de-ville-csv.zip"]) as z:
        names = z.namelist()
    assert "01-fiches.csv" in names and len(names) == len(book)


def test_mcp_is_off_by_default():
    from assistant.config import load_settings

    assert load_settings({}).mcp_server is False
    assert load_settings({"CDV_MCP": "true"}).mcp_server is True


@pytest.mark.server
def test_mcp_stays_off_with_gradio_auth(tmp_path):
    """With CDV_AUTH the tools could not log in (every call would fail): the MCP route is
    not served, whatever CDV_MCP and Gradio's own GRADIO_MCP_SERVER say, and the log says why."""
    import urllib.error
    import urllib.request

    Assistant(make_settings(tmp_path), embedder=FakeEmbedder()).ingest()
    env = {
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(tmp_path / "index"),
        "CDV_DATA_DIR": str(tmp_path / "data"),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_MCP_SERVER": "true",
        "CDV_MCP": "true",
        "CDV_AUTH": "agent:secret",
    }
    log = tmp_path / "app.log"
    proc, url = start_app(env, log=log, timeout_s=90)
    try:
        req = urllib.request.Request(
            url + "gradio_api/mcp/",
            data=b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}',
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"},
        )
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert err.value.code == 404
    finally:
        proc.terminate()
        proc.wait(10)
    assert "MCP server off" in log.read_text()
