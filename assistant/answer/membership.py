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
from ..textnorm import STOPWORDS, fold

# what asks whether something belongs ("font partie", "is X a partner", "named", "listed")
_ASKS_MEMBERSHIP = re.compile(
    r"\bfont partie\b|\bfait partie\b|\bfigure(?:nt)?\b|\bcite(?:s|e|es)?\b|\bmentionne|\bnamed\b|"
    r"\blisted\b|\bmentioned\b|\bpart of\b|\bparmi\b|\best(?: ce que)?\b.*\bpartenaires?\b|"
    r"\b(?:is|are)\b.*\b(?:partners?|leads?|pilots?)\b|"
    # « la CAF elle y est ? », « ils sont dedans ? », « is it included? »
    r"\by (?:est|sont|figure|figurent|etait|etaient|apparait|apparaissent)\b|\bdedans\b|\bincluded\b|\bin there\b|"
    # « les régies de quartier sont dans le coup ? », « is the CAF involved? »
    r"\bdans le coup\b|\bimpliquee?s?\b|\binvolved\b"
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


# a name as a question writes it inside a sentence, capitalised (« On travaille à la
# Croix-Rouge », « at the lycée Vaugelas »), with its inner « de », « du », « des »
_CAPITALISED = re.compile(
    r"(?:(?<=[\w,] )|(?<=\b[lLdD]['’]))([A-ZÀ-Ý][\w’'-]*(?:\s+(?:(?:de|du|des|la|le)\s+)?[A-ZÀ-Ý][\w’'-]*)*)"
)
# capitalised words that are no organisation (« objectif 12 », « the Plan », « I »)
_NOT_NAMES = {"i", "objectif", "objective", "fiche", "axe", "axis", "plan", "contrat", "qpv", "qva"}


def unlisted_organisations(question: str, fiches: Sequence[Fiche], known: Sequence[str] = ()) -> list[str]:
    """Names the question writes capitalised that no fiche has anywhere (its lists, title,
    actions, tools, notes) and that are no place (`known`): an organisation the plan does not
    list (« la Croix-Rouge »), so a membership asked about it is answered « non »."""
    fiche_text = f" {_fold(' '.join(' '.join(map(str, f.as_json().values())) for f in fiches))} "
    places = {_fold(k) for k in known}
    out: list[str] = []
    for m in _CAPITALISED.finditer(question):
        words = m.group(1).strip(" -’'").split()
        # « la Croix-Rouge de Bassens »: the place says where, the organisation is the rest
        while words and (_fold(words[-1]) in places or words[-1] in ("de", "du", "des", "la", "le")):
            words.pop()
        name = " ".join(words)
        key = _fold(name)
        if len(key) < 3 or key in places or f" {key} " in fiche_text:
            continue
        if any(w in _NOT_NAMES or w in places for w in key.split()):
            continue
        out.append(name)
    return list(dict.fromkeys(out))


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
    r"\bseveral fiches\b|\bwhere\b.*\b(?:named|listed|mentioned)\b|"
    # what an organisation does in the plan is every place the plan names it (« what did the
    # contrat de ville do in Barberaz in 2018? » asks the report, not the plan)
    r"\bwhat (?:does|do) .+ do in the (?:action )?plan\b|\bque f(?:ait|ont) .+ dans le plan\b"
)
ROLES = ("pilots", "partners", "tools")


def asks_where(text: str) -> bool:
    return bool(_ASKS_WHERE.search(_fold(text)))


def named_in_fiches(
    question: str,
    fiches: Sequence[Fiche],
    proper: frozenset[str],
    most: int = 6,
    ask: str | None = None,
    terms: bool = True,
) -> list[str]:
    """Names the question shares with the fiches: organisations of their lists, else a word the
    documents write as a proper name (« Scarabée », « Dynamo ») that a few fiches use (one that
    most fiches use, « Chambéry », names no one thing), else a phrase of the ask itself (`ask`,
    the question without its preamble: « we welcome women of the neighbourhoods: which fiche? »
    asks where a project fits, not where those words appear), unless `terms` is off (a question
    that asks a fiche's fields names the fiche by such a phrase: « sur la fiche mixité sociale,
    quels outils sont mentionnés ? »)."""
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
    if out or not terms:
        return out
    return _named_terms(question if ask is None else ask, fiches, most)


