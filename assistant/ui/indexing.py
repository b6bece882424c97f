"""Background indexing shared by the page (banner) and the terminal (progress bar)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ..assistant import Assistant

log = logging.getLogger(__name__)


@dataclass
class IndexingStatus:
    """Shared between the background indexer and the page (read by a timer)."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, stage: str, done: int, total: int) -> None:
        with self.lock:
            self.stage, self.done, self.total = stage, done, total

    def banner(self, lang: str) -> str:
        with self.lock:
            if self.running:
                what = {
                    "chunking": "découpage",
                    "embedding": "calcul des embeddings",
                    "chroma": "enregistrement",
                }
                label = what.get(self.stage, self.stage) if lang == "fr" else self.stage
                head = "Construction de l'index" if lang == "fr" else "Building the index"
                return f"<div class='cdv-banner' role='status'>⏳ {head} : {label} {self.done}/{self.total}</div>"
            if self.message:
                return f"<div class='cdv-banner' role='status'>{self.message}</div>"
            return ""


def start_indexing(
    assistant: Assistant,
    status: IndexingStatus,
    force: bool = False,
    also: Callable[[str, int, int], None] | None = None,
) -> threading.Thread | None:
    """Re-index in the background; the live index keeps serving until the switch.
    `also` receives the same progress (the terminal's progress bar)."""
    with status.lock:
        if status.running:
            return None
        status.running, status.message = True, ""

    def progress(stage: str, done: int, total: int) -> None:
        status.update(stage, done, total)
        if also is not None:
            also(stage, done, total)

    def work() -> None:
        try:
            report, errors = assistant.ingest(progress=progress, force=force)
            msg = f"Index à jour : {report.chunks} passages, {report.fiches} fiches."
            if errors:
                msg += " Ignorés : " + "; ".join(f"{e.source} ({e.reason})" for e in errors)
        except Exception as exc:  # shown on the page; the previous index stays live
            log.exception("indexing failed")
            msg = f"Échec de l'indexation : {exc}"
        with status.lock:
            status.running, status.message = False, msg

    t = threading.Thread(target=work, name="indexer", daemon=True)
    t.start()
    return t
