"""Background re-indexing for the web app: one build at a time, a request made during a
build queued (never lost), and a status the pages read (progress, outcome, and a build
counter each page compares with the last one it saw)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .assistant import Assistant

log = logging.getLogger(__name__)

STAGES_FR = {"chunking": "découpage", "embedding": "calcul des embeddings", "chroma": "enregistrement"}


@dataclass
class IndexingStatus:
    """Shared between the background indexer and the pages (read by a timer)."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    failure: str = ""  # why the last build failed ("" if it did not)
    builds: int = 0  # builds finished so far: a page refreshes when this moves past what it saw
    pending: bool = False  # a re-index was asked for during a build: run once more after it
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, stage: str, done: int, total: int) -> None:
        with self.lock:
            self.stage, self.done, self.total = stage, done, total

    def banner(self, lang: str) -> str:
        with self.lock:
            if self.running:
                label = STAGES_FR.get(self.stage, self.stage) if lang == "fr" else self.stage
                head = "Construction de l'index" if lang == "fr" else "Building the index"
                more = (
                    (" (une autre suivra)" if lang == "fr" else " (another one queued)")
                    if self.pending
                    else ""
                )
                return f"<div class='cdv-banner' role='status'>⏳ {head} : {label} {self.done}/{self.total}{more}</div>"
            if self.message:
                return f"<div class='cdv-banner' role='status'>{self.message}</div>"
            return ""

    def refresh_due(self, seen: int) -> tuple[bool, int]:
        """(should this page refresh what depends on the index, the count it has now seen).
        Each page keeps its own `seen` (session state), so every open page refreshes."""
        with self.lock:
            builds = self.builds
        return builds != seen, builds


def not_ready_message(status: IndexingStatus, lang: str) -> str:
    """What a question gets while there is no index: building, or failed (why, what to run)."""
    with status.lock:
        running, failure = status.running, status.failure
    if failure and not running:
        if lang == "fr":
            return (
                f"La construction de l'index a échoué : {failure}. Corrigez la cause, puis lancez "
                "`python -m assistant ingest` (ou redémarrez l'application)."
            )
        return (
            f"Building the index failed: {failure}. Fix the cause, then run "
            "`python -m assistant ingest` (or restart the app)."
        )
    return (
        "L'index est en cours de construction : réessayez dans quelques secondes."
        if lang == "fr"
        else "The index is being built: please try again in a few seconds."
    )


def start_indexing(
    assistant: Assistant,
    status: IndexingStatus,
    force: bool = False,
    also: Callable[[str, int, int], None] | None = None,
) -> threading.Thread | None:
    """Re-index in the background; the live index keeps serving until the switch.
    A call during a build is queued: the build runs again once it ends, so a file added
    meanwhile is indexed. `also` receives the same progress (the terminal's progress bar).
    Returns the thread, or None when the request was queued."""
    with status.lock:
        if status.running:
            status.pending = True
            return None
        status.running, status.message, status.pending = True, "", False

    def progress(stage: str, done: int, total: int) -> None:
        status.update(stage, done, total)
        if also is not None:
            also(stage, done, total)

    def work() -> None:
        again = True
        while again:
            failure = ""
            try:
                report, errors = assistant.ingest(progress=progress, force=force)
                msg = f"Index à jour : {report.chunks} passages, {report.fiches} fiches."
                if errors:
                    msg += " Ignorés : " + "; ".join(f"{e.source} ({e.reason})" for e in errors)
            except Exception as exc:  # shown on the page; the previous index stays live
                log.exception("indexing failed")
                failure = str(exc) or type(exc).__name__
                msg = f"Échec de l'indexation : {failure}"
            with status.lock:
                again, status.pending = status.pending, False
                status.failure = failure
                status.builds += 1
                if not again:
                    status.running, status.message = False, msg

    t = threading.Thread(target=work, name="indexer", daemon=True)
    t.start()
    return t
