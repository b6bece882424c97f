"""Thin Gradio adapter over Assistant: one module per tab over a shared layout.
Formatting lives in ui.format (pure, tested without a server)."""

from ..uploads import check_upload, safe_pdf_name
from .indexing import IndexingStatus, start_indexing
from .layout import build_ui, launch

__all__ = [
    "IndexingStatus",
    "build_ui",
    "check_upload",
    "launch",
    "safe_pdf_name",
    "start_indexing",
]
