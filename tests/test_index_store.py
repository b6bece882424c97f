"""Index persistence: incremental embedding, atomic generations, lock, manifest checks."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from assistant.index_store import IndexBusy, IndexError_, IndexMismatch, IndexMissing, IndexStore
from assistant.ingest import read_corpus

from .conftest import make_settings


class ExplodingEmbedder(FakeEmbedder):
    """Fails after a number of passages, like a crash in the middle of an ingest."""

    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after

    def embed_passages(self, texts):
        if self.calls + len(texts) > self.fail_after:
            raise RuntimeError("boom")
        return super().embed_passages(texts)


def test_unchanged_corpus_embeds_nothing_and_one_changed_file_only_its_chunks(
    tmp_path: Path, small_corpus: Path
):
    emb = FakeEmbedder()
    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=emb)
    first, _ = a.ingest()
    assert first.embedded == first.chunks > 50 and not first.skipped
    again, _ = a.ingest()
    assert again.skipped and again.embedded == 0
    page = small_corpus / "page-contrat-de-ville.txt"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nNouvelle phrase sur le jardin de Bissy.\n", encoding="utf-8"
    )
    third, _ = a.ingest()
    assert not third.skipped
    assert 1 <= third.embedded <= 4  # only chunks of the changed page
    assert third.generation != first.generation
    assert any("jardin de Bissy" in h.chunk.text for h in a.search("jardin Bissy"))


def test_a_crash_mid_build_leaves_the_live_index_intact(tmp_path: Path, small_corpus: Path):
    good = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    report, _ = good.ingest()
    (small_corpus / "nouveau.txt").write_text(
        "Un nouveau document sur les correspondants de nuit.\n" * 3, encoding="utf-8"
    )
    bad = IndexStore(tmp_path / "index", ExplodingEmbedder(fail_after=0))
    docs, _ = read_corpus(small_corpus)
    with pytest.raises(RuntimeError):
        bad.build(docs, force=True)
    assert good.store.current_generation() == report.generation
    assert len(good.index.chunks) == report.chunks
    # the next build cleans up and completes
    report2, _ = good.ingest()
    assert report2.generation != report.generation
    assert any(c.source == "nouveau.txt" for c in good.index.chunks)


def test_an_interrupted_generation_is_cleaned_up(tmp_path: Path, small_corpus: Path):
    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    a.ingest()
    leftover = tmp_path / "index" / "generations" / "gen-half-written"
    (leftover / "chroma").mkdir(parents=True)
    a.ingest(force=True)
    assert not leftover.exists()


def test_only_one_writer_at_a_time(tmp_path: Path, small_corpus: Path):
    store = IndexStore(tmp_path / "index", FakeEmbedder())
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with store.writer_lock():
            entered.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    entered.wait(5)
    try:
        docs, _ = read_corpus(small_corpus)
        other = IndexStore(tmp_path / "index", FakeEmbedder())
        with pytest.raises(IndexBusy, match="déjà en cours"):
            other.build(docs)
    finally:
        release.set()
        t.join()


def test_opening_with_another_embedder_is_refused_with_a_fix(tmp_path: Path, small_corpus: Path):
    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder(dim=256))
    a.ingest()
    other = IndexStore(tmp_path / "index", FakeEmbedder(dim=128))
    with pytest.raises(IndexMismatch, match="ingest --rebuild"):
        other.open()


def test_missing_index_says_how_to_build_it(tmp_path: Path):
    with pytest.raises(IndexMissing, match="python -m assistant ingest"):
        IndexStore(tmp_path / "nothing", FakeEmbedder()).open()


def test_an_index_written_by_another_chromadb_is_refused(tmp_path: Path, small_corpus: Path):
    import json

    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    a.ingest()
    gen = a.store.current_generation()
    path = tmp_path / "index" / "generations" / str(gen) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["libraries"]["chromadb"] = "0.0.1"
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match=r"chromadb 0\.0\.1"):
        IndexStore(tmp_path / "index", FakeEmbedder()).open()


def test_text_is_sanitised_before_it_is_stored(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sale.txt").write_bytes(
        "Pilote\x00 de l'action\x07 :\u200b Grand Chambéry\ufeff\n".encode() + b"\xed\xa0\x80 fin\n"
    )
    a = Assistant(make_settings(tmp_path, corpus=corpus), embedder=FakeEmbedder())
    a.ingest()
    text = " ".join(c.text for c in a.index.chunks)
    assert "Grand Chambéry" in text
    for bad in ("\x00", "\x07", "\u200b", "\ufeff", "\ud800"):
        assert bad not in text


def test_a_corpus_with_nothing_readable_is_refused_and_the_live_index_kept(
    tmp_path: Path, small_corpus: Path
):
    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    report, _ = a.ingest()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "vide.txt").write_text("   \n", encoding="utf-8")
    with pytest.raises(IndexError_, match="Aucun passage"):
        IndexStore(tmp_path / "index", FakeEmbedder()).build(read_corpus(empty)[0], force=True)
    assert a.store.current_generation() == report.generation
