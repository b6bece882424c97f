"""Is an organisation named in a fiche? (pure)

« est-ce que Ma Chance Moi Aussi et l'AFEV font partie de la fiche sur les parents ? »,
« are we (ICF) named as a partner on the urban renewal objective? »: the fiches' pilot and
partner lists are records; the organisations a question names are found by matching those
lists' own items against it, so any organisation a fiche lists is known, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Fiche
from ..textnorm import fold

# what asks whether something belongs ("font partie", "is X a partner", "named", "listed")
_ASKS_MEMBERSHIP = re.compile(
    r"\bfont partie\b|\bfait partie\b|\bfigure(?:nt)?\b|\bcite(?:s|e|es)?\b|\bmentionne|\bnamed\b|"
    r"\blisted\b|\bmentioned\b|\bpart of\b|\bparmi\b|\best(?: ce que)?\b.*\bpartenaires?\b|"
    r"\b(?:is|are)\b.*\b(?:partners?|leads?|pilots?)\b"
)
_GENERIC = {"etat", "communes", "ville", "departement", "europe", "habitants", "associations"}


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _name_of(item: str) -> str:
    """The organisation an item names: « Groupe réseau accès aux droits : CREFE » names CREFE,
    « Ville de Chambéry : service jeunesse » the town's service; parentheses are an expansion."""
    item = item.rsplit(":", 1)[-1]
    return re.sub(r"\([^)]*\)", " ", item).strip(" ,.;")


def asks_membership(text: str) -> bool:
    return bool(_ASKS_MEMBERSHIP.search(_fold(text)))


def named_organisations(question: str, fiches: Sequence[Fiche]) -> list[str]:
    """The fiche-listed organisations the question names, as the fiches write them, longest
    first and without one contained in another ("Cristal Habitat" then not "Habitat")."""
    q = f" {_fold(question)} "
    found: dict[str, str] = {}
    for f in fiches:
        for item in (*f.pilots, *f.partners):
            name = _name_of(item)
            key = _fold(name)
            if len(key) < 3 or key in _GENERIC or f" {key} " not in q:
                continue
            found.setdefault(key, name)
    keys = sorted(found, key=len, reverse=True)
    kept = [k for i, k in enumerate(keys) if not any(f" {k} " in f" {o} " for o in keys[:i])]
    # in the order the question names them
    return [found[k] for k in sorted(kept, key=lambda k: q.index(f" {k} "))]


@dataclass(frozen=True)
class Membership:
    name: str
    role: str | None  # "pilots" | "partners" | None (not in this fiche)
    elsewhere: tuple[int, ...]  # other objectives that list it


def memberships(names: Sequence[str], fiche: Fiche, fiches: Sequence[Fiche]) -> list[Membership]:
    out = []
    for name in names:
        key = f" {_fold(name)} "

        def lists(items: Sequence[str], key: str = key) -> bool:
            return any(key in f" {_fold(_name_of(i))} " or key in f" {_fold(i)} " for i in items)

        role = "pilots" if lists(fiche.pilots) else "partners" if lists(fiche.partners) else None
        elsewhere = tuple(
            f.number for f in fiches if f.number != fiche.number and lists((*f.pilots, *f.partners))
        )
        out.append(Membership(name, role, elsewhere))
    return out


# where does an organisation or a place appear (« dans quelles fiches on apparaît ? », « in which
# objectives are we mentioned? », « the Dynamo comes up in several fiches: what's planned? »)
_ASKS_WHERE = re.compile(
    r"\bquel(?:le)?s (?:fiches|objectifs)\b|\bwhich (?:objectives|fiches|sheets)\b|\bapparai|"
    r"\bappear|\bmentionn|\bmentioned\b|\bcomes? up\b|\bsur quoi\b|\bwhat s planned\b|"
    r"\bprevu pour (?:lui|elle|eux|elles)\b|\bdans quelles? fiches?\b.*\b(?:on|nous)\b|\bplusieurs fiches\b|"
    r"\bseveral fiches\b|\bwhere\b.*\b(?:named|listed|mentioned)\b"
)
ROLES = ("pilots", "partners", "tools")


def asks_where(text: str) -> bool:
    return bool(_ASKS_WHERE.search(_fold(text)))


def named_in_fiches(
    question: str, fiches: Sequence[Fiche], proper: frozenset[str], most: int = 6
) -> list[str]:
    """Names the question shares with the fiches: organisations of their lists, else a word the
    documents write as a proper name (« Scarabée », « Dynamo ») that a few fiches use (one that
    most fiches use, « Chambéry », names no one thing)."""
    names = named_organisations(question, fiches)
    if names:
        return names
    texts = [
        _fold(" ".join((*f.pilots, *f.partners, *f.tools, *(a.text for a in f.actions)))) for f in fiches
    ]
    out = []
    for word in dict.fromkeys(_fold(question).split()):
        if len(word) < 4 or word not in proper or word in _GENERIC:
            continue
        n = sum(f" {word} " in f" {t} " for t in texts)
        if 1 <= n <= most:
            out.append(word)
    return out


@dataclass(frozen=True)
class Mention:
    fiche: Fiche
    roles: tuple[str, ...]  # which of the fiche's lists name it: pilots, partners, tools
    actions: tuple[int, ...]  # the fiche's actions that name it
    # the list items that name it and say more than the name (« Une école, un site avec le PNR
    # des Bauges »): what it is there for, per role
    items: tuple[tuple[str, str], ...] = ()


def mentions(name: str, fiches: Sequence[Fiche]) -> list[Mention]:
    """Every fiche that names `name`, in its lists or its actions, by objective number."""
    key = f" {_fold(name)} "
    out = []
    for f in sorted(fiches, key=lambda f: f.number):
        lists = {"pilots": f.pilots, "partners": f.partners, "tools": f.tools}
        roles = tuple(r for r in ROLES if any(key in f" {_fold(i)} " for i in lists[r]))
        acts = tuple(i for i, a in enumerate(f.actions) if key in f" {_fold(a.text)} ")
        items = tuple(
            (r, i)
            for r in roles
            for i in lists[r]
            if key in f" {_fold(i)} " and len(_fold(i).split()) > len(key.split()) + 1
        )
        if roles or acts:
            out.append(Mention(f, roles, acts, items))
    return out
