"""Acronyms: definitions found in the corpus ("GUP (gestion urbaine de proximité)",
"projet éducatif territorial (PEDT)") plus the curated corpus/glossaire.json,
which wins where both exist (it is reviewed by people)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

_ACRONYM = r"[A-Z][A-Z0-9]{1,9}\+?"
_FORWARD = re.compile(rf"\b({_ACRONYM})\s*\(([^()]{{4,90}})\)")
_BACKWARD = re.compile(rf"([^()]{{4,120}}?)\s*\(({_ACRONYM})\)")
_SMALL = frozenset("de d des du la le les l et pour aux au à a en sur dans par".split())
# how an answer's line of acronyms starts (the plain-language view keeps it in sight)
FOOTER_LABEL = {"fr": "Sigles :", "en": "Acronyms:"}
_IN_TEXT = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,9}\+?)(?![\w-])")


def _initials_match(acronym: str, words: list[str]) -> bool:
    letters = [ch for ch in acronym.upper() if ch.isalpha()]
    initials = [w[0].upper() for w in words if w and w.lower() not in _SMALL and w[0].isalpha()]
    return initials == letters or (
        len(initials) >= len(letters) and initials[: len(letters)] == letters and len(letters) >= 3
    )


def _clean(expansion: str) -> str:
    return re.sub(r"\s+", " ", expansion).strip(" ,;:.-–")


def extract_definitions(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> expansion, from patterns where the text defines its own acronyms."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _FORWARD.finditer(text):
            acr, exp = m.group(1), _clean(m.group(2))
            words = re.findall(r"[\w’']+", exp)
            if _initials_match(acr, [w.split("'")[-1].split("’")[-1] for w in words]):
                found.setdefault(acr, exp)
        for m in _BACKWARD.finditer(text):
            before, acr = m.group(1), m.group(2)
            words = re.findall(r"[\w’'-]+", before)
            letters = [ch for ch in acr if ch.isalpha()]
            # walk back until the initials of the significant words spell the acronym
            for n in range(len(letters), min(len(words), len(letters) * 2 + 3) + 1):
                cand = words[-n:]
                simple = [w.split("'")[-1].split("’")[-1] for w in cand]
                if _initials_match(acr, simple) and cand[0].lower() not in _SMALL:
                    start = before.rfind(cand[0])
                    found.setdefault(acr, _clean(before[start:]))
                    break
    return found


# what plain language says of an acronym neither the documents nor the glossary expand
UNEXPLAINED = {
    "fr": "sigle non développé dans les documents",
    "en": "acronym not spelled out in the documents",
}


def _lower_words(texts: Iterable[str]) -> frozenset[str]:
    """Words the texts write in lower case: « COMMUNE » or « ENCART » in capitals is one of
    them shouted, not an acronym."""
    return frozenset(w for t in texts for w in re.findall(r"\b[a-zà-ÿ]{2,}\b", t))


class Glossary:
    def __init__(self, entries: dict[str, str], words: frozenset[str] = frozenset()) -> None:
        self.entries = dict(entries)
        self.words = words

    @classmethod
    def load(cls, curated: Path | None, corpus_texts: Iterable[str] = ()) -> Glossary:
        texts = list(corpus_texts)
        entries = extract_definitions(texts)
        if curated and curated.exists():
            entries.update(json.loads(curated.read_text(encoding="utf-8")))
        return cls(entries, _lower_words(texts))

    @classmethod
    def build(cls, curated: dict[str, str], corpus_texts: Iterable[str] = ()) -> Glossary:
        """From the curated entries stored with the index (validated at ingest)."""
        texts = list(corpus_texts)
        entries = extract_definitions(texts)
        entries.update(curated)
        return cls(entries, _lower_words(texts))

    def unexplained(self, token: str) -> bool:
        """An acronym (letters only, not a word written in capitals) nobody expands."""
        letters = token.rstrip("+")
        return letters.isalpha() and not self.get(token) and letters.lower() not in self.words

    def get(self, acronym: str) -> str | None:
        return self.entries.get(acronym) or self.entries.get(acronym.rstrip("+"))

    def acronyms_in(self, text: str) -> list[str]:
        seen: list[str] = []
        for m in _IN_TEXT.finditer(text):
            acr = m.group(1)
            if self.get(acr) and acr not in seen:
                seen.append(acr)
        return seen

    def expand_inline(self, text: str, lang: str = "fr") -> str:
        """First use of each acronym gets its expansion in brackets (plain-language mode), or
        says that the documents do not spell it out: a resident is never left guessing."""
        done: set[str] = set()

        def repl(m: re.Match[str]) -> str:
            acr = m.group(1)
            exp = self.get(acr) or (
                UNEXPLAINED["fr" if lang == "fr" else "en"] if self.unexplained(acr) else None
            )
            following = text[m.end() : m.end() + 2]
            if not exp or acr in done or following.startswith((" (", "(")):
                return acr
            done.add(acr)
            return f"{acr} ({exp})"

        return _IN_TEXT.sub(repl, text)

    def footer(self, text: str, lang: str) -> str:
        acrs = self.acronyms_in(text)
        if not acrs:
            return ""
        label = FOOTER_LABEL["fr" if lang == "fr" else "en"]
        return f"{label} " + " ; ".join(f"{a} = {self.get(a)}" for a in acrs)
