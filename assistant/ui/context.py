"""What every tab needs: the assistant, the indexing status and the page-wide controls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..assistant import Assistant
from ..config import Settings
from .indexing import IndexingStatus


def not_ready(lang: str) -> str:
    return (
        "L'index est en cours de construction : réessayez dans quelques secondes."
        if lang == "fr"
        else "The index is being built: please try again in a few seconds."
    )


@dataclass
class Ctx:
    assistant: Assistant
    status: IndexingStatus
    lang: Any  # gr.State holding "fr" or "en"
    simple: Any = None  # the plain-language checkbox, shared by chat and finder

    @property
    def settings(self) -> Settings:
        return self.assistant.settings

    def ready(self) -> bool:
        return self.assistant.ready()
