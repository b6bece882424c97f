"""Ranking candidate answer units: a few named, measurable features per (question part,
unit), combined by a logistic regression fitted on the tune halves of the gold sets
(`python -m eval.fit_ranker`, weights in ranker.json beside this file). The same
probability decides refusal: below the threshold chosen on the tune split, the documents
are taken not to say.

Features are pure functions of the question frame, the unit and retrieval ranks; nothing
here knows a question of the gold sets.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..textnorm import STOPWORDS, analyze, raw_tokens
from .extract import DATE, shows_figure
from .frame import YEAR
from .units import FICHE_TYPES, Unit, row_cells

MODEL_PATH = Path(__file__).with_name("ranker.json")

FEATURES = (
    "cos_part",  # e5 cosine between this part of the question and the unit
    "cos_question",  # … between the whole question (preamble included) and the unit
    "cos_gap",  # cos_part minus the best cos_part among the candidates (0 for the best)
    "cos_z",  # cos_part as a z-score among this question's candidates (the same for any embedder)
    "hit_rank",  # 1 / (1 + position of the unit's passage in the fused retrieval)
    "bm25_rank",  # 1 / BM25 rank of the passage (0 when BM25 did not find it)
    "dense_rank",  # 1 / dense rank of the passage
    "cov_unit",  # idf-weighted share of the part's words found in the unit
    "cov_context",  # … in the unit, the sentence before it and its heading path
    "cov_passage",  # … in the whole passage
    "cov_preamble",  # share of the preamble's words found in the passage
    "rare_match",  # the part's rarest words found as written (not only through a stem)
    "wants_number_has",  # a number is asked and the unit has a figure
    "wants_number_lacks",  # a number is asked and the unit has none
    "year_match",  # a year of the question is in the unit or its passage
    "year_other",  # the passage has years, none of them the one asked
    "is_row",
    "is_bullet",
    "is_heading",
    "is_fiche",
    "is_record",  # a statement read from the documents' structure (places by commune)
    "length",  # log of the unit's length
    "cos_rank",  # 1 / rank of the unit by cos_part among the candidates
    "cov_rank",  # 1 / rank of the unit by cov_context among the candidates
    "unknown_share",  # share of the part's words the corpus never uses (same for all its candidates)
    "measure_lacks",  # a rate, an amount or a date is asked and the unit (with its headings) has none
    "label_missing",  # share of the part's numbers (not years) the unit lacks: « Chambéry-le-haut 4 »
    "name_missing",  # share of the part's proper names (« Grand Chambéry », « Etat ») the unit lacks
    "objective_named",  # the question names objectives: 1 if the unit is in one of them, -1 if in another
    "focus_missing",  # share of what the part asks about (« horaires », « maire ») the unit and its headings lack
    "opens_list_asked",  # a list is asked and the unit announces one (a line over bullets, a table's first row)
    "cell_named",  # a table row whose label and columns the question names (half for each)
    "context_name_missing",  # share of the preamble's proper names (« … in the Hauts de Chambéry. ») the unit lacks
)

# features whose scale belongs to one embedding model: the "portable" model, used with any
# other embedder (a user's own model, the tests' fake), is fitted without them
ABSOLUTE = ("cos_part", "cos_question", "cos_gap")

_MONTHS = "janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|décembre"


class _CountShown:
    """`.search(text)`: a number of the text that is no amount, rate or year (« 15 soirées »,
    « Population : 6 270 »), read whole so that « 673 000 € » is money, not « 67 »."""

    _NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|(?<![\d,.])\d+(?:[.,]\d+)*")
    _AFTER = re.compile(r"\s*(?:€|%|euros?\b|[kM]€|M\b|millions? d)", re.I)

    def search(self, text: str) -> bool:
        text = DATE.sub(" ", text)  # « jusqu'au 31/12/2021 » counts nothing
        for m in self._NUMBER.finditer(text):
            digits = m.group(0)
            if re.fullmatch(r"(?:19|20)\d\d", digits) or self._AFTER.match(text, m.end()):
                continue
            return True
        return False


# what shows a measure in a unit: a rate has %, an amount a currency, a date a day, month or
# year, a time of day its hours, a contact a phone number, an address or a mail, a person's
# name a title before it (« Mr Kais Marzouki »)
MEASURE_SHOWN: dict[str, re.Pattern[str] | _CountShown] = {
    "percent": re.compile(r"%|\bpour ?cent\b|\btaux\b", re.I),
    # a count: a number that is not money, a rate or a year
    "count": _CountShown(),
    "amount": re.compile(r"€|\beuros?\b|\bk€|\bM€", re.I),
    "date": re.compile(rf"\b(?:19|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b(?:{_MONTHS})\b", re.I),
    # a time of day, or the days of a week (« ouvert le mardi », « open on Mondays »)
    "time": re.compile(
        r"\b\d{1,2} ?h(?: ?\d{2})?\b|\b\d{1,2}:\d{2}\b|\bminuit\b|\bmidi\b|"
        r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?\b|"
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
        re.I,
    ),
    "contact": re.compile(
        r"@|https?://|\bwww\.|\b0\d(?:[ .]?\d{2}){4}\b|\b\d{1,4},? (?:rue|avenue|av\.|place|boulevard|bd|chemin|allée|quai)\b",
        re.I,
    ),
    "person": re.compile(
        r"\b(?:M\.|Mme|Mlle|Mr|Mrs|Ms|Dr|Monsieur|Madame) [A-ZÀ-Ý]|\b[A-ZÀ-Ý][a-zà-ÿ]+ [A-ZÀ-Ý]{3,}\b"
    ),
}


# words of the asking act, not of what is asked (« pour notre dossier je voudrais citer … »,
# « could you tell me … »): matching them against the documents only adds noise
REQUEST_WORDS = frozenset(
    """
    voudrais voudrait voudrions aimerais aimerait souhaite souhaiterais souhaitons savoir connaitre
    citer dire trouve trouver retrouve retrouver cherche chercher besoin svp stp merci bonjour
    exactement vraiment deja please thanks thank hello hi know tell like want need looking find
    mention mentioned mentioning keeps exactly actually
    """.split()
)


@dataclass(frozen=True)
class Terms:
    """The content words of a text that the corpus uses, each with its idf weight, and the
    share of the text's weight in words the corpus never uses ("maire", "exactement")."""

    items: tuple[tuple[str, str, float], ...]
    unknown_share: float = 0.0
    numbers: tuple[str, ...] = ()  # numbers of the text that are not years (labels: « IRIS Biollay 1 »)
    names: tuple[str, ...] = ()  # words the documents write as proper names (folded)
    # an acronym among the names with the first words of what it stands for (« qpv » →
    # « quartier prioritaire »): a unit that writes them out names it
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def total(self) -> float:
        return sum(w for *_, w in self.items) or 1.0


