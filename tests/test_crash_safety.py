"""Kill the ingest process with SIGKILL at random moments: the index opened afterwards is
always a complete generation (the previous or the new one), never a mix; leftovers are
cleaned by the next run; the embedding cache stays sound."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.embeddings import FakeEmbedder
from assistant.index_store import IndexStore

from .conftest import CORPUS, ROOT


def _ingest_proc(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _check_complete(store: IndexStore) -> str:
    idx = store.open()
    assert idx.manifest["chunks"] == len(idx.chunks) == idx.collection.count()
    marks = {c.text.split("Révision ")[1].split(".")[0] for c in idx.chunks if "Révision " in c.text}
    assert len(marks) <= 1, f"mixed generations: {marks}"
    return idx.generation


@pytest.mark.slow
def test_sigkill_during_ingest_never_leaves_a_broken_index(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    page = corpus / "page-contrat-de-ville.txt"
    original = page.read_text(encoding="utf-8")
    env = {
        **os.environ,
        "CDV_EMBED_BACKEND": "fake",
        "CDV_CORPUS_DIR": str(corpus),
        "CDV_INDEX_DIR": str(tmp_path / "index"),
        "CDV_EMBED_BATCH_SIZE": "1",
    }
    store = IndexStore(tmp_path / "index", FakeEmbedder())

    t0 = time.perf_counter()
    assert _ingest_proc(env).wait(120) == 0
    full = time.perf_counter() - t0
    generations = {_check_complete(store)}

    rng = random.Random(42)
    for k in range(20):
        page.write_text(original + f"\nRévision {k}. Texte modifié pour le test.\n", encoding="utf-8")
        proc = _ingest_proc(env)
        time.sleep(rng.uniform(0.05, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        gen = _check_complete(store)  # previous or new, always complete
        generations.add(gen)

    assert _ingest_proc(env).wait(120) == 0  # the next run cleans up and completes
    final = _check_complete(store)
    gens = store.generations
    assert all((p / "manifest.json").exists() for p in gens.iterdir()), "leftover incomplete generation"
    assert len(list(gens.iterdir())) <= 2
    assert not (tmp_path / "index" / "CURRENT.tmp").exists()
    db = sqlite3.connect(tmp_path / "index" / "cache" / "embeddings.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert json.loads((gens / final / "manifest.json").read_text())["chunks"] > 100
    assert len(generations) >= 2  # some kills happened after the switch, some before
