"""What every tab needs: the assistant, the indexing status and the page-wide controls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..assistant import Assistant
from ..config import Settings
from .indexing import IndexingStatus, not_ready_message


@dataclass
class Ctx:
    assistant: Assistant
    status: IndexingStatus
    lang: Any  # gr.State holding "fr" or "en" (from the page's ?lang=)
    simple: Any = None  # the plain-language checkbox, one for the chat and the finder
    files: bool = False  # the documents themselves are served at corpus/ (ui.corpus_files)

    @property
    def settings(self) -> Settings:
        return self.assistant.settings

    def ready(self) -> bool:
        return self.assistant.ready()

    def not_ready(self, lang: str) -> str:
        """No index yet: being built, or failed (why, and what to run)."""
        return not_ready_message(self.status, lang)

    def titles(self) -> dict[str, str]:
        """file name -> document title, for naming sources."""
        return {d["source"]: str(d.get("title") or d["source"]) for d in self.assistant.documents()}
