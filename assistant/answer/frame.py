"""Question frame (pure): what is asked, apart from how it is said.

People write « Nous animons des cours de français à Cognin. Pour notre dossier je voudrais
citer le bilan 2018 des ateliers sociolinguistiques : combien d'ateliers et combien de
participants ? ». The frame keeps the preamble as context (it names who asks, not what),
takes the ask, splits a compound ask into its parts in the order asked, and says what kind
of answer each part wants (a number, a list, a name, a definition, yes/no …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..query import detect_lang, parse_refs
from ..textnorm import STOPWORDS, expand_shorthand, fold, fold_char_preserving

# interrogative cues, on folded text (no accents, lower case, apostrophes as spaces)
_CUES_FR = (
    r"\bqui\b|\bquel(?:le)?s?\b|\bcombien\b|\bcomment\b|\bpourquoi\b|\bquand\b|\bou\s+(?:se|sont|est|en)\b|"
    r"\best ce\b|\bc est quoi\b|\bc quoi\b|\by a t il\b|\by a\b|\bil y a\b|\blequel\b|\blaquelle\b|\blesquel|"
    r"\bqu est ce\b|\bque (?:prevoit|dit|fait|signifie|veut)\b|\bon (?:les )?a\b|\bquoi\b|\bpeut on\b|\bfaut il\b|"
    # written as said: « ya combien », « ya quoi » (il y a); « c'était où » at the end, unaccented
    r"\bya\b|\bou\s*$"
)
_CUES_EN = (
    r"\bwhats?\b|\bwhich\b|\bwho\b|\bhow\b|\bwhere\b|\bwhen\b|\bwhy\b|\bis there\b|\bare there\b|"
    r"\bdoes\b|\bdo\b|\bdid\b|\bcan\b|\bare we\b|\bis it\b|\bany\b"
)
_CUE = re.compile(f"{_CUES_FR}|{_CUES_EN}")
# « ma fille qui cherche du boulot »: « qui » after a noun is a relative pronoun, no question;
# after « c'est », a verb or a preposition it asks (« c'est qui ? », « avec qui ? »)
_RELATIVE_QUI = re.compile(
    r"\b(?!(?:c|est|sont|et|ou|pour|avec|de|par|chez|a|vers|sur|aupres|contre|mais|alors|donc)\b)"
    r"([a-z]{2,}) qui\b"
)


def _asks(folded: str) -> bool:
    """Whether folded text has an interrogative cue, a relative « qui » aside."""
    return bool(_CUE.search(_RELATIVE_QUI.sub(r"\1 ", folded)))


def asks_something(text: str) -> bool:
    """Whether text asks (an interrogative cue, a relative « qui » aside), with or without its
    question mark: users often leave it out."""
    return _asks(_folded(text))


_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_PREPOSITION = re.compile(
    r"^(?:over|for|in|from|to|on|at|by|with|since|during|dans|pour|par|sur|avec|en|de|des|du|a|depuis|"
    r"pendant|chez|vers|entre|between)\s+"
)
# the subject pronouns a clause that asks on its own may open with
# « c'est qui le maître d'ouvrage », « c qui » as typed
_PRONOUN_SUBJECT = re.compile(r"(?:ca|cela|il|ils|elle|elles|on|it|they|c est|c)\s")
# where a compound ask splits: "… et combien …", "…, and how many …", "? Et …", and a comma
# before a clause with its own subject (« ça coûte combien, ça finit quand »)
_JOIN = re.compile(
    r"(?:\s*[,;]?\s+(?:et|and|puis|ainsi que)\s+|\s*\?\s*|\s*,\s+(?:dont|including)\s+|"
    r"\s*,\s+(?=(?:ça|ca|il|ils|elle|elles|on|c'est|c’est|c)\s))"
)

_NUMBER = re.compile(
    # « à part l'Etat » means « except », « took part », « prennent part » take part: no share
    r"\bcombien\b|\bhow (?:many|much)\b|\bnombre\b|\bmontant\b|\bcout(?:e)?\b|"
    r"(?<!\ba )(?<!\btook )(?<!\btake )(?<!\btakes )(?<!\btaking )(?<!\bprend )(?<!\bprennent )(?<!\bpris )\bpart\b|"
    r"\bpourcentage\b|"
    r"\btaux\b|\bpercentage\b|\bshare\b|\bamount\b|\bcost\b|\bnumber of\b|\btotal\b|\bbudget\b|\bsomme\b|"
    r"\bparticipation\b|\bbig\b|\bhow busy\b|\bproportion\b|\bsub ?total\b"
)
_LIST = re.compile(
    r"\bquels? sont les\b|\bquelles sont les\b|\bquels\b|\bquelles\b|\blesquel|\bwhich (?:ones|are)\b|"
    r"\bwho(?:'s| is)? listed\b|\bwho sits\b|\bwhat (?:are|were) the\b|\blist\b|\bliste\b|\bc etait qui\b|\bwho else\b|"
    # « les 3 temps forts », « the three key moments »: a counted set is a list
    r"\b(?:les|the|ses|its|their|leurs) (?:\d+|deux|trois|quatre|cinq|six|sept|two|three|four|five|six|seven)\b"
)
_WHO = re.compile(r"\bqui\b|\bwho\b|\bquel(?:le)? (?:bailleur|structure|association|organisme|service)\b")
_DEFINITION = re.compile(
    r"\bc est quoi\b|\bc quoi\b|\bqu est ce qu|\bque (?:signifie|veut dire)\b|\bwhat (?:is|does|s)\b|"
    r"\bmean(?:s|ing)?\b|\bdefinition\b|\bsignifi"
)
# asking what a term means, whatever else it names (« taux », « montant »): unlike « c'est
# quoi le taux de pauvreté à Cognin ? », these never ask for a value
_MEANING = re.compile(
    r"\bveut dire\b|\bveulent dire\b|\bsignifi|\bmean(?:s|ing)?\b|\bdefini(?:e|es|s|tion)?\b|\bdefined\b|"
    r"\bdefinition\b|\bhow (?:is|are) .{0,60}\b(?:calculated|computed)\b|\bcalcule(?:e|s)? comment\b|"
    # what a thing is for: its purpose, never a value (« What are the conseils citoyens for, … »)
    r"\ba quoi (?:sert|servent)\b|\bca sert a quoi\b|\bwhat (?:is|are) [^?,]{1,60} for\s*(?:$|\?|,|and\b)|"
    r"\bwhat (?:is|are) [^?,]{1,60} used for\b|\bpurpose of\b|"
    # what tells two terms apart is what each means (« différence entre crédits spécifiques et
    # droit commun ? »)
    r"\bdifferences? (?:entre|between)\b|\bla diff\b"
)
_YESNO = re.compile(
    r"^(?:est ce que?|est ce qu|are we|is there|is it|does|do|did|y a t il|a t on)\b|"
    # spoken yes/no, asked by its end: « les régies de quartier sont dans le coup ou pas ? »
    r"\b(?:ou pas|ou non|or not)\W*$"
)
_OBJECTIVE = re.compile(
    r"\bquel(?:le)? (?:objectif|fiche|axe)\b|\bwhich (?:objective|part|fiche)\b|"
    r"\bdans quel(?:le)?s? (?:objectif|fiche|axe|partie|volet)s?\b|"
    r"\bunder which\b(?! (?:law|act|decree|legislation|scheme|programme|program))|\brattache\b|\bquel objectif\b|"
    # where a project fits: « where do we fit in the plan? », « ça correspond à quel objectif »,
    # « which part of the plan is it », « on rentre dans quoi »
    r"\bwhere (?:do|does|would|could|can) (?:we|i|it|this|our \w+) fit\b|\bfits? (?:in|into|under) the plan\b|"
    r"\bwhich part of the plan\b|\bcorrespond\w* a (?:quoi|quel(?:le)?s?)\b.*\b(?:plan|objectif|fiche|axe)|"
    r"\bdans quelle partie du plan\b"
)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a year as the documents write one
# which measure a number or date question wants: a rate is not a count, a date not a figure
# (« share », « part » are left out: Grand Chambéry's share of a cost is an amount)
_MEASURES = (
    (
        "date",
        re.compile(
            r"\bquand\b|\bquelle date\b|\ba quelle date\b|\bwhen\b|\bwhat date\b|\ben quelle annee\b|\bwhat year\b|\bdeadline\b|\becheance\b"
        ),
    ),
    (
        "percent",
        re.compile(
            r"\bpourcentage\b|\btaux\b|\bpercentage\b|\bproportion\b|\brate\b|%|\bpour ?cent\b|\bper ?cent\b"
            # « quelle part des financements vient de l'Etat ? », « what share of … »
            r"|\bquelle part\b|\bwhat share\b"
        ),
    ),
    (
        "amount",
        re.compile(
            r"\bmontant\b|\bcout|\bbudget\b|\bsomme\b|\beuros?\b|\bhow much\b|\bcost\b|\bamount\b|\bpaye|\bpaid\b|\bpay\b|\bspent\b|\bspend\b"
        ),
    ),  # « combien d'enfants », « how many children »: people or things counted, not money
    ("count", re.compile(r"\bcombien d\b|\bcombien de\b|\bhow many\b|\bnombre d\b|\bnombre de\b")),
)
# words that name money without asking an amount (« c quoi les crédits spécifiques ? » asks what
# they are): an amount only when the question asks for a figure
_MONEY_NOUNS = re.compile(
    r"\bfinanc|\bsubvention|\bparticipation\b|\bverse|\bcredits?\b|\bfunding\b|\bargent\b|\bmoney\b|"
    r"\bfonds\b|\bfunds?\b|\beuros?\b"
)
# values of a kind a question can ask for whatever its form (« c'est quoi le numéro de la
# mission locale ? » is a « c'est quoi », « qui est le maire ? » a « qui »): a time of day,
# a way to get in touch, a person's name. A unit without such a value cannot answer.
_VALUES = (
    (
        "time",
        re.compile(
            r"\bhoraires?\b|\ba quelle heure\b|\bquelle heure\b|\bheures? d ouverture\b|\bouvert(?:e|s|es)? (?:le|les|quand)\b|"
            r"\b(?:ouvre|ouvrent|ferme|ferment)\b|\bwhat time\b|\bopening (?:hours|times)\b|\b(?:open|close)s? (?:on|at)\b|"
            r"\bwhen (?:does|do|is|are) .{0,40}\b(?:open|close)\b|"
            # the days it opens (« c'est ouvert quels jours ? », « which days is it open? »)
            r"\bouvert(?:e|s|es)? quel(?:le)?s? jours?\b|\bquels? jours?\b.{0,30}\bouvert|"
            r"\b(?:which|what) days?\b.{0,40}\bopen\b|\bopen (?:on )?(?:which|what) days?\b"
        ),
    ),
    (
        "contact",
        re.compile(
            r"\btelephone\b|\btel\b|\bportable\b|\bphone\b|\be ?mail\b|\bcourriel\b|\bmail\b|"
            r"\badresse\b|\baddress\b|\bsite (?:web|internet)\b|\bwebsite\b|\burl\b|\bcontact details\b|"
            r"\b(?:comment|how (?:do|can) (?:i|we)) (?:les |la |le |l )?(?:contacter|joindre|contact|reach|call)\b|"
            r"\bnumero\b(?! (?:iris|d objectif|de l objectif|de fiche|de la fiche|d axe|de l axe|d action|de page|\d))"
        ),
    ),
    (
        "person",
        re.compile(
            r"\b(?:maire|mayor|directeur|directrice|director|president|presidente|vice president|vice presidente|"
            r"adjoint|adjointe|prefet|prefete|coordinateur|coordinatrice|coordinator|charge de mission|chargee de mission|"
            r"chef de projet|head of)\b.{0,60}\b(?:qui|nom|name|who|s appelle|called)\b|"
            r"\b(?:qui|who)\b.{0,30}\b(?:maire|mayor|directeur|directrice|director|president|presidente|"
            r"vice president|prefet|coordinateur|coordinatrice|coordinator|head)\b|"
            # « comment s'appelle le vice-président … ? »: the name asked before the role
            r"\b(?:s appelle|s appellent|name of|name s)\b.{0,20}\b(?:maire|mayor|directeur|directrice|director|"
            r"president|presidente|vice president|vice presidente|adjoint|adjointe|prefet|prefete|coordinateur|"
            r"coordinatrice|coordinator|charge de mission|chargee de mission|chef de projet)\b|"
            r"\bson nom\b|\bleur nom\b|\bses noms\b|\bleurs noms\b|\bname of (?:the|their|his|her)\b|\btheir names?\b|"
            r"\bhis name\b|\bher name\b|\bnom (?:du|de la|de l) (?:maire|directeur|directrice|president|responsable|referent|referente)|"
            # a named contact in a structure (« la personne référente », « nom et prénom »)
            r"\bla personne (?:referente|responsable|a contacter)\b|\bnom et prenom\b|\bprenom\b|"
            r"\bcontact person\b|\bfirst name\b|\bfull name\b|\bwhich person\b"
        ),
    ),
)
VALUE_TYPES = tuple(name for name, _ in _VALUES)
# where the asker read it is no value asked (« d'après le site web, … quels thèmes ? », « on
# their website, who … »): the source is said, a web address is not asked for
_SOURCE = re.compile(
    r"\b(?:d apres|selon|sur|dans|according to|on|in|from)\s+(?:le |la |les |l |the |their |its |leur |son |sa )?"
    r"(?:site (?:web|internet)|website|web ?page|page (?:web|internet))\b"
)

# the thing a part asks about: the words right after its interrogative (« combien de
# conseillers numériques », « quels sont les horaires », « who is the director », « how many
# flats »), or before an ask put last (« l'inscription c'est combien »). A unit that lacks them
# speaks of something else, however close its other words (« le maire » is not « les mairies »).
_DET = r"(?:(?:le|la|les|l|leur|leurs|son|sa|ses|du|des|de|d|un|une|the|a|an|your|our|its|their)\s+)?"
_FOCUS_AFTER = re.compile(
    r"\b(?:combien|cb)\s+(?:de|d|d en)\s+|"
    rf"\bquel(?:le)?s?\s+(?:est|sont|etait|etaient|sera|seront|serait)?\s*(?:ce\s+que\s+)?{_DET}|"
    rf"\b(?:qui\s+(?:est|sont|etait)|c\s+est\s+qui|c\s+qui)\s+{_DET}|"
    rf"\b(?:c\s+est\s+quoi|c\s+quoi|qu\s+est\s+ce\s+que\s+c\s+est\s+que)\s+{_DET}|"
    r"\ba\s+quelle\s+|"
    # « how much did the agglo put … »: an auxiliary after « how much » starts its clause, the
    # thing paid is not named (as in « combien l'agglo a mis »)
    r"\bhow\s+(?:many|much)\s+(?!(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could)\b)|"
    rf"\b(?:what(?:\s+is|\s+are|\s+was|\s+were|\s+s)?|whats)\s+{_DET}|"
    rf"\bwho(?:\s+is|\s+are|\s+was|\s+s)\s+{_DET}|"
    r"\bwhich\s+"
)
_FOCUS_BEFORE = re.compile(r"(?:^|\s)((?:\w+\s+){1,2})(?:c\s+est|c|ca|ça)\s+(?:combien|quoi|qui|quand)\b")
# words that say how an answer is asked for, not what about (« quel est le nombre de … »)
_NOT_FOCUS = frozenset(
    """
    nombre number total montant amount somme sum part share liste list chose choses thing things
    objectif objectifs objective objectives fiche fiches axe axes action actions difference role
    type types sorte kind point points exemple example genre truc trucs much many does did do is
    are was were est sont y il ils elle elles on nous vous we they you it this that ce cette ces
    le la les l un une des du de d the a an of et and ou or en in dans pour for sur on par by
    a au aux to with avec quoi what who qui quel quelle quels quelles which prevu prevus prevue
    concretement exactement vraiment really exactly ont avait avaient ete sera depuis deja svp stp
    lui eux ones one there here live lives living mentioned mention stand stands mean means came come comes
    fits fit situe parle parlent listees listes citees cites representent planned prevoit between
    entre
    """.split()
)


# nouns that name a time or a date asked
_VALUE_NOUNS = frozenset(
    "heure heures horaire horaires date dates annee jour time times year day hours".split()
)


# a French verb in the third person plural (« vivent », « habitent », « ont ») after the head
# noun: nouns and adjectives that end so are singular -ment or -ent words (« logement »,
# « parent »), and a head is followed by its plural adjectives (« -ents »), not by those
_PLURAL_VERB = re.compile(r"^(?:[a-z]+(?<!m)ent|ont|sont|vont|font)$")


def focus_of(text: str) -> str:
    """The one or two words naming what a part asks about, folded; "" when it names none
    (« qui pilote l'objectif 12 ? » asks by its verb)."""
    f = _folded(text)
    m = _FOCUS_AFTER.search(f)
    words = f[m.end() :].split() if m else []
    if not m:
        before = _FOCUS_BEFORE.search(f)
        words = before.group(1).split()[-2:] if before else []
    out: list[str] = []
    for w in words:
        if w in _NOT_FOCUS or w.isdigit() or len(w) < 3:
            if out:
                break  # « prix du mètre carré » → prix: the first word is the head
            continue
        if out and _PLURAL_VERB.search(w):
            break  # « combien d'habitants vivent … »: the verb says how, the noun what is counted
        out.append(w)
        if len(out) == 2:
            break
    return " ".join(out)


# a pronoun that points back to the preamble (« On travaille avec l'Agence écomobilité. Elle est
# mobilisée sur quoi ? »); impersonal « il » (« il y a », « il faut ») is not one
_BACK_REFERENCE = re.compile(
    r"\b(?:elle|elles|ils|celle ci|celui ci|it|they|them|their|its)\b"
    # a definite noun that names the preamble's organisation or scheme without its name
    # (« On travaille avec Ma Chance Moi Aussi. … l'asso accompagne combien d'enfants ? »)
    r"|\b(?:l|cette|cet|ce|the|this) (?:asso|association|structure|dispositif|charity|scheme)\b(?! (?:de|des|du|d|of)\b)"
    # the clitics before a verb (« le DIRED en a organisé combien ? », « combien y sont
    # allés ? »), not the impersonal « il y a »
    r"|(?<!\bil )\b(?:en|y) (?:a|ont|avait|avaient|aura|auront|est|sont|etait|etaient|compte|comptait)\b"
)


@dataclass(frozen=True)
class Part:
    text: str  # the words of this ask, with the shared topic when the ask leaves it implicit
    wants: str  # number, list, who, definition, yesno, objective, other
    measure: str = ""  # time, contact, person (any ask); percent, amount, date (a figure); "" (anything)
    own: str = ""  # the words of this ask alone, as written
    focus: str = ""  # what it asks about (« horaires », « director »), folded; see focus_of


@dataclass(frozen=True)
class Frame:
    text: str
    lang: str
    ask: str  # the question without its preamble
    context: str  # the preamble ("Nous animons des cours de français à Cognin.")
    parts: tuple[Part, ...]
    years: tuple[str, ...]
    objectives: tuple[int, ...] = ()  # objectives the question names (« objective 13 », « fiche 4 »)

    @property
    def wants(self) -> str:
        return self.parts[0].wants if self.parts else "other"

    @property
    def compound(self) -> bool:
        return len(self.parts) > 1

    @property
    def asks_values(self) -> bool:
        """Every part asks for a value of a kind (a time, a contact, a person's name)."""
        return all(p.measure in VALUE_TYPES for p in self.parts)


def _folded(text: str) -> str:
    return re.sub(r"[-'’]", " ", fold(text))


# a rate named by what it measures (« taux de chômage », « the crime rate »): a figure of
# another rate, or a count of the same thing, does not answer it
_NAMED_RATE = (
    re.compile(r"\btaux (?:de |d )(?:la |l |les )?([a-z]{3,})"),
    re.compile(r"\b([a-z]{3,}) rates?\b"),
    re.compile(r"\brates? of (?:the )?([a-z]{3,})"),
)


# « combien de logements avant et après », « ça passe de combien à combien de semaines »,
# « how many flats before and after »: two values of one thing are asked, a change
_CHANGE = re.compile(
    r"\b(?:avant|actuellement|maintenant|aujourd hui)\b.{0,60}\bapres\b|\b(?:before|now|today)\b.{0,60}\bafter\b|"
    r"\bde combien\b.{0,30}\ba combien\b|\bfrom how many\b.{0,30}\bto\b"
)


def asks_change(text: str) -> bool:
    """Does the question ask a value before and after (two figures of one thing)?"""
    return bool(_CHANGE.search(_folded(text)))


def named_rate(text: str) -> str:
    """The word a rate is named by in the question, folded (« chomage », « crime »), or ""."""
    f = _folded(text)
    for pattern in _NAMED_RATE:
        m = pattern.search(f)
        if m and m.group(1) not in STOPWORDS:
            return m.group(1)
    return ""


def has_cue(text: str) -> bool:
    return "?" in text or bool(_CUE.search(_folded(text)))


def answer_type(text: str) -> str:
    f = _folded(text).strip()
    if _OBJECTIVE.search(f):
        return "objective"
    if _MEANING.search(f):
        # « ça veut dire quoi, un taux de pauvreté ? » asks what a rate is, not its value
        return "definition"
    if _NUMBER.search(f):
        return "number"
    if _YESNO.search(f):
        return "yesno"
    if _DEFINITION.search(f) and len(f.split()) <= 12:
        return "definition"
    if _WHO.search(f):
        return "who"
    if _LIST.search(f):
        return "list"
    return "other"


_COUNT_CUE = re.compile(r"\bcombien d|\bhow many\b|\bnombre d")


def measure_of(text: str, kind: str = "number") -> str:
    """The value asked: a time, a contact or a person's name whatever the form of the ask;
    a date, a rate or an amount for a figure (or an open or yes/no question)."""
    f = _folded(text)
    value = next((name for name, pattern in _VALUES if pattern.search(_SOURCE.sub(" ", f))), "")
    if value in ("contact", "person") and _COUNT_CUE.search(f):
        # « combien d'accueils (au tel + sur place) ? » counts: a phone is how, not what is asked
        value = ""
    if value or kind not in ("number", "other", "yesno"):
        return value
    measure = next((name for name, pattern in _MEASURES if pattern.search(f)), "")
    if measure in ("", "count") and kind == "number" and _MONEY_NOUNS.search(f):
        return "amount"
    return measure


def split_preamble(question: str) -> tuple[str, str]:
    """(context, ask): leading sentences with no question in them are context, and so are
    trailing ones after an ask that names what it asks (« c quoi la GUP ? on en parle tout le
    temps au conseil citoyen »: the last sentence says why, not what)."""
    sentences = [s for s in _SENTENCES.split(question.strip()) if s.strip()]
    if len(sentences) <= 1:
        return "", question.strip()
    first_ask = next((i for i, s in enumerate(sentences) if has_cue(s)), len(sentences) - 1)
    # after the ask, « je voudrais y aller avec ma fille qui cherche du boulot » says why: its
    # « qui » is a relative pronoun (before the ask, « Nous sommes un atelier qui … » is read
    # as it is written: a description the ask goes on from)
    last_ask = max(i for i, s in enumerate(sentences) if i == first_ask or "?" in s or _asks(_folded(s)))
    asks = sentences[first_ask : last_ask + 1]
    after = sentences[last_ask + 1 :]
    if after and not any(_asks(_folded(s)) for s in asks):
        asks, after = sentences[first_ask:], []  # « Objectif 12 ? les partenaires svp »: the words ask
    return " ".join(sentences[:first_ask] + after).strip(), " ".join(asks).strip()


# words at most of a last clause after « , et » that asks without a question word (« …, et
# chiffres 2018 ? »). Tune halves: 953 of 998 at 4 and at 7 alike (952 without)
LAST_CLAUSE_WORDS = 4


def split_parts(ask: str) -> list[str]:
    """A compound ask cut where a new interrogative starts: « combien d'ateliers et combien de
    participants » → two parts; « Ma Chance Moi Aussi et l'AFEV » stays one (no cue after et)."""
    pieces: list[str] = []
    last = 0
    for m in _JOIN.finditer(ask):
        right = ask[m.end() :]
        # after a "?", any sentence that asks is a new question (« … ? ça sert à quoi »);
        # after "et", only one that starts asking (« la MJC et le CCAS » is one question)
        after_mark = "?" in m.group(0)
        nxt = _folded(re.split(r"[?]", right)[0] if after_mark else right).lstrip()
        if after_mark:
            # a sentence that asks, or one that ends with its own question mark (« … ? Et le
            # total des interventions sur l'année ? »)
            asks = _asks(nxt) or "?" in right
        else:
            # the interrogative may follow a preposition (« and over what period », « et dans
            # quels quartiers »)
            asks = bool(_CUE.match(nxt) or _CUE.match(_PREPOSITION.sub("", nxt, count=1)))
            if not asks and _PRONOUN_SUBJECT.match(nxt):
                # a clause with its own subject pronoun that asks (« … et ça fait quelle part
                # de Chambéry ? », « … and it cost how much? ») is a second question
                asks = _asks(_folded(_JOIN.split(right, maxsplit=1)[0]))
            if m.group(0).strip() == ",":
                # a comma alone splits two clauses that each ask (« pour notre asso, on voudrait
                # savoir combien … » is one question)
                asks = asks and _asks(_folded(ask[last : m.start()]))
            elif not asks and m.group(0).lstrip().startswith(","):
                # after a comma, « et » may open a clause that asks further on (« …, et
                # l'objectif accès aux soins est rangé sous quel axe ? »)
                clause = _JOIN.split(right, maxsplit=1)[0]
                asks = _asks(_folded(clause))
                # a short last clause asks by itself (« …, et chiffres 2018 ? »)
                final = clause.strip() == right.strip().rstrip("?").strip()
                asks = asks or (final and len(clause.split()) <= LAST_CLAUSE_WORDS)
        if m.start() > last and right.strip() and asks:
            pieces.append(ask[last : m.start()])
            last = m.end()
    pieces.append(ask[last:])
    return [p.strip(" ,;?") for p in pieces if len(p.strip(" ,;?")) >= 3]


def topic_of(ask: str) -> str:
    """What a compound question is about: the words before its colon (« PLIE 2018 : … »),
    else its first part."""
    if ":" in ask:
        head = ask.split(":", 1)[0]
        if 2 <= len(head.split()) <= 14 or len(head) >= 3:
            return head.strip()
    return ""


# words of an ask that name nothing, beside the stop words (« which ones? », « so when? »)
_ASKING_WORDS = frozenset("ones one where when svp please exactement exactly alors so then".split())
# a source named (« d'après le rapport 2018 », « according to the 2018 report ») says where to
# look, not what about: an ask made of it and one more word names nothing
_SOURCE_NAMED = re.compile(
    r"\b(?:(?:d apres|selon|according to|in) )?(?:(?:le|la|l|the) )?(?:(?:19|20)\d\d )?"
    r"(?:rapport|report|plan|site|page)(?: (?:annuel|annual|d actions|web))?(?: (?:19|20)\d\d)?\b"
)


def _says_little(ask: str) -> bool:
    """An ask with at most one word that names something (« Which ones? », « C'est où ? »,
    « D'après le rapport 2018, qu'est-ce qui a changé depuis ? »)."""
    folded = _SOURCE_NAMED.sub(" ", " ".join(re.findall(r"\w+", _folded(ask))))
    words = [w for w in folded.split() if w not in STOPWORDS and w not in _ASKING_WORDS and len(w) > 1]
    return len(words) <= 1


def subject_of(ask: str, focus: str) -> str:
    """An ask without what it asks, the subject a later part leaves implicit: « les
    correspondants de nuit ils ont fait combien d'interventions en 2018 » → « les
    correspondants de nuit ils ont fait en 2018 ». The ask as is when its asked words are not
    found together."""
    folded = re.sub(r"[-'’]", " ", fold_char_preserving(ask))
    cue = _FOCUS_AFTER.search(folded)
    if cue is None or not focus:
        return ask
    named = re.match(r"\s*" + r"\s+".join(re.escape(w) for w in focus.split()) + r"\b", folded[cue.end() :])
    if named is None:
        return ask
    return " ".join(f"{ask[: cue.start()]} {ask[cue.end() + named.end() :]}".split())


def make_frame(question: str) -> Frame:
    text = expand_shorthand(question.strip())
    lang = detect_lang(text)
    context, ask = split_preamble(text)
    raw_parts = split_parts(ask) or [ask]
    topic = topic_of(ask)
    parts = []
    for n, p in enumerate(raw_parts):
        words = p
        if n > 0:
            # later parts often leave the subject implicit (« et quelle répartition ? »); when
            # they name what they ask (« et ça touche combien de gens ? »), the first part's own
            # ask is left out of it. French only: its counted noun follows « combien de »; an
            # English focus is the head's modifiers (« how many French language workshops »)
            first = raw_parts[0]
            if lang == "fr" and focus_of(p) and not topic:
                first = subject_of(first, focus_of(first))
            words = f"{topic or first} {p}"
        if context and (_BACK_REFERENCE.search(_folded(p)) or _says_little(p)):
            # the pronoun's referent is in the preamble; an ask that names nothing (« Which
            # ones? », « C'est où ? ») is about what the preamble says
            words = f"{context} {words}"
        kind = answer_type(p)
        # the value asked is read from the clause that asks: « pour notre dossier de subvention,
        # je voudrais citer le bilan : combien d'ateliers » asks a count, not an amount
        head, _, tail = p.rpartition(":")
        measure = measure_of(tail if head and tail.strip() and not _CUE.search(_folded(head)) else p, kind)
        focus = focus_of(p)
        if measure in ("time", "date"):
            # « à quelle heure », « en quelle année » name the kind of value, which the measure
            # checks (« entre 18h et minuit » never writes « heure »); « combien d'heures de
            # formation » counts hours, and keeps them as its focus
            focus = " ".join(w for w in focus.split() if w not in _VALUE_NOUNS)
        parts.append(Part(words, kind, measure, p, focus))
    return Frame(
        text, lang, ask, context, tuple(parts), tuple(YEAR.findall(text)), tuple(parse_refs(text).objectives)
    )
