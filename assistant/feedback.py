"""Feedback (👍/👎 and comments) appended to data/feedback.jsonl: validated, bounded, and
written whole or not at all.

The web page sends what its client wants to send: `liked` is checked to be a boolean,
comments are cut to a bounded length, and each client may add a bounded number of bytes
per day. A full disk leaves no half line behind: the file is cut back to its size before
the write, so the next record never lands glued to a fragment.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_COMMENT = 1000
MAX_TEXT = 4000  # question and answer copied from the server's own state, bounded anyway
MAX_BYTES_PER_CLIENT_PER_DAY = 200_000

Writer = Callable[[int, bytes], int]  # os.write's shape: injectable to test a full disk


class FeedbackRefused(ValueError):
    """The record is not stored; the message says why (French, for the page)."""


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FeedbackRefused("avis invalide : texte attendu")
    return value[:limit]


def like_record(liked: Any, question: Any, answer: Any) -> dict[str, Any]:
    if not isinstance(liked, bool):
        raise FeedbackRefused("avis invalide : 👍 ou 👎 seulement")
    return {"liked": liked, "question": _text(question, MAX_TEXT), "answer": _text(answer, MAX_TEXT)}


def comment_record(comment: Any, question: Any, answer: Any) -> dict[str, Any]:
    text = _text(comment, MAX_COMMENT)
    if not text or not text.strip():
        raise FeedbackRefused("commentaire vide")
    return {"comment": text, "question": _text(question, MAX_TEXT), "answer": _text(answer, MAX_TEXT)}


def append_jsonl(path: Path, record: dict[str, Any], write: Writer = os.write) -> None:
    """Append one JSON line, whole or not at all (raises OSError, the file as it was)."""
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl_lock(fd)
        size = os.fstat(fd).st_size
        prefix = b""
        if size:  # a fragment left by a crash or an older version: start on a fresh line
            with open(path, "rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    prefix = b"\n"
        data, done = prefix + line, 0
        try:
            while done < len(data):
                n = write(fd, data[done:])
                if n <= 0:
                    raise OSError(errno.ENOSPC, "écriture incomplète")
                done += n
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, size)  # nothing of this record stays
            raise
    finally:
        os.close(fd)


def fcntl_lock(fd: int) -> None:
    """Appends from several app processes (replicas) never interleave."""
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)


class FeedbackLog:
    def __init__(
        self, path: Path, per_client_bytes: int = MAX_BYTES_PER_CLIENT_PER_DAY, write: Writer = os.write
    ) -> None:
        self.path = path
        self.per_client_bytes = per_client_bytes
        self.write = write
        self._used: dict[tuple[str, str], int] = {}  # (client, day) -> bytes written
        self._lock = threading.Lock()

    def save(self, record: dict[str, Any], client: str = "?") -> None:
        """Raises FeedbackRefused (over quota, or the disk refused) with a French message."""
        full = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}
        size = len(json.dumps(full, ensure_ascii=False).encode()) + 1
        key = (client, time.strftime("%Y-%m-%d"))
        with self._lock:
            if self._used.get(key, 0) + size > self.per_client_bytes:
                raise FeedbackRefused("trop d'avis envoyés aujourd'hui depuis ce poste")
            try:
                append_jsonl(self.path, full, self.write)
            except OSError as exc:
                log.error("feedback not saved (%s)", exc)
                raise FeedbackRefused("avis non enregistré : le serveur manque de place") from exc
            self._used[key] = self._used.get(key, 0) + size
