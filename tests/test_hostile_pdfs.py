"""Hostile and broken PDFs: each is refused or capped with a clear message naming the
file, within bounded time and memory; the other files are still indexed."""

from __future__ import annotations

import itertools
import random
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from assistant.ingest import IngestError, PdfLimits, read_corpus, read_document

from . import pdfgen
from .conftest import make_settings

LIMITS = PdfLimits(timeout_s=10, memory_mb=512, max_pages=50)


def _hostile() -> dict[str, tuple[bytes, str | None]]:
    """file name -> (bytes, expected reason: a fragment; "" = refused, any reason; None = may be read)."""
    good = pdfgen.make_pdf(["Le jardin partagé du Biollay réunit quarante familles."])
    return {
        "vide.pdf": (b"", "fichier vide"),
        "aleatoire.pdf": (b"%PDF-1.4\n" + random.Random(1).randbytes(4000), "PDF illisible"),
        "tronque.pdf": (good[: len(good) // 2], None),  # pypdf may recover the text: either way, no crash
        "image-renommee.pdf": (b"\x89PNG\r\n\x1a\n" + b"\0" * 500, "PDF illisible"),
        "chiffre-utilisateur.pdf": (pdfgen.encrypted("secret"), "mot de passe"),
        "chiffre-proprietaire.pdf": (pdfgen.encrypted(""), None),  # opens without a password
        "scan.pdf": (pdfgen.make_pdf(["", ""]), "OCR nécessaire"),
        "bombe.pdf": (pdfgen.decompression_bomb(150), ""),
        "cycle.pdf": (pdfgen.cyclic_page_tree(), ""),
        "xref-boucle.pdf": (pdfgen.xref_loop(), None),
        "5000-pages.pdf": (pdfgen.make_pdf([f"Page {i}" for i in range(5000)]), None),
    }


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    corpus.mkdir()
    for name, (data, _) in _hostile().items():
        (corpus / name).write_bytes(data)
    (corpus / "bon.txt").write_text(
        "Les correspondants de nuit ont fait 8 871 interventions en 2018.\n", encoding="utf-8"
    )
    return corpus


def test_each_hostile_file_is_refused_or_read_with_a_named_reason(hostile_corpus: Path):
    for name, (_, reason) in _hostile().items():
        t0 = time.perf_counter()
        try:
            doc = read_document(hostile_corpus / name, limits=LIMITS)
        except IngestError as err:
            assert err.source == name
            assert reason is None or reason in err.reason, (name, err.reason)
        else:
            assert reason is None, f"{name} should have been refused"
            assert doc.text.strip()
        assert time.perf_counter() - t0 < LIMITS.timeout_s + 5, name


def test_a_5000_page_pdf_is_capped_with_a_note(hostile_corpus: Path):
    doc = read_document(hostile_corpus / "5000-pages.pdf", limits=LIMITS)
    assert doc.page_starts and len(doc.page_starts) == 50
    assert doc.notes and "5000 pages" in doc.notes[0]


def test_pages_shared_among_two_readers_keep_the_limits_and_the_page_order(hostile_corpus: Path):
    """Two child processes each read every other page: the page cap, the page count, the
    page order and a refusal come out as with one reader."""
    two = replace(LIMITS, workers=2)
    doc = read_document(hostile_corpus / "5000-pages.pdf", limits=two)
    assert len(doc.page_starts) == 50 and "5000 pages" in doc.notes[0]
    pages = [doc.text[a:b] for a, b in itertools.pairwise((*doc.page_starts, len(doc.text)))]
    assert [re.sub(r"\D", "", p) for p in pages] == [str(i) for i in range(50)]
    with pytest.raises(IngestError, match="mot de passe"):
        read_document(hostile_corpus / "chiffre-utilisateur.pdf", limits=two)
    with pytest.raises(IngestError):
        read_document(hostile_corpus / "bombe.pdf", limits=two)


def test_owner_password_only_opens_and_user_password_is_refused(hostile_corpus: Path):
    assert "confidentiel" in read_document(hostile_corpus / "chiffre-proprietaire.pdf", limits=LIMITS).text
    with pytest.raises(IngestError, match="mot de passe"):
        read_document(hostile_corpus / "chiffre-utilisateur.pdf", limits=LIMITS)


def test_ingest_indexes_the_good_files_and_nothing_from_the_refused_ones(
    hostile_corpus: Path, tmp_path: Path
):
    _, errors = read_corpus(hostile_corpus, LIMITS)
    refused = {e.source for e in errors if e.fatal}
    assert {
        "vide.pdf",
        "aleatoire.pdf",
        "scan.pdf",
        "chiffre-utilisateur.pdf",
        "bombe.pdf",
        "cycle.pdf",
    } <= refused
    assert any(e.source == "5000-pages.pdf" and not e.fatal for e in errors)
    a = Assistant(make_settings(tmp_path, corpus=hostile_corpus), embedder=FakeEmbedder())
    a.settings = a.settings.model_copy(
        update={"pdf_timeout_s": 10, "pdf_memory_mb": 512, "pdf_max_pages": 50}
    )
    a.ingest()
    sources = {c.source for c in a.index.chunks}
    assert "bon.txt" in sources and not (sources & refused)
    assert a.search("correspondants de nuit")[0].chunk.source == "bon.txt"


@pytest.mark.slow
def test_mutation_fuzz_never_crashes_or_hangs(tmp_path: Path):
    """A few hundred seeded mutants of valid PDFs: each is read or refused, within the limits."""
    rng = random.Random(20261121)
    seeds = [
        pdfgen.make_pdf(["Objectif 12 - Favoriser l'accès aux soins", "Pilote :\nGrand Chambéry"]),
        pdfgen.encrypted(""),
        pdfgen.cyclic_page_tree(),
    ]
    limits = PdfLimits(timeout_s=5, memory_mb=256, max_pages=20)
    for i in range(300):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            op = rng.random()
            pos = rng.randrange(len(data))
            if op < 0.5:
                data[pos] = rng.randrange(256)
            elif op < 0.75:
                del data[pos : pos + rng.randint(1, 40)]
            else:
                data[pos:pos] = rng.randbytes(rng.randint(1, 40))
        path = tmp_path / f"mutant-{i}.pdf"
        path.write_bytes(bytes(data))
        t0 = time.perf_counter()
        try:
            read_document(path, limits=limits)
        except IngestError as err:
            assert err.source == path.name and err.reason
        assert time.perf_counter() - t0 < limits.timeout_s + 5
