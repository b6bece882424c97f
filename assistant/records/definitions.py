"""Definitions the documents give of their terms (pure), beside acronym expansions:

- a question the text asks and answers itself: « ENCART : qu'est-ce que la médiation
  culturelle ? Rendre accessible l'offre culturelle … » → médiation culturelle;
- a term, a colon and a defining verb: « Illectronisme : est la difficulté … »;
- a sentence whose subject it defines: « Le droit commun correspond aux politiques
  sectorielles … », or whose name it explains: « Des crédits sont dits « spécifiques » car … »;
- a term marked with asterisks and the note that explains it: « Taux de pauvreté** » in a
  table, « ** part de la population sous le seuil de 60 % … » below it → taux de pauvreté.

Each becomes a statement (« Médiation culturelle : rendre accessible … ») that answers
« c'est quoi la médiation culturelle ? » and cites the sentence it was read from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Chunk

_ASKED = re.compile(
    r"qu['’]est[- ]ce que (?:le |la |les |l['’]|un |une |des )?(?P<term>[^?\n]{3,60}?)\s*\?\s*"
    r"(?P<text>[^\n]{10,400})",
    re.I,
)
# « Illectronisme : est la difficulté … »: a term, a colon, then a defining verb
_COLON = re.compile(
    r"^(?P<term>[A-ZÀ-Ý][\w'’ -]{2,40}?)\s*:\s*(?P<text>(?:est|sont|désigne|correspond|signifie)\b[^\n]{10,400})",
    re.M,
)
# the sentence after a definition goes on with it when it starts by pointing back at its subject
# (« Il s'agit donc de moyens « en plus » … », « Ces politiques de droit commun relèvent … »)
_GOES_ON = r"(?: (?:Il s['’]agit|Ils |Elles |Ces |Ce |Cette )[^\n]{10,300}?\.)?"
# a sentence of running text that defines its subject: « Le droit commun correspond aux
# politiques sectorielles … », « On appelle quartier vécu … »
_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?:] ))(?:Le |La |Les |L['’]|On appelle )(?P<term>[a-zà-ÿ][\w'’ -]{{2,40}}?) "
    rf"(?P<text>(?:correspond(?:ent)?|désigne(?:nt)?|signifie(?:nt)?|recouvre(?:nt)?)\b[^\n]{{10,400}}?\.{_GOES_ON})(?= |$)",
    re.M,
)
# a name explained by its reason: « Des crédits sont dits « spécifiques » car ils sont … »
_CALLED = re.compile(
    rf"(?P<noun>[a-zà-ÿ]{{3,30}}) (?:sont|est) dit(?:e|s|es)? « (?P<adj>[^»]{{2,30}}?) » "
    rf"(?P<text>(?:car|parce qu|lorsqu|quand)[^\n]{{10,400}}?\.{_GOES_ON})(?= |$)",
    re.M,
)
_NOTE = re.compile(r"^[ \t]*(?P<stars>\*{1,3})[ \t]*(?P<text>[^*\n]{10,400})$", re.M)
_WORD = r"[A-Za-zÀ-ÿ'’-]+"


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    chunk_id: str
    span: tuple[int, int]  # where the definition is written, in the chunk's text


def _marked_term(text: str, stars: str) -> str | None:
    """The words just before `stars` (and not before more stars) in the text: the term a note
    explains (« Taux de pauvreté** »)."""
    pattern = re.compile(rf"((?:{_WORD} ){{0,2}}{_WORD}){re.escape(stars)}(?!\*)")
    for m in pattern.finditer(text):
        start = m.start(1)
        if start == 0 or text[start - 1] != "*":
            return m.group(1).strip()
    return None


def extract_definitions(chunks: Sequence[Chunk]) -> list[Definition]:
    out: list[Definition] = []
    # the last term each mark referred to, per document: a table's rows keep where the marked
    # column name stands (spans « note:** »), as their text shows it without the stars
    marked: dict[tuple[str, str], str] = {}
    for c in chunks:
        for key, (start, end) in c.spans.items():
            if key.startswith("note:"):
                marked[c.source, key[5:]] = c.text[start:end]
        for m in _ASKED.finditer(c.text):
            term = m.group("term").strip(" «»\"'")
            out.append(Definition(term, m.group("text").strip(), c.id, (m.start(), m.end())))
        for m in _COLON.finditer(c.text):
            out.append(
                Definition(m.group("term").strip(), m.group("text").strip(), c.id, (m.start(), m.end()))
            )
        for m in _SUBJECT.finditer(c.text):
            out.append(
                Definition(m.group("term").strip(), m.group("text").strip(), c.id, (m.start(), m.end()))
            )
        for m in _CALLED.finditer(c.text):
            noun, adj = m.group("noun"), m.group("adj").strip()
            text = f"{noun} dits « {adj} » {m.group('text').strip()}"
            out.append(Definition(f"{noun} {adj}", text, c.id, (m.start("noun"), m.end())))
        for m in _NOTE.finditer(c.text):
            stars = m.group("stars")
            # the marked term is above the note, in the same passage or a table's header
            # (a mark is answered by one note: a later « * » note is about something else)
            term = _marked_term(c.text[: m.start()], stars) or marked.pop((c.source, stars), None)
            if term:
                out.append(Definition(term, m.group("text").strip(), c.id, (m.start("text"), m.end("text"))))
    return out


def statement(d: Definition) -> str:
    return f"{d.term[0].upper()}{d.term[1:]} : {d.text}"
