"""I/O only: read corpus/ files (txt, md, pdf) into SourceDocs.

A file that cannot be read is reported (IngestError with the file name and a
reason a person can act on) and skipped; the others go on.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import multiprocessing
import os
import queue
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents.model import Document
from .documents.pdf_layout import PdfPasswordError, read_layouts
from .documents.pdf_reader import build_document
from .documents.report import no_text_reason, pdf_notes, plan_notes
from .documents.text_reader import read_text
from .schema import DocMeta, SourceDoc
from .textclean import clean_document

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".md", ".pdf")
MANIFEST = "manifest.json"
GLOSSARY = "glossaire.json"


@dataclass(frozen=True)
class IngestError(Exception):
    source: str
    reason: str
    fatal: bool = True  # False: the file is indexed, with a warning (e.g. pages left out)

    def __str__(self) -> str:
        return f"{self.source} : {self.reason}"


@dataclass(frozen=True)
class PdfLimits:
    """A PDF is read in child processes: a hostile file (decompression bomb, cyclic page
    tree, endless xref) can exhaust their time or memory, never the indexer's. The memory
    limit is each child's; the time limit is the whole document's."""

    timeout_s: float = 60.0
    memory_mb: int = 1024
    max_pages: int = 2000
    ocr: bool = False  # read pages without a text layer by OCR (tesseract, `make ocr-deps`)
    workers: int = 0  # child processes sharing a PDF's pages; 0: one per core (up to 4) for a large file


class CorpusError(ValueError):
    """The corpus as a whole cannot be indexed (missing folder, unreadable manifest): the
    message names the file and the fix; the live index is kept."""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise IngestError(path.name, "fichier illisible : il doit être encodé en UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(
            path.name,
            f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg}) : corrigez le fichier",
        ) from exc


def load_manifest(corpus_dir: Path) -> dict[str, DocMeta]:
    """{file name: metadata}. Raises CorpusError naming manifest.json when it is not the
    expected object of objects."""
    path = corpus_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        raw = _read_json(path)
    except IngestError as err:
        raise CorpusError(f"{path} : {err.reason}. L'index actuel est conservé.") from err
    shape = '{"nom-du-fichier.pdf": {"title": "…", "kind": "…", "year": 2022}, …}'
    if not isinstance(raw, dict):
        raise CorpusError(
            f"{path} : un objet JSON est attendu ({shape}), pas {type(raw).__name__}. "
            "Corrigez le fichier ; l'index actuel est conservé."
        )
    bad = [name for name, entry in raw.items() if not isinstance(entry, dict)]
    if bad:
        raise CorpusError(
            f"{path} : l'entrée « {bad[0]} » doit être un objet ({shape}). "
            "Corrigez le fichier ; l'index actuel est conservé."
        )
    return {
        name: DocMeta(
            title=str(entry.get("title") or Path(name).stem),
            kind=str(entry.get("kind") or "document"),
            year=entry.get("year"),
            date=entry.get("date"),
        )
        for name, entry in raw.items()
    }


def load_glossary(corpus_dir: Path) -> dict[str, str]:
    """The curated glossary: a JSON object {"SIGLE": "développement", ...}. Raises
    IngestError naming glossaire.json when it is anything else."""
    path = corpus_dir / GLOSSARY
    if not path.exists():
        return {}
    raw = _read_json(path)
    if not isinstance(raw, dict):
        raise IngestError(path.name, 'un objet JSON {"SIGLE": "développement", …} est attendu')
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip() or not key.strip():
            raise IngestError(
                path.name,
                f"l'entrée « {key} » doit avoir pour valeur un texte non vide (reçu : {value!r:.60})",
            )
    return {k.strip(): v.strip() for k, v in raw.items()}


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Supported files of the corpus folder; a symbolic link is followed only when it stays
    inside the folder (a link to /etc/passwd must not become searchable)."""
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.suffix.lower() in SUPPORTED and p.is_file() and (not p.is_symlink() or _inside(p, corpus_dir))
    )


def outside_links(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.iterdir() if p.is_symlink() and not _inside(p, corpus_dir))


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
    """UTF-8; a few invalid bytes are dropped rather than turning the whole file into
    mojibake; a file that is mostly not UTF-8 is read as Windows-1252. A UTF-16 file
    (Windows Notepad's "Unicode") says so by its byte-order mark."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        if text.count("\ufffd") <= max(3, len(text) // 1000):
            return text.replace("\ufffd", "")
        return data.decode("cp1252", errors="replace")


def read_text_file(path: Path, data: bytes | None = None) -> str:
    text = _decode(path.read_bytes() if data is None else data)
    if path.suffix.lower() == ".md":
        text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    return text


def _pdf_child(path: str, limits: PdfLimits, part: tuple[int, int], out: Any) -> None:
    """Runs in a separate process: parse its share of the pages and recover their layout."""
    import resource

    limit = limits.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        out.put(("ok", *read_layouts(path, limits.max_pages, limits.ocr, part)))
    except PdfPasswordError:
        out.put(("error", "PDF chiffré : un mot de passe est nécessaire pour l'ouvrir"))
    except MemoryError:
        out.put(
            ("error", f"PDF trop gourmand en mémoire (> {limits.memory_mb} Mo), fichier piégé ou corrompu")
        )
    except RecursionError:
        out.put(("error", "PDF illisible : structure cyclique (arbre de pages ou table xref en boucle)"))
    except Exception as exc:  # any parser failure is a property of the file, reported by name
        out.put(("error", f"PDF illisible ou corrompu ({type(exc).__name__}: {str(exc)[:200]})"))


def _reader_count(path: Path, limits: PdfLimits) -> int:
    """How many child processes share a PDF's pages. pdfminer parses in pure Python, one
    core per process: on two cores a report is read in about half the time. A small file
    (a page or two) is not worth a second interpreter's start-up."""
    if limits.workers:
        return max(1, limits.workers)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4)) if path.stat().st_size >= 64 * 1024 else 1


