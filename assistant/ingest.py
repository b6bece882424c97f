"""I/O only: read corpus/ files (txt, md, pdf) into SourceDocs.

A file that cannot be read is reported (IngestError with the file name and a
reason a person can act on) and skipped; the others go on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .schema import DocMeta, SourceDoc
from .textclean import clean_document

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".md", ".pdf")
MANIFEST = "manifest.json"
PAGE_BREAK = "\n\n\n"  # pages are separate blocks for the chunker


@dataclass(frozen=True)
class IngestError(Exception):
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source} : {self.reason}"


def load_manifest(corpus_dir: Path) -> dict[str, DocMeta]:
    path = corpus_dir / MANIFEST
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: DocMeta(
            title=str(entry.get("title") or Path(name).stem),
            kind=str(entry.get("kind") or "document"),
            year=entry.get("year"),
            date=entry.get("date"),
        )
        for name, entry in raw.items()
    }


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_meta(path: Path) -> DocMeta:
    title = re.sub(r"[-_]+", " ", path.stem).strip().capitalize()
    year = re.search(r"(19|20)\d{2}", path.stem)
    return DocMeta(title=title, kind="document", year=int(year.group(0)) if year else None)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text_file(path: Path) -> str:
    text = _decode(path.read_bytes())
    if path.suffix.lower() == ".md":
        text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    return text


def read_pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path.name, "PDF chiffré : un mot de passe est nécessaire pour l'ouvrir")
        return [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise IngestError(path.name, f"PDF illisible ou corrompu ({type(exc).__name__}: {exc})") from exc


def read_document(path: Path, meta: DocMeta | None = None) -> SourceDoc:
    """Read and clean one file. Raises IngestError for anything that cannot be indexed."""
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError(path.name, f"format non pris en charge (acceptés : {', '.join(SUPPORTED)})")
    if path.stat().st_size == 0:
        raise IngestError(path.name, "fichier vide")
    meta = meta or default_meta(path)
    page_starts: tuple[int, ...] = ()
    if path.suffix.lower() == ".pdf":
        pages = [clean_document(p) for p in read_pdf_pages(path)]
        if not any(p.strip() for p in pages):
            raise IngestError(path.name, "aucun texte extractible : OCR nécessaire")
        starts, pos = [], 0
        for p in pages:
            starts.append(pos)
            pos += len(p) + len(PAGE_BREAK)
        text = PAGE_BREAK.join(pages)
        page_starts = tuple(starts)
    else:
        text = clean_document(read_text_file(path))
        if not text.strip():
            raise IngestError(path.name, "aucun texte")
    return SourceDoc(
        source=path.name, text=text, meta=meta, sha256=file_sha256(path), page_starts=page_starts
    )


def read_corpus(corpus_dir: Path) -> tuple[list[SourceDoc], list[IngestError]]:
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    manifest = load_manifest(corpus_dir)
    docs, errors = [], []
    for path in corpus_files(corpus_dir):
        try:
            docs.append(read_document(path, manifest.get(path.name)))
        except IngestError as err:
            log.warning("skipped %s", err)
            errors.append(err)
    return docs, errors