def light(word: str) -> str:
    """A word give or take its plural (surface matching tells "maire" from "mairies")."""
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def proper_names(texts: Sequence[str], min_count: int = 2, share: float = 0.8) -> frozenset[str]:
    """Words the documents write capitalised inside sentences (« Grand Chambéry », « Etat »,
    « Cognin »), folded: a question names them in any case, a unit must have them."""
    seen: dict[str, list[int]] = {}
    for text in texts:
        for m in re.finditer(r"(?:(?<=[\w,:()] )|(?<=['’]))([A-Za-zÀ-ÿ][\w-]+)", text):
            word = m.group(1)
            for part in raw_tokens(word):
                if len(part) < 3 or part in STOPWORDS or part.isdigit():
                    continue
                counts = seen.setdefault(part, [0, 0])
                counts[0] += word[0].isupper()
                counts[1] += 1
    return frozenset(w for w, (up, n) in seen.items() if n >= min_count and up / n >= share)


def _label_number(word: str) -> bool:
    """A number that labels something (« Chambéry-le-haut 4 »), or a code written with one
    (« CH3 »): a year is a date; an ordinal (« 2e chance », « 1er ») is part of a name."""
    if word.isdigit():
        return not YEAR.fullmatch(word)
    return bool(re.fullmatch(r"[a-z]+\d+", word))