def read_pdf_document(path: Path, limits: PdfLimits | None = None) -> tuple[Document, int]:
    """(the document read from the pages within the limit, total number of pages). Raises
    IngestError. The pages are parsed in child processes (one or several, each its share of
    the pages, each under the limits); the pure layout step joins them here."""
    limits = limits or PdfLimits()
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that holds threads and sqlite handles
    out = ctx.Queue()
    n = _reader_count(path, limits)
    procs = [
        ctx.Process(target=_pdf_child, args=(str(path), limits, (k, n), out), daemon=True) for k in range(n)
    ]
    for proc in procs:
        proc.start()
    deadline = time.monotonic() + limits.timeout_s
    results: list[tuple[Any, ...]] = []
    try:
        # poll, so that a child killed by its memory limit is reported at once, not at the deadline
        while len(results) < n and time.monotonic() < deadline:
            try:
                result = out.get(timeout=0.2)
            except queue.Empty:
                crashed = any(not p.is_alive() and p.exitcode for p in procs)
                if not crashed and any(p.is_alive() for p in procs):
                    continue
                try:
                    # a child that put its share just before the wait timed out, then exited
                    result = out.get(timeout=0.5)
                except queue.Empty:
                    break
            results.append(result)
            if result[0] == "error":
                break  # one share of the pages failed: the document cannot be read
    finally:
        for proc in procs:
            proc.join(timeout=1)
            if proc.is_alive():
                proc.kill()
                proc.join()
    error = next((r for r in results if r[0] == "error"), None)
    if error is not None:
        raise IngestError(path.name, error[1])
    if len(results) < n:
        code = next((p.exitcode for p in procs if p.exitcode), None)
        reason = (
            f"lecture du PDF interrompue après {limits.timeout_s:.0f} s (fichier piégé ou trop complexe)"
            if time.monotonic() >= deadline
            else f"le lecteur PDF s'est arrêté (code {code}) : fichier piégé ou corrompu"
        )
        raise IngestError(path.name, reason)
    pages = sorted((layout for r in results for layout in r[1]), key=lambda p: p.number)
    return build_document(path.name, pages), max(r[2] for r in results)


def read_document(path: Path, meta: DocMeta | None = None, limits: PdfLimits | None = None) -> SourceDoc:
    """Read and clean one file. Raises IngestError for anything that cannot be indexed."""
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError(path.name, f"format non pris en charge (acceptés : {', '.join(SUPPORTED)})")
    if path.stat().st_size == 0:
        raise IngestError(path.name, "fichier vide")
    meta = meta or default_meta(path)
    page_starts: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    if path.suffix.lower() == ".pdf":
        sha = file_sha256(path)
        document, total = read_pdf_document(path, limits)
        if file_sha256(path) != sha:
            # the manifest's hash must be the hash of the text indexed; the next run reads it again
            raise IngestError(path.name, "fichier modifié pendant sa lecture : relancez l'indexation")
        if not document.text.strip():
            raise IngestError(path.name, no_text_reason(document))
        text, page_starts = document.text, document.page_starts
        notes = tuple(pdf_notes(document, total))
        log.info("%s : %s", path.name, ", ".join(f"{k} {v}" for k, v in document.summary().items()))
    else:
        data = path.read_bytes()  # hashed and decoded from the same bytes
        sha = hashlib.sha256(data).hexdigest()
        text = clean_document(read_text_file(path, data))
        if not text.strip():
            raise IngestError(path.name, "aucun texte")
        document = read_text(text, path.name)
    notes += tuple(plan_notes(text))
    return SourceDoc(
        source=path.name,
        text=text,
        meta=meta,
        sha256=sha,
        page_starts=page_starts,
        notes=notes,
        document=document,
    )


def read_corpus(
    corpus_dir: Path, limits: PdfLimits | None = None
) -> tuple[list[SourceDoc], list[IngestError]]:
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"Dossier des documents introuvable : {corpus_dir}. Créez-le et déposez-y les documents "
            "(txt, md, pdf), ou indiquez son chemin avec CDV_CORPUS_DIR."
        )
    manifest = load_manifest(corpus_dir)
    docs: list[SourceDoc] = []
    errors: list[IngestError] = [
        IngestError(p.name, "lien symbolique vers un fichier hors du dossier corpus : ignoré")
        for p in outside_links(corpus_dir)
    ]
    for path in corpus_files(corpus_dir):
        try:
            doc = read_document(path, manifest.get(path.name), limits)
            docs.append(doc)
            errors.extend(IngestError(path.name, note, fatal=False) for note in doc.notes)
        except IngestError as err:
            log.warning("skipped %s", err)
            errors.append(err)
    return docs, errors
