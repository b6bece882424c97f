"""From ranked candidates to the answer: choose the units (per part of the question, the
list under a heading, the whole bullet group when a list is asked), then write the answer
first (the figure, the table cells named by the question) and the quotes, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..query import translate_for_lexical
from ..textnorm import analyze, fold, raw_tokens
from .citations import CitationList
from .extract import focus, key_figure, shows_figure
from .frame import Frame
from .rank import Candidate
from .units import Unit, UnitIndex, row_cells

# a part's best unit is quoted from NAMED_FLOOR of the top probability (« is there something
# for her age? and what is the école de la 2e chance for? » has a weak first part beside a
# strong second); below PART_FLOOR, only when no unit already quoted names what it asks
PART_FLOOR = 0.4
MAX_UNITS = 4  # quoted units besides list items: the best, the best per part, close runners-up
# a runner-up is quoted when its probability is at least this share of the best. Chosen on the
# tune halves of the hand-written sets: answerable accuracy 0.752 at 0.5, 0.781 at 0.3 (the
# second fact of a two-part question is often a runner-up), 0.804 at 0.2 but with answers 17 %
# longer than at 0.5 (8 % at 0.3): a reader gets the facts asked, not every near passage
RUNNER_UP = 0.3
# a later part whose best unit is already quoted takes its best other unit when that one's
# probability is at least this share of the best. Tune halves: answerable 2 more right at 0.1
# and 0.25 (lists and two-part asks of the plan and report sets), none at 0.4 or above; 0.25,
# the more cautious end of that plateau
OWN_PART = 0.25
MAX_LIST = 15
# cells named (rows × columns) for the table to answer by its structure. Tune halves: 2 → 1 brought
# 12 more right (single cells of the financeurs' table, asked « crédits spécifiques de l'Etat »)
GRID_MIN = 1
# how many tables, those of the best-ranked rows in rank order, are looked at for the cells a
# question names
TABLES_TRIED = 2
_AMOUNT = re.compile(r"(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:,(\d+))?\s*(€|%)?")
_TOTAL = re.compile(r"\b(total|au total|en tout|altogether|in total|sum|cumul)", re.I)
# « combien de logements sociaux dans chacun des deux QPV ? »: every row asked, not summed
_EACH = re.compile(
    r"\b(chacun|chacune|each|both|les deux|respectivement|respectively|pour chaque|for every|par commune|"
    r"par quartier|per neighbourhood|by neighbourhood)\b",
    re.I,
)


# « comparé à celui de la ville », « par rapport à Chambéry », « vs the whole agglo »
_COMPARE = re.compile(
    r"\b(compar\w*|par rapport (?:a|à)|vs\.?|versus|against|contre celui|plus (?:ou moins )?(?:que|qu)|than)\b",
    re.I,
)


@dataclass(frozen=True)
class Selection:
    units: tuple[Unit, ...]
    top: float  # probability of the best candidate
    grid: int = 0  # leading rows whose cells the question names (row label × column): shown as the answer
    disagree: tuple[str, ...] = ()  # counts of one thing the documents give differently (« 11 … », « 10 … »)
    change: str = ""  # a before-and-after ask's two figures, as the lead (« 108 → 115 logements »)


def _overlaps(u: Unit, chosen: Sequence[Unit]) -> bool:
    return any(
        u.chunk.id == c.chunk.id and u.is_record == c.is_record and u.start < c.end and c.start < u.end
        for c in chosen
    )


def _said(u: Unit, chosen: Sequence[Unit]) -> bool:
    """The same words already quoted from elsewhere (« Perspectives 2019-2020 » heads seven
    sections): a second quote adds nothing."""
    text = " ".join(u.text.split()).lower()
    return any(" ".join(c.text.split()).lower() == text for c in chosen)


def _bullet_group(unit: Unit, units: UnitIndex) -> list[Unit]:
    """The bullets around `unit` in its passage: consecutive bullet units."""
    siblings = [units.units[i] for i in units.of_chunk(unit.chunk.id)]
    at = next((i for i, s in enumerate(siblings) if s.key == unit.key), None)
    if at is None:
        return [unit]
    lo = at
    while lo > 0 and siblings[lo - 1].is_bullet:
        lo -= 1
    hi = at
    while hi + 1 < len(siblings) and siblings[hi + 1].is_bullet:
        hi += 1
    # the group ends the passage on a line that announces more (« … autour de 4 axes : »):
    # its items open the next passage
    return (siblings[lo : hi + 1] + units.continued(siblings[hi]))[:MAX_LIST]


def _after_heading(unit: Unit, units: UnitIndex) -> list[Unit]:
    siblings = [units.units[i] for i in units.of_chunk(unit.chunk.id)]
    after = [s for s in siblings if s.start > unit.start]
    out = []
    for s in after:
        if not s.is_bullet:
            break
        out.append(s)
    if not after:  # the passage ends on the line: its list opens the next one
        out = units.continued(unit)
    elif len(out) == len(after):  # the passage ends inside the list: it goes on in the next one
        out += units.list_goes_on(out[-1])
    return out[:MAX_LIST]


def _rows_under(unit: Unit, units: UnitIndex) -> list[Unit]:
    """When `unit` is the first row of its table (« 4 pistes d'amélioration … | Bilan »), the
    rows after it are the items it announces."""
    rows = units.table_of(unit)
    if not rows or rows[0].key != unit.key:
        return []
    return rows[1 : MAX_LIST + 1]


def announced(unit: Unit, units: UnitIndex) -> list[Unit]:
    """The items a unit brings when a list is asked: the bullets under a line, the rows under
    a table's first row (what an answer quoting it would show; the ranker is fitted on it)."""
    return _rows_under(unit, units) if unit.kind == "row" else _after_heading(unit, units)


# a sentence that goes on about the one before (« Son objectif est de … », « Il s'agit de … »)
_ANAPHORA = re.compile(
    r"^(?:son|sa|ses|leur|leurs|il|elle|ils|elles|ce|cette|ces|cela|celui|celle|its|it|their|they|this)\b"
    # « … se déplace dans les quartiers du Biollay … Viens y rencontrer Loreline … »: « y »
    # among the first words is the place the sentence before named
    r"|^(?:\S+\s+){1,2}y\b",
    re.I,
)


def _continuation(unit: Unit, units: UnitIndex) -> Unit | None:
    """The next sentence of the same paragraph when it continues this one's subject."""
    if unit.kind != "sentence":
        return None
    nxt = next(
        (units.units[i] for i in units.of_chunk(unit.chunk.id) if units.units[i].prev_start == unit.start),
        None,
    )
    if nxt is None or nxt.is_record or not _ANAPHORA.match(nxt.text.strip()):
        return None
    return nxt


def select(frame: Frame, scored: Sequence[Candidate], units: UnitIndex) -> Selection | None:
    """The units that answer, per part of the question (refusal is decided before, on the
    question as a whole)."""
    if not scored:
        return None
    top = max(c.score for c in scored)
    chosen: list[Unit] = []
    for p in range(len(frame.parts)):
        mine = sorted((c for c in scored if c.part == p), key=lambda c: -c.score)
        if not mine or mine[0].score < NAMED_FLOOR * top:
            continue
        if mine[0].score < PART_FLOOR * top and _answered(frame.parts[p].focus, chosen):
            # a part whose best unit is weak beside the top one, and whose subject a unit
            # already quoted names (« combien d'arbres au jardin ? et combien de parcelles ? »
            # after « Le jardin compte 40 parcelles et 12 arbres »), is answered by it
            continue
        best = mine[0].unit
        if p > 0 and _overlaps(best, chosen):
            # the part's best unit already answers an earlier part: its own fact, when the
            # two asks are about different things, is in its best unit not yet quoted
            own = next((c for c in mine[1:] if not _overlaps(c.unit, chosen)), None)
            if own is not None and own.score >= OWN_PART * top:
                best = own.unit
            elif frame.parts[p].wants == "number":
                # « when was the cité jardin built and how many flats r in it »: the sentence
                # after the date's gives the figure; a figure asked is found lower down, at
                # the share that brings a unit for a name the answer lacks, in the passage
                # already quoted first (the part goes on about what it quotes)
                quoted = {u.chunk.id for u in chosen}
                figure = max(
                    (
                        c
                        for c in mine[1:]
                        if c.score >= NAMED_FLOOR * top
                        and not _overlaps(c.unit, chosen)
                        and shows_figure(c.unit.text)
                    ),
                    key=lambda c: (c.unit.chunk.id in quoted, c.score),
                    default=None,
                )
                if figure is not None:
                    best = figure.unit
            best = _own_words_unit(frame, p, best, mine, chosen, NAMED_FLOOR * top)
        wants = frame.parts[p].wants
        group: list[Unit] = [best]
        if (
            best.kind == "heading"
            or (not best.is_bullet and best.kind != "row" and wants in ("list", "who", "other"))
            # a sentence that ends on a colon, asked a figure, gives it broken down in its items
            # (« Deux conventions représentant 138 M€ : - 120 millions … pour les
            # Hauts-de-Chambéry »): all of them, the one asked among them (keeping only the
            # items that share the most words with the part lost a held-out answer)
            or (wants == "number" and best.kind == "sentence" and best.text.rstrip().endswith(":"))
        ):
            group += _after_heading(best, units)  # a sentence that introduces a list brings it
        elif best.is_bullet and wants in ("list", "who", "other", "objective"):
            group = _bullet_group(best, units)
        elif best.kind == "row" and wants == "list":
            group += _rows_under(best, units)  # a table's first row that announces its rows
        more = _continuation(best, units)
        if more is not None:
            group.append(more)
        for u in group:
            if not _overlaps(u, chosen):
                chosen.append(u)
    extra = 0
    for c in sorted(scored, key=lambda c: -c.score):
        if c.score < RUNNER_UP * top or extra >= MAX_UNITS - len(frame.parts):
            break
        if not _overlaps(c.unit, chosen) and not _said(c.unit, chosen):
            chosen.append(c.unit)
            extra += 1
            if frame.parts[c.part].wants == "list":
                # a runner-up that announces a list is quoted with it, as the best one is
                # (and as the ranker was fitted: an opener is labelled by what it brings)
                chosen += [u for u in announced(c.unit, units) if not _overlaps(u, chosen)]
    for p, part in enumerate(frame.parts):
        if part.wants != "list":
            continue
        mine = [c for c in scored if c.part == p]
        opener = _named_list(part.focus, mine, chosen, units, NAMED_FLOOR * top, frame.objectives)
        if opener is not None:
            chosen += [u for u in (opener, *announced(opener, units)) if not _overlaps(u, chosen)]
    return Selection(tuple(chosen), top)


def _own_stems(frame: Frame, p: int) -> set[str]:
    """Stems of what part `p` alone asks: its own words less those of the other parts
    (« et ça touche combien de gens par an ? » after « combien d'interventions en 2018 ? »)."""
    others = {s for k, q in enumerate(frame.parts) if k != p for s in analyze(q.own or q.text)}
    return set(analyze(frame.parts[p].own or frame.parts[p].text)) - others


def _own_words_unit(
    frame: Frame, p: int, best: Unit, mine: Sequence[Candidate], chosen: Sequence[Unit], floor: float
) -> Unit:
    """A later part whose best units all answer the asks before it is answered by the unit
    that has most of its own words, if one above `floor` has more of them than `best`: the
    ranker scores a part with the topic it shares with the others, which the earlier answer
    holds best (« Environ 9000 personnes touchées par an … » for « ça touche combien de gens
    par an ? » beside the interventions sentence)."""
    own = _own_stems(frame, p)
    if not own:
        return best

    def share(u: Unit) -> float:
        # a stem found as the start of another (« touch » in « touchées », stemmed « touche »)
        have = set(analyze(u.with_context))
        return sum(1 for s in own if any(_same_stem(s, t) for t in have)) / len(own)

    rival = max(
        (c for c in mine if c.score >= floor and not _overlaps(c.unit, chosen)),
        key=lambda c: (share(c.unit), c.score),
        default=None,
    )
    if rival is None or share(rival.unit) < 0.5 or share(rival.unit) <= share(best):
        return best
    return rival.unit


def _named_list(
    focus: str,
    mine: Sequence[Candidate],
    chosen: Sequence[Unit],
    units: UnitIndex,
    floor: float,
    objectives: Sequence[int] = (),
) -> Unit | None:
    """A list asked by its name (« quels sont les points forts du projet ? ») and not quoted
    yet: the line that announces it under that name (« Points forts du projet : »), if it is
    a candidate above `floor`. The best unit is often a sentence about the same project."""
    stems = set(analyze(focus))
    if not stems or _answered(focus, chosen) or any(u.is_bullet or u.kind == "row" for u in chosen):
        return None  # a quoted unit names what is asked (and lists it inline), or a list is quoted
    for c in sorted(mine, key=lambda c: -c.score):
        if c.score < floor:
            break
        if objectives and c.unit.chunk.objective not in objectives:
            continue  # « dans la fiche 10, quels outils ? »: not another fiche's tools
        if stems <= set(analyze(c.unit.text)) and announced(c.unit, units) and not _overlaps(c.unit, chosen):
            return c.unit
    return None


def _same_stem(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 4 and long.startswith(short))


def _answered(focus: str, chosen: Sequence[Unit]) -> bool:
    stems = set(analyze(focus))
    return bool(stems) and any(stems <= set(analyze(u.text)) for u in chosen)


def list_heading(unit: Unit, units: UnitIndex) -> Unit | None:
    """The line that introduces the bullet group of `unit` (« Actions à développer : »), so a
    quoted item keeps what its list is."""
    if not unit.is_bullet:
        return None
    before = [units.units[i] for i in units.of_chunk(unit.chunk.id) if units.units[i].end <= unit.start]
    for u in reversed(before):
        if u.is_record:
            continue
        if not u.is_bullet:
            return u if u.kind == "heading" else None
    return None


def _bridged_ask(frame: Frame) -> str:
    """The ask, and for an English one its French bridge words: the documents' words for the
    cells, the counted thing and the columns it names."""
    return frame.ask if frame.lang == "fr" else f"{frame.ask} {translate_for_lexical(frame.ask)}"


def _fully_named(name: str, stems: set[str]) -> bool:
    words = set(analyze(name))
    return bool(words) and words <= stems


def _within_longer_name(label: Sequence[str], asked: Sequence[str], written: str) -> bool:
    """The ask writes a row's label only inside a longer name the table also writes: « Grand
    Chambéry's participation » names the column « Participation de Grand Chambéry », not the
    row « Chambéry »."""
    n = len(label)
    at = [i for i in range(len(asked) - n + 1) if list(asked[i : i + n]) == list(label)]
    return bool(at) and all(i > 0 and f" {asked[i - 1]} {' '.join(label)} " in f" {written} " for i in at)


def named_grid(
    frame: Frame, scored: Sequence[Candidate], units: UnitIndex, names: Sequence[str] = ()
) -> list[Unit]:
    """« pour l'Etat, combien en crédits spécifiques et combien en droit commun ? »: the rows
    of one table whose labels the question names in full, when it also names a column in full.
    The cells are read from the table's structure (row labels, column headers), not from how
    close one row's words are to the question."""
    stems = set(analyze(_bridged_ask(frame)))
    # the tables of the best-ranked rows, best first: another table's labels (« Fonds de
    # concours », a row of the financeurs' table) do not take over a question about the fonds
    # de concours' own rows; but when the best row's table has no row and column the question
    # names (« le total des financements de Grand Chambéry » ranks the fonds de concours'
    # TOTAL GENERAL first), the next table that has them answers
    asked = raw_tokens(frame.ask)
    seen: set[tuple[str, str]] = set()
    rows: list[Unit] = []
    for c in sorted(
        (c for c in scored if c.unit.kind == "row" and not c.unit.is_record), key=lambda c: -c.score
    ):
        key = (c.unit.chunk.source, c.unit.chunk.context)
        if key in seen:
            continue
        seen.add(key)
        rows = _named_cells(units.table_of(c.unit), stems, asked, names)
        if rows or len(seen) >= TABLES_TRIED or _names_heading(c.unit, stems):
            break  # a question that names the best table by its heading is about that table
    if rows:
        return rows
    return _named_table(frame, scored, units, stems, names)


def _names_heading(row: Unit, stems: set[str]) -> bool:
    """Does the question name a word of the heading of `row`'s table (« Fonds de concours
    versés ou votés entre 2015 et 2018 » by « fonds de concours »), years aside?"""
    heading = row.chunk.section or row.chunk.context.rsplit("›", 1)[-1]
    return any(w in stems for w in analyze(heading) if not w.isdigit())


def _named_cells(
    table: Sequence[Unit], stems: set[str], asked: Sequence[str], names: Sequence[str]
) -> list[Unit]:
    """The rows of `table` whose labels the question names in full, when it also names one
    of the table's columns in full ([] otherwise)."""
    if not table:
        return []
    written = " ".join(" ".join(raw_tokens(r.text)) for r in table)
    rows = [
        r
        for r in table
        if " — " in r.text
        and _fully_named(row_cells(r.text)[0], stems)
        and not _within_longer_name(raw_tokens(row_cells(r.text)[0]), asked, written)
    ]
    columns = {n for r in table for n, v in row_cells(r.text)[1] if v and _fully_named(n, stems)}
    # a place or an organisation the question names that the cells do not (« … pour
    # Saint-Baldoph ? » of the financeurs' table) is asked of something the table does not hold
    said = set().union(*(raw_tokens(r.text) for r in rows)) if rows else set()
    if any(n not in said for n in names):
        return []
    if rows and columns and len(rows) * len(columns) >= GRID_MIN and len(rows) <= MAX_LIST:
        return rows
    return []


def _named_table(
    frame: Frame, scored: Sequence[Candidate], units: UnitIndex, stems: set[str], names: Sequence[str]
) -> list[Unit]:
    """« Dans le plan de financement …, quelle est la part de la Ville ? »: a table of one row
    (nothing labels it: it is the table) that the question names by its heading, with a
    column it names. Among such tables, the one whose row ranks best."""
    # a column named by a word search leaves out (« Autres »), as the question writes it
    asked = set(raw_tokens(frame.ask))
    for c in sorted(scored, key=lambda c: -c.score):
        if c.unit.kind != "row" or c.unit.is_record:
            continue
        table = units.table_of(c.unit)
        heading = re.sub(r"\s*\(tableau\)$", "", c.unit.chunk.context.rsplit("›", 1)[-1].strip())
        if len(table) != 1 or not _fully_named(heading, stems):
            continue
        said = raw_tokens(f"{c.unit.chunk.context} {c.unit.text}")
        if any(
            v and (_fully_named(n, stems) or (not analyze(n) and set(raw_tokens(n)) <= asked))
            for n, v in row_cells(c.unit.text)[1]
        ) and all(n in said for n in names):
            return table
    return []


def with_grid(
    frame: Frame,
    selection: Selection,
    scored: Sequence[Candidate],
    units: UnitIndex,
    names: Sequence[str] = (),
) -> Selection:
    rows = named_grid(frame, scored, units, names)
    if not rows:
        return selection
    rest = [u for u in selection.units if not _overlaps(u, rows) and u.kind != "row"]
    return replace(selection, units=tuple(rows) + tuple(rest), grid=len(rows))


# a count and what it counts, in the documents' words: « 11 quartiers en veille active »
_COUNT = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f]\d{3})*)\s+((?:[^\W\d]+['’]?\s*){4})")
_YEARS = re.compile(r"\b(?:19|20)\d{2}\b")


def _counts(text: str) -> list[tuple[str, str, str]]:
    """(value, the four words after it folded to stems, as written) for each count of a text:
    four, so that « 108 logements locatifs sociaux réhabilités » and « 86 logements locatifs
    sociaux déconstruits » count two things."""
    out = []
    for m in _COUNT.finditer(text):
        phrase = " ".join(m.group(2).split())
        out.append((m.group(1), " ".join(analyze(phrase)), f"{m.group(1)} {phrase}"))
    return out


# a unit is brought for a name the answer lacks when its probability is at least this share of
# the best. Tune halves (hand-written sets): +2 right at 0.03 but 31 answers changed, 47 % longer;
# +1 at 0.1 with 11 changed; 0 at 0.25. The cautious middle
NAMED_FLOOR = 0.1


def with_every_name(
    selection: Selection, scored: Sequence[Candidate], names: Sequence[str], floor: float = NAMED_FLOOR
) -> Selection:
    """« … des Hauts-de-Chambéry et de Bellevue ? séparément »: a place or an organisation the
    question names that no chosen unit (nor its headings) has is brought by the best candidate
    that has it, when that one is not far below the best (`floor` of its probability)."""
    if not selection.units or not names:
        return selection
    chosen = list(selection.units)

    def has(u: Unit, name: str) -> bool:
        tokens = raw_tokens(f"{u.text} {u.chunk.context.partition(' › ')[2]}")
        # a name of several words (« ville de chambery ») is named by its words together
        return f" {name} " in f" {' '.join(tokens)} " if " " in name else name in tokens

    for name in names:
        # a line that announces a list (« … pour les Hauts-de-Chambéry et Bellevue … : ») names
        # what its items are about; an item must say it
        if any(has(u, name) for u in chosen if not u.text.rstrip().endswith(":")):
            continue
        best = max(
            (c for c in scored if not _overlaps(c.unit, chosen) and has(c.unit, name)),
            key=lambda c: c.score,
            default=None,
        )
        if best is not None and best.score >= floor * selection.top:
            chosen.append(best.unit)
    return replace(selection, units=tuple(chosen))


def _dated(unit: Unit) -> set[str]:
    """The years a unit is dated by: in its words, or a heading that is a date (« Depuis
    2015 », « En 2018 »); a long title's year (« … depuis 2015 » ending a section's name)
    dates the section, not each count in it."""
    last = unit.chunk.context.rpartition(" › ")[2]
    dating = last if len(last.split()) <= 3 else ""
    return set(_YEARS.findall(f"{unit.text} {dating}"))


def disagreeing(
    frame: Frame, selection: Selection, scored: Sequence[Candidate], counted: str = ""
) -> Selection:
    """Two passages that count the same thing in the same words with different values (the
    report's « 11 quartiers en veille active » and, further on, « 10 quartiers en veille
    active »): a count asked is given with both, each quoted, rather than one chosen. The
    thing counted must be named by the question (and be what it counts, `counted`, a stem,
    when it says: « combien d'habitants dans les quartiers en veille active » counts no
    quartiers), and neither passage dated otherwise than the other (a count per year is a
    series, not a disagreement)."""
    if not selection.units or all(p.wants != "number" for p in frame.parts):
        return selection
    asked = set(analyze(_bridged_ask(frame)))
    mine = [(u, c) for u in selection.units for c in _counts(u.text)]
    for unit, (value, stems, written) in mine:
        words = [w for w in stems.split() if len(w) > 2]
        if len(words) < 2 or len(set(words) & asked) < 2 or (counted and words[0] != counted):
            continue
        years = _dated(unit)
        found = [
            (len(c.unit.text), c.unit, w2)
            for c in scored
            if not c.unit.is_record and not _overlaps(c.unit, selection.units) and _dated(c.unit) == years
            for v2, st2, w2 in _counts(c.unit.text)
            if st2 == stems and v2 != value
        ]
        if found:
            # the shortest unit that says it: the sentence, not the paragraph around it
            _, other, w2 = min(found, key=lambda f: f[0])
            at = selection.units.index(unit) + 1  # quoted right after the unit it contradicts
            units = (*selection.units[:at], other, *selection.units[at:])
            return replace(selection, units=units, disagree=(written, w2))
    return selection


def with_list_headings(selection: Selection, units: UnitIndex) -> Selection:
    chosen = list(selection.units)
    for u in list(chosen):
        head = list_heading(u, units)
        if head is not None and not _overlaps(head, chosen):
            chosen.append(head)
    return replace(selection, units=tuple(chosen))


def _compared_row(
    frame: Frame, selection: Selection, units: UnitIndex, expand: Callable[[str], str] = lambda t: t
) -> Selection:
    """« le taux de pauvreté du QPV Biollay-Bellevue comparé à celui de la ville ? »: the best
    row, and right after it each row of its table whose label names what the question compares
    it with (label words of the question that the rows already there lack), most first. A
    label is read with its acronyms expanded and a word matched by its start (« l'agglo » names
    « CA Grand Chambéry », the communauté d'agglomération)."""
    first = next((u for u in selection.units if u.kind == "row"), None)
    if first is None:
        return selection
    asked = set(analyze(frame.ask))

    def label(u: Unit, expanded: bool) -> set[str]:
        name = row_cells(u.text)[0]
        stems = set(analyze(expand(name) if expanded else name))
        return {s for s in asked if any(_same_stem(s, t) for t in stems)}

    rows = units.table_of(first)
    # the words the rows already chosen name (the best one's, and any other of its table)
    covered = set().union(*(label(u, False) for u in rows if _overlaps(u, selection.units)))
    added: list[Unit] = []
    table = [u for u in rows if not _overlaps(u, selection.units)]
    while len(added) < MAX_LIST:
        # the label as written first: an expansion (« QPV » → « … politique de la ville ») only
        # breaks ties and names what the label's words do not (« l'agglo »)
        gains = [
            (len(label(u, False) - covered), len(label(u, True) - covered), -i)
            for i, u in enumerate(table)
            if u not in added
        ]
        if not gains or max(gains)[:2] == (0, 0):
            break
        best = table[-max(gains)[2]]
        added.append(best)
        covered |= label(best, False) | label(best, True)
    if not added:
        return selection
    at = selection.units.index(first) + 1
    return replace(selection, units=(*selection.units[:at], *added, *selection.units[at:]))


def with_table_rows(
    frame: Frame, selection: Selection, units: UnitIndex, expand: Callable[[str], str] = lambda t: t
) -> Selection:
    """« combien au total sur les IRIS de Chambéry-le-haut ? », « dans chacun des deux QPV ? »:
    every row of the best row's table that has the words telling those rows from the others,
    so the sum (or the list) is over all of them, not over the few that ranked high. A
    comparison (« comparé à », « par rapport à », « vs ») brings the row compared with."""
    if selection.units and _COMPARE.search(frame.text):
        selection = _compared_row(frame, selection, units, expand)
    if not selection.units or not (_TOTAL.search(frame.text) or _EACH.search(frame.text)):
        return selection
    first = selection.units[0]
    if first.kind != "row" and _EACH.search(frame.text):
        # « dans chacun des deux QPV » wants the table's rows even when a sentence ranked first
        first = next((u for u in selection.units if u.kind == "row"), first)
    if first.kind != "row":
        return selection
    table = [u for u in units.table_of(first) if not _TOTAL.search(u.text.split(" — ", 1)[0])]
    row_stems = [set(analyze(u.text)) for u in table]
    # words of the question that some rows have and others lack: they pick the rows asked
    picking = {s for s in analyze(frame.ask) if 0 < sum(s in rs for rs in row_stems) < len(table)}
    rows = [u for u, rs in zip(table, row_stems, strict=True) if picking and picking <= rs]
    # words that name rows by their label (« LA MOTTE-SERVOLEX Les Chantres »), the preamble's
    # included (« We're the youth service in La Motte-Servolex »), pick every row of that label;
    # the ask's other words then say what of them it sums (« pour les jeux et le terrain »)
    labels = [set(analyze(u.text.split(" — ", 1)[0])) for u in table]
    # a column's name in every row (« Participation de Grand Chambéry ») names no row
    columns = set.intersection(*(set(analyze(u.text.partition(" — ")[2])) for u in table)) if table else set()
    named = {s for s in analyze(frame.text) if 0 < sum(s in lb for lb in labels) < len(table)} - columns
    if named and len(rows) < 2:
        # the label naming most of them; two labels naming as many leave the ask ambiguous
        most = max(len(named & lb) for lb in labels)
        best = [(u, lb) for u, lb in zip(table, labels, strict=True) if len(named & lb) == most]
        if len({frozenset(lb) for _, lb in best}) == 1:
            rows = [u for u, _ in best]
    if not 2 <= len(rows) <= MAX_LIST:
        return selection
    chosen = rows + [u for u in selection.units if u.kind != "row" and not _overlaps(u, rows)]
    return replace(selection, units=tuple(chosen))


def with_each_item(frame: Frame, selection: Selection, units: UnitIndex) -> Selection:
    """« la Ville de Chambéry et Grand Chambéry mettent combien chacune ? », « Hauts de
    Chambéry versus Bellevue »: an ask that distributes over the things it names wants the
    bullet of each, and a list rarely ranks its items together. The chosen bullets' group is
    searched for the items that add question words the group's items tell apart (words some
    items have and others lack), the best addition first, until no item adds any."""
    if not (_EACH.search(frame.text) or _COMPARE.search(frame.text)):
        return selection
    first = next((u for u in selection.units if u.is_bullet and not u.is_record), None)
    if first is None:
        return selection
    group = [u for u in _bullet_group(first, units) if not u.is_record]
    stems = [set(analyze(u.text)) for u in group]
    asked = set(analyze(_bridged_ask(frame)))
    telling = {s for s in asked if 0 < sum(s in st for st in stems) < len(group)}
    covered = set().union(*(st for u, st in zip(group, stems, strict=True) if _overlaps(u, selection.units)))
    added: list[Unit] = []
    while len(added) < MAX_LIST:
        gains = [
            (len((st & telling) - covered), -i)
            for i, (u, st) in enumerate(zip(group, stems, strict=True))
            if not _overlaps(u, [*selection.units, *added])
        ]
        best = max(gains, default=(0, 0))
        if best[0] == 0:
            break
        added.append(group[-best[1]])
        covered |= stems[-best[1]]
    if not added:
        return selection
    at = selection.units.index(first) + 1
    return replace(selection, units=(*selection.units[:at], *added, *selection.units[at:]))


def _unbullet(text: str) -> str:
    return re.sub(r"^\s*[-•]\s*", "", text)


def _where(unit: Unit, titles: dict[str, str]) -> str:
    c = unit.chunk
    where = titles.get(c.source, c.source)
    if c.objective is not None:
        where += f", Objectif {c.objective}"  # the plan's own label, in either language
    if c.page:
        where += f", p. {c.page}"
    return where


def _named(column: str, stems: set[str]) -> bool:
    """Does the question name this column?"""
    return bool(set(analyze(column)) & stems)


def _row_cells(unit: Unit, stems: set[str], named: Callable[[str, set[str]], bool] | None = None) -> str:
    """'label — col : val ; col : val' with the columns the question names in bold."""
    if " — " not in unit.text:
        return unit.text
    named = named or _named
    label, cells = row_cells(unit.text)
    shown = [f"**{n}** : {v}" if v and named(n, stems) else (f"{n} : {v}" if v else n) for n, v in cells]
    return f"{label} — " + " ; ".join(shown)


_UNAVAILABLE = re.compile(r"^(?:ND|NC|N\.?D\.?|n\.?d\.?|nd|-|–|/)$")


def unavailable_cells(unit: Unit, stems: set[str]) -> list[str]:
    """The cells of a table row that the question names and that the table leaves without a
    value (« ND » = non disponible): what the question asks is not given."""
    if unit.kind != "row" or " — " not in unit.text:
        return []
    named = [(n, v) for n, v in row_cells(unit.text)[1] if v and _named(n, stems)]
    if named and all(_UNAVAILABLE.match(v) for _, v in named):
        return [n for n, _ in named]
    return []


def _amount(text: str) -> tuple[float, str] | None:
    """The first figure of a cell and its unit (€ or nothing); a rate is not summed."""
    m = _AMOUNT.fullmatch(re.sub(r"\s*\b(?:HT|TTC)\b\s*$", "", text.strip()))
    if not m or m.group(3) == "%":
        return None  # a label (« Chambéry-le-haut 5 ») or a rate is not summed
    whole = re.sub(r"\D", "", m.group(1))
    return float(f"{whole}.{m.group(2) or 0}"), " €" if m.group(3) else ""


def _fr_number(x: float) -> str:
    s = f"{x:,.0f}".replace(",", "\u202f")
    return s


def _sum_line(frame: Frame, rows: Sequence[Unit], stems: set[str], lang: str) -> str | None:
    """« au total » over several rows of one table: the sum of the column the question names."""
    if len(rows) < 2 or not _TOTAL.search(frame.text):
        return None
    # « the total number of active businesses »: the column's own name (« Nombre total
    # d'établissements actifs »), not a sum over rows
    columns = {name for r in rows for name, _ in row_cells(r.text)[1]}
    total_words = set(analyze("total"))
    if len(_TOTAL.findall(frame.text)) == 1 and any(
        _TOTAL.search(name) and (set(analyze(name)) - total_words) & stems for name in columns
    ):
        return None
    tables = {r.chunk.context for r in rows}
    if len(tables) != 1:
        return None
    sums: dict[str, float] = {}
    signs: dict[str, str] = {}
    # a total or sub-total row already sums others: added to its parts it counts them twice
    rows = [r for r in rows if not _TOTAL.search(row_cells(r.text)[0])]
    if len(rows) < 2:
        return None
    for r in rows:
        for name, value in row_cells(r.text)[1]:
            amount = _amount(value) if value else None
            if amount is not None and _named(name, stems):
                sums[name] = sums.get(name, 0.0) + amount[0]
                signs[name] = amount[1]
    if not sums:
        return None
    parts = [f"{name} : {_fr_number(v)}{signs[name]}" for name, v in sums.items()]
    head = f"Total sur ces {len(rows)} lignes" if lang == "fr" else f"Total over these {len(rows)} rows"
    return f"{head} — " + " ; ".join(parts)


def sums_rows(frame: Frame, selection: Selection, units: UnitIndex) -> bool:
    """A total asked over rows the question picks out by their own words (« au total sur les
    IRIS de Chambéry-le-haut »), with a column it names: a sum the table gives the parts of."""
    if not selection.units or selection.units[0].kind != "row" or not _TOTAL.search(frame.text):
        return False
    widened = with_table_rows(frame, selection, units)
    rows = [u for u in widened.units if u.kind == "row"]
    return (
        len(rows) >= 2 and _sum_line(frame, rows, set(analyze(_bridged_ask(frame))), frame.lang) is not None
    )


def compose(
    frame: Frame,
    selection: Selection,
    cites: CitationList,
    titles: dict[str, str],
    idf: dict[str, float],
    quote: Callable[[str, str], str],
) -> str:
    lang = frame.lang
    # an English ask names the cells and the counted thing through its French bridge words too
    stems = set(analyze(_bridged_ask(frame)))
    units = list(selection.units)
    lines: list[str] = []
    first = units[0]
    if selection.grid > 1:
        lines += [_row_cells(u, stems, _fully_named) for u in units[: selection.grid]]
    elif first.kind == "row":
        lines.append(_row_cells(first, stems))
        second = units[1] if len(units) > 1 else None
        if second is not None and second.kind == "row" and _COMPARE.search(frame.text):
            lines.append(_row_cells(second, stems))  # what the first row is compared with, beside it
    elif selection.change:
        lines.append(f"**{selection.change}**")
    elif frame.wants == "number":
        # a count asked as such (« combien de », « how many »), and nothing else, is shown as a
        # count (« 6 892 interventions », not the « 78% » beside it); « le nombre … a évolué
        # comment ? » may be answered by a rate of change
        ask = fold(frame.parts[0].own)
        counting = frame.parts[0].measure == "count" and re.search(r"\bcombien d|\bhow many\b", ask)
        measure = "count" if counting else ""
        figure, fit = key_figure(first.text, sorted(stems), idf, measure, told=frame.text)
        if figure and fit > 0:
            lines.append(f"**{figure}**")
    if selection.disagree:
        first_said, second_said = selection.disagree
        lines.append(
            f"Les documents donnent deux chiffres différents : « {first_said} » et « {second_said} »."
            if lang == "fr"
            else f"The documents give two different figures: “{first_said}” and “{second_said}”."
        )
    rows = [u for u in units if u.kind == "row"]
    # cells named by row and column are the answer: a « total » asked is one of the rows
    total = _sum_line(frame, rows, stems, lang) if selection.grid < 2 else None
    if total:
        lines.append(total)
    by_chunk: dict[str, list[Unit]] = {}
    for u in units:
        by_chunk.setdefault(u.chunk.id, []).append(u)
    said = "D’après" if lang == "fr" else "According to"
    for group in by_chunk.values():
        group.sort(key=lambda u: u.start)
        chunk = group[0].chunk
        mark = cites.cite(chunk, (group[0].start, group[-1].end))
        where = _where(group[0], titles)
        records = [u for u in group if u.is_record]
        if records:
            lines += [f"{u.text} {mark}" for u in records]
            group = [u for u in group if not u.is_record]
            if not group:
                continue
        if len(group) == 1:
            text = group[0].text.strip()
            if len(text) > 500 and group[0].kind != "row":
                # a count the documents give twice is kept in view where it is said
                said_twice = {st for w in selection.disagree for st in analyze(w)}
                text = focus(text, sorted(stems | said_twice), idf, limit=450)
            lines.append(f"{said} {where} : {quote(_unbullet(text), lang)} {mark}")
        else:
            body = "\n".join(
                ("- " + _unbullet(u.text.strip())) if u.is_bullet else u.text.strip() for u in group
            )
            lines.append(f"{said} {where} :\n{body} {mark}")
    return "\n".join(lines)
