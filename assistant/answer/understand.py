"""Pure question understanding: what kind of question, which fiche fields, which
objective (by number, topic or previous turn), in which language.

Tolerant by construction: everything is matched on folded text (no accents, no
case), elisions are split ("lobjectif"), key words accept one typo.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..query import detect_lang, parse_refs
from ..textnorm import STOPWORDS, edit_distance, fold
from .frame import YEAR, Frame, Part, asks_something

PILOTS, PARTNERS, TOOLS, AXIS, ACTIONS, TITLE = "pilots", "partners", "tools", "axis", "actions", "title"
EN_COURS, A_DEVELOPPER = "en cours", "à développer"

# stems of the words that name a field; matched on folded words, one typo allowed (len >= 5)
_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    PILOTS: (
        "pilote",
        "pilotes",
        "pilot",
        "pilots",
        "pilotee",
        "pilotees",
        "pilotent",
        "pilotant",
        "lead",
        "leads",
        "led",
        "leader",
        "leaders",
        "leading",
        "responsable",
        "responsables",
        "referent",
        "charge",
        "contacter",
        "contact",
    ),
    PARTNERS: ("partenaire", "partenaires", "partner", "partners", "partenariat", "partenaires?"),
    TOOLS: ("outil", "outils", "tool", "tools", "instruments"),
    AXIS: (
        "axe",
        "axis",
        "appartient",
        "belong",
        "belongs",
        "rattache",
        "rattachee",
        "thematique",
        "theme",
        "themes",
        "theme",
    ),
    ACTIONS: ("action", "actions", "prevu", "prevues", "prevoit", "planned", "activities", "mesures"),
    TITLE: ("intitule", "titre", "title", "libelle", "called", "appelle", "denomination"),
}
_FIELD_PHRASES: dict[str, tuple[str, ...]] = {
    PILOTS: (
        "qui pilote",
        "qui porte",
        "qui s occupe",
        "qui s en occupe",  # the clitic « en » stands for the fiche named before
        "in charge",
        "who runs",
        "qui est en charge",
        "qui dirige",
    ),
    PARTNERS: ("avec qui", "associes a", "work with", "who else"),
    TITLE: (
        "c est quoi",
        "de quoi parle",
        "what is",
        "what s",
        "qu est ce que",
        "quel est l objectif",
        "presente",
    ),
}
_STATUS_PHRASES = {
    EN_COURS: ("en cours", "ongoing", "current", "underway", "deja", "existing", "actuelles"),
    A_DEVELOPPER: (
        "a developper",
        "to develop",
        "to be developed",
        "developper",
        "future",
        "futures",
        # not « planned »: « what actions are planned under objective 17? » asks the plan's
        # actions, those under way as well
        "nouvelles",
        "a venir",
        "prevoir",
    ),
}
# asks where something fits, whatever else the question names
_FIT_ASKS = (
    "objectifs correspondent",
    "objectif correspond",
    "objectifs qui correspondent",
    "objectif qui correspond",
    "fiches correspondent",
    "fiche correspond",
    "objectives fit",
    "objective fits",
    "objectives that fit",
    "objective that fits",
    "objectives match",
    "objective matches",
)
_FINDER_PHRASES = (
    "quel objectif",
    "quelle fiche",
    "which objective",
    "what objective",
    "mon projet",
    "notre projet",
    "notre association",
    "mon association",
    "nous sommes",
    "je suis",
    "nous animons",
    "j anime",
    "nous proposons",
    "je propose",
    "nous organisons",
    "j organise",
    "nous voulons",
    "je voudrais",
    "nous souhaitons",
    "je souhaite",
    "quel objectif correspond",
    "quels objectifs correspondent",
    "quel objectif pour",
    "dans quel objectif",
    "dans quels objectifs",
    "a quel objectif",
    "quelle fiche correspond",
    "my project",
    "our project",
    "our association",
    "we run",
    "we organise",
    "we organize",
    "i run",
    "i organise",
    "i organize",
    "we are",
    "which objective",
    "what objective",
    "fits my",
    "fits our",
    "correspond a mon",
    "correspond a notre",
    "rentre dans",
    "entre dans quel",
    "porteur de projet",
    "nous accompagnons",
    "j accompagne",
    "nous portons",
    "je porte",
    "we want",
    "we would like",
    "i want",
    "i would like",
    "we plan",
    "we offer",
    "we provide",
    "we help",
    "i help",
    "we support",
    "nous aidons",
    "j aide",
    "nous menons",
    "je mene",
    # where the asker (not an objective) belongs: « On se rattache à quoi ? », « where do we fit? »
    "on se rattache",
    "nous rattacher",
    "ca se rattache",
    "on rentre",
    "on correspond",
    "we fit",
    "we belong",
    "does it fit",
)
_LIST_WORDS = (
    "quels sont",
    "quelles sont",
    "liste",
    "lister",
    "enumere",
    "what are",
    "list",
    "which are",
    "tous les",
    "toutes les",
    "all the",
    "all objectives",
)
_NUMERIC_PHRASES = (
    "combien",
    "how many",
    "how much",
    "quel montant",
    "quelle somme",
    "quel taux",
    "quel nombre",
    "nombre de",
    "nombre d",
    "pourcentage",
    "quelle part",
    "quel budget",
    "montant",
    "taux",
    "what percentage",
    "what share",
    "what amount",
    "total",
)
_FOLLOW_UP_STARTS = (
    "et ",
    "and ",
    "what about",
    "et pour",
    "et le",
    "et la",
    "et les",
    "et ses",
    "et son",
    "et sa",
    "and its",
    "and the",
    "same for",
    "pareil",
    "idem",
    "meme question",
)
# a demonstrative before a fiche: the one the conversation (or the part before) is about
_THIS_FICHE = re.compile(
    r"\b(?:cette|cet|ce|la meme|le meme|this|that|the same) (?:meme )?(?:fiche|objectif|objective|sheet|fiche action)\b"
)
# who tells a project speaks of it in the first person (« on anime … », « our club … »); a long
# run of keywords without it (« carte d'identité des quartiers : pour le QPV …, population,
# demandeurs d'emploi et revenu médian ») asks the documents
_WE_FR_WORDS = "je|j|nous|on|notre|nos|mon|ma|mes"
_WE_EN_WORDS = "we|our|us|i|my"
_FIRST_PERSON = re.compile(rf"\b(?:{_WE_FR_WORDS}|{_WE_EN_WORDS})\b")
# the first person of each language apart: « who is on the partner list » is no French « on »
_WE_FR = re.compile(rf"\b(?:{_WE_FR_WORDS})\b")
_WE_EN = re.compile(rf"\b(?:{_WE_EN_WORDS})\b")


def first_person(text: str, lang: str) -> bool:
    """Is the text told by its asker (« on », « nous », « we », « my »)?"""
    return bool((_WE_EN if lang == "en" else _WE_FR).search(fold(text)))


_QUESTION_WORDS = frozenset(
    "qui quoi quel quelle quels quelles quand comment combien pourquoi ou est sont what who which when how why where "
    "does do is are the of for fiche fiches objectif objectifs objective objectives obj contrat ville plan "
    "donne donner dire dis moi svp please peux pouvez tell me show list liste sont vient viennent provient "
    "coute coutent existe existent faut trouve trouver sait savoir connait connaitre ya a-t-il il y "
    "want wants need needs help get got take took give make run receive received spend spent happen happened "
    "would could should can did does there".split()
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    intent: str  # empty | field | summary | finder | list_axes | list_objectives | org | fact
    fields: tuple[str, ...] = ()
    status: str | None = None
    objectives: tuple[int, ...] = ()
    axes: tuple[int, ...] = ()
    topic: str = ""  # content words left once field words, refs and question words are gone
    follow_up: bool = False
    numeric: bool = False
    wants_list: bool = False


@dataclass(frozen=True)
class Turn:
    """What a follow-up needs from a previous turn."""

    objectives: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    intent: str = ""


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text).replace("'", " ").replace("’", " "))


# words one edit away from a field word that are words of their own, not its typos
# (« the change » is no « charge », « la charte » no « en charge », « mesurer » no « mesures »)
_NOT_TYPOS = frozenset("change changes changed charte chartes mesurer".split())


def _has_word(words: Sequence[str], vocab: Sequence[str]) -> bool:
    for w in words:
        for v in vocab:
            if w == v or (
                len(v) >= 6
                and len(w) >= 5
                and w[0] == v[0]
                and w not in _NOT_TYPOS
                and edit_distance(w, v, 1) <= 1
            ):
                return True
            if len(w) > len(v) + 1 and w[1:] == v:  # "lobjectif"-style glued elision
                return True
    return False


def _phrase(text: str, phrases: Sequence[str]) -> bool:
    padded = f" {text} "
    return any(f" {p} " in padded for p in phrases)


# plural forms of the axis's words: a plural asks many things, and a fiche has one axis
_PLURAL = frozenset("themes thematiques axes".split())


def detect_fields(text: str) -> tuple[str, ...]:
    # « le plan d'actions » is the document's name, not its actions field
    folded = re.sub(r"\bplans? d actions?\b|\baction plans?\b", "plan", " ".join(_words(text)))
    words = folded.split()
    found = []
    for name in (PILOTS, PARTNERS, TOOLS, AXIS, ACTIONS, TITLE):
        if _has_word(words, _FIELD_WORDS[name]) or _phrase(folded, _FIELD_PHRASES.get(name, ())):
            found.append(name)
    refs = parse_refs(text)
    # "axe 3" names an axis, it does not ask for one; "l'objectif 12" with "qu'est-ce que" asks its title
    if (
        AXIS in found
        and refs.axes
        and not _phrase(folded, ("quel axe", "which axis", "what axis", "a quel axe"))
    ):
        found.remove(AXIS)
    if (
        AXIS in found
        and len(refs.objectives) < 2
        and not _has_word([w for w in words if w not in _PLURAL], _FIELD_WORDS[AXIS])
    ):
        # a fiche has one axis: « quelles thématiques ont été retenues comme prioritaires (fiche
        # 13) ? », « which themes… ? » ask a list the fiche holds, not its axis
        found.remove(AXIS)
    if TITLE in found and (len(found) > 1 or not refs.objectives):
        found.remove(TITLE)  # "qu'est-ce que le DIRED ?" asks a definition, not a fiche title
    return tuple(found)


def detect_status(text: str) -> str | None:
    folded = " ".join(_words(text))
    for status, phrases in _STATUS_PHRASES.items():
        if _phrase(folded, phrases):
            return status
    return None


def topic_words(text: str) -> list[str]:
    """Content words of the question: not field words, not question words, not numbers."""
    field_vocab = {w for ws in _FIELD_WORDS.values() for w in ws}
    out = []
    for w in _words(text):
        if w in STOPWORDS or w in _QUESTION_WORDS or w in field_vocab or len(w) < 3:
            continue
        if w.isdigit() and not re.fullmatch(
            r"(19|20)\d\d", w
        ):  # years say which figure; other numbers are refs
            continue
        if any(w.endswith(v) and len(w) - len(v) <= 2 for v in ("objectif", "objective")):
            continue
        if _has_word([w], ("objectif", "objective", "pilote", "partenaires")):
            continue
        out.append(w)
    return out


def is_follow_up(
    text: str, fields: Sequence[str], refs_objectives: Sequence[int], topic: Sequence[str]
) -> bool:
    folded = " ".join(_words(text))
    short = len(folded.split()) <= 7
    starts = any(folded.startswith(s.strip() + " ") or folded == s.strip() for s in _FOLLOW_UP_STARTS)
    if short and starts:
        return True
    if not refs_objectives and _THIS_FICHE.search(folded):
        return True  # « qui est listé en partenaires sur cette fiche ? » points back, however long
    # "ses partenaires ?" / "and the tools?": a field without any subject
    return bool(fields) and not refs_objectives and not topic and short


def understand(text: str, history: Sequence[Turn] = ()) -> Question:
    stripped = text.strip()
    if not stripped or not re.search(r"\w", stripped):
        return Question(text, "fr", "empty")
    lang = detect_lang(stripped)
    folded = " ".join(_words(stripped))
    refs = parse_refs(stripped)
    fields = detect_fields(stripped)
    status = (
        detect_status(stripped)
        if ACTIONS in fields or _phrase(folded, ("a developper", "en cours"))
        else None
    )
    if status and ACTIONS not in fields:
        fields = (*fields, ACTIONS)
    topic = topic_words(stripped)
    if status:  # "à développer" says which actions, not what about
        topic = [
            w
            for w in topic
            if w not in {"developper", "cours", "develop", "developed", "ongoing", "current", "planned"}
        ]
    numeric = _phrase(folded, _NUMERIC_PHRASES)
    wants_list = _phrase(folded, _LIST_WORDS)
    follow = bool(history) and is_follow_up(stripped, fields, refs.objectives, topic)
    objectives = refs.objectives
    if follow:
        last = history[-1]
        if not objectives:
            objectives = last.objectives
        if not fields:
            fields = last.fields
    base = dict(
        text=text,
        lang=lang,
        fields=fields,
        status=status,
        objectives=objectives,
        axes=refs.axes,
        topic=" ".join(topic),
        follow_up=follow,
        numeric=numeric,
        wants_list=wants_list,
    )

    words = folded.split()
    asks_axes = "axes" in words or (
        ("axe" in words or "axis" in words) and not refs.axes and not objectives and wants_list
    )
    if asks_axes and not objectives and not (set(fields) - {AXIS}):
        return Question(intent="list_axes", **base)  # type: ignore[arg-type]
    plural_objectives = any(w in words for w in ("objectifs", "objectives", "fiches"))
    if plural_objectives and refs.axes and not objectives:
        return Question(intent="list_objectives", **base)  # type: ignore[arg-type]
    if plural_objectives and wants_list and not objectives and not fields and len(topic) <= 2:
        return Question(intent="list_objectives", **base)  # type: ignore[arg-type]
    if _phrase(folded, _FIT_ASKS) and not objectives:
        # « … au Biollay. Quels objectifs correspondent et qui contacter ? » asks where a project
        # fits (the finder names the pilots to contact), not which objectives an organisation
        # is in, though it names objectives and a field
        return Question(intent="finder", **base)  # type: ignore[arg-type]
    if plural_objectives and not objectives and (fields and set(fields) <= {PILOTS, PARTNERS}) and topic:
        return Question(intent="org", **base)  # type: ignore[arg-type]
    finder = _phrase(folded, _FINDER_PHRASES) or (
        len(words) >= 14
        and not numeric
        and not fields
        and "?" not in stripped
        and not asks_something(stripped)
        and bool(_FIRST_PERSON.search(folded))
    )
    if finder and not objectives:
        return Question(intent="finder", **base)  # type: ignore[arg-type]
    if fields and (objectives or topic):
        return Question(intent="field", **base)  # type: ignore[arg-type]
    if objectives and not topic:
        return Question(intent="summary", **base)  # type: ignore[arg-type]
    return Question(intent="fact", **base)  # type: ignore[arg-type]


def understand_framed(frame: Frame, history: Sequence[Turn] = ()) -> Question:
    """The question read from its ask (the preamble says who asks, not what), with what the
    frame knows about the answer wanted."""
    q = understand(frame.ask or frame.text, history)
    wants = {p.wants for p in frame.parts}
    if (
        q.intent == "finder"
        and "objective" not in wants
        and (wants & {"number", "definition"} or frame.asks_values)
    ):
        # « pour notre dossier je voudrais citer le bilan : combien d'ateliers ? » tells who
        # asks, but what is asked is a figure (or a time, a contact, a name), not where a
        # project fits
        return Question(**{**q.__dict__, "intent": "fact"})
    if q.intent == "finder" and frame.context:
        return Question(**{**q.__dict__, "text": frame.text})  # a project told in the preamble
    if q.intent in ("field", "summary") and all(_no_field_holds(p) for p in frame.parts):
        # « combien de conseillers numériques la fiche 15 prévoit-elle ? », « the budget of
        # objective 16 »: a fiche lists organisations and actions, it holds no figure; the
        # passages answer, or the documents do not say
        return Question(**{**q.__dict__, "intent": "fact"})
    return q


FIELD_VOCAB = frozenset(w for ws in _FIELD_WORDS.values() for w in ws) | {
    "objectifs",
    "objectives",
    "fiches",
}


# values a fiche field never holds (its pilots, partners, tools, axis and actions are names and
# aims); a person's name is answered by the fiche's structures, with the near miss said
NOT_IN_FIELDS = frozenset({"date", "time", "contact", "amount", "percent"})


def _no_field_holds(part: Part) -> bool:
    """An amount, a rate, a date, a time or a contact asked, or a count of something no fiche
    field lists (« combien de partenaires » counts a field, « combien de conseillers » not).
    Money or a rate only when a figure is asked: « la fiche sur la recherche de financements,
    c'est qui le pilote ? » names money and asks the pilots."""
    if part.measure in NOT_IN_FIELDS:
        return part.wants == "number" or part.measure not in ("amount", "percent")
    return (
        part.wants == "number"
        and part.measure == "count"
        and bool(part.focus)
        and not set(part.focus.split()) & FIELD_VOCAB
    )


