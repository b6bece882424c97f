"""Places: every neighbourhood named with its commune in parentheses, with its type
(quartier prioritaire or quartier en veille active) taken from the last type mentioned
before the list in the same paragraph.

« Des quartiers en "veille active" ont aussi été définis. […] Il s'agit du Clos Gaillard et
des Epinettes (Barby), de Chantemerle, du Piochet (Chambéry), … » → Clos Gaillard (Barby),
Epinettes (Barby), Chantemerle (Chambéry), …

A sentence may also open on its commune and class the neighbourhoods it lists: « À Chambéry,
la majeure partie des quartiers des Hauts-de-Chambéry, du Biollay et de Bellevue a été classée
"quartier prioritaire". » → Hauts-de-Chambéry, Biollay, Bellevue (Chambéry), quartiers prioritaires.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Chunk
from ..textnorm import fold, raw_tokens

# "du Clos Gaillard et des Epinettes (Barby)": names before a parenthesised commune
_GROUP = re.compile(r"((?:[^()]*?))\(([A-ZÉÈ][\w' -]+?)\)")
_ARTICLE = re.compile(
    r"^(?:il s'agit |et |pour partie |ainsi que )*(?:du |de la |de l'|de l’|des |de |d'|la |le |les |l'|l’)?",
    re.I,
)
_TYPES = (
    ("veille active", "quartier en veille active"),
    ("prioritaire", "quartier prioritaire"),
    ("qva", "quartier en veille active"),
    ("qpv", "quartier prioritaire"),
)


@dataclass(frozen=True)
class Place:
    name: str
    commune: str
    kind: str  # "quartier en veille active" | "quartier prioritaire"
    chunk_id: str
    span: tuple[int, int]  # the sentence that names it, in the chunk's text


def _kind_before(text: str) -> str | None:
    folded = fold(text)
    best: tuple[int, str] | None = None
    for word, kind in _TYPES:
        i = folded.rfind(word)
        if i >= 0 and (best is None or i > best[0]):
            best = (i, kind)
    return best[1] if best else None


def _names(segment: str) -> list[str]:
    out = []
    for piece in re.split(r",\s*|\s+et\s+", segment):
        name = _ARTICLE.sub("", piece.strip()).strip(" .;:")
        if name and name[0].isupper() and len(name) <= 40:
            # « pour partie des Epinettes »: only part of it is classed, as the text says
            partly = re.match(
                r"^(?:et\s+)?pour partie\s+(?:du|de la|de l'|de l’|des|de|d')\s*", piece.strip(), re.I
            )
            out.append(
                f"{partly.group(0).strip()} {name}".replace("’ ", "’").replace("' ", "'") if partly else name
            )
    return out


# « À Chambéry, la majeure partie des quartiers des Hauts-de-Chambéry, du Biollay et de
# Bellevue a été classée "quartier prioritaire". »: the commune opens the sentence, the
# neighbourhoods follow « quartiers », the type is what they were classed as
_COMMUNE_FIRST = re.compile(
    r"^\s*(?:À|A|Au)\s+([A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ý][\w'’-]*)*)\s*,\s*"
    r".*?\bquartiers\s+((?:des|du|de la|de l'|de l’|de|d')\s.+?)\s+(?:a|ont|est|sont)\s+(?:été\s+)?class",
    re.I,
)


def _commune_first(sentence: str) -> tuple[str, list[str], str] | None:
    """(commune, names, type) of a sentence that opens on its commune and classes a list of
    its neighbourhoods (« À Chambéry, … des quartiers des A, du B et de C a été classée
    "quartier prioritaire" »), or None."""
    m = _COMMUNE_FIRST.match(sentence)
    if m is None:
        return None
    kind = _kind_before(sentence[m.end() :])
    names = _names(m.group(2))
    return (m.group(1), names, kind) if kind and names else None


def extract_places(chunks: Sequence[Chunk]) -> list[Place]:
    places: list[Place] = []
    # the last paragraph of the passage before, per document: a page or column break can cut
    # « Des quartiers en "veille active" ont été définis. » from the list that follows it
    tail: dict[str, str] = {}
    for c in chunks:
        if c.chunk_type == "table_row":
            continue
        told_before = tail.get(c.source, "")
        tail[c.source] = c.text[c.text.rfind("\n") + 1 :][-400:]
        for sentence in re.finditer(r"[^.\n]+(?:\.|$)", c.text):
            s_text = sentence.group(0)
            classed = _commune_first(s_text)
            if classed is not None:
                town, listed, classed_as = classed
                span = (sentence.start(), sentence.end())
                places.extend(Place(n, town, classed_as, c.id, span) for n in listed)
                continue
            if "(" not in s_text:
                continue
            groups = list(_GROUP.finditer(s_text))
            # a list of places: several "(Commune)" groups in one sentence
            if len(groups) < 3:
                continue
            # the type is said just before the list, in the same paragraph
            paragraph_start = c.text.rfind("\n", 0, sentence.start()) + 1
            before = c.text[
                max(paragraph_start, sentence.start() - 400) : sentence.start() + groups[0].start()
            ]
            kind = _kind_before(before)
            if kind is None and paragraph_start == 0:
                kind = _kind_before(told_before)  # the paragraph began in the passage before
            if kind is None:
                continue
            for g in groups:
                segment = g.group(1).split(":")[-1]
                commune = re.sub(r"-\s+", "-", g.group(2).strip())
                for name in _names(segment):
                    places.append(Place(name, commune, kind, c.id, (sentence.start(), sentence.end())))
    return places


def by_commune(places: Sequence[Place]) -> dict[tuple[str, str], list[Place]]:
    out: dict[tuple[str, str], list[Place]] = {}
    for p in places:
        out.setdefault((p.kind, p.commune), []).append(p)
    return out


def statement(kind: str, commune: str, names: Sequence[str]) -> str:
    """The sentence a place record contributes as an answer candidate (French, as the
    documents are): « Quartiers en veille active à Cognin : la Forgerie, la Poterie »."""
    listed = ", ".join(names[:-1]) + f" et {names[-1]}" if len(names) > 1 else names[0]
    plural = "s" if len(names) > 1 else ""
    label = kind.replace("quartier", f"quartier{plural}", 1)
    if kind == "quartier prioritaire":
        label = f"{label}{plural}"  # « quartiers prioritaires », the adjective agrees
    return f"{label[0].upper()}{label[1:]} à {commune} : {listed}"


# how a question names each type of neighbourhood (French, English, acronyms)
_ASKED_TYPES = (
    # « veile », « veilles »: as residents type it
    (re.compile(r"\bveil+es?\b|\bqva\b|\bwatch\b"), "quartier en veille active"),
    (re.compile(r"\bprioritaires?\b|\bqpv\b|\bpriority\b"), "quartier prioritaire"),
)
# the commune's name inside another name does not name the commune: « Grand Chambéry » is the
# agglomeration, « Hauts-de-Chambéry » a neighbourhood
_INSIDE_NAME = re.compile(r"(?:grand|hauts de|haut de)\s+$")
_NEGATED = re.compile(r"\b(?:not|no|pas|hors|sauf|except|excluding)\s+(?:\w+\s+){0,2}$")


def _names_commune(commune: str, text: str) -> int | None:
    """Where `text` (folded tokens) first names the commune, not inside another name."""
    key = " ".join(raw_tokens(commune))
    for m in re.finditer(rf"\b{re.escape(key)}\b", text):
        if not _INSIDE_NAME.search(text[: m.start()]):
            return m.start()
    return None


def places_asked(
    question: str, places: Sequence[Place], context: str = ""
) -> tuple[str, tuple[str, ...]] | None:
    """(type, communes) when a question asks which neighbourhoods of one type some communes
    have (« quels quartiers de Chambéry sont en veille active ? », « which QVA are in Cognin? »,
    « We work in Barby and La Ravoire. Which QVA are in each of these communes? »): exactly
    one type, and the communes the records know named by the ask, or by its preamble
    (`context`) when the ask names none; in the order named."""
    f = " ".join(raw_tokens(question))
    # a type named to be left out (« not the priority ones », « hors QPV ») is not the one asked
    kinds = {
        kind
        for pattern, kind in _ASKED_TYPES
        for m in pattern.finditer(f)
        if not _NEGATED.search(f[: m.start()])
    }
    if not kinds and re.search(r"\b(?:quartiers?|neighbou?rhoods?)\b", f):
        # « mon quartier est dans le contrat de ville ? c lesquels a cognin »: no type named,
        # and the commune named has neighbourhoods of one type only, so that type is the answer
        # (a commune with both types, Chambéry, still needs the type said)
        for text in (f, " ".join(raw_tokens(context))):
            named_kinds = {p.kind for p in places if _names_commune(p.commune, text) is not None}
            if len(named_kinds) == 1:
                kinds |= named_kinds
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    for text in (f, " ".join(raw_tokens(context))):
        named: dict[str, int] = {}
        for p in places:
            if p.kind != kind:
                continue
            at = _names_commune(p.commune, text)
            if at is not None:
                named.setdefault(p.commune, at)
        if named:
            return kind, tuple(sorted(named, key=named.__getitem__))
    return None


# « les quartiers … d'Aix-les-Bains », « the QPV in Albertville »: a capitalised name after a
# preposition, hyphens and « les » inside it
_PLACE_NAMED = re.compile(
    r"(?:\b(?:à|a|de|du|in|of)\s+|\bd['’])((?:[A-ZÉÈÂ][\w]+)(?:[- ](?:les|le|la|sur|en|de|du|[A-ZÉÈÂ][\w]+))*)"
)
_NEIGHBOURHOODS = re.compile(r"\b(?:quartiers?|qpv|qva|neighbou?rhoods?|politique de la ville)\b", re.I)


def unknown_commune(question: str, places: Sequence[Place], words: frozenset[str]) -> str | None:
    """The commune a question asks the neighbourhoods of (« Quels sont les quartiers politique
    de la ville d'Aix-les-Bains ? ») when the records know no neighbourhood in it nor by that
    name: the documents list none there. A name is a capitalised one after a preposition none
    of whose words the documents write in lower case (`words`, folded): « du Contrat de
    ville » names no place. None when the question names no such commune."""
    if not places or not _NEIGHBOURHOODS.search(question):
        return None
    known = {w for p in places for name in (p.name, p.commune) for w in raw_tokens(name)}
    for m in _PLACE_NAMED.finditer(question):
        name = m.group(1).strip()
        own = [w for w in raw_tokens(name) if len(w) > 2 and w not in ("les", "sur")]
        if own and not set(own) & known and not set(own) & words:
            return name
    return None


# « pour partie des Epinettes » is the place « Epinettes »
_PARTLY = re.compile(r"^pour partie\s+(?:du|de la|de l'|de l’|des|de|d')\s*", re.I)


def bare_name(name: str) -> str:
    """The neighbourhood a record names, without « pour partie des »."""
    return _PARTLY.sub("", name).strip()


def _named(name: str, words: str) -> bool:
    return re.search(rf"\b{re.escape(' '.join(raw_tokens(name)))}\b", words) is not None


def other_place(ask: str, text: str, places: Sequence[Place]) -> tuple[str, str] | None:
    """(asked, given) when the ask names one neighbourhood and `text` (an answer's passage with
    its headings) names another one but not the asked one: « le Grand Débat du conseil citoyen
    de Bellevue » answered by « … Conseil Citoyen du Biollay » answers for the wrong place.
    A text that names no neighbourhood says nothing of which one it is about."""
    asked = [bare_name(p.name) for p in named_places(ask, places)]
    if len(asked) != 1 or _named(asked[0], " ".join(raw_tokens(text))):
        return None
    inside = " ".join(raw_tokens(asked[0]))
    # the longest name first (records' order among equals): « Hauts-de-Chambéry » over « Chambéry »
    given = sorted(
        (n for p in named_places(text, places) if not _named(n := bare_name(p.name), inside)),
        key=len,
        reverse=True,
    )
    return (asked[0], given[0]) if given else None


def _kinds(text: str, generic: bool = False) -> set[str]:
    folded = " ".join(raw_tokens(text))
    if generic and re.search(r"\bquartiers? (?:de la |en )?politique de la ville\b", folded):
        # « dont 78 % dans les quartiers politique de la ville et 22 % dans les quartiers en
        # veille active »: the generic name covers both types
        return {kind for _, kind in _TYPES}
    return {kind for word, kind in _TYPES if re.search(rf"\b{word}\b", folded)}


def other_kind(ask: str, text: str, headings: str = "") -> tuple[str, str] | None:
    """(asked, given) when the ask names one type of neighbourhood and `text` (with its
    `headings`) names only the other: « combien d'établissements créés dans les quartiers en
    veille active ? » answered by « … 83 nouvelles créations d'établissements dans les QPV »
    is a figure for the QPV. The generic « quartiers politique de la ville » in the text itself
    names both; in a heading (« … des quartiers en politique de la ville ») it names the
    section's subject, not what the figure counts."""
    asked, said = _kinds(ask), _kinds(text, generic=True) | _kinds(headings)
    if len(asked) != 1 or not said or said & asked:
        return None
    return next(iter(asked)), next(iter(said))


def named_places(text: str, places: Sequence[Place]) -> list[Place]:
    """The place records a text names by their neighbourhood's name, one per name, in the
    records' order (« mon cousin dit que chantemerle en fait partie » → Chantemerle)."""
    words = " ".join(raw_tokens(text))
    out: dict[str, Place] = {}
    for p in places:
        name = bare_name(p.name)
        if name not in out and _named(name, words):
            out[name] = p
    return list(out.values())
