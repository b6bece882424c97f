"""Background indexing shared by the page (banner) and the terminal (progress bar): the
status and the builder live in assistant/indexing.py (UI-free, tested alone)."""

from __future__ import annotations

from ..indexing import IndexingStatus, not_ready_message, start_indexing

__all__ = ["IndexingStatus", "not_ready_message", "start_indexing"]
