"""Grounded answers without an LLM: dispatch by question kind, extract the sentences or
table cells that answer, refuse when the documents do not say, cite every passage."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..glossary import Glossary
from ..index_store import LoadedIndex
from ..query import EN_FR, translate_for_lexical
from ..records.definitions import Definition, extract_definitions
from ..records.definitions import statement as define
from ..records.places import (
    Place,
    bare_name,
    extract_places,
    named_places,
    other_kind,
    other_place,
    places_asked,
    statement,
    unknown_commune,
)
from ..retrieval import Filters, Retriever
from ..schema import Answer, Citation, Fiche
from ..textnorm import analyze, fold, raw_tokens
from .candidates import CandidateGenerator
from .citations import CitationList, squash
from .compose import (
    NAMED_FLOOR,
    Selection,
    compose,
    disagreeing,
    named_grid,
    select,
    sums_rows,
    unavailable_cells,
    with_each_item,
    with_every_name,
    with_grid,
    with_list_headings,
    with_table_rows,
)
from .extract import ANY_COUNT, count_figures, counts
from .fiche_answers import FicheAnswers, quote
from .frame import YEAR, Frame, Part, asks_change, has_cue, make_frame, named_rate
from .llm import Generator, generate_checked
from .membership import (
    as_written,
    asks_membership,
    asks_where,
    memberships,
    mentions,
    named_in_fiches,
    named_organisations,
    unlisted_organisations,
)
from .objective_fit import FinderModel, ObjectiveFitScore, ObjectiveScorer, shown
from .rank import FEATURES, FICHE_TYPES, Candidate, RankerModel, measure_lacks, rate_shown
from .route import Priors, Router
from .understand import (
    FIELD_VOCAB,
    NOT_IN_FIELDS,
    PARTNERS,
    PILOTS,
    Question,
    Turn,
    detect_fields,
    first_person,
    part_questions,
    understand,
    understand_framed,
)
from .units import Unit as AnswerUnit
from .units import UnitIndex, row_cells

# the actions shown under each objective the finder points to, closest first: a project is
# often one action a few lines down its fiche (the encombrants' for « on aide les gens à se
# débarrasser des vieux meubles »). Twenty sets, tune halves: 1263 right at 3, 1264 at 4 and at 5
SHOWN_ACTIONS = 4

# a topic names a fiche when that fiche's passages score at least this in the fused ranking
# (reciprocal ranks: about 0.066 for a passage first in both rankers, half the lexical part in
# English). Tune halves: of the fiche-field answers given below 0.06, 8 of 9 were wrong; 0.05
# keeps 4 of those 8 fixed and still answers a broad resident question (« qu'est-ce qui est
# prévu pour les jeunes ? », 0.058) with the closest fiche's actions rather than a refusal
MIN_TOPIC = 0.05

# words that name the plan's structure: a question made of them only asks for the structure
_STRUCTURE_WORDS = {
    "axe",
    "axes",
    "objectif",
    "objectifs",
    "fiche",
    "fiches",
    "plan",
    "contrat",
    "ville",
    "actions",
}

REFUSAL = {
    "fr": "Je ne trouve pas cette information dans les documents du Contrat de ville.",
    "en": "I cannot find this information in the Contrat de ville documents.",
}
EMPTY = {
    "fr": "Posez une question sur le Contrat de ville, par exemple : « qui pilote l'objectif 12 ? »",
    "en": "Ask a question about the Contrat de ville, for example: “who leads objective 12?”",
}
# a definition asked of a pronoun (« what is it? », « c'est quoi ? », « ça veut dire quoi ? »)
_PRONOUN_DEFINITION = re.compile(
    r"(?:^|[.?!\s])(?:what is it|what s it|what does it (?:mean|stand for)|what is that|c est quoi|"
    r"qu est ce que c est|ca veut dire quoi|ca signifie quoi|ca correspond a quoi|"
    # « PAQTE, c'est l'acronyme de quoi déjà ? », « the PLIE is short for what? »
    r"(?:c est |c )?(?:l )?(?:acronyme|sigle|abreviation) de quoi|(?:is )?short for what|stands? for what)"
    r"(?: deja| exactement| svp| already| exactly)?$"
)
# a person written with a civility (« M. Dupont », « Mme Martin »): fiche fields name structures
_PERSON = re.compile(r"\b(?:M\.|Mme|Mmes|MM\.|Mr\.?|Mrs\.?|Ms\.?|Madame|Monsieur|Dr\.?)\s+[A-ZÉÈ][\w-]+")
# a figure asked for one year alone (« en 2018 uniquement », « in 2018 only », « 2018 seulement »)
_ONLY_YEAR = re.compile(
    r"\b(?:only|uniquement|seulement|alone|exclusivement)\W+(?:\w+\W+){0,2}(?:19|20)\d\d\b|"
    r"\b(?:19|20)\d\d\W+(?:\w+\W+){0,1}(?:only|uniquement|seulement|alone|exclusivement)\b"
)
_AXES = re.compile(r"\baxes?\b")
# words that name the plan's own axes, or where it is (« the axes of the Grand Chambéry contrat »)
_AXES_OWN = frozenset(
    "axe axes axis strategique strategiques strategic plan contrat ville grand chambery agglomeration agglo "
    "politique actions action".split()
)
# a number asked exactly, and a figure the documents round
_EXACT = re.compile(r"\b(?:precisement|exactement|exact|exacte|exactly|precisely|au juste)\b")
_ROUNDED = re.compile(
    r"\b(?:environ|pres de|quelque|approximativement|about|around|approximately|roughly|nearly|"
    r"une (?:dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine))\b"
)
# one fiche named, by number or topic (« la fiche sur les parents », « the renewal objective »)
_NAMES_A_FICHE = re.compile(r"\bfiche\b|\bobjecti(?:f|ve)\b")
_DEFINITION = re.compile(
    r"^(?:qu est ce que|qu est ce qu|c est quoi|c quoi|que signifie|que veut dire|definition d?e?|signification d?e?|"
    r"what is|what s|what does|meaning of)\s+(?:un |une |le |la |les |l |d |du |des |the |a |an )?([a-z0-9+]{2,10})"
    r"(?:\s+(?:mean|stand for|veut dire|signifie))?\s*\??"
    # the end of the ask, or a new sentence whose mark was left out (« what is the dired my
    # son's school keeps mentioning it », « c koi la gup on en parle tout le temps »)
    r"(?:$|\s*,|\s+(?:on|je|j|il|elle|ils|elles|nous|vous|mon|ma|mes|notre|nos|ca|my|our|we|i|they|it|he|she)\s)"
)


_PERIOD_START = re.compile(
    r"\b(?:depuis|since|from|a partir de|entre|between|de)\s+((?:19|20)\d\d)\b"
    r"(?:\s*(?:et|a|and|to|-)\s*((?:19|20)\d\d)\b)?(?!\s*(?:uniquement|seulement|only))"
)
_HT = re.compile(r"\bht\b|\bhors taxes?\b|\bexcluding (?:tax|vat)\b|\bbefore tax\b|\bnet of tax\b")
_TTC = re.compile(r"\bttc\b|\btoutes taxes\b|\bincluding (?:tax|vat)\b|\bwith (?:tax|vat)\b|\bafter tax\b")
_TAX_BASES = (
    (
        _TTC,
        _HT,
        "Les documents ne donnent pas ce montant TTC, seulement hors taxes (HT) :",
        "The documents do not give this amount including tax (TTC), only before tax (HT):",
    ),
    (
        _HT,
        _TTC,
        "Les documents ne donnent pas ce montant hors taxes (HT), seulement TTC :",
        "The documents do not give this amount before tax (HT), only including tax (TTC):",
    ),
)

# the words of an action's status (« actions en cours », « à développer »): they name which
# actions, not something a line must say (« cours » is not « les cours d'école »)
_ACTION_STATUS = frozenset({"cours", "developper", "ongoing", "planned"})
# the labels of a fiche's field lines (« Partenaires : … »), which the field answer gives already
_FIELD_LABELS = frozenset({"pilote", "pilotes", "partenaires", "outils", "outils d'interventions", "axe"})


def history_turns(history: Sequence[Answer | str]) -> list[Turn]:
    turns = []
    for h in history:
        if isinstance(h, Answer):
            fields = tuple(h.intent.split(":", 1)[1].split("+")) if h.intent.startswith("field:") else ()
            turns.append(Turn((h.objective,) if h.objective else (), fields, h.intent))
        else:
            q = understand(str(h))
            turns.append(Turn(q.objectives, q.fields, q.intent))
    return turns


class Answerer:
    def __init__(
        self,
        index: LoadedIndex,
        retriever: Retriever,
        glossary: Glossary,
        generator: Generator | None = None,
        min_coverage: float = 0.5,
        units: UnitIndex | None = None,
        ranker: RankerModel | None = None,
        finder_model: FinderModel | None = None,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.glossary = glossary
        self.generator = generator
        self.min_coverage = min_coverage
        self.fiches = FicheAnswers(index.fiches, index.chunks)
        # the support of the answer being built; per thread, as the web app answers concurrently
        self._request = threading.local()
        df: Counter[str] = Counter()
        for c in index.chunks:
            df.update(set(analyze(c.embed_text)))
        n = len(index.chunks)
        self.idf = {t: math.log((n - d + 0.5) / (d + 0.5) + 1) for t, d in df.items()}
        self.max_idf = math.log(n + 1.5)
        self.titles = {s: str(m.get("title") or s) for s, m in index.manifest.get("metadata", {}).items()}
        self.units = units or UnitIndex.build(index.chunks, retriever.embedder, None)
        self.ranker = ranker or RankerModel.load(retriever.embedder.name)
        self.candidates = CandidateGenerator(
            retriever,
            self.units,
            retriever.embed_queries,
            self.idf,
            self.max_idf,
            self.expand,
            self.titles,
            stands_for=self.glossary.get,
        )
        self.finder_model = finder_model or FinderModel.load()
        # neighbourhoods with their commune and type, read once from the documents
        self.places = extract_places(index.chunks)
        # the organisations of several words the fiches name (« Ville de Chambéry »), as tokens
        self.organisations = tuple(
            sorted(
                {
                    " ".join(raw_tokens(o))
                    for f in index.fiches
                    for o in (*f.pilots, *f.partners)
                    if 2 <= len(raw_tokens(o)) <= 4
                }
            )
        )
        # the words the documents write in lower case: no place's name (« contrat », « ville »)
        self.lower_words = frozenset(
            w for c in index.chunks for w in raw_tokens(" ".join(re.findall(r"\b[a-zà-ÿœ]{3,}\b", c.text)))
        )
        # terms the documents define (a note under a table, « X : est … »), read once
        self.definitions = extract_definitions(index.chunks)
        # passages outside the fiches that speak of axes (the plan's own, or another plan's:
        # « plan communal de prévention des addictions … autour de 4 axes »)
        self._axes_passages = [
            set(analyze(c.text)) for c in index.chunks if c.objective is None and _AXES.search(fold(c.text))
        ]
        # no router for an embedder it was not fitted with: the frame's rules route alone
        self.router = Router.load(retriever.embedder.name)
        self.objective_scorer = ObjectiveScorer(index.fiches, self.units, retriever.index.lexical)

    # --- entry point ------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Answer | str] = (), simple: bool = False) -> Answer:
        t0 = time.perf_counter()
        question = question[:2000]  # a question is not a document: longer input is cut, not processed
        frame = make_frame(question)
        self._request.frame = frame
        self._request.priors = None
        turns = history_turns(history)
        q = understand_framed(frame, turns)
        timings = {"understand_ms": (time.perf_counter() - t0) * 1000}
        cites = CitationList()
        self._request.support = 1.0
        self._request.near_miss = False
        if q.intent == "empty":
            return Answer(question, EMPTY[q.lang], (), True, "empty", q.lang, timings_ms=timings)
        missing = [n for n in q.objectives if n not in self.fiches.by_number]
        unread = self._unread_objective(missing, q.lang, cites) if missing else None
        if unread is not None:
            return Answer(question, unread, cites.as_tuple(), True, "field", q.lang, timings_ms=timings)
        if missing and self.fiches.by_number:
            # "objectif 20" in a plan of 19: say exactly that rather than a generic refusal
            numbers = sorted(self.fiches.by_number)
            notice = (
                f"Le plan d'actions compte {len(numbers)} objectifs, numérotés de {numbers[0]} à {numbers[-1]} : "
                f"l'objectif {missing[0]} n'existe pas."
                if q.lang == "fr"
                else f"The action plan has {len(numbers)} objectives, numbered {numbers[0]} to {numbers[-1]}: "
                f"there is no objective {missing[0]}."
            )
            return Answer(question, notice, (), True, "field", q.lang, timings_ms=timings)
        self._request.priors = self._priors(frame)
        parts = part_questions(frame, turns) or (
            self._place_parts(q, frame, turns) if frame.compound else None
        )
        if parts:
            text, intent, objective, see_also = self._answer_parts(parts, frame, cites)
        else:
            text, intent, objective, see_also = self._dispatch(q, cites)
            if text is None and not self._request.near_miss:
                text, intent, objective = self._finder_fallback(q, frame, cites, (text, intent, objective))
        # a near miss (« pas pour 2019 ; pour 2018 : … ») is a refusal that shows what is there
        near_miss = bool(self._request.near_miss)
        refused = text is None or near_miss
        used_llm = False
        if text is None:
            text = REFUSAL[q.lang]
            if not see_also:
                see_also = self._see_also(q)
        elif self.generator is not None and intent == "fact" and not near_miss:
            generated = generate_checked(self.generator, q, cites.as_tuple())
            if generated is not None:
                text, used_llm = generated, True
        citations = cites.as_tuple() if near_miss or not refused else ()
        if not refused and intent != "definition":
            if simple and intent == "fact" and not used_llm:
                text, citations = plain(text, citations)
            text = self._readable(text, q.lang, simple)
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        return Answer(
            question=question,
            text=text,
            citations=citations,
            refused=refused,
            intent=intent,
            lang=q.lang,
            see_also=see_also,
            timings_ms=timings,
            objective=objective,
            confidence=round(self._request.support, 3),
            generator="llm" if used_llm else "extractive",
        )

    def _answer_parts(
        self, parts: Sequence[tuple[str, Question]], frame: Frame, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        """Each part answered down its own route, in the order asked, citations numbered
        across the whole answer; a part the documents do not answer is said so."""
        texts: list[str] = []
        supports: list[float] = []
        objective = None
        answered = 0
        for own, pq in parts:
            if pq.follow_up and not pq.objectives and objective is not None:
                # « La fiche jeunesse …, elle est pilotée par qui et avec quels partenaires ? »:
                # the fiche the first part was answered from is the one the second asks about
                pq = understand(pq.text, [Turn((objective,), (), "field")])
            elif not pq.objectives and objective is not None and asks_membership(own):
                # « la GUP, c qui qui pilote ? et les régies de quartier sont dans le coup ou
                # pas ? »: whether an organisation is in it asks about the fiche just answered
                pq = Question(**{**pq.__dict__, "objectives": (objective,)})
            elif pq.follow_up and not pq.objectives and own != pq.text:
                # no fiche answered the part before: the part is read with the words it
                # inherits (« Pour la fiche sur …, quelles pistes …, et qui pilote ? »)
                pq = understand(own)
            part_frame = make_frame(own)
            if part_frame.lang != frame.lang:
                # a part is answered in the question's language: « which Sport dans la ville
                # programme … » alone reads as French, the question it is part of is English
                part_frame, pq = replace(part_frame, lang=frame.lang), replace(pq, lang=frame.lang)
            self._request.frame = part_frame
            self._request.support, self._request.near_miss = 1.0, False
            text, _, obj, _ = self._dispatch(pq, cites)
            if text is None:
                text = (
                    f"Pour « {own.strip(' ?')} » : {REFUSAL['fr'][0].lower()}{REFUSAL['fr'][1:]}"
                    if frame.lang == "fr"
                    else f"For “{own.strip(' ?')}”: {REFUSAL['en'][0].lower()}{REFUSAL['en'][1:]}"
                )
            elif not self._request.near_miss:
                answered += 1
                supports.append(self._request.support)
            objective = objective or obj
            # two asks one passage answers: it is quoted once, under the first
            said = {line for t in texts for line in t.split("\n") if line.strip()}
            kept = "\n".join(
                line for line in text.split("\n") if not line.strip() or line not in said
            ).strip()
            if kept:
                texts.append(kept)
        self._request.frame = frame
        self._request.support = max(supports, default=0.0)
        self._request.near_miss = False
        return ("\n\n".join(texts) if answered else None), "compound", objective, ()

    def _place_parts(
        self, q: Question, frame: Frame, turns: Sequence[Turn]
    ) -> list[tuple[str, Question]] | None:
        """« C'est quoi les quartiers en veille active chez nous, et qu'est-ce qui y a été
        financé en 2018 ? »: a part that asks the place records, beside one that does not, goes
        its own way (read whole, the question is one fact and the records are lost)."""
        split = part_questions(frame, turns, force=True)
        if not split or self._places(q, frame, CitationList()) is not None:
            return None  # the records answer the whole question (one type per part, a named place)
        asks = [
            _asks_places(pq, pf) and places_asked(pf.ask, self.places, pf.context) is not None
            for own, pq in split
            for pf in [make_frame(own)]
        ]
        return split if any(asks) and not all(asks) else None

    def _priors(self, frame: Frame) -> Priors | None:
        """What the router reads from how the question is asked (None without a router); the
        question's vector is the one the candidates use (computed once)."""
        if self.router is None:
            return None
        return self.router.priors(self.retriever.embed_queries([frame.text])[0])

    def _finder_fallback(
        self, q: Question, frame: Frame, cites: CitationList, refused: tuple[None, str, int | None]
    ) -> tuple[str | None, str, int | None]:
        """No passage answers « ya quoi pour lui dans le contrat de ville ? », but the router
        reads a need to place in the plan: the objectives that fit, rather than a refusal."""
        priors = self._request.priors
        if self.router is None or priors is None or q.objectives or frame.asks_values:
            return refused
        # the likelier reading wins: a need to place in the plan, or a question the documents do not answer
        if priors.finder < self.router.fallback or priors.finder < priors.unanswerable:
            return refused
        ranked = self.find_objectives(Question(**{**q.__dict__, "text": frame.text}))
        if not ranked:
            return refused
        return self.fiches.finder(q, ranked, cites), "finder", ranked[0][0].number

    def _unread_objective(self, missing: Sequence[int], lang: str, cites: CitationList) -> str | None:
        """An objective the documents head (« Objectif 8 - … ») but whose fiche was not parsed
        is not said not to exist: say it could not be read, and show where it is."""
        for n in missing:
            heading = re.compile(rf"^\s*Objectif\s+{n}\b", re.M | re.I)
            chunk = next((c for c in self.index.chunks if heading.search(c.text)), None)
            if chunk is None:
                continue
            m = heading.search(chunk.text)
            mark = cites.cite(chunk, (m.start(), m.end()) if m else None)
            if lang == "fr":
                return f"L’objectif {n} figure dans les documents, mais sa fiche n’a pas pu être lue : voir {mark}."
            return f"Objective {n} is in the documents, but its fiche could not be read: see {mark}."
        return None

    def find(self, description: str, simple: bool = False) -> Answer:
        """The objective finder on a project description, whatever its wording."""
        t0 = time.perf_counter()
        q = understand(description)
        if q.intent == "empty":
            return Answer(description, EMPTY[q.lang], (), True, "empty", q.lang)
        q = Question(**{**q.__dict__, "intent": "finder"})
        self._request.priors = None
        cites = CitationList()
        ranked = self.find_objectives(q)
        if not ranked:
            return Answer(
                description, REFUSAL[q.lang], (), True, "finder", q.lang, see_also=self._see_also(q)
            )
        text = self._readable(self.fiches.finder(q, ranked, cites), q.lang, simple)
        return Answer(
            description,
            text,
            cites.as_tuple(),
            False,
            "finder",
            q.lang,
            timings_ms={"total_ms": (time.perf_counter() - t0) * 1000},
            objective=ranked[0][0].number,
        )

    def _readable(self, text: str, lang: str, simple: bool) -> str:
        if simple:
            return self.glossary.expand_inline(text, lang)
        footer = self.glossary.footer(text, lang)
        return f"{text}\n\n{footer}" if footer else text

    def _dispatch(
        self, q: Question, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        text, intent, objective, see = self._route(q, cites)
        frame: Frame = getattr(self._request, "frame", None) or make_frame(q.text)
        person = any(p.measure == "person" for p in frame.parts)
        if text is not None and intent.startswith("field") and person and not _PERSON.search(text):
            # « c'est qui la personne référente pour la GUP ? son nom »: the fiches name the
            # structures that lead, not people; say so, then give the structures
            self._request.near_miss = True
            lead = (
                "Les documents ne nomment pas de personne ; ils donnent les structures :"
                if q.lang == "fr"
                else "The documents name no person, only the organisations:"
            )
            text = f"{lead}\n{text}"
        return text, intent, objective, see

    def _route(
        self, q: Question, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        """A structured answer (fiche fields, axes, objectives, finder) when the question names
        the plan's structure; otherwise the best ranked passage unit, unless it is weak and a
        structured reading of the question has something to say."""
        frame: Frame = getattr(self._request, "frame", None) or make_frame(q.text)
        # « what is the DIRED? my son's school keeps mentioning it »: each question, up to its "?"
        # (the ask as written too: « c koi la GUP ? on en parle au conseil citoyen » reads the
        # preamble into the part's words, and a definition is asked from the ask's first word)
        texts = dict.fromkeys(t for p in frame.parts for t in (p.own, p.text) if t)
        clauses = [c for t in texts for c in t.split("?") if c.strip()]
        acronym = next((a for a in map(self._defined_acronym, clauses) if a), None) or self._acronym_referred(
            frame
        )
        if acronym:
            return self.definition(q, acronym, cites)
        defined = self._defined_terms(frame, cites)
        if defined is not None:
            return defined
        member = (
            self._membership(q, frame, cites)
            or self._mentions(q, frame, cites)
            or self._places(q, frame, cites)
            or self._commune_of(q, frame, cites)
            or self._no_places_in(q, frame, cites)
        )
        if member is not None:
            return member
        priors = getattr(self._request, "priors", None)
        wants = {p.wants for p in frame.parts}
        routed = (
            self.router is not None
            and priors is not None
            and priors.finder >= self.router.route
            and not frame.asks_values
            # « What are the conseils citoyens for, and under which law? »: a definition or a
            # figure is asked, whoever asks it (as for the frame's own finder words)
            and ("objective" in wants or not wants & {"number", "definition"})
        )
        if (
            q.intent in ("finder", "fact")
            and (("objective" in wants and not frame.compound) or routed)
            and not q.objectives
        ):
            # « c'est dans quel objectif ? », « which objective fits? »: every action of the plan
            # is scored against the question, and the objectives whose actions fit best answer
            ranked = self.find_objectives(Question(**{**q.__dict__, "text": frame.text}))
            if ranked:
                return self.fiches.finder(q, ranked, cites), "finder", ranked[0][0].number, ()
        if q.intent == "fact" or self._explicit(q, frame):
            structured = self._structured(q, cites) if q.intent != "fact" else None
            if structured is not None:
                return structured
            return self.fact(q, cites)
        # implicit: "qui s'occupe de la tranquillité", "quels axes", a yes/no on partners…
        trial = cites.draft()
        text, intent, objective, see = self.fact(q, trial)
        kept = text is not None and self._request.support >= self.ranker.threshold
        # « quels partenaires pour la GUP ? »: the passages that answer best are fiche N's, so its
        # field is what is asked; « qui contacter pour la tranquillité la nuit ? »: who to turn to
        # is the pilots of the fiche the topic names, when the passage that answers is no fiche's
        # (a report's paragraph names no one to call). The passage follows, for what the field lacks
        fiche = None
        if kept and q.intent == "field":
            fiche = self.fiches.by_number.get(objective) if objective is not None else None
            fiche = fiche or self._contact_fiche(q, frame)
        if fiche is not None:
            field_text = self.fiches.fields(q, fiche, cites)
            text, *_ = self.fact(q, cites)  # again, on the answer's list: markers in reading order
            return f"{field_text}\n\n{text}", "field:" + "+".join(q.fields), fiche.number, see
        if kept:
            # a passage the ranker keeps answers before a fiche guessed from the topic: « sur le
            # site, les actions tournent autour de quels thèmes ? » is the web page's list, not
            # objective 18's actions. (A second, higher bar fitted for this — top-1 right 80 % of
            # the time — turned 8 answers of the gold sets wrong, 3 of them on tune halves, and
            # none right: the structured reading was only ever better below the threshold.)
            cites.adopt(trial)
            return text, intent, objective, see
        if text is None and all(p.measure in NOT_IN_FIELDS for p in frame.parts):
            # « à quelle date est prévue la signature de la charte ? »: no fiche field holds a
            # date, a time, a contact or a figure, so a fiche's pilots or actions answer nothing
            return None, intent, None, ()
        structured = self._structured(q, cites)
        if structured is not None:
            return structured
        if text is not None:
            cites.adopt(trial)
        return text, intent, objective, see

    def _contact_fiche(self, q: Question, frame: Frame) -> Fiche | None:
        """The fiche whose pilots answer « who do I turn to about … ? »: asked with a verb of
        contact (not « the project led by … »), about a topic a fiche's passages rank first for."""
        if set(q.fields) != {PILOTS}:
            return None
        if not _WHO_TO_CONTACT.search(re.sub(r"[-'’]", " ", fold(frame.ask))):
            return None
        return self.resolve_topic(q)

    def _defined_terms(
        self, frame: Frame, cites: CitationList
    ) -> tuple[str, str, int | None, tuple[Citation, ...]] | None:
        """« ça veut dire quoi, taux de pauvreté ? », « how are the revenu médian and the taux
        de pauvreté defined? »: the documents' own definition of each term the ask names (a
        note under a table, « Illectronisme : est … »), cited where it is written."""
        if not any(p.wants == "definition" for p in frame.parts):
            return None
        asked = set(analyze(frame.ask))
        named: list[Definition] = []
        for d in sorted(self.definitions, key=lambda d: -len(d.term)):
            words = set(analyze(d.term))
            # named when all its words are asked, or all but one of three or more (« le revenu
            # médian » names « Revenu médian mensuel »)
            enough = len(words & asked) >= max(1, len(words) - (len(words) >= 3))
            if words and enough and not any(words <= set(analyze(n.term)) for n in named):
                named.append(d)
        if not named:
            return None
        lead = "D’après" if frame.lang == "fr" else "According to"
        lines = []
        for d in sorted(named, key=lambda d: fold(frame.ask).find(fold(d.term.split()[0]))):
            chunk = self.index.by_id.get(d.chunk_id)
            if chunk is None:
                continue
            where = self.titles.get(chunk.source, chunk.source)
            lines.append(f"{lead} {where} : {quote(define(d), frame.lang)} {cites.cite(chunk, d.span)}")
        if not lines:
            return None
        return "\n".join(lines), "definition", None, ()

    def _membership(
        self, q: Question, frame: Frame, cites: CitationList
    ) -> tuple[str, str, int, tuple[Citation, ...]] | None:
        """« est-ce que l'AFEV fait partie de la fiche sur les parents ? »: a yes or no read
        from the fiche's lists, when the question names a fiche and organisations it may list."""
        if not (asks_membership(frame.ask) or any(p.wants == "yesno" for p in frame.parts)):
            return None
        if not (q.objectives or _NAMES_A_FICHE.search(fold(frame.ask))):
            return None
        fiches = list(self.fiches.by_number.values())
        # an organisation the preamble names is asked about when the ask speaks of the asker or
        # asks membership (« On travaille avec l'AFEV. Est-ce qu'on figure … ? »), not when a
        # yes/no on something else follows the scene it sets (« We mentor pupils in REP+
        # schools. Does the plan say anything about mentoring? »)
        about_asker = first_person(frame.ask, frame.lang) or asks_membership(frame.ask)
        said = frame.text if about_asker or not frame.context else frame.ask
        names = named_organisations(said, fiches)
        # an organisation no fiche writes anywhere (« On travaille à la Croix-Rouge. Est-ce
        # qu'on fait partie des partenaires … ? »): « non », and the list, as a near miss
        yesno = any(p.wants == "yesno" for p in frame.parts)  # not « who are the partners (COVID) »
        unlisted = [] if names or not yesno else unlisted_organisations(said, fiches, self._place_names())
        names = names or unlisted
        if not names:
            return None
        fiche = self.fiches.by_number.get(q.objectives[0]) if q.objectives else self._topic_fiche(q, names)
        if fiche is None:
            return None
        # « … (obj 10) : qui pilote, et est-ce que Polymatheia est dans les partenaires ? »: the
        # other parts' fields of that fiche first, in the order asked
        fields = tuple(
            dict.fromkeys(
                f
                for p in frame.parts
                if p.wants != "yesno" and not asks_membership(p.own)
                for f in detect_fields(p.own)
                if f != PARTNERS
            )
        )
        before = (
            self.fiches.fields(Question(**{**q.__dict__, "fields": fields}), fiche, cites) if fields else ""
        )
        found = memberships(names, fiche, fiches)
        if unlisted:
            self._request.near_miss = True
        answer = self.fiches.membership(q, fiche, found, cites, shown=fields)
        return (f"{before}\n\n{answer}" if before else answer), "field:membership", fiche.number, ()

    def _place_names(self) -> list[str]:
        return [n for p in self.places for n in (p.name, p.commune)]

    def _mentions(
        self, q: Question, frame: Frame, cites: CitationList
    ) -> tuple[str, str, int | None, tuple[Citation, ...]] | None:
        """« We're at the Pôle de Santé: in which objectives are we mentioned? »: every fiche
        that names it (lists and actions), read from the fiches, not from a ranked passage."""
        if q.objectives or not asks_where(frame.text):
            return None
        fiches = list(self.fiches.by_number.values())
        names = named_in_fiches(frame.text, fiches, self.candidates.proper, ask=frame.ask, terms=not q.fields)
        if first_person(frame.text, frame.lang):
            # « On fait de l'aide aux devoirs au Biollay. Quels objectifs pour nous ? »: where
            # the project happens is no name to look for; the finder places the project
            places = {w for n in self._place_names() for w in raw_tokens(n)}
            names = [n for n in names if not set(raw_tokens(n)) <= places]
        # the first name some fiche mentions
        name, where = next(((n, m) for n in names if (m := mentions(n, fiches))), ("", []))
        if not where:
            return None
        named = self._fiche_about(q, frame, name)
        if named is not None:
            # « Dans la fiche sur le soutien aux acteurs de terrain, comment apparaît la CAF ? »:
            # the fiche the question names is the one it asks about; its fields, when asked
            # (« … et qui sont les autres partenaires ? »), are read from it
            where = [m for m in where if m.fiche.number == named.number]
            if not where or q.fields:
                return None
        # a word or phrase as the question writes it (« Scarabée », « service civique »), not folded
        name = as_written(name, frame.text)
        text = self.fiches.mentions(q, name, where, cites)
        return text, "mentions", where[0].fiche.number if len(where) == 1 else None, ()

    def _fiche_about(self, q: Question, frame: Frame, name: str) -> Fiche | None:
        """The fiche a question names by what it is about (« la fiche sur le soutien aux
        acteurs de terrain », « the fiche on digital access »); None when it names no fiche so."""
        return self._topic_fiche(q, [name]) if _FICHE_ON.search(fold(frame.ask)) else None

    def _topic_fiche(self, q: Question, names: Sequence[str]) -> Fiche | None:
        """The fiche the question's topic names, without the organisations' own words (they
        would vote for whichever fiche lists them, which is what is asked)."""
        drop = set(analyze(" ".join(names)))
        topic = " ".join(w for w in q.topic.split() if not set(analyze(w)) & drop)
        return self.resolve_topic(replace(q, topic=topic)) if topic else None

    def _places(
        self, q: Question, frame: Frame, cites: CitationList
    ) -> tuple[str, str, None, tuple[Citation, ...]] | None:
        """« quels quartiers de Chambéry sont en veille active ? »: the place records of that
        commune and type, whole, cited where the documents list them."""
        if not _asks_places(q, frame):
            return None
        asked = places_asked(frame.ask, self.places, frame.context)
        asks = [asked] if asked is not None else []
        if asked is None and len(frame.parts) > 1:
            # « c koi les quartiers en veille active ? et les quartiers prioritaires c lesquels ? »:
            # one type per part, the communes named by the part or else by the whole ask
            each = [places_asked(p.own, self.places, f"{frame.ask} {frame.context}") for p in frame.parts]
            asks = [a for a in each if a is not None] if all(each) else []
        if not asks:
            return None
        by_id = self.index.by_id
        lines: list[str] = []
        quoted: list[Place] = []
        for kind, commune in ((k, c) for k, communes in asks for c in communes):
            found = [p for p in self.places if p.kind == kind and p.commune == commune]
            marks = "".join(
                dict.fromkeys(cites.cite(by_id[p.chunk_id], p.span) for p in found if p.chunk_id in by_id)
            )
            names = list(dict.fromkeys(p.name for p in found))
            if frame.lang == "fr":
                lines.append(f"{statement(kind, commune, names)} {marks}.")
            else:
                label = _KIND_EN[kind].many
                lines.append(f"{label[0].upper()}{label[1:]} in {commune}: {', '.join(names)} {marks}.")
            if not any((q.chunk_id, q.span) == (found[0].chunk_id, found[0].span) for q in quoted):
                quoted.append(found[0])
        # a neighbourhood the question names that is not among them (« mon cousin dit que
        # chantemerle en fait partie c vrai ? »): what the records say it is
        kinds = {k for k, _ in asks}
        for place in named_places(f"{frame.context} {frame.ask}", self.places):
            if place.kind in kinds or place.chunk_id not in by_id:
                continue
            mark = cites.cite(by_id[place.chunk_id], place.span)
            name = bare_name(place.name)
            if frame.lang == "fr":
                lines.append(f"{name} n'en fait pas partie : c'est un {place.kind} ({place.commune}) {mark}.")
            else:
                lines.append(
                    f"{name} is not one of them: it is {_KIND_EN[place.kind].one} ({place.commune}) {mark}."
                )
            if not any((q.chunk_id, q.span) == (place.chunk_id, place.span) for q in quoted):
                quoted.append(place)
        text = "\n".join(lines)
        # the documents' own sentence after the records, as they write the names
        text += "".join(self._place_quote(place, frame.lang, cites) for place in quoted)
        return text, "places", None, ()

    def _no_places_in(
        self, q: Question, frame: Frame, cites: CitationList
    ) -> tuple[str, str, None, tuple[Citation, ...]] | None:
        """« Quels sont les quartiers politique de la ville d'Aix-les-Bains ? »: a commune the
        place records do not know. The documents list no neighbourhood there; say so (refused),
        with the communes they do list, cited where they list them."""
        # « Nous intervenons aussi à Aix-les-Bains, dans le quartier de Marlioz. Est-ce que ce
        # quartier peut bénéficier des actions … ? »: whether a place is in asks it too
        yesno = frame.wants == "yesno" and not q.objectives
        if not (_asks_places(q, frame) or yesno):
            return None
        name = unknown_commune(
            f"{frame.context} {frame.ask}" if yesno else frame.ask, self.places, self.lower_words
        )
        if name is None:
            return None
        communes = ", ".join(sorted({p.commune for p in self.places}, key=fold))
        if frame.lang == "fr":
            text = (
                f"Les documents ne nomment aucun quartier de la politique de la ville à {name}. "
                f"Ils en nomment à : {communes}."
            )
        else:
            text = f"The documents name no politique de la ville neighbourhood in {name}. They name some in: {communes}."
        firsts = {p.kind: p for p in reversed(self.places)}
        text += "".join(self._place_quote(p, frame.lang, cites) for p in firsts.values())
        self._request.near_miss = True
        return text, "places", None, ()

    def _place_quote(self, place: Place, lang: str, cites: CitationList) -> str:
        """The sentence a place record was read from, quoted and cited on a line of its own
        ("" when its passage is not in the index)."""
        chunk = self.index.by_id.get(place.chunk_id)
        if chunk is None:
            return ""
        title = self.titles.get(chunk.source, chunk.source)
        said = chunk.text[place.span[0] : place.span[1]].strip()
        lead = f"D’après {title} :" if lang == "fr" else f"According to {title}:"
        return f"\n{lead} {quote(said, lang)} {cites.cite(chunk, place.span)}"

    def _commune_of(
        self, q: Question, frame: Frame, cites: CitationList
    ) -> tuple[str, str, None, tuple[Citation, ...]] | None:
        """« espinier c'est dans quelle commune ? », « which town is the Epinettes
        neighbourhood in? »: the commune of each neighbourhood the ask names, from the place
        records (a name two communes share is in both), cited where the documents list it."""
        if q.objectives or q.fields or len(frame.parts) != 1 or not _WHERE.search(fold(frame.ask)):
            return None
        asked = f" {' '.join(raw_tokens(frame.ask))} "
        # « pour partie des Epinettes » (La Ravoire) is the Epinettes, in part
        found = [
            p
            for p in self.places
            if f" {' '.join(raw_tokens(bare_name(p.name)))} " in asked
            # « Chambéry » names a commune, « Hauts-de-Chambéry » is asked as a place
            and " ".join(raw_tokens(p.name)) != " ".join(raw_tokens(p.commune))
        ]
        if not found:
            return None
        by_id = self.index.by_id
        lines = []
        for p in found:
            chunk = by_id.get(p.chunk_id)
            mark = cites.cite(chunk, p.span) if chunk is not None else ""
            name = bare_name(p.name)
            part = "" if name == p.name else (" (pour partie)" if frame.lang == "fr" else " (in part)")
            lines.append(
                f"{name}{part} : {p.kind} de {p.commune} {mark}."
                if frame.lang == "fr"
                else f"{name}{part}: {_KIND_EN[p.kind].one} in {p.commune} {mark}."
            )
        text = "\n".join(dict.fromkeys(lines)) + self._place_quote(found[0], frame.lang, cites)
        return text, "places", None, ()

    @staticmethod
    def _explicit(q: Question, frame: Frame) -> bool:
        """Does the question name the plan's structure (an objective, a fiche, the axes of the
        plan), or describe a project to place in it (no question at all)?"""
        if q.objectives or q.intent in ("org", "list_objectives"):
            return True  # who pilots what, the list of objectives: the plan's records say it
        if q.intent != "fact" and set(q.topic.split()) <= _STRUCTURE_WORDS:
            return True  # « quels sont les 5 axes ? »: nothing asked but the plan's structure
        folded = re.sub(r"[-'’]", " ", fold(frame.ask))
        # one fiche or objective named ("la fiche sur les parents", "the digital objective"),
        # not "tous objectifs confondus"
        if re.search(
            r"\bfiche\b|\b(l|un|une|cet|cette|quel|quelle|the|which|this|an?|that) (objectif|objective)\b"
            r"|\bobjective?s? \d|\baxes? (strategiques?|du plan|du contrat)\b"
            r"|\bstrategic ax[ei]s\b|\bax[ei]s of the (?:plan|action plan|contract)\b",
            folded,
        ):
            return True
        return q.intent == "finder" and frame.wants == "other" and not has_cue(frame.ask)

    def _others_axes(self, q: Question) -> bool:
        """« les 4 axes du plan communal de prévention des addictions »: the axes of something
        the question names and a passage names beside its axes, not the plan's own."""
        words = {st for w in q.topic.split() if w not in _AXES_OWN and not w.isdigit() for st in analyze(w)}
        return len(words) >= 2 and any(len(words & p) >= 2 for p in self._axes_passages)

    def _structured(
        self, q: Question, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]] | None:
        fa = self.fiches
        if q.intent == "list_axes" and self._others_axes(q):
            return None  # a passage answers, not the plan's structure
        if q.intent == "list_axes":
            return fa.list_axes(q, cites) or None, "list_axes", None, ()
        if q.intent == "list_objectives":
            return fa.list_objectives(q, cites) or None, "list_objectives", None, ()
        if q.intent == "org":
            text = fa.organisation(q, cites)
            if text:
                return text, "org", None, ()
        if q.intent == "finder":
            ranked = self.find_objectives(q)
            if ranked:
                return fa.finder(q, ranked, cites), "finder", ranked[0][0].number, ()
        if q.intent in ("field", "summary", "org"):
            numbers = [n for n in q.objectives if n in fa.by_number]
            if q.objectives and not numbers:
                return None, "field", None, ()  # "objectif 42" in a plan of 19
            if not numbers and q.topic:
                best = self.resolve_topic(q)
                numbers = [best.number] if best else []
            if numbers:
                parts = [
                    fa.fields(q, fa.by_number[n], cites)
                    if q.fields
                    else fa.summary(q, fa.by_number[n], cites)
                    for n in numbers
                ]
                intent = "field:" + "+".join(q.fields) if q.fields else "summary"
                line = self._focus_line(q, numbers[-1], "\n".join(parts), cites) if q.fields else None
                return "\n\n".join([*parts, *([line] if line else [])]), intent, numbers[-1], ()
        return None

    def _focus_line(self, q: Question, number: int, given: str, cites: CitationList) -> str | None:
        """« La fiche culture et sport cite quelles structures culturelles pour les partenariats
        à poursuivre ? »: a field is named, and so is what the field alone does not say
        (« structures culturelles »); the fiche's line that names it all, when the ranker keeps
        it, follows the field (« Poursuivre les partenariats avec les structures culturelles :
        MJC, Malraux, … »)."""
        frame: Frame = getattr(self._request, "frame", None) or make_frame(q.text)
        focus = " ".join(p.focus for p in frame.parts if p.focus)
        if frame.lang != "fr":
            focus = translate_for_lexical(focus)
        stems = {
            st
            for w in raw_tokens(focus)
            if w not in FIELD_VOCAB and w not in _ACTION_STATUS
            for st in analyze(w)
        }
        if not stems:
            return None
        for c in sorted(self.rank(frame), key=lambda c: -c.score):
            if c.score < self.ranker.threshold:
                return None
            unit = c.unit
            if (
                unit.chunk.objective == number
                and not unit.is_record
                and unit.kind != "heading"
                and stems <= set(analyze(unit.text))
            ):
                if unit.text.split(":", 1)[0].strip().lower() in _FIELD_LABELS or squash(unit.text) in squash(
                    given
                ):
                    return None  # the field's own line, or a line the field answer gives already
                return compose(frame, Selection((unit,), c.score), cites, self.titles, self.idf, quote)
        return None

    def _acronym_referred(self, frame: Frame) -> str | None:
        """« The report keeps citing the CDOS. What is it? », « le PLIE c'est quoi ? »: a
        definition asked of a pronoun takes the last acronym the question names (one the
        documents or the glossary define)."""
        ask = re.sub(r"[-'’]", " ", fold(frame.ask)).strip(" ?!.")
        if not _PRONOUN_DEFINITION.search(ask):
            return None
        named = self.glossary.acronyms_in(frame.text)
        return named[-1] if named else None

    def _defined_acronym(self, text: str) -> str | None:
        """'qu'est-ce qu'un QVA ?', 'que veut dire PLIE', 'what is the GUP?' -> the acronym."""
        m = _DEFINITION.match(re.sub(r"[-'’]", " ", fold(text)).strip())
        if not m:
            return None
        word = m.group(1).upper()
        return word if self.glossary.get(word) else None

    def definition(
        self, q: Question, acronym: str, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        """The expansion from the glossary, then the passage of the documents that says most about it."""
        expansion = self.glossary.get(acronym) or ""
        head = f"{acronym} : {expansion}." if q.lang == "fr" else f"{acronym}: {expansion}."
        said = self._defining_sentence(acronym)
        if said is not None:
            # the documents' own definition (« Le DIRED, dispositif …, est un programme … »)
            mark = cites.cite(said.chunk, (said.start, said.end))
            where = self.titles.get(said.chunk.source, said.chunk.source)
            lead = "D’après" if q.lang == "fr" else "According to"
            return (
                f"{head}\n{lead} {where} : {quote(said.text.strip(), q.lang)} {mark}",
                "definition",
                None,
                (),
            )
        text, _, objective, _ = self.fact(q, cites)
        if text:
            return f"{head}\n{text}", "definition", objective, ()
        hits = self.retriever.search(f"{acronym} {expansion}", k=5)
        mention = next((h for h in hits if re.search(rf"\b{re.escape(acronym)}\b", h.chunk.text)), None)
        if mention:
            i = mention.chunk.text.find(acronym)
            head += " " + cites.cite(mention.chunk, (i, i + len(acronym)))
        return head, "definition", None, ()

    def _defining_sentence(self, acronym: str) -> AnswerUnit | None:
        """A sentence of the documents that defines the acronym: the acronym, then within a
        few words « est / sont / désigne / consiste / a pour objectif »."""
        pattern = re.compile(
            rf"\b{re.escape(acronym)}\b[^.;:]{{0,90}}?\b(est un|est une|est le|est la|sont des|désigne|consiste|a pour objectif)\b"
        )
        found = [u for u in self.units.units if not u.is_record and pattern.search(u.text)]
        return min(found, key=lambda u: len(u.text)) if found else None

    # --- objectives by topic or project ---------------------------------------------------

    def expand(self, text: str, lang: str) -> str:
        """Acronyms typed by users get their expansion ("gup" -> gestion urbaine de proximité)."""
        extra = []
        for w in re.findall(r"[A-Za-z][A-Za-z0-9+]{1,9}", text):
            exp = self.glossary.get(w.upper())
            if exp and (w.isupper() or len(w) >= 3):
                extra.append(exp)
        if lang == "en":
            extra.append(translate_for_lexical(text))
        return f"{text} {' '.join(extra)}".strip()

    def objective_scores(self, text: str, lang: str, k: int = 15) -> dict[int, float]:
        expanded = self.expand(text, lang)
        hits = self.retriever.search(expanded, k=k, filters=Filters(chunk_types=FICHE_TYPES))
        scores: dict[int, list[float]] = {}
        for h in hits:
            if h.chunk.objective in self.fiches.by_number:
                scores.setdefault(h.chunk.objective, []).append(h.score)
        terms = set(analyze(expanded))
        out: dict[int, float] = {}
        for n, s in scores.items():
            s.sort(reverse=True)
            f = self.fiches.by_number[n]
            title_terms = set(analyze(f"{f.title} {f.sub_theme or ''}"))
            overlap = sum(self.idf.get(t, 0) for t in terms & title_terms) / max(
                1e-9, sum(self.idf.get(t, self.max_idf) for t in terms)
            )
            out[n] = s[0] + 0.5 * sum(s[1:3]) / 2 + 0.03 * overlap
        return out

    def resolve_topic(self, q: Question) -> Fiche | None:
        """The fiche a question's topic names (« la fiche sur les parents »), or None when no
        fiche's passages rank near the top for it (« what themes do the actions cover? » names
        none: a fiche's fields would answer another question)."""
        # typos corrected first (« tranquilite » → « tranquillité »): the topic's words are
        # matched to the fiches' titles as written, and embedded as corrected
        lexical = self.candidates.retriever.index.lexical
        topic = " ".join(lexical.correct(w) for w in q.topic.split()) if q.lang == "fr" else q.topic
        scores = self.objective_scores(topic, q.lang)
        if not scores:
            return None
        best = max(scores, key=lambda n: scores[n])
        return self.fiches.by_number[best] if scores[best] >= MIN_TOPIC else None

    def objective_fit_scores(self, text: str, lang: str) -> list[ObjectiveFitScore]:
        """Every objective scored against a project description (objective_fit.py): the
        closest action's meaning and the whole fiche's words, as a calibrated probability."""
        vector = self.retriever.embed_queries([text])[0]
        return self.objective_scorer.score(
            vector, self.expand(text, lang), self.finder_model, spell=lang == "fr"
        )

    def find_objectives(self, q: Question, most: int = 3) -> list[tuple[Fiche, list[int], bool]]:
        """The objectives to point a project to (those likely enough, at most `most`, the best
        always), each with its three closest actions and whether it fits well."""
        scores = self.objective_fit_scores(q.text, q.lang)
        return [
            (
                self.fiches.by_number[s.number],
                list(s.actions[:SHOWN_ACTIONS]),
                self.finder_model.strength(s.probability) == "strong",
            )
            for s in shown(scores, self.finder_model, most)
        ]

    # --- facts and figures ------------------------------------------------------------

    def fact(
        self, q: Question, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        """Candidates (units of the passages retrieved for the ask and its parts) ranked by the
        fitted model; refused below its threshold; composed answer-first with quotes."""
        frame: Frame = getattr(self._request, "frame", None) or make_frame(q.text)
        scored = self.rank(frame)
        if frame.asks_values and all(measure_lacks(frame.parts[c.part].measure, c.unit) for c in scored):
            # « à quelle heure ouvre … ? », « son numéro ? », « qui est le maire ? »: no passage
            # holds a time, a contact or a person's name, so none can answer, however close
            return None, "fact", None, ()
        priors = getattr(self._request, "priors", None)
        self._request.support = self.ranker.answerability(
            scored, frame.lang, priors.unanswerable if priors else 0.0
        )
        selection = select(frame, scored, self.units)
        if selection is None:
            return None, "fact", None, ()
        names = self._asked_names(frame)
        changed = self._changed(frame)
        if (
            self._request.support < self.ranker.threshold
            and not sums_rows(frame, selection, self.units)
            and not named_grid(frame, scored, self.units, names)
            and not (changed and any(_figures(changed[1], c.unit)[1:] for c in scored))
        ):
            # a total over rows the question names, or cells it names by row and column, are
            # read from the table's structure, not from how well one row alone answers; a
            # before-and-after ask, from a passage that gives two numbers of what it counts
            return None, "fact", None, ()
        selection = with_table_rows(
            frame, with_list_headings(selection, self.units), self.units, lambda t: self.expand(t, "fr")
        )
        selection = with_grid(frame, selection, scored, self.units, names)
        counted = self._counted_stem(frame)
        selection = _with_count(counted, selection, scored)
        for p, part_counted in self._part_counts(frame):
            # each count part of a compound ask, as a single count ask (« combien d'habitants
            # … et ça fait quelle part de Chambéry ? »), its unit where the part is asked
            selection = _with_count(part_counted, selection, [c for c in scored if c.part == p], part=p)
        selection = _with_change(changed, selection, scored)
        # the French counted noun follows « combien de »; an English one may be a modifier
        selection = disagreeing(
            frame, selection, scored, counted[1] if counted and frame.lang == "fr" else ""
        )
        selection = with_every_name(selection, scored, (*names, *self._asked_organisations(frame)))
        selection = with_each_item(frame, selection, self.units)
        selection = _with_year(frame, selection, scored, self.idf)
        near = (
            self._other_year(frame, selection, cites)
            or self._other_place(frame, selection, cites)
            or self._unavailable(frame, selection, cites)
            or self._rate_not_given(frame, selection, cites)
            or self._only_approximate(frame, selection, cites)
            or self._other_tax_basis(frame, selection, cites)
            or _count_not_given(counted, frame, selection, cites)
        )
        if near is not None:
            self._request.near_miss = True
            return near, "fact", None, ()
        lead = self._objective_lead(frame, scored, cites)
        text = compose(frame, selection, cites, self.titles, self.idf, quote)
        if lead:
            text = f"{lead}\n{text}"
        return text, "fact", selection.units[0].chunk.objective, ()

    def _asked_names(self, frame: Frame) -> tuple[str, ...]:
        """The places and organisations the ask names: the corpus's proper names, and the
        neighbourhoods and communes of the place records (« Saint-Baldoph » is written once)."""
        asked = " ".join(raw_tokens(frame.ask))
        places = [
            w
            for p in self.places
            for name in (p.name, p.commune)
            if re.search(rf"\b{re.escape(' '.join(raw_tokens(name)))}\b", asked)
            for w in raw_tokens(name)
            if len(w) > 3
        ]
        return tuple(dict.fromkeys([*self.candidates.terms(frame.ask, frame.lang).names, *places]))

    def _asked_organisations(self, frame: Frame) -> tuple[str, ...]:
        """The fiches' organisations of several words the ask names (« la ville de Chambéry met
        combien … ? »): each of their words alone may name something else (« Chambéry » is in
        « Hauts-de-Chambéry »), so the answer must have them together."""
        asked = f" {' '.join(raw_tokens(frame.ask))} "
        return tuple(o for o in self.organisations if f" {o} " in asked)

    def _other_year(self, frame: Frame, selection: Selection, cites: CitationList) -> str | None:
        """The question names a year the answering unit does not have (in itself, the sentence
        before it or its headings), but they give other years: say what they give instead of
        answering for the wrong year. The unit, not its passage: « 1 400 participants au
        Forum emploi » under « Depuis 2015 » is no 2017 figure because a sentence beside it
        says « 402 en 2017 »."""
        # « depuis 2015 », « since 2015 », « entre 2015 et 2018 »: a period, which a figure of
        # any year in it (or a cumulative one) answers, not a year the figure must name
        if not _dated_years(frame):
            return None
        best = selection.units[0]
        text = f"{best.chunk.context} {best.with_context}"
        asked = ", ".join(frame.years)
        if _ONLY_YEAR.search(fold(frame.ask)):
            # « en 2018 uniquement », « in 2018 only »: the figure must be dated by its own
            # text or section, not by the title of the report it is in
            sections = best.chunk.context.split(" › ", 1)[1:]
            if not any(y in f"{' '.join(sections)} {best.with_context}" for y in frame.years):
                return _near_miss(
                    frame.lang,
                    best,
                    cites,
                    f"Les documents ne disent pas si ce chiffre porte sur {asked} seulement :",
                    f"The documents do not say whether this figure is for {asked} only:",
                )
        if any(y in text for y in frame.years):
            return None
        given = sorted(set(YEAR.findall(text)) - set(frame.years))
        if not given:
            return None
        other = ", ".join(given)
        return _near_miss(
            frame.lang,
            best,
            cites,
            f"Les documents ne donnent pas cette information pour {asked} ; ils donnent ({other}) :",
            f"The documents do not give this for {asked}; they give ({other}):",
        )

    def _other_place(self, frame: Frame, selection: Selection, cites: CitationList) -> str | None:
        """The ask names a neighbourhood, or a type of neighbourhood, and the answering unit
        (with its headings) names another one instead: what it gives is for another place,
        said as a near miss."""
        best = selection.units[0]
        text = f"{best.chunk.context} {best.with_context}"
        place = other_place(frame.ask, text, self.places)
        found = (
            tuple(f"« {n} »" if frame.lang == "fr" else f"“{n}”" for n in place)
            if place
            else tuple(
                _KIND_FR[k] if frame.lang == "fr" else _KIND_EN[k].the
                for k in other_kind(frame.ask, best.with_context, best.chunk.context) or ()
            )
        )
        if not found:
            return None
        asked, given = found
        return _near_miss(
            frame.lang,
            best,
            cites,
            f"Les documents ne donnent pas cette information pour {asked} ; le passage le plus proche porte sur {given} :",
            f"The documents do not give this for {asked}; the closest passage is about {given}:",
        )

    def _unavailable(self, frame: Frame, selection: Selection, cites: CitationList) -> str | None:
        """The row asked has no value in the column asked (« ND »): a near miss, said so."""
        best = selection.units[0]
        cells = unavailable_cells(best, set(analyze(frame.ask)))
        if not cells:
            return None
        label, named = best.text.split(" — ", 1)[0], ", ".join(cells)
        return _near_miss(
            frame.lang,
            best,
            cites,
            f"Le tableau ne donne pas de valeur pour « {label} » ({named} : non disponible) :",
            f"The table gives no value for “{label}” ({named}: not available):",
        )

    def _rate_not_given(self, frame: Frame, selection: Selection, cites: CitationList) -> str | None:
        """A rate asked by name (« taux de chômage », « crime rate ») that no chosen unit gives:
        the closest figures are of something else (a count of job seekers, the poverty rate),
        so say the rate is not given and show what is."""
        word = named_rate(frame.ask)
        if not word:
            return None
        words = [word, *EN_FR.get(word, "").split()]
        if any(rate_shown(words, u.text) for u in selection.units):
            return None
        said = _as_written(word, frame.ask)
        return _near_miss(
            frame.lang,
            selection.units[0],
            cites,
            f"Les documents ne donnent pas de taux pour « {said} » ; le passage le plus proche dit :",
            f"The documents give no {said} rate; the closest passage says:",
        )

    def _counted_stem(self, frame: Frame) -> tuple[str, str] | None:
        """(the word, its corpus stem) of what a single count ask counts (« combien
        d'élèves », « how many flats »), or None: no count asked, the noun belongs to another
        clause (« what mental-health staff …, and how many? »), the documents never use it
        (an English one is read through its French bridge), or it counts anything (« fois »)."""
        found = self._count_asked(frame.parts[0], frame.ask, frame.lang) if len(frame.parts) == 1 else None
        if found is None:
            return None
        counted, stem = found
        word = counted.group(1)
        who = _WHO_VERB.search(counted.string)
        if not stem and who and who.group(1) == word:
            # « combien de gens qui habitent » counts inhabitants: the noun in -ants of the
            # verb (« habit-ent » → habitants, « particip-ent » → participants) names what
            # « gens » does not
            root = analyze(f"{who.group(2)[:-3]}ants")
            word, stem = who.group(2), (root[0] if root and root[0] in self.idf else "")
        return (word, stem) if stem else None

    def _part_counts(self, frame: Frame) -> list[tuple[int, tuple[str, str]]]:
        """(part, (the word, its corpus stem)) for each part of a compound ask that counts a
        noun the documents use (« combien d'habitants … »)."""
        if len(frame.parts) < 2:
            return []
        out = []
        for p, part in enumerate(frame.parts):
            found = self._count_asked(part, part.own, frame.lang)
            if found is not None and found[1]:
                out.append((p, (found[0].group(1), found[1])))
        return out

    def _count_asked(self, part: Part, ask: str, lang: str) -> tuple[re.Match[str], str] | None:
        """The « combien de X » / « how many X » of `ask` when X is what `part` asks about,
        with X's corpus stem ("" when the documents never use it); None when no count is asked."""
        if part.measure != "count" or not part.focus:
            return None
        counted = _counted_in(ask)
        if counted is None or counted.group(1) != part.focus.split()[0]:
            return None
        return counted, self._count_stem(counted.group(1), lang)

    def _count_stem(self, word: str, lang: str) -> str:
        """The corpus stem of a counted noun (an English one through its French bridge), or ""
        when the documents never use it or it counts anything (« fois »)."""
        terms = self.candidates.terms(word, lang).items
        stem = terms[0][0] if terms else ""
        return "" if not stem or stem.startswith("\0") or stem in ANY_COUNT else stem

    def _changed(self, frame: Frame) -> tuple[str, str] | None:
        """(the word as asked, its stem) of what a before-and-after ask counts (« combien de
        logements avant et après »), or None when no change is asked."""
        if not asks_change(frame.ask):
            return None
        counted = _counted_in(frame.ask)
        stem = self._count_stem(counted.group(1), frame.lang) if counted else ""
        return (_as_written(counted.group(1), frame.ask), stem) if counted and stem else None

    def _only_approximate(self, frame: Frame, selection: Selection, cites: CitationList) -> str | None:
        """« combien … précisément ? » when the figure the documents give is rounded (« 2 400
        personnes environ », « près de 850 ») : the exact number is not given, say so."""
        if not frame.parts or frame.parts[0].wants != "number" or not _EXACT.search(fold(frame.ask)):
            return None
        best = selection.units[0]
        if not _ROUNDED.search(fold(best.text)):
            return None
        return _near_miss(
            frame.lang,
            best,
            cites,
            "Les documents ne donnent pas de chiffre exact, seulement un ordre de grandeur :",
            "The documents give no exact figure, only an approximate one:",
        )

    def _other_tax_basis(self, frame: Frame, selection: Selection, cites: CitationList) -> str | None:
        """« ça a coûté combien TTC ? » when the amounts quoted are all before tax (HT), or the
        other way round: the amount on the basis asked is not given, say which one is."""
        asked = fold(frame.ask)
        for want, other, fr, en in _TAX_BASES:
            if not want.search(asked) or other.search(asked):
                continue
            shown = " ".join(fold(u.text) + " " + fold(u.chunk.context) for u in selection.units)
            best = selection.units[0]
            if not want.search(shown) and other.search(fold(f"{best.text} {best.chunk.context}")):
                return _near_miss(frame.lang, best, cites, fr, en)
        return None

    def _objective_lead(self, frame: Frame, scored: Sequence[Candidate], cites: CitationList) -> str | None:
        """« dans quel objectif ? »: the objective of the best unit that belongs to a fiche,
        with its pilots, before the quotes."""
        if not any(p.wants == "objective" for p in frame.parts):
            return None
        in_fiche = sorted(
            (c for c in scored if c.unit.chunk.objective in self.fiches.by_number), key=lambda c: -c.score
        )
        # what a question places in an objective is an action; pilot and partner lines are
        # shared by many topics and would vote for whichever fiche lists a common partner
        top = max(c.score for c in scored)
        actions = [c for c in in_fiche if c.unit.is_bullet and c.unit.chunk.chunk_type == "actions"]
        if actions and actions[0].score >= 0.3 * top:
            in_fiche = actions
        if not in_fiche:
            return None
        # the objective whose units answer best together (its three best), not one lucky line
        votes: dict[int, list[float]] = {}
        for c in in_fiche:
            votes.setdefault(c.unit.chunk.objective, []).append(c.score)  # type: ignore[arg-type]
        number = max(votes, key=lambda n: sum(votes[n][:3]))
        best = next(c for c in in_fiche if c.unit.chunk.objective == number)
        if best.score < 0.3 * max(c.score for c in scored):
            return None  # the passages that answer are not in a fiche
        f = self.fiches.by_number[best.unit.chunk.objective]  # type: ignore[index]
        fr = frame.lang == "fr"
        axis = (
            f" (axe {f.axis})" if fr and f.axis else (f" (axis {f.axis}, « Axe {f.axis} »)" if f.axis else "")
        )
        who = "pilote" if fr else "led by"
        head = (
            f"C’est l’objectif {f.number} {quote(f.title, frame.lang)}{axis}"
            if fr
            else f"It is objective {f.number} (« Objectif {f.number} ») {quote(f.title, frame.lang)}{axis}"
        )
        card = self.fiches._cite_card(f, "title", cites)
        return f"{head}{card} — {who} : {', '.join(f.pilots)}."

    def rank(self, frame: Frame) -> list[Candidate]:
        # a question drafted, then answered, is ranked once (the last frame ranked is kept)
        last = getattr(self._request, "ranked", None)
        if last is not None and last[0] is frame:
            return last[1]
        found = self.candidates.generate(frame)
        probs = self.ranker.probabilities([c.features for c in found.candidates])
        scored = [
            Candidate(c.unit, c.part, c.features, float(p))
            for c, p in zip(found.candidates, probs, strict=True)
        ]
        self._request.ranked = (frame, scored)
        return scored

    def _see_also(self, q: Question) -> tuple[Citation, ...]:
        try:
            hits = self.retriever.search(self.expand(q.text, q.lang), k=3)
        except ValueError:
            return ()
        see = CitationList()
        for h in hits:
            see.cite(h.chunk)
        return see.as_tuple()


# « dans quelle commune », « c'est où », « which town … in »: the commune of a place is asked
_WHERE = re.compile(
    r"\b(?:quelle (?:commune|ville)|dans quel(?:le)? (?:commune|ville|coin)|c est ou|il est ou|elle est ou|"
    r"se trouve|situe|which (?:town|commune|municipality)|where is|where s)\b"
)


@dataclass(frozen=True)
class _KindNames:
    one: str  # « … is a priority neighbourhood (QPV) »
    many: str  # « Priority neighbourhoods (QPV) in Chambéry: … »
    the: str  # a near miss: « … for the priority neighbourhoods (QPV) »


# how an English answer names a type of neighbourhood, one table for every sentence that does
_KIND_EN = {
    "quartier en veille active": _KindNames(
        "a “quartier en veille active” (QVA)",
        "“veille active” neighbourhoods (QVA)",
        "the “veille active” neighbourhoods (QVA)",
    ),
    "quartier prioritaire": _KindNames(
        "a priority neighbourhood (QPV)", "priority neighbourhoods (QPV)", "the priority neighbourhoods (QPV)"
    ),
}
# what an ask about the neighbourhoods themselves is about (its focus), folded
_PLACE_WORDS = frozenset(
    "quartier quartiers qpv qva veille prioritaire prioritaires neighbourhood neighbourhoods "
    "neighborhood neighborhoods areas area town towns commune communes ville lieux secteurs "
    # « which parts of Chambéry are classed … », « the estates », « les zones »
    "parts districts district estates sectors zones endroits".split()
)
_COUNTED = re.compile(r"\b(?:combien (?:de |d )|how many )(\w+)")
# « combien de gens qui habitent … »: a noun that counts anything, then what they do (a
# French verb of the third person plural, whose stem is the counted thing's)
_WHO_VERB = re.compile(r"\bcombien (?:de |d )(\w+) qui (\w{3,}ent)\b")


# who to turn to: a verb of contact or of taking care (« qui contacter », « à qui s'adresser »,
# « qui s'en occupe », « who do I contact », « who deals with »)
_WHO_TO_CONTACT = re.compile(
    r"\b(?:contacter|contact|s adresser|m adresser|nous adresser|joindre|appeler|s occupe|s en occupe|"
    r"in charge of|responsible for|deals? with|handles?)\b"
)
# « la fiche sur …», « l'objectif sur … », « the fiche on … »: a fiche named by its topic
_FICHE_ON = re.compile(
    r"\b(?:fiche|fiches action|objectif|objective|sheet)\s+(?:sur|about|on|de la|du|des|pour|concernant|relative a)\b"
)


def _asks_places(q: Question, frame: Frame) -> bool:
    """Does the question ask which neighbourhoods (a list, no fiche, no field), about the
    neighbourhoods themselves? « What median income does the table give for the
    Biollay-Bellevue QPV … ? » names a type and a commune and asks a figure; « Quels artistes
    ont participé au projet Quartiers nomades de Malraux ? » asks artists."""
    if q.objectives or q.fields or {p.wants for p in frame.parts} - {"list", "other", "definition"}:
        return False
    return not any(p.focus and not set(p.focus.split()) & _PLACE_WORDS for p in frame.parts)


def _counted_in(ask: str) -> re.Match[str] | None:
    """The first « combien de X » / « how many X » of an ask (folded, elisions split)."""
    return _COUNTED.search(fold(ask).replace("'", " ").replace("’", " "))


def _as_written(word: str, question: str) -> str:
    """A folded word of the question as the question writes it (accents kept)."""
    return next((w for w in re.findall(r"\w+", question) if fold(w) == word), word)


def _gives_count(stem: str, unit: AnswerUnit) -> bool:
    """Does the unit give a number of what is counted (or a table cell that is a count)?"""
    return counts(stem, unit.text) or _bare_count(unit)


def _with_count(
    counted: tuple[str, str] | None,
    selection: Selection,
    scored: Sequence[Candidate],
    part: int | None = None,
) -> Selection:
    """When no chosen unit counts what is asked (`counted`: the word and its stem) and a
    candidate not far below the best does (at least NAMED_FLOOR of its probability, the share at
    which a unit is brought for a name the answer lacks), that candidate answers first: « ya
    combien d'habitants en tout dans les quartiers en veille active ? » is the table's row
    (« Population municipale : 8 800 »), not the sentence about 14 % of the agglomeration.
    Under the best unit's own heading any candidate may: the section is right, the sentence
    was not (« 9 848 habitants » sits one passage before the one about jobseekers)."""
    if counted is None or not scored or any(_gives_count(counted[1], u) for u in selection.units):
        return selection
    # the section of the unit that answers: the best one, or for a part (`scored` are then its
    # candidates) the part's best one, whose unit is placed where the part is asked
    whole = part is None
    section = (selection.units[0] if whole else max(scored, key=lambda c: c.score).unit).chunk.context
    cov, named = FEATURES.index("cov_context"), FEATURES.index("cell_named")
    # a count of the same noun about something else is no answer: « combien de membres au
    # conseil citoyen du Biollay ? » is not the 70 members of all the councils at a meeting. A
    # unit that lacks more of the question's names than the best one does is not taken
    names = FEATURES.index("name_missing")
    lacks = max(scored, key=lambda c: c.score).features[names] if scored else 0.0
    return _led_by_best(
        selection,
        scored,
        lambda c: (
            (
                c.score >= NAMED_FLOOR * selection.top
                or c.unit.chunk.context == section
                # a table row the question names by its label: the table's structure says
                # what it counts, however far below the best sentence its probability
                or (whole and c.unit.kind == "row" and c.features[named] >= 0.5)
            )
            and c.features[names] <= lacks
            and _gives_count(counted[1], c.unit)
        ),
        # the candidates that count are close in probability, far below the best: the one
        # with more of the question's words counts what it asks (the row « Quartiers en veille
        # active — Population : 8 800 », not the sentence before the best about the QPV)
        key=lambda c: (round(c.features[cov], 1), c.score),
        at=part or 0,
    )


def _led_by_best(
    selection: Selection,
    scored: Sequence[Candidate],
    accept: Callable[[Candidate], bool],
    key: Callable[[Candidate], Any] = lambda c: c.score,
    at: int = 0,
) -> Selection:
    """The selection led by the best candidate `accept` takes (most probable, or by `key`),
    the others after it, or as it is when it takes none; `at`: placed there instead of first."""
    best = max((c for c in scored if accept(c)), key=key, default=None)
    return selection if best is None else _led_by(selection, best.unit, at)


def _led_by(selection: Selection, unit: AnswerUnit, at: int = 0) -> Selection:
    rest = [u for u in selection.units if u.key != unit.key]
    return replace(selection, units=(*rest[:at], unit, *rest[at:]))


def _dated_years(frame: Frame) -> set[str]:
    """The years a question dates its ask by: « en 2019 », not « depuis 2015 » or « entre 2015
    et 2018 », a period that a figure of any year in it (or a cumulative one) answers."""
    periods = {y for m in _PERIOD_START.finditer(fold(frame.ask)) for y in m.groups() if y}
    return set(frame.years) - periods


def _with_year(
    frame: Frame, selection: Selection, scored: Sequence[Candidate], idf: dict[str, float]
) -> Selection:
    """The question dates its ask (« à la rentrée citoyenne 2019 ») and the best unit, with its
    headings, names none of its years: a candidate not far below (NAMED_FLOOR of the best's
    probability) whose own text names one alone (no period's end), shows the kind of value
    asked, and says most of what the best one matched of the question (half its idf weight)
    answers first (« Rentrée citoyenne de 2019 : … » rather than
    the 2017 bullet above it; not « 345 bénéficiaires … de 2016 à 2017 » for the 2017 forum).
    With none, the other-year near miss says so."""
    years = _dated_years(frame)
    best = selection.units[0]
    if not years or any(y in f"{best.chunk.context} {best.with_context}" for y in years):
        return selection
    matched = set(analyze(frame.ask)) & set(analyze(best.text))

    def weight(terms: set[str]) -> float:
        return sum(idf.get(t, 0.0) for t in terms)

    return _led_by_best(
        selection,
        scored,
        lambda c: (
            c.score >= NAMED_FLOOR * selection.top
            and any(_names_year(y, c.unit.text) for y in years)
            and not measure_lacks(frame.parts[c.part].measure, c.unit)
            and weight(matched & set(analyze(c.unit.text))) >= 0.5 * weight(matched)
        ),
    )


def _names_year(year: str, text: str) -> bool:
    """Does the text date something by this year alone (« Rentrée citoyenne de 2019 »), not as
    one end of a period (« Perspectives 2019-2020 », « de 2016 à 2017 »)?"""
    return any(
        not re.search(r"(?:\d{4}\s*(?:-|–|à|a|to)\s*)$", text[: m.start()])
        and not re.match(r"\s*(?:-|–|à|to)\s*\d{4}", text[m.end() :])
        for m in re.finditer(rf"\b{year}\b", text)
    )


def _figures(stem: str, unit: AnswerUnit) -> list[str]:
    """The distinct numbers of what is counted that a unit gives, in order."""
    return list(dict.fromkeys(count_figures(stem, unit.text)))


def _with_change(
    changed: tuple[str, str] | None, selection: Selection, scored: Sequence[Candidate]
) -> Selection:
    """A before-and-after ask (`changed`: the counted word as asked and its stem) needs a unit
    that gives two numbers of it (« passer de 108 logements … à 115 logements »): when no chosen
    unit does, the best candidate that does answers first, the chosen ones after it; its first
    and last figures lead the answer. « combien de logements avant et après » is not answered
    by « un projet de 104 logements », however close its words."""
    if changed is None:
        return selection
    word, stem = changed
    best = next((u for u in selection.units if _figures(stem, u)[1:]), None)
    if best is None:
        led = _led_by_best(selection, scored, lambda c: bool(_figures(stem, c.unit)[1:]))
        if led is selection:
            return selection
        best = led.units[0]
    said = _figures(stem, best)
    return replace(_led_by(selection, best), change=f"{said[0]} → {said[-1]} {word}")


# a type of neighbourhood as a French near miss names it (the English one: _KIND_EN)
_KIND_FR = {
    "quartier en veille active": "les quartiers en veille active",
    "quartier prioritaire": "les quartiers prioritaires",
}


def _count_not_given(
    counted: tuple[str, str] | None, frame: Frame, selection: Selection, cites: CitationList
) -> str | None:
    """« combien de logements compte la résidence des Epinettes ? » when no chosen unit gives
    a number of what is counted (the row names the residence for its shared garden, with « 15
    soirées »): the count is not in the documents; say so and show the closest passage."""
    if counted is None:
        return None
    word, stem = counted
    if any(_gives_count(stem, u) for u in selection.units):
        return None
    said = _as_written(word, frame.ask)
    return _near_miss(
        frame.lang,
        selection.units[0],
        cites,
        f"Les documents ne donnent pas de nombre de « {said} » ; le passage le plus proche dit :",
        f"The documents give no number of “{said}”; the closest passage says:",
    )


def _bare_count(unit: AnswerUnit) -> bool:
    """A table cell that is a number alone (« Population municipale : 6 270 »): its column says
    what it counts in the table's words, which need not be the question's (« habitants »)."""
    if unit.kind != "row":
        return False
    return any(re.fullmatch(r"[\d \u00a0\u202f.,]*\d", value) for _, value in row_cells(unit.text)[1])


def _near_miss(lang: str, best: AnswerUnit, cites: CitationList, fr: str, en: str) -> str:
    """What the documents do not give, then what they give instead, quoted and cited."""
    mark = cites.cite(best.chunk, (best.start, best.end))
    return f"{fr if lang == 'fr' else en} {quote(best.text.strip(), lang)} {mark}"


def plain(text: str, citations: tuple[Citation, ...]) -> tuple[str, tuple[Citation, ...]]:
    """Plain-language version of a fact answer: the key figure and the first quoted passage
    only, so a resident reads one short statement and one source."""
    lines = text.split("\n")
    kept = []
    for line in lines:
        kept.append(line)
        if "[1]" in line:
            break
    return "\n".join(kept), tuple(c for c in citations if c.number == 1)