def terms_of(
    text: str,
    idf: dict[str, float],
    default_idf: float,
    count_unknown: float = 0.0,
    proper: frozenset[str] = frozenset(),
) -> Terms:
    """The content words of `text` with their weights. A word the corpus never uses still
    counts in the total, at `count_unknown` times the default weight, so a unit cannot cover
    « combien de zorglubs en 2018 ? » by its year alone (0: only known words count)."""
    out: dict[str, tuple[str, str, float]] = {}
    unknown: set[str] = set()
    tokens = raw_tokens(text)
    for w in tokens:
        if len(w) <= 1 or w in STOPWORDS or w in REQUEST_WORDS:
            continue
        st = analyze(w)
        if not st:
            continue
        if st[0] not in idf:
            unknown.add(st[0])
            continue
        weight = idf[st[0]] * (0.5 if YEAR.fullmatch(w) else 1.0)
        out.setdefault(st[0], (st[0], light(w), weight))
    known = sum(w for *_, w in out.values())
    missing = default_idf * len(unknown)
    if count_unknown:
        for word in sorted(unknown):  # a stem no text has: weighs, never matches
            out.setdefault(f"\0{word}", (f"\0{word}", f"\0{word}", default_idf * count_unknown))
    numbers = tuple(dict.fromkeys(w for w in tokens if _label_number(w)))
    names = tuple(dict.fromkeys(w for w in tokens if w in proper))
    return Terms(tuple(out.values()), missing / (known + missing) if known + missing else 0.0, numbers, names)


def measure_lacks(measure: str, unit: Unit) -> float:
    """1 when a value of a kind is asked (a rate, an amount, a date, a time, a contact, a
    person's name) and the unit does not show one. A table's unit of measure is in its
    headings; a date is not (« Rapport annuel 2018 » dates no event)."""
    if not measure:
        return 0.0
    where = unit.with_context if measure == "date" else f"{unit.text} {unit.chunk.context}"
    return float(not MEASURE_SHOWN[measure].search(where))


_RATE_WORD = re.compile(r"%|\btaux\b|\brates?\b|\bpourcentage\b|\bpercent", re.I)


def rate_shown(words: Sequence[str], text: str) -> bool:
    """Whether a clause of `text` (a sentence, a table cell) gives a rate or a share of one of
    `words` (« Taux de pauvreté : 41,4% », « 26 % des demandeurs d'emplois »)."""
    wanted = {t for w in words for t in analyze(w)}
    for clause in re.split(r"[;\n—]|(?<=[.!?])\s", text):
        if _RATE_WORD.search(clause) and wanted & set(analyze(clause)):
            return True
    return False


def missing_share(
    words: Sequence[str], text: str, aliases: Sequence[tuple[str, tuple[str, ...]]] = ()
) -> float:
    """Share of the question's numbers (a row label, an objective) or proper names not in the
    text; an acronym is in it when the text writes out what it stands for."""
    if not words:
        return 0.0
    have = _token_set(text)
    spelled = dict(aliases)
    surfaces = _word_sets(text)[1]

    def named(w: str) -> bool:
        return w in have or _spelled_in(spelled.get(w, ()), surfaces)

    return sum(1.0 for w in words if not named(w)) / len(words)


def _spelled_in(words: Sequence[str], surfaces: frozenset[str]) -> bool:
    """Does a text (its surface forms) write out the first words an acronym stands for?"""
    return bool(words) and {light(a) for a in words} <= surfaces


@lru_cache(maxsize=50_000)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(raw_tokens(text))


