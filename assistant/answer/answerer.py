"""Grounded answers without an LLM: dispatch by question kind, extract the sentences or
table cells that answer, refuse when the documents do not say, cite every passage."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..glossary import Glossary
from ..index_store import LoadedIndex
from ..query import EN_FR, translate_for_lexical
from ..retrieval import Filters, Retriever
from ..schema import Answer, Chunk, Citation, Fiche
from ..textclean import ends_sentence
from ..textnorm import STOPWORDS, analyze, fold, raw_tokens, stem
from .citations import CitationList, squash
from .fiche_answers import FicheAnswers, quote
from .llm import Generator, generate_checked
from .understand import Question, Turn, understand

REFUSAL = {
    "fr": "Je ne trouve pas cette information dans les documents du Contrat de ville.",
    "en": "I cannot find this information in the Contrat de ville documents.",
}
EMPTY = {
    "fr": "Posez une question sur le Contrat de ville, par exemple : « qui pilote l'objectif 12 ? »",
    "en": "Ask a question about the Contrat de ville, for example: “who leads objective 12?”",
}
FICHE_TYPES = ("fiche", "actions", "notes")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«\"(-])")
_DEFINITION = re.compile(
    r"^(?:qu est ce que|qu est ce qu|c est quoi|que signifie|que veut dire|definition d?e?|signification d?e?|"
    r"what is|what s|what does|meaning of)\s+(?:un |une |le |la |les |l |d |du |des |the |a |an )?([a-z0-9+]{2,10})"
    r"(?:\s+(?:mean|stand for|veut dire|signifie))?\s*\??$"
)
_YEAR = re.compile(r"(19|20)\d\d")
_FIGURE = re.compile(
    r"(?:\d{1,3}(?:[ \u00a0.]\d{3})+|\d+)(?:,\d+|\.\d{1,2}(?!\d))?(?:\s?%|\s?(?:M€|k€|€|millions?|euros?))?"
)


@dataclass(frozen=True)
class Unit:
    chunk: Chunk
    start: int
    end: int
    hit_score: float
    prev_start: int | None = None  # the sentence before, in the same paragraph (never another bullet)

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    @property
    def with_context(self) -> str:
        return self.chunk.text[self.prev_start if self.prev_start is not None else self.start : self.end]

    @property
    def is_bullet(self) -> bool:
        return self.text.lstrip().startswith("-")


def units_of(chunk: Chunk, hit_score: float) -> list[Unit]:
    """Sentences, bullets and table rows: the pieces an answer quotes."""
    if chunk.chunk_type == "table_row":
        return [Unit(chunk, 0, len(chunk.text), hit_score)]
    out: list[Unit] = []
    pos = 0
    for line in chunk.text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        offset = start
        starts: list[int] = []
        for piece in _SENTENCE.split(line):
            i = chunk.text.find(piece, offset)
            if i < 0 or len(piece.strip()) < 3:
                continue
            # the two sentences before, so "Il s'agit du ..." keeps what "il" is
            out.append(
                Unit(
                    chunk,
                    i,
                    i + len(piece),
                    hit_score,
                    starts[-2] if len(starts) >= 2 else (starts[-1] if starts else None),
                )
            )
            starts.append(i)
            offset = i + len(piece)
    return out


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

    # --- entry point ------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Answer | str] = (), simple: bool = False) -> Answer:
        t0 = time.perf_counter()
        question = question[:2000]  # a question is not a document: longer input is cut, not processed
        q = understand(question, history_turns(history))
        timings = {"understand_ms": (time.perf_counter() - t0) * 1000}
        cites = CitationList()
        self._request.support = 1.0
        if q.intent == "empty":
            return Answer(question, EMPTY[q.lang], (), True, "empty", q.lang, timings_ms=timings)
        missing = [n for n in q.objectives if n not in self.fiches.by_number]
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
        text, intent, objective, see_also = self._dispatch(q, cites)
        refused = text is None
        used_llm = False
        if text is None:
            text = REFUSAL[q.lang]
            if not see_also:
                see_also = self._see_also(q)
        elif self.generator is not None and intent == "fact":
            generated = generate_checked(self.generator, q, cites.as_tuple())
            if generated is not None:
                text, used_llm = generated, True
        citations = () if refused else cites.as_tuple()
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

    def find(self, description: str, simple: bool = False) -> Answer:
        """The objective finder on a project description, whatever its wording."""
        t0 = time.perf_counter()
        q = understand(description)
        if q.intent == "empty":
            return Answer(description, EMPTY[q.lang], (), True, "empty", q.lang)
        q = Question(**{**q.__dict__, "intent": "finder"})
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
            return self.glossary.expand_inline(text)
        footer = self.glossary.footer(text, lang)
        return f"{text}\n\n{footer}" if footer else text

    def _dispatch(
        self, q: Question, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        fa = self.fiches
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
                return "\n\n".join(parts), intent, numbers[-1], ()
        acronym = self._defined_acronym(q.text)
        if acronym:
            return self.definition(q, acronym, cites)
        return self.fact(q, cites)

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
        text, _, objective, _ = self.fact(q, cites)
        if text:
            return f"{head}\n{text}", "definition", objective, ()
        hits = self.retriever.search(f"{acronym} {expansion}", k=5)
        mention = next((h for h in hits if re.search(rf"\b{re.escape(acronym)}\b", h.chunk.text)), None)
        if mention:
            i = mention.chunk.text.find(acronym)
            head += " " + cites.cite(mention.chunk, (i, i + len(acronym)))
        return head, "definition", None, ()

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
        scores = self.objective_scores(q.topic, q.lang)
        if not scores:
            return None
        return self.fiches.by_number[max(scores, key=lambda n: scores[n])]

    def find_objectives(self, q: Question, most: int = 3) -> list[tuple[Fiche, list[int]]]:
        scores = self.objective_scores(q.text, q.lang)
        if not scores:
            return []
        best = max(scores.values())
        ranked = sorted((n for n in scores if scores[n] >= 0.75 * best), key=lambda n: -scores[n])[:most]
        terms = set(analyze(self.expand(q.text, q.lang)))
        out = []
        for n in ranked:
            f = self.fiches.by_number[n]
            scored = []
            for i, a in enumerate(f.actions):
                w = sum(self.idf.get(t, 0) for t in terms & set(analyze(a.text)))
                if w > 0:
                    scored.append((w, i))
            # ties go to the earlier action: fiches list their general actions first
            out.append((f, [i for _, i in sorted(scored, key=lambda x: (-x[0], x[1]))[:3]]))
        return out

    # --- facts and figures ------------------------------------------------------------

    def query_terms(self, q: Question) -> list[tuple[str, str]]:
        """(stem, light surface form) of the question's content words, typos corrected.
        Glossary expansions are not added: they help find passages, they are not required."""
        base = q.topic or q.text
        if q.lang == "en":
            base = f"{base} {translate_for_lexical(base)}"
        out: dict[str, str] = {}
        for w in raw_tokens(base):
            if len(w) <= 1 or w in STOPWORDS:
                continue
            if q.lang == "en" and w in EN_FR:
                continue  # the English word itself; its French translation is in `base`
            fixed = self.index.lexical.correct(w, spell=q.lang != "en")
            out.setdefault(stem(fixed), _light(fixed))
        return list(out.items())

    def coverage(self, terms: Sequence[tuple[str, str]], text: str) -> float:
        """Idf-weighted share of the question's terms found in `text`. A word found as written
        (give or take a plural) counts fully; one found only through its stem counts half,
        so that "maire" is not answered by "mairies"."""
        if not terms:
            return 0.0
        header_only: set[str] = set()
        if " — " in text and " : " in text:
            # a table row: column names are shared by every row, they count half
            label, body = text.split(" — ", 1)
            cells = [c.split(" : ", 1) for c in body.split(" ; ")]
            values = " ".join([label] + [c[-1] for c in cells])
            header_only = set(analyze(" ".join(c[0] for c in cells if len(c) == 2))) - set(analyze(values))
            if set(analyze(label)) & {st for st, _ in terms}:
                header_only = set()  # the question names the row and the column: the cell answers it
        stems = set(analyze(text))
        surfaces = {_light(w) for w in raw_tokens(text)}
        total = sum(self.idf.get(st, self.max_idf) * (0.5 if _YEAR.fullmatch(st) else 1.0) for st, _ in terms)
        got = 0.0
        for st, surface in terms:
            weight = self.idf.get(st, self.max_idf) * (0.5 if st in header_only else 1.0)
            if _YEAR.fullmatch(st):
                weight *= 0.5  # a year qualifies the question, it is rarely what it is about
            if surface in surfaces:
                got += weight
            elif st in stems:
                got += 0.5 * weight
        return got / total

    def fact(
        self, q: Question, cites: CitationList
    ) -> tuple[str | None, str, int | None, tuple[Citation, ...]]:
        hits = self.retriever.search(self.expand(q.text, q.lang), k=10)
        if not hits:
            return None, "fact", None, ()
        terms = self.query_terms(q)
        top = hits[0].score
        scored: list[tuple[float, Unit]] = []
        stems = [st for st, _ in terms]
        for h in hits:
            chunk_cov = self.coverage(terms, h.chunk.embed_text)
            for u in units_of(h.chunk, h.score):
                cov = max(self.coverage(terms, u.text), 0.85 * self.coverage(terms, u.with_context))
                s = 0.7 * cov + 0.3 * chunk_cov + 0.15 * (h.score / top)
                if q.numeric and (h.chunk.chunk_type != "table_row" or not re.search(r"\d", u.text)):
                    fit = key_figure(u.text, stems, self.idf)[1]
                    s += 0.3 * fit if fit > 0 else -0.3
                if len(u.text) < 25:
                    s -= 0.2
                scored.append((s, u))
        scored.sort(key=lambda x: -x[0])
        best_score, best = scored[0]
        own = self.coverage(terms, best.text)
        windowed = 0.85 * self.coverage(terms, best.with_context)
        support = 0.7 * max(own, windowed) + 0.3 * self.coverage(terms, best.chunk.embed_text)
        if q.numeric and best.chunk.chunk_type != "table_row":
            # "combien ...": a passage without a figure next to the question's words does not answer
            fit = key_figure(best.with_context, stems, self.idf)[1]
            support = support + 0.1 * fit if fit > 0 else 0.0
        if not self._key_term_present(terms, best):
            support -= 0.2  # the rarest word of the question is nowhere near as written ("maire" ≠ "mairies")
        self._request.support = support
        if support < self.min_coverage:
            return None, "fact", None, ()
        if windowed > own and best.prev_start is not None:
            best = Unit(best.chunk, best.prev_start, best.end, best.hit_score)
        chosen = [best]
        if best.chunk.chunk_type == "table_row":
            pass  # a table cell answers alone
        elif (
            not best.is_bullet
            and len(best.text) < 120
            and not ends_sentence(best.text)
            and self._bullets_after(best)
        ):
            chosen = [best, *self._bullets_after(best)]  # a heading: what answers is the list under it
        elif q.wants_list and best.is_bullet:
            bullets = [u for u in units_of(best.chunk, best.hit_score) if u.is_bullet]
            heading = best.chunk.text.split("\n", 1)[0]
            if not heading.lstrip().startswith("-") and self.coverage(terms, heading) >= 0.5:
                chosen = bullets[:15]  # the list under a heading that matches the question
            else:
                floor = 0.5 * self.coverage(terms, best.text)
                chosen = [u for u in bullets if self.coverage(terms, u.text) >= floor][:15]
        else:
            for s, u in scored[1:]:
                if s < 0.85 * best_score or len(chosen) >= 3:
                    break
                overlaps = any(
                    u.chunk.id == c.chunk.id and u.start < c.end and c.start < u.end for c in chosen
                )
                duplicate = any(
                    squash(u.text) in squash(c.text) or squash(c.text) in squash(u.text) for c in chosen
                )
                if not overlaps and not duplicate:
                    chosen.append(u)
        return self._compose_fact(q, chosen, terms, cites), "fact", best.chunk.objective, ()

    def _compose_fact(
        self, q: Question, chosen: Sequence[Unit], terms: Sequence[tuple[str, str]], cites: CitationList
    ) -> str:
        fr = q.lang == "fr"
        stems = [st for st, _ in terms]
        lines = []
        first = chosen[0]
        if first.chunk.chunk_type == "table_row":
            cells = self._table_cells(first, stems)
            if cells:
                mark = cites.cite(first.chunk, (first.start, first.end))
                lines.append(f"{cells} {mark}")
                chosen = chosen[1:]
        elif q.numeric:
            figure, fit = key_figure(first.text, stems, self.idf)
            if figure and fit > 0:
                lines.append(f"**{figure}**")
        by_chunk: dict[str, list[Unit]] = {}
        for u in chosen:
            by_chunk.setdefault(u.chunk.id, []).append(u)
        for units in by_chunk.values():
            chunk = units[0].chunk
            span = (min(u.start for u in units), max(u.end for u in units))
            mark = cites.cite(chunk, span)
            source = self.titles.get(chunk.source, chunk.source)
            where = source + (f", p. {chunk.page}" if chunk.page else "")
            if len(units) > 1:
                body = "\n".join(focus(u.text, stems, self.idf) for u in units)
                lines.append(f"{'D’après' if fr else 'According to'} {where} :\n{body} {mark}")
            else:
                lines.append(
                    f"{'D’après' if fr else 'According to'} {where} : {quote(_unbullet(focus(units[0].text, stems, self.idf)), q.lang)} {mark}"
                )
        return "\n".join(lines)

    def _key_term_present(self, terms: Sequence[tuple[str, str]], unit: Unit) -> bool:
        """False when the question's rarest word is matched only through its stem, as
        "maire" by "mairies": a different word that happens to share a root."""
        if not terms:
            return True
        key_stem, key_surface = max(terms, key=lambda t: self.idf.get(t[0], self.max_idf))
        near = f"{unit.with_context} {unit.chunk.embed_text}"
        if key_surface in {_light(w) for w in raw_tokens(near)}:
            return True
        return key_stem not in set(analyze(near))

    @staticmethod
    def _bullets_after(unit: Unit) -> list[Unit]:
        return [u for u in units_of(unit.chunk, unit.hit_score) if u.start > unit.start and u.is_bullet][:15]

    @staticmethod
    def _table_cells(unit: Unit, terms: Sequence[str]) -> str | None:
        """'QPV Hauts de Chambéry — ... ; Taux de pauvreté : 41,4%' -> the cells the question names."""
        if " — " not in unit.text:
            return None
        label, body = unit.text.split(" — ", 1)
        cells = [c.strip() for c in body.split(" ; ")]
        wanted = [c for c in cells if ":" in c and set(analyze(c.split(":", 1)[0])) & set(terms)]
        if not wanted or len(wanted) == len(cells):
            return None
        return f"{label} — " + " ; ".join(
            f"**{c.split(':', 1)[0].strip()}** : {c.split(':', 1)[1].strip()}" for c in wanted
        )

    def _see_also(self, q: Question) -> tuple[Citation, ...]:
        try:
            hits = self.retriever.search(self.expand(q.text, q.lang), k=3)
        except ValueError:
            return ()
        see = CitationList()
        for h in hits:
            see.cite(h.chunk)
        return see.as_tuple()


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


def _light(word: str) -> str:
    """A word give or take its plural: the surface form used to tell "maire" from "mairies"."""
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def _ends_name(before: str) -> bool:
    """Is the text before a number a capitalised word inside a sentence ("... (Posse 33)")?
    A capitalised word that opens the sentence ("Environ 9000") is not a name."""
    m = re.search(r"(\S*)\s+\(?([A-Z][\w’'-]*)\s$", before)
    if not m:
        return False
    prev = m.group(1)
    return bool(prev) and not prev.endswith((".", ":", ";", "!", "?")) and prev not in {"-", "•", "o"}


def _unbullet(text: str) -> str:
    return re.sub(r"^\s*-\s*", "", text)


def key_figure(text: str, stems: Sequence[str], idf: dict[str, float]) -> tuple[str | None, float]:
    """The number that answers "combien": the one followed (or just preceded) by most of the
    question's words, as in "8 871 interventions spontanées"; with the word after it, and the
    share of the question's weight it carries (0 when no number sits next to its words)."""
    total = sum(idf.get(t, 1.0) for t in stems) or 1.0
    sentence = set(analyze(text)) & set(stems)
    sentence_fit = sum(idf.get(t, 1.0) for t in sentence) / total
    best: tuple[float, int, str] | None = None
    for m in _FIGURE.finditer(text):
        fig = m.group(0).strip()
        digits = re.sub(r"\D", "", fig)
        if re.fullmatch(r"(19|20)\d\d", digits) and "%" not in fig:
            continue  # a year is a date, not the figure asked for
        if _ends_name(text[: m.start()]):
            continue  # "Posse 33", "USEP 73": a number that ends a name
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


def focus(text: str, stems: Sequence[str], idf: dict[str, float] | None = None, limit: int = 320) -> str:
    """A long passage is cut to the clauses that carry the question's words: greedily the
    clause bringing the most not-yet-shown weight, so a rare word ("Cognin") is kept
    beside the common ones; the rest is elided with "…"."""
    if len(text) <= limit:
        return text.strip()
    idf = idf or {}
    clauses = re.split(r"(?<=[,;:.])\s+", text)
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
    out, last = [], -1
    for k in sorted(kept):
        if k != last + 1:
            out.append("…")
        out.append(clauses[k].strip())
        last = k
    if last < len(clauses) - 1:
        out.append("…")
    return " ".join(out)
