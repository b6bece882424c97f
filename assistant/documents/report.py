"""Pure: what a reader found that a person should know (the honest ingest report).

Warnings are in French, for the person who adds documents: pages without text
(OCR needed), a plan with fewer fiches than « Objectif N » headings, fiche fields
that could not be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..fiches import parse_fiches
from .model import Document

_OBJECTIVE_HEADING = re.compile(r"(?im)^\s*objectif\s*(?:n\s*[°o]\s*)?(\d{1,3})\s*[-–—:.]\s*\S")


def page_list(pages: Iterable[int]) -> str:
    """1, 2, 3, 7 -> '1-3, 7'."""
    out: list[str] = []
    run: list[int] = []
    for p in sorted(pages):
        if run and p == run[-1] + 1:
            run.append(p)
            continue
        if run:
            out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [p]
    if run:
        out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


def pdf_notes(doc: Document, total_pages: int) -> list[str]:
    notes = []
    if total_pages > doc.pages:
        notes.append(f"{total_pages} pages : seules les {doc.pages} premières sont indexées")
    if doc.ocr_pages:
        notes.append(f"pages {page_list(doc.ocr_pages)} lues par OCR (texte reconnu sur l'image, à vérifier)")
    if doc.empty_pages:
        notes.append(
            f"aucun texte : OCR nécessaire, pages {page_list(doc.empty_pages)} "
            f"({len(doc.empty_pages)} sur {doc.pages}, non indexées)"
        )
    return notes


def no_text_reason(doc: Document) -> str:
    pages = f" (pages {page_list(doc.empty_pages)})" if doc.empty_pages else ""
    return f"aucun texte extractible : OCR nécessaire{pages}"


def plan_notes(text: str) -> list[str]:
    """A plan whose fiches were not all read, or read without a pilot or partners."""
    headings = {int(n) for n in _OBJECTIVE_HEADING.findall(text)}
    if not headings:
        return []
    fiches = parse_fiches(text)
    notes = []
    missing = sorted(headings - {f.number for f in fiches})
    if missing and len(headings) >= 2:
        notes.append(
            f"{len(fiches)} fiches lues pour {len(headings)} titres « Objectif N » : "
            f"objectifs {', '.join(map(str, missing))} non lus (mise en page non reconnue)"
        )
    for f in fiches:
        unread = [name for name, value in (("pilote", f.pilots), ("partenaires", f.partners)) if not value]
        if f.axis is None:
            unread.append("axe")
        if unread:
            notes.append(f"objectif {f.number} : {', '.join(unread)} non lu(s) dans le document")
    return notes
