"""PDFs added from the web page (admin action): checked, named, and put into corpus/
without ever replacing a file that is there.

Two uploads with the same name (or names that reduce to the same safe name, as
`Отчёт.pdf` and `報告.pdf` did) used to overwrite each other silently; now the second
gets a free name and the page says so, and the same content twice is refused."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .ingest import IngestError, file_sha256, read_document


@dataclass(frozen=True)
class Added:
    name: str  # the file name in corpus/
    wanted: str  # the safe form of the uploaded name (differs from `name` when it was taken)

    @property
    def renamed(self) -> bool:
        return self.name != self.wanted


class UploadRefused(ValueError):
    pass


def safe_pdf_name(name: str) -> str:
    """A file name safe on any disk and in a URL, keeping letters of any script."""
    stem = unicodedata.normalize("NFC", Path(name).stem)
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-._") or "document"
    return f"{stem[:80]}.pdf"


def check_upload(path: Path, max_mb: int) -> str | None:
    """Why an uploaded file is refused, or None if it may go into the corpus."""
    if path.suffix.lower() != ".pdf":
        return "seuls les fichiers PDF sont acceptés"
    if path.stat().st_size > max_mb * 2**20:
        return f"fichier trop volumineux (maximum {max_mb} Mo)"
    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF-"):
            return "ce fichier n'est pas un PDF"
    try:
        read_document(path)
    except IngestError as err:
        return err.reason
    return None


def _same_content(corpus_dir: Path, digest: str) -> str | None:
    for p in sorted(corpus_dir.glob("*.pdf")):
        with contextlib.suppress(OSError):
            if p.is_file() and not p.is_symlink() and file_sha256(p) == digest:
                return p.name
    return None


def add_upload(src: Path, corpus_dir: Path, original_name: str) -> Added:
    """Copy `src` into corpus_dir under a free safe name; never replaces a file. Raises
    UploadRefused when the same content is already there."""
    digest = file_sha256(src)
    twin = _same_content(corpus_dir, digest)
    if twin is not None:
        raise UploadRefused(f"ce document est déjà présent sous le nom « {twin} »")
    wanted = safe_pdf_name(original_name)
    with tempfile.NamedTemporaryFile(dir=corpus_dir, suffix=".part", delete=False) as tmp:
        with src.open("rb") as fh:
            shutil.copyfileobj(fh, tmp)
        tmp.flush()
        os.fsync(tmp.fileno())
    part = Path(tmp.name)
    try:
        stem = wanted[: -len(".pdf")]
        for n in range(1, 1000):
            name = wanted if n == 1 else f"{stem}-{n}.pdf"
            try:
                os.link(part, corpus_dir / name)  # atomic, and fails if the name is taken
            except FileExistsError:
                continue
            return Added(name, wanted)
        raise UploadRefused("trop de fichiers portent déjà ce nom")
    finally:
        part.unlink(missing_ok=True)
