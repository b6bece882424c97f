"""Candidate answers for a framed question: the units (sentence, bullet, table row) of the
passages retrieved for the ask and for each of its parts, each with its ranking features."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..query import EN_FR, translate_for_lexical
from ..retrieval import Filters, Retriever
from ..schema import Hit
from ..textnorm import STOPWORDS, raw_tokens
from .frame import Frame
from .rank import (
    REQUEST_WORDS,
    Candidate,
    PassageRanks,
    Terms,
    coverage,
    features_for,
    proper_names,
    terms_of,
)
from .understand import named_documents
from .units import UnitIndex

# units taken by their own e5 cosine to each part, from the whole corpus, beside the units of
# the retrieved passages (10: tune halves 710 → 718 answerable right with the ranker refitted on
# these candidates, 5 gave 716; an 892-unit dot product costs well under a millisecond)
UNIT_HITS = 10


@dataclass(frozen=True)
class CandidateSet:
    frame: Frame
    candidates: tuple[Candidate, ...]
    hits: tuple[Hit, ...]


def _ranks(values: Sequence[float]) -> list[int]:
    """1 for the highest value; ties share the better rank."""
    order = sorted(set(values), reverse=True)
    position = {v: i + 1 for i, v in enumerate(order)}
    return [position[v] for v in values]


# for an English question, a passage first or second for one ranker alone is a candidate however
# the fusion places it: its words meet the French text on the lexical side only, which the fusion
# weighs half (« what themes do the actions cover? » finds « … autour de plusieurs thèmes » first
# by BM25, nowhere near the top by the embedding of a long web page)
_ONE_RANKER_TOP = 2


def _first_of_one(h: Hit) -> bool:
    return any(r is not None and r <= _ONE_RANKER_TOP for r in (h.bm25_rank, h.dense_rank))


# a word the corpus never uses counts as missing at this share of the rarest word's weight:
# « combien d'argent le Contrat de ville a-t-il reçu ? » still lacks « reçu » and « argent »,
# but they no longer outweigh every word the documents do write. Measured end to end on the
# tune halves of the fifteen sets: 1.0 (before) and 0.5 answer as many (894 of 957), 0.5
# refuses one unanswerable more than 0.25 (152 against 151 of 163)
UNKNOWN_WEIGHT = 0.5


class CandidateGenerator:
    def __init__(
        self,
        retriever: Retriever,
        units: UnitIndex,
        embed_query: Callable[[Sequence[str]], np.ndarray],
        idf: dict[str, float],
        default_idf: float,
        expand: Callable[[str, str], str],
        titles: dict[str, str] | None = None,
        passages: int = 10,
        stands_for: Callable[[str], str | None] | None = None,
    ) -> None:
        self.retriever = retriever
        self.units = units
        self.embed_query = embed_query
        self.idf = idf
        self.default_idf = default_idf
        self.expand = expand  # acronyms spelled out, English terms given French words
        self.passages = passages
        # proper names as the documents write them, read once from the passages' text
        self.proper = proper_names(list({u.chunk.id: u.chunk.text for u in units.units}.values()))
        self.titles = titles or {}  # source -> the document's title, from the manifest
        self.stands_for = stands_for  # the glossary: an acronym -> what it stands for
        self._spelled: dict[str, tuple[str, ...]] = {}  # acronym -> first words it stands for

    def terms(self, text: str, lang: str) -> Terms:
        # typos corrected to the corpus's words first (« tranquilité »), as the search does
        lexical = self.retriever.index.lexical
        # an English word with a French bridge (« flat » → « logement ») is carried by its
        # bridge; any other word the corpus lacks (« electric cars ») counts as missing
        words = " ".join(
            # an English word is no typo of a French one; « souhaite », « chercher » say what
            # the user wants, they are dropped below, not corrected into « souhaitent »
            lexical.correct(w, spell=lang == "fr" and w not in REQUEST_WORDS)
            # an acronym's expansion is not asked word by word: a unit that writes « l'INSEE »
            # covers « INSEE » (and one that spells it out covers it through its alias, below)
            for w in raw_tokens(f"{text} {translate_for_lexical(text)}" if lang == "en" else text)
            if not (lang == "en" and EN_FR.get(w))
        )
        terms = terms_of(words, self.idf, self.default_idf, count_unknown=UNKNOWN_WEIGHT, proper=self.proper)
        return replace(terms, aliases=tuple(a for a in map(self._spelled_out, terms.names) if a[1]))

    def _spelled_out(self, name: str) -> tuple[str, tuple[str, ...]]:
        """(an acronym, the first two words of what the glossary says it stands for: « qpv » →
        « quartier prioritaire »); no words for a name that is no acronym, or whose expansion
        is one word. Read once per name."""
        if name not in self._spelled:
            written = raw_tokens((self.stands_for and self.stands_for(name.upper())) or "")
            words = [w for w in written if w not in STOPWORDS and len(w) > 2]
            self._spelled[name] = tuple(words[:2]) if len(written) >= 2 else ()
        return name, self._spelled[name]

    def _closest(self, sims: np.ndarray, k: int) -> list[int]:
        """The k units of highest cosine, ties at the cut broken by the units' content, not by
        where a sort happens to leave equal values (a hashing embedder ties many units)."""
        sims = np.round(sims, 5)  # a product summed in another order differs in its last bits
        if len(sims) <= k:
            return sorted(range(len(sims)), key=lambda i: self.units.units[i].key)
        cut = float(-np.partition(-sims, k - 1)[k - 1])
        above = [int(i) for i in np.flatnonzero(sims > cut)]
        tied = sorted((int(i) for i in np.flatnonzero(sims == cut)), key=lambda i: self.units.units[i].key)
        return sorted(above + tied[: k - len(above)], key=lambda i: self.units.units[i].key)

    def generate(self, frame: Frame) -> CandidateSet:
        queries = [frame.ask] + ([p.text for p in frame.parts] if frame.compound else [])
        texts = [p.text for p in frame.parts] + [frame.text]
        # « qui les porte d'après le plan 2021-2022 ? »: the document the question names is searched
        # on its own too, without the words that name it, so that its passages are not all
        # crowded out by another document's section about the same thing
        sources = named_documents(frame.text, self.titles)[0]
        rests = [named_documents(q, self.titles)[1] for q in queries] if sources else []
        # one batch: the model is called once
        self.embed_query(list(dict.fromkeys(queries + texts + [r for r in rests if r.strip()])))
        hits: dict[str, tuple[int, Hit]] = {}

        def keep(found: Iterable[tuple[int, Hit]]) -> None:
            for pos, h in found:
                if h.chunk.id not in hits or pos < hits[h.chunk.id][0]:
                    hits[h.chunk.id] = (pos, h)

        # the names the preamble gives (« my son plays with Sport dans la Ville ») say what the
        # ask is about: the search looks for them too
        named = " ".join(self.terms(frame.context, frame.lang).names) if frame.context else ""
        asks = [
            (
                q,
                self.passages if qi == 0 else max(4, self.passages // 2),
                f"{self.expand(q, frame.lang)[len(q) :]} {named}".strip(),
            )
            for qi, q in enumerate(queries)
        ]
        for q, k, extra in asks:
            wide = k * 4 if frame.lang == "en" else k
            found = enumerate(self.retriever.search(q, k=wide, lexical_extra=extra))
            keep((pos, h) for pos, h in found if pos < k or _first_of_one(h))
        for source in sources:
            for (_, k, extra), rest in zip(asks, rests, strict=True):
                if rest.strip():
                    filters = Filters(source=source)
                    keep(enumerate(self.retriever.search(rest, k=k, lexical_extra=extra, filters=filters)))
        if not hits:
            return CandidateSet(frame, (), ())
        unit_ids = [
            i
            for _, h in hits.values()
            for i in self.units.of_chunk(h.chunk.id)
            if not self.units.units[i].is_record
        ]
        # records are few and carry what no single passage says: always candidates
        unit_ids += self.units.records
        qv = self.embed_query(texts)
        qv = qv / np.maximum(np.linalg.norm(qv, axis=1, keepdims=True), 1e-9)
        # the units closest to each part, wherever their passage ranked: a line of a long
        # passage (« Environ 9000 personnes touchées par an … ») is drowned in its passage
        near = self.units.vectors @ qv[: len(frame.parts)].T
        seen = set(unit_ids)
        for col in range(near.shape[1]):
            for uid in self._closest(near[:, col], UNIT_HITS):
                if uid not in seen and not self.units.units[uid].is_record:
                    seen.add(uid)
                    unit_ids.append(uid)
        # candidates retrieved or not: every unit of a named fiche (« Objective 13 says some
        # themes were kept as priorities: which ones? »)
        also = sorted({uid for n in frame.objectives for uid in self.units.by_objective.get(n, [])})
        if also:
            seen = set(unit_ids)
            unit_ids += [uid for uid in dict.fromkeys(also) if uid not in seen]
        if not unit_ids:
            return CandidateSet(frame, (), tuple(h for _, h in hits.values()))
        sims = self.units.vectors[unit_ids] @ qv.T  # (units, parts + 1)
        preamble = self.terms(frame.context, frame.lang) if frame.context else Terms(())
        out: list[Candidate] = []
        unit_list = [self.units.units[uid] for uid in unit_ids]
        for p_index, part in enumerate(frame.parts):
            # the words that name a document say where to look, not what to find: « le plan
            # 2021-2022 » would make the plan's introduction the best match of every part
            part_terms = self.terms(named_documents(part.text, self.titles)[1], frame.lang)
            if frame.context:
                # a number the preamble gives (« j'ai vu 2 chiffres différents ») labels no row
                told = set(raw_tokens(frame.context))
                part_terms = replace(
                    part_terms, numbers=tuple(n for n in part_terms.numbers if n not in told)
                )
            # what the part asks about (« les horaires », « le maire »): a unit without it answers
            # something else, however many of the other words it shares
            focus_terms = self.terms(part.focus, frame.lang) if part.focus else None
            cos = sims[:, p_index]
            best = float(cos.max())
            spread = float(cos.std()) or 1.0
            mean = float(cos.mean())
            cov = [coverage(part_terms, f"{u.with_context} {u.chunk.context}") for u in unit_list]
            cos_rank = _ranks(list(cos))
            cov_rank = _ranks(cov)
            for row, u in enumerate(unit_list):
                pos, h = hits.get(u.chunk.id, (len(hits), None))
                feats = features_for(
                    cos_part=float(cos[row]),
                    cos_question=float(sims[row, -1]),
                    best_cos=best,
                    cos_z=(float(cos[row]) - mean) / spread,
                    ranks=PassageRanks(pos, h.bm25_rank if h else None, h.dense_rank if h else None),
                    cos_rank=cos_rank[row],
                    cov_rank=cov_rank[row],
                    part_terms=part_terms,
                    preamble_terms=preamble,
                    unit=u,
                    wants=part.wants,
                    years=frame.years,
                    measure=part.measure,
                    objectives=frame.objectives,
                    focus_terms=focus_terms,
                    opens_list=unit_ids[row] in self.units.openers,
                )
                out.append(Candidate(u, p_index, feats))
        ordered = sorted(hits.values(), key=lambda x: x[0])
        return CandidateSet(frame, tuple(out), tuple(h for _, h in ordered))
