"""Chroma client/server mode against a real `chroma run` server started by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from assistant.index_store import ServerIndexStore
from eval.load import free_port, start_app

from .chroma_server import start_chroma, stop_chroma
from .conftest import CORPUS, ROOT, make_settings

pytestmark = pytest.mark.server
QUESTIONS = [
    "qui pilote l'objectif 12 ?",
    "partenaires de la GUP",
    "combien d'interventions des correspondants de nuit en 2018 ?",
    "Quel est le taux de pauvreté aux Hauts de Chambéry ?",
    "quelle est la météo demain ?",
    "who leads objective 3?",
]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    proc = start_chroma(path, port)
    yield port
    stop_chroma(proc)


def _server_assistant(tmp: Path, port: int, prefix: str, corpus: Path = CORPUS) -> Assistant:
    settings = make_settings(
        tmp,
        corpus=corpus,
        chroma_host="127.0.0.1",
        chroma_port=port,
        chroma_prefix=prefix,
        generation_check_s=0.0,
    )
    return Assistant(settings, embedder=FakeEmbedder())


def test_ingest_search_and_ask_behave_as_embedded(chroma_server, tmp_path, fake_assistant):
    a = _server_assistant(tmp_path, chroma_server, "same")
    assert isinstance(a.store, ServerIndexStore)
    report, _ = a.ingest()
    assert report.chunks == len(fake_assistant.index.chunks) and a.index.path is None
    for q in QUESTIONS:
        assert [h.chunk.id for h in a.search(q)] == [h.chunk.id for h in fake_assistant.search(q)], q
        assert a.ask(q).text == fake_assistant.ask(q).text, q
    again, _ = a.ingest()
    assert again.skipped  # the manifest on the server says nothing changed


def test_replicas_share_the_index_and_see_a_reindex_without_restart(chroma_server, tmp_path, small_corpus):
    corpus = small_corpus
    writer = _server_assistant(tmp_path / "w", chroma_server, "shared", corpus)
    writer.ingest()
    reader = _server_assistant(tmp_path / "r", chroma_server, "shared", corpus)
    assert reader.ask(QUESTIONS[0]).text == writer.ask(QUESTIONS[0]).text
    before = reader.index.generation
    (corpus / "nouveau.txt").write_text(
        "Le jardin partagé de Bissy accueille vingt familles.\n", encoding="utf-8"
    )
    writer.ingest()  # another process re-indexes
    reader.ask(QUESTIONS[0])  # the next question notices it and is answered from the old one
    reader.wait_for_switch()  # while the new generation opens beside it (issue 13, item 4)
    assert reader.index.generation != before  # no restart
    assert reader.search("jardin partagé Bissy", k=1)[0].chunk.source == "nouveau.txt"
    # old generations are pruned on the server, the live one is complete
    names = [c.name for c in reader.store.client.list_collections() if c.name.startswith("shared_gen-")]
    assert 1 <= len(names) <= 2


def test_two_app_processes_and_the_cli_against_one_server(chroma_server, tmp_path, small_corpus):
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    corpus = small_corpus
    env = {
        **os.environ,
        "CDV_EMBED_BACKEND": "fake",
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(chroma_server),
        "CDV_CHROMA_PREFIX": "apps",
        "CDV_CORPUS_DIR": str(corpus),
        "CDV_GENERATION_CHECK_S": "0",
    }

    def cli_ingest() -> None:
        subprocess.run(
            [sys.executable, "-m", "assistant", "ingest"],
            cwd=ROOT,
            env={**env, "CDV_INDEX_DIR": str(tmp_path / "cli")},
            check=True,
            capture_output=True,
        )

    cli_ingest()
    procs: list[subprocess.Popen] = []
    try:

        def app(n: int) -> str:
            proc, url = start_app(
                {**env, "CDV_INDEX_DIR": str(tmp_path / f"app{n}")},
                log=tmp_path / f"app{n}.log",
                timeout_s=90,
            )
            procs.append(proc)  # stopped below even when the other replica fails to start
            return url

        with ThreadPoolExecutor(2) as pool:  # two replicas starting side by side, as deployed
            clients = [Client(url, verbose=False) for url in pool.map(app, range(2))]
        answers = [c.predict(QUESTIONS[0], False, api_name="/ask")["answer"] for c in clients]
        assert answers[0] == answers[1] and "Grand Chambéry" in answers[0]
        (corpus / "nouveau.txt").write_text(
            "La ludothèque itinérante passe à Bissy le mercredi.\n", encoding="utf-8"
        )
        cli_ingest()
        for c in clients:  # both replicas see the CLI's re-index without a restart
            deadline = time.time() + 15  # the check interval, plus the open in the background
            while True:
                hits = c.predict("ludothèque itinérante Bissy", 1, api_name="/search")
                if hits[0]["source"] == "nouveau.txt" or time.time() > deadline:
                    break
                time.sleep(0.2)
            assert hits[0]["source"] == "nouveau.txt"
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