# words that ask where, not what: never part of the term looked for
_WHERE_WORDS = frozenset(
    "fiche fiches objectif objectifs objective objectives sheet sheets plan apparait apparaissent "
    "appear appears mentionne mentionnes mentioned named listed quel quelle quels quelles which".split()
)


def _named_terms(question: str, fiches: Sequence[Fiche], most: int) -> list[str]:
    """A phrase of two to four words of the question that a few fiches write, spelling-tolerant
    (« le service civique, il apparaît dans quelles fiches ? » → « service civique »), longest
    first: what the question is about when it names no organisation."""
    texts = [
        f" {_loose(' '.join((*f.pilots, *f.partners, *f.tools, *(a.text for a in f.actions))))} "
        for f in fiches
    ]
    words = _loose(question).split()
    for size in (4, 3, 2):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if any(w in STOPWORDS or len(w) < 3 for w in (gram[0], gram[-1])) or _WHERE_WORDS.intersection(
                gram
            ):
                continue
            n = sum(f" {' '.join(gram)} " in t for t in texts)
            if 1 <= n <= most:
                return [" ".join(gram)]
    return []


@dataclass(frozen=True)
class Mention:
    fiche: Fiche
    roles: tuple[str, ...]  # which of the fiche's lists name it: pilots, partners, tools
    actions: tuple[int, ...]  # the fiche's actions that name it
    # the list items that name it and say more than the name (« Une école, un site avec le PNR
    # des Bauges »): what it is there for, per role
    items: tuple[tuple[str, str], ...] = ()


def _loose(text: str) -> str:
    """A spelling-tolerant form: hyphenated words joined (« éco-mobilité » is « écomobilité »),
    a plural's final s or x dropped (« services civiques » is « service civique »)."""
    joined = _fold(re.sub(r"(?<=\w)-(?=\w)", "", text))
    return " ".join(re.sub(r"(?<=\w{3})[sx]$", "", w) for w in joined.split())


def name_forms(name: str) -> list[str]:
    """The name and its shorter forms before a « de/des/du » complement, when at least two words
    are left (« Pôle de Santé des Hauts de Chambéry » is also written « Pôle de santé »; « Ville de
    Chambéry » has no shorter form)."""
    words = name.split()
    forms = [name]
    for i in range(len(words) - 1, 1, -1):
        if fold(words[i]) in ("de", "des", "du") and len(" ".join(words[:i])) >= 8:
            forms.append(" ".join(words[:i]))
    return forms


def _names(keys: Sequence[str], text: str) -> bool:
    strict, loose = f" {_fold(text)} ", f" {_loose(text)} "
    return any(f" {_fold(k)} " in strict or f" {_loose(k)} " in loose for k in keys)


def mentions(name: str, fiches: Sequence[Fiche]) -> list[Mention]:
    """Every fiche that names `name` (or one of its shorter forms, spelling-tolerant), in its
    lists or its actions, by objective number."""
    keys = name_forms(name)
    size = len(_fold(name).split())
    out = []
    for f in sorted(fiches, key=lambda f: f.number):
        lists = {"pilots": f.pilots, "partners": f.partners, "tools": f.tools}
        roles = tuple(r for r in ROLES if any(_names(keys, i) for i in lists[r]))
        acts = tuple(i for i, a in enumerate(f.actions) if _names(keys, a.text))
        items = tuple(
            (r, i) for r in roles for i in lists[r] if _names(keys, i) and len(_fold(i).split()) > size + 1
        )
        if roles or acts:
            out.append(Mention(f, roles, acts, items))
    return out


def as_written(name: str, question: str) -> str:
    """The words of the question that `name` (a loose form) stands for, as the question writes
    them; the name itself when none do."""
    words = list(re.finditer(r"[\w’'-]+", question))
    n = len(name.split())
    for size in (n, n + 1):
        for i in range(len(words) - size + 1):
            span = question[words[i].start() : words[i + size - 1].end()]
            if _loose(span) == name:
                return span
    return name