STRUCTURED = ("field", "summary", "org", "list_axes", "list_objectives")


# pronouns that point back at what an earlier part or the head of the question named
_POINTS_BACK = re.compile(
    r"\b(?:it|its|them|their|they|ca|cela|leur|leurs|lui|celui ci|celle ci)\b"
    # « combien de jeunes y avaient participé »: « y » stands for the place or the action named
    # before (« qu'est-ce qui y a été financé ? »); « il y a », « y en a » only say that
    # something exists
    r"|(?<!\bil )\by\b(?!\s+(?:a|avait|aura|ait|en)\b(?!\s+ete\b))"
)


def part_questions(
    frame: Frame, history: Sequence[Turn] = (), force: bool = False
) -> list[tuple[str, Question]] | None:
    """Each part of a compound question read on its own, when the parts go different ways
    (« qui pilote l'objectif 5 et combien de jeunes suivis en 2018 ? »: a fiche field, then a
    figure); None when one reading answers them all (two figures, or two fields of a fiche).
    A part that says too little alone (« et en 2017 ? ») is read with the words it inherits,
    and each part is a follow-up of the one before (« … et ses partenaires ? »). `force`: the
    parts whatever ways they go."""
    if not frame.compound:
        return None
    turns = list(history)
    out: list[tuple[str, Question]] = []
    for part in frame.parts:
        own = part.own or part.text
        q = understand(own, turns)
        # « …, and what's planned for it in 2019-2020? »: a part that points back at what the
        # question is about is read with it
        refers = bool(_POINTS_BACK.search(fold(own))) and own != part.text
        if refers or (not q.objectives and not q.fields and len(q.topic.split()) < 2 and not q.follow_up):
            own = part.text
            q = understand(own, turns)
        if frame.context and first_person(own, frame.lang):
            # a part told in the first person is about who the preamble says « we » are:
            # « On est partenaires de Sport dans la ville. On apparaît où dans le plan, et … ? »
            # asks where Sport dans la ville appears
            own = f"{frame.context} {own}"
            q = understand(own, turns)
        out.append((own, q))
        turns.append(Turn(q.objectives, q.fields, q.intent))
    if force:
        return out  # the caller knows the parts go different ways (see Answerer._place_parts)
    if len({q.intent in STRUCTURED for _, q in out}) == 1:
        return _field_beside_fact(frame, out, history)
    return out