@lru_cache(maxsize=50_000)
def _word_sets(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stems, surface forms) of a text; units and passages are scored against many
    questions, so their analysis is kept."""
    return frozenset(analyze(text)), frozenset(light(w) for w in raw_tokens(text))


def cell_named(terms: Terms, unit: Unit) -> float:
    """For a table row: half for a label the question names (most of its words), half for a
    column it names (« Crédits spécifiques : combien pour l'Etat ? » names both the row
    « Crédits spécifiques » and the column « Etat »); 0 for any other unit."""
    if unit.kind != "row" or " — " not in unit.text:
        return 0.0
    asked = {st for st, *_ in terms.items}
    label, cells = row_cells(unit.text)
    label_words = set(_word_sets(label)[0])
    named_label = bool(label_words) and len(label_words & asked) >= max(1, len(label_words) // 2)
    named_column = any(v and set(_word_sets(n)[0]) & asked for n, v in cells)
    return 0.5 * named_label + 0.5 * named_column


def coverage(terms: Terms, text: str) -> float:
    """Idf-weighted share of the terms in `text`: fully as written, half through a stem."""
    if not terms.items:
        return 0.0
    stems, surfaces = _word_sets(text)
    spelled = dict(terms.aliases)
    got = 0.0
    for st, surface, w in terms.items:
        if surface in surfaces:
            got += w
        elif st in stems:
            got += 0.5 * w
        elif _spelled_in(spelled.get(surface, ()), surfaces):
            got += w  # an acronym the text spells out (« quartier prioritaire » for « QPV »)
    return got / terms.total


def rare_match(terms: Terms, text: str, n: int = 2) -> float:
    if not terms.items:
        return 0.0
    rare = sorted(terms.items, key=lambda t: -t[2])[:n]
    surfaces = _word_sets(text)[1]
    return sum(1.0 for _, s, _ in rare if s in surfaces) / len(rare)


@dataclass(frozen=True)
class Candidate:
    unit: Unit
    part: int  # which part of the question it was scored for
    features: tuple[float, ...]
    score: float = 0.0  # probability from the ranker


@dataclass(frozen=True)
class PassageRanks:
    hit: int  # position in the fused list, from 0
    bm25: int | None
    dense: int | None


def features_for(
    *,
    cos_part: float,
    cos_question: float,
    best_cos: float,
    cos_z: float,
    ranks: PassageRanks,
    cos_rank: int,
    cov_rank: int,
    part_terms: Terms,
    preamble_terms: Terms,
    unit: Unit,
    wants: str,
    years: Sequence[str],
    measure: str = "",
    objectives: Sequence[int] = (),
    focus_terms: Terms | None = None,
    opens_list: bool = False,
) -> tuple[float, ...]:
    c = unit.chunk
    text = unit.text
    context = f"{unit.with_context} {c.context}"
    passage = c.embed_text
    # the headings, not the document's title: « … de Grand Chambéry » names every passage of
    # the web page, so it cannot tell Chambéry's neighbourhoods from Barby's
    headings = c.context.partition(" › ")[2]
    has_figure = shows_figure(text)
    passage_years = set(YEAR.findall(passage))
    year_match = float(any(y in passage for y in years)) if years else 0.0
    year_other = float(bool(years) and bool(passage_years) and not any(y in passage_years for y in years))
    number = wants == "number"
    values = {
        "cos_part": cos_part,
        "cos_question": cos_question,
        "cos_gap": cos_part - best_cos,
        "cos_z": cos_z,
        "hit_rank": 1.0 / (1 + ranks.hit),
        "bm25_rank": 1.0 / ranks.bm25 if ranks.bm25 else 0.0,
        "dense_rank": 1.0 / ranks.dense if ranks.dense else 0.0,
        "cov_unit": coverage(part_terms, text),
        "cov_context": coverage(part_terms, context),
        "cov_passage": coverage(part_terms, passage),
        "cov_preamble": coverage(preamble_terms, passage) if preamble_terms.items else 0.0,
        "rare_match": rare_match(part_terms, f"{text} {c.context}"),
        "wants_number_has": float(number and has_figure),
        "wants_number_lacks": float(number and not has_figure),
        "year_match": year_match,
        "year_other": year_other,
        "is_row": float(unit.kind == "row"),
        "is_bullet": float(unit.kind == "bullet"),
        "is_heading": float(unit.kind == "heading"),
        "is_fiche": float(c.chunk_type in FICHE_TYPES),
        "is_record": float(unit.is_record),
        "length": math.log(1 + len(text)) / 6,
        "cos_rank": 1.0 / cos_rank,
        "cov_rank": 1.0 / cov_rank,
        "unknown_share": part_terms.unknown_share,
        "label_missing": missing_share(part_terms.numbers, f"{unit.with_context} {c.context}"),
        "name_missing": missing_share(part_terms.names, f"{text} {unit.lead} {headings}", part_terms.aliases),
        # a place or an organisation the preamble names is a constraint on the answer, weaker
        # than the ask's own (« On est une asso à Cognin » may ask about the whole plan)
        "context_name_missing": missing_share(
            preamble_terms.names, f"{text} {unit.lead} {headings}", preamble_terms.aliases
        ),
        "measure_lacks": measure_lacks(measure, unit),
        "objective_named": (1.0 if c.objective in objectives else -1.0 if c.objective else 0.0)
        if objectives
        else 0.0,
        "focus_missing": 1.0 - coverage(focus_terms, context) if focus_terms and focus_terms.items else 0.0,
        "opens_list_asked": float(opens_list and wants == "list"),
        "cell_named": cell_named(part_terms, unit),
    }
    return tuple(values[f] for f in FEATURES)


# question-level features of the refusal decision: how good and how clear the best candidate is
QUESTION_FEATURES = (
    "top",
    "margin",
    "unknown_share",
    "unknown_fr",  # the same for a French question: an English one always has words the corpus lacks
    "cov_unit",
    "cov_context",
    "rare_match",
    "cos_z",
    "measure_lacks",
    "label_missing",
    "name_missing",
    "focus_missing",
    "prior_unanswerable",  # the router's probability that the question is of a kind the documents do not answer
)
# the refusal features that only a router fitted with this embedder gives (route.py)
ROUTED = ("prior_unanswerable",)


def question_features(
    scored: Sequence[Candidate], lang: str = "fr", prior_unanswerable: float = 0.0
) -> tuple[float, ...]:
    """From the scored candidates of one question: the best probability, its lead over the
    next one, what the best candidate's own features say, and the router's prior."""
    if not scored:
        return tuple(prior_unanswerable if f == "prior_unanswerable" else 0.0 for f in QUESTION_FEATURES)
    ordered = sorted(scored, key=lambda c: -c.score)
    best = dict(zip(FEATURES, ordered[0].features, strict=True))
    second = ordered[1].score if len(ordered) > 1 else 0.0
    values = {
        "top": ordered[0].score,
        "margin": ordered[0].score - second,
        "unknown_fr": best["unknown_share"] if lang == "fr" else 0.0,
        "prior_unanswerable": prior_unanswerable,
    }
    return tuple(values.get(f, best.get(f, 0.0)) for f in QUESTION_FEATURES)


@dataclass(frozen=True)
class RankerModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # refuse below this answerability probability
    info: dict
    answer_weights: tuple[float, ...] = ()  # the refusal model, over QUESTION_FEATURES
    answer_bias: float = 0.0

    @classmethod
    def load(cls, embedder: str, path: Path = MODEL_PATH) -> RankerModel:
        """The model fitted with this embedder, else the portable one."""
        models = json.loads(path.read_text(encoding="utf-8"))["models"]
        data = models.get(embedder) or models["portable"]
        if tuple(data["features"]) != FEATURES:
            raise ValueError(
                f"{path.name} a été ajusté sur d'autres variables : relancer python -m eval.fit_ranker"
            )
        refusal = data["refusal"]
        if tuple(refusal["features"]) != QUESTION_FEATURES:
            raise ValueError(f"{path.name} : modèle de refus ajusté sur d'autres variables")
        return cls(
            tuple(data["weights"]),
            float(data["bias"]),
            float(refusal["threshold"]),
            data.get("info", {}),
            tuple(refusal["weights"]),
            float(refusal["bias"]),
        )

    @classmethod
    def neutral(cls) -> RankerModel:
        """All candidates equal: what the fitting script ranks with before a model exists."""
        return cls(tuple(0.0 for _ in FEATURES), 0.0, 0.0, {"method": "neutral"})

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        z = np.asarray(rows, dtype=np.float64) @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def answerability(
        self, scored: Sequence[Candidate], lang: str = "fr", prior_unanswerable: float = 0.0
    ) -> float:
        """Probability that the best candidate answers the question (the refusal model)."""
        if not scored:
            return 0.0
        if not self.answer_weights:
            return max(c.score for c in scored)
        feats = question_features(scored, lang, prior_unanswerable)
        z = float(np.dot(feats, self.answer_weights) + self.answer_bias)
        return 1.0 / (1.0 + math.exp(-z))
