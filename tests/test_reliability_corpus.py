"""Issue 13 (corpus side): links out of the corpus, linear chunking, clear French messages
for a bad manifest, a missing folder or a full disk, and small CLI/search/encoding bugs."""

from __future__ import annotations

import errno
import json
import time
from pathlib import Path

import pytest

from assistant import cli
from assistant.assistant import Assistant
from assistant.chunking import MAX_CHARS, chunk_document
from assistant.embeddings import FakeEmbedder
from assistant.index_store import DiskFull
from assistant.ingest import CorpusError, read_corpus, read_document
from assistant.schema import DocMeta, SourceDoc

from .conftest import make_settings

# --- 14. symbolic links out of corpus/ ---------------------------------------------------


def test_a_link_out_of_the_corpus_is_not_indexed(tmp_path: Path, small_corpus: Path):
    secret = tmp_path / "outside" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:motdepassesecret:/root:/bin/bash\n", encoding="utf-8")
    (small_corpus / "passwd.txt").symlink_to(secret)
    (small_corpus / "etc.txt").symlink_to("/etc/passwd")
    (small_corpus / "alias.txt").symlink_to(small_corpus / "page-contrat-de-ville.txt")  # inside: fine

    docs, errors = read_corpus(small_corpus)
    names = {d.source for d in docs}
    assert "passwd.txt" not in names and "etc.txt" not in names and "alias.txt" in names
    assert {e.source for e in errors} >= {"passwd.txt", "etc.txt"}
    assert all("hors du dossier" in e.reason for e in errors if e.source in ("passwd.txt", "etc.txt"))
    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    a.ingest()
    assert not any("motdepassesecret" in h.chunk.text for h in a.search("motdepassesecret", k=20))
    assert not any("/bin/bash" in h.chunk.text for h in a.search("root bin bash", k=20))


# --- 15. chunking is linear, passages bounded ----------------------------------------------


def _unpunctuated(lines: int, sep: str) -> SourceDoc:
    text = sep.join(f"ligne numero {i} sans ponctuation finale et quelques mots" for i in range(lines))
    return SourceDoc(source="long.txt", text=text, meta=DocMeta(title="Long", kind="document"), sha256="0")


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_chunking_long_unpunctuated_runs_is_linear_and_bounded(sep: str):
    def seconds(n: int) -> tuple[float, int]:
        t0 = time.perf_counter()
        chunks, _ = chunk_document(_unpunctuated(n, sep))
        return time.perf_counter() - t0, max(len(c.text) for c in chunks)

    small, _ = seconds(2_000)
    big, longest = seconds(16_000)
    # 8x the lines: about 8x the time when linear; the quadratic version took 40x and more
    assert big < max(small, 0.01) * 20, f"2k lines {small:.2f} s, 16k lines {big:.2f} s"
    assert longest <= 2 * MAX_CHARS + 200


# --- 16. clear French messages -------------------------------------------------------------


def _cli(monkeypatch, tmp_path: Path, corpus: Path, *argv: str) -> int:
    monkeypatch.setenv("CDV_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("CDV_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CDV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CDV_EMBED_BACKEND", "fake")
    return cli.main(list(argv))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"plan-actions-2021-2022.txt": {"title": "x"', "JSON invalide ligne 1"),
        ('["plan-actions-2021-2022.txt"]', "un objet JSON est attendu"),
        ('"plan"', "un objet JSON est attendu"),
        ('{"plan-actions-2021-2022.txt": "Plan"}', "doit être un objet"),
    ],
)
def test_a_bad_manifest_is_named_with_the_fix(monkeypatch, capsys, tmp_path, small_corpus, content, expected):
    (small_corpus / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest\.json"):
        read_corpus(small_corpus)
    assert _cli(monkeypatch, tmp_path, small_corpus, "ingest") == 2
    err = capsys.readouterr().err
    assert "manifest.json" in err and expected in err and "Traceback" not in err


def test_a_missing_corpus_folder_says_what_to_do(monkeypatch, capsys, tmp_path):
    assert _cli(monkeypatch, tmp_path, tmp_path / "nulle-part", "ingest") == 2
    err = capsys.readouterr().err
    assert "Dossier des documents introuvable" in err and "CDV_CORPUS_DIR" in err


@pytest.mark.parametrize("where", ["bm25", "chroma"])
def test_a_full_disk_during_ingest_says_so_and_keeps_the_index(monkeypatch, tmp_path, small_corpus, where):
    a = Assistant(make_settings(tmp_path, corpus=small_corpus), embedder=FakeEmbedder())
    first, _ = a.ingest()
    if where == "bm25":

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr("assistant.index_store.LexicalIndex.save", full)
    else:

        def compaction(*args, **kwargs):  # how Chroma reports it: nothing about space in the type
            raise RuntimeError("Error executing plan: Error in compaction: database or disk is full")

        monkeypatch.setattr("assistant.index_store._fill_collection", compaction)
    with pytest.raises(DiskFull, match="Espace disque insuffisant") as exc:
        a.ingest(force=True)
    assert "python -m assistant ingest" in str(exc.value)
    assert a.store.current_generation() == first.generation
    gens = [p.name for p in (tmp_path / "index" / "generations").iterdir()]
    assert gens == [first.generation]  # the half-written one is gone
    assert a.ask("qui pilote l'objectif 12 ?").citations


# --- 17. small ones ----------------------------------------------------------------------


@pytest.mark.parametrize("k", ["0", "-1"])
def test_search_k_must_be_positive(monkeypatch, capsys, tmp_path, k):
    with pytest.raises(SystemExit) as exc:
        _cli(monkeypatch, tmp_path, tmp_path / "corpus", "search", "taux", "--k", k)
    assert exc.value.code == 2
    assert "entier positif" in capsys.readouterr().err


def test_search_with_k_below_one_is_refused(fake_assistant):
    for k in (0, -1):
        with pytest.raises(ValueError, match="au moins 1"):
            fake_assistant.search("taux de pauvreté", k=k)
    assert len(fake_assistant.search("taux de pauvreté", k=3)) == 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_text_files_are_decoded(tmp_path: Path, encoding: str):
    path = tmp_path / "note.txt"
    text = "Compte rendu : la médiation numérique à Bissy.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text.startswith("Compte rendu") and "ÿþ" not in doc.text and "médiation" in doc.text


def test_the_manifest_hash_is_the_hash_of_the_text_read(tmp_path: Path):
    import hashlib

    path = tmp_path / "a.txt"
    path.write_text("Un texte.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    json.dumps(doc.sha256)