def _field_beside_fact(
    frame: Frame, out: list[tuple[str, Question]], history: Sequence[Turn]
) -> list[tuple[str, Question]] | None:
    """« Pour la fiche sur la recherche de financements, quelles pistes sont envisagées, et qui
    pilote ? »: read whole, the question asks one fiche field (the pilots) and the other part
    is lost; read part by part, « qui pilote » alone is a follow-up of nothing. When the whole
    reading is a field that only some parts name, and the others ask facts, each part goes
    its own way: a field part stays a follow-up of the fiche the part before is answered from,
    and carries the words it inherits (which name the fiche) for when that part is answered
    from no fiche. None when one reading answers them all."""
    named = [bool(q.fields) for _, q in out]
    if not any(named) or all(named) or any(q.intent != "fact" for _, q in out if not q.fields):
        return None
    if understand(frame.ask or frame.text, history).intent != "field":
        return None
    parts: list[tuple[str, Question]] = []
    for (own, q), part in zip(out, frame.parts, strict=True):
        if (
            q.fields
            and q.follow_up
            and not q.objectives
            and own != part.text
            and not _THIS_FICHE.search(fold(own))
            and understand(part.text, history).intent == "field"
        ):
            # the part stays a follow-up of the fiche the part before is answered from, when it
            # is one; otherwise the answerer reads `own`, the words it inherits, which name the
            # fiche. (« … sur cette fiche » points at the part before's fiche only.)
            own = part.text
        parts.append((own, q))
    return parts


