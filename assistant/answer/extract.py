"""Pure extraction helpers: the key figure of a sentence, and a long passage cut to the
clauses that carry the question's words."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..textnorm import STOPWORDS, analyze, fold

_FIGURE = re.compile(
    r"(?:\d{1,3}(?:[ \u00a0.]\d{3})+|\d+)(?:,\d+|\.\d{1,2}(?!\d))?(?:\s?%|\s?(?:M€|k€|€|millions?|euros?))?"
)

# a day written in figures (« jusqu'au 31/12/2021 »): a date, not the figure « combien » asks
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def _ends_name(before: str) -> bool:
    """Is the text before a number a capitalised word inside a sentence ("... (Posse 33)")?
    A capitalised word that opens the sentence ("Environ 9000") is not a name."""
    m = re.search(r"(\S*)\s+\(?([A-Z][\w’'-]*)\s$", before)
    if not m:
        return False
    prev = m.group(1)
    return bool(prev) and not prev.endswith((".", ":", ";", "!", "?")) and prev not in {"-", "•", "o"}


def shows_figure(text: str) -> bool:
    """Does the text show a figure, dates aside (« le 17 octobre 2019 » is a date)?"""
    return re.search(r"\d", DATE.sub(" ", text)) is not None


def _kind_of(figure: str) -> str:
    if figure.endswith("%"):
        return "percent"
    return "amount" if re.search(r"€|euros?$|millions?$", figure) else "count"


def key_figure(
    text: str, stems: Sequence[str], idf: dict[str, float], measure: str = "", told: str = ""
) -> tuple[str | None, float]:
    """The number that answers "combien": the one followed (or just preceded) by most of the
    question's words, as in "8 871 interventions spontanées"; with the word after it, and the
    share of the question's weight it carries (0 when no number sits next to its words).
    A count, a percentage or an amount asked (`measure`) is a figure of that kind when the
    text has one: « combien de leurs interventions … en quartier prioritaire » is « 6 892
    interventions », not the « 78% » beside it. A number the question itself gives (`told`:
    « CitésLab : bilan sur 3 ans » is no « 3 ans » answer) is not the one asked."""
    given = {_digits(m.group(0)) for m in _figures(told)} if told else set()
    # dates, years and numbers that end a name are no figures of any kind (« 78 % en 2018 » has
    # a rate and no count)
    if measure in ("count", "percent", "amount") and measure in {
        _kind_of(m.group(0).strip()) for m in _figures(text)
    }:
        return _key_figure(text, stems, idf, measure, given)
    return _key_figure(text, stems, idf, "", given)


def _digits(figure: str) -> str:
    return re.sub(r"\D", "", figure)


def _figures(text: str) -> Iterator[re.Match[str]]:
    """The figures of a text: its numbers, dates and years aside, and a number that ends a
    name (« Posse 33 », « USEP 73 »)."""
    dates = [d.span() for d in DATE.finditer(text)]
    for m in _FIGURE.finditer(text):
        if any(a <= m.start() < b for a, b in dates):
            continue
        fig = m.group(0).strip()
        digits = _digits(fig)
        if re.fullmatch(r"(19|20)\d\d", digits) and "%" not in fig:
            continue  # a year is a date, not the figure asked for
        if _ends_name(text[: m.start()]):
            continue
        yield m


def _key_figure(
    text: str, stems: Sequence[str], idf: dict[str, float], measure: str, given: set[str]
) -> tuple[str | None, float]:
    total = sum(idf.get(t, 1.0) for t in stems) or 1.0
    sentence = set(analyze(text)) & set(stems)
    sentence_fit = sum(idf.get(t, 1.0) for t in sentence) / total
    best: tuple[float, int, str] | None = None
    for m in _figures(text):
        fig = m.group(0).strip()
        if measure and _kind_of(fig) != measure:
            continue
        if _digits(fig) in given:
            continue
        after = re.findall(r"[\w’']+", text[m.end() : m.end() + 60])[:5]
        before = re.findall(r"[\w’']+", text[max(0, m.start() - 40) : m.start()])[-3:]
        # in French the counted thing follows the number ("3 conseils citoyens"): words after it
        # count more the closer they are; words before it ("citoyens, en 3 ans") count half
        weights: dict[str, float] = {}
        for i, w in enumerate(after):
            for st in analyze(w):
                if st in stems:
                    weights[st] = max(weights.get(st, 0.0), 1 / (1 + 0.3 * i))
        for w in before:
            for st in analyze(w):
                if st in stems:
                    weights[st] = max(weights.get(st, 0.0), 0.5)
        near_fit = sum(idf.get(t, 1.0) * wt for t, wt in weights.items()) / total
        # the words right next to the figure matter most; the rest of its sentence a little
        fit = 0.7 * near_fit + 0.3 * sentence_fit if near_fit > 0 else 0.0
        nxt = re.match(r"\s+([a-zà-ÿ’'-]{3,})", text[m.end() :])
        noun = ""
        if (
            nxt
            and not fig.endswith(("%", "€"))
            and fold(nxt.group(1))
            not in STOPWORDS | {"dont", "soit", "seront", "etaient", "avaient", "ayant", "etant"}
        ):
            noun = f" {nxt.group(1)}"
        key = (fit, -m.start(), fig + noun)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None, 0.0
    return best[2], best[0]


# words an item of an enumeration has at most (« la gestion des émotions », « le rythme de vie »).
# Tune halves: 949 of 998 answerable right at 4, 6 and 8 alike (948 with enumerations cut)
ENUMERATION_ITEM = 6


def focus(text: str, stems: Sequence[str], idf: dict[str, float] | None = None, limit: int = 320) -> str:
    """A long passage is cut to the clauses that carry the question's words: greedily the
    clause bringing the most not-yet-shown weight, so a rare word ("Cognin") is kept
    beside the common ones; the rest is elided with "…"."""
    if len(text) <= limit:
        return text.strip()
    idf = idf or {}
    clauses: list[str] = []
    for piece in re.split(r"(?<=[,;:.])\s+", text):
        if (
            clauses
            and clauses[-1].endswith(",")
            and len(piece.split()) <= ENUMERATION_ITEM
            and not piece.endswith(":")  # a label opens the next list (« Groupe réseau … : »)
        ):
            # « … comme l'alimentation, les écrans, la gestion des émotions, l'autorité
            # parentale, … »: short pieces after a comma are the items of an enumeration, kept
            # or elided with the clause that announces them, never one by one
            clauses[-1] = f"{clauses[-1]} {piece}"
        else:
            clauses.append(piece)
    terms = [set(analyze(c)) & set(stems) for c in clauses]
    kept: set[int] = set()
    covered: set[str] = set()
    while True:
        gains = [
            (sum(idf.get(t, 1.0) for t in terms[i] - covered), -i)
            for i in range(len(clauses))
            if i not in kept
        ]
        if not gains:
            break
        gain, neg_i = max(gains)
        if gain <= 0 or (kept and len(" ".join(clauses[k] for k in kept)) + len(clauses[-neg_i]) > limit):
            break
        kept.add(-neg_i)
        covered |= terms[-neg_i]
    if not kept:
        kept = {0}
    # a kept label that opens a list (« Groupe réseau accès aux droits : ») brings every item
    # of it, up to the next label or the end of the sentence: an enumeration is never cut
    for k in sorted(kept):
        if not clauses[k].rstrip().endswith(":"):
            continue
        for j in range(k + 1, len(clauses)):
            if clauses[j].rstrip().endswith(":"):
                break
            kept.add(j)
            if clauses[j].rstrip().endswith("."):
                break
    out, last = [], -1
    for k in sorted(kept):
        if k != last + 1:
            out.append("…")
        out.append(clauses[k].strip())
        last = k
    if last < len(clauses) - 1:
        out.append("…")
    return " ".join(out)


# « combien de fois », « combien de monde »: nouns that do not name what is counted (stems);
# « personnes » are counted as spectators, participants, beneficiaries as well
ANY_COUNT = frozenset(analyze("fois monde gens chose choses truc trucs personne personnes"))

# a count said in words (« une centaine de jeunes »)
_ABOUT = re.compile(
    r"\b(?:dizaines?|vingtaines?|trentaines?|quarantaines?|cinquantaines?|centaines?|milliers?)\b", re.I
)


def count_figures(noun: str, text: str) -> list[str]:
    """The figures of `text` that give a number of `noun` (a stem), in order: a figure with the
    noun among the few words after it (« 6 892 interventions », « 108 logements locatifs »,
    « une centaine de jeunes », « de 5 à 10 semaines ») or just before it, as a label writes it
    (« Logements sociaux : 2 555 »). A year, a day or a percentage counts nothing."""
    dates = [d.span() for d in DATE.finditer(text)]
    found = []
    for m in sorted([*_FIGURE.finditer(text), *_ABOUT.finditer(text)], key=lambda m: m.start()):
        fig = m.group(0).strip()
        if fig.endswith("%") or any(a <= m.start() < b for a, b in dates):
            continue
        if re.fullmatch(r"(19|20)\d\d", fig):
            continue  # « en 2018 »; « 1 900 personnes » is written with a space
        if m.start() and text[m.start() - 1].isalpha():
            continue  # « T3 » (a flat type): part of a name, not a count
        after = re.findall(r"[\w’']+", text[m.end() : m.end() + 60])[:4]
        # a label before its value (« Logements sociaux : 2 555 »), not any word before a number
        # (« Correspondants de nuit » 2018 : 8 871 interventions » counts interventions)
        label = re.search(r"([\w’' -]{1,50}):\s*$", text[: m.start()])
        before = re.findall(r"[\w’']+", label.group(1))[-4:] if label else []
        if any(noun in analyze(w) for w in (*after, *before)):
            found.append(fig)
    return found


def counts(noun: str, text: str) -> bool:
    """Does `text` give a number of `noun` (a stem)? See `count_figures`."""
    return bool(count_figures(noun, text))