# the first word of a document's title says what kind of document it is; the words a question
# may use for that kind, in French and English
_DOC_KIND_WORDS = {
    "plan": ("plan",),
    "rapport": ("rapport", "report", "bilan"),
    "page": ("page", "site", "website"),
}


def named_documents(text: str, titles: dict[str, str]) -> tuple[tuple[str, ...], str]:
    """The documents a question names by their kind and, when it gives one, a year of their
    title (« d'après le plan 2021-2022 », « le bilan 2018 », « the 2018 report »), and the
    question without the words that name them: they say where to look, not what to find
    (« plan », « 2021 » would match the plan's introduction best). No document when the
    question names every document or none. « en rapport avec », « par rapport à » name
    nothing."""
    words = re.sub(r"\b(?:en|par) rapport\b", " ", fold(text)).split()
    asked_years = set(YEAR.findall(text))
    out: list[str] = []
    naming: set[str] = set()
    for source, title in titles.items():
        kind = (fold(title).split() or [""])[0]
        said = set(_DOC_KIND_WORDS.get(kind, (kind,))) & set(words)
        if not said:
            continue
        years = set(YEAR.findall(title))
        if asked_years and years and not asked_years & years:
            continue
        out.append(source)
        naming |= said | (asked_years & years)
    if not out or len(out) == len(titles):
        return (), text
    rest = re.sub(r"\b(?:" + "|".join(sorted(naming)) + r")\b", " ", text, flags=re.IGNORECASE)
    return tuple(out), " ".join(rest.split())
