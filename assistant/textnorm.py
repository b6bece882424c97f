"""Pure text normalisation shared by the lexical index and question understanding.

Residents type without accents, with typos and run-together elisions
("lobjectif"); documents write "8 871" and "8871". Both sides go through the
same folding so that they meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "‘": "'", "`": "'", "´": "'"}
)

# Digit groups separated by a space, a no-break space or a dot ("8 871", "4.265.462")
# are one number; "10.8" (one digit after the dot) stays a decimal.
_DIGIT_GROUP = re.compile(r"(?<=\d)[ \u00a0\u202f.](?=\d{3}(?!\d))")
_TOKEN = re.compile(r"[a-z0-9]+")

FRENCH_STOPWORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs
    lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
    te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre avoir ai as avons avez ont est
    sont etait sera ceci cela ca ici la-bas tres plus moins aussi ainsi donc or ni car si sans sous
    entre vers chez dont lequel laquelle lesquels lesquelles quel quelle quels quelles quoi comment
    combien ou quand pourquoi est-ce estce y-a-t-il ya il-y-a fait faire peut peuvent doit tout tous
    toute toutes autre autres meme memes chaque selon apres avant depuis pendant
    """.split()
)
ENGLISH_STOPWORDS = frozenset(
    """
    the a an of to in on for and or is are was were be been by with what which who whom whose how
    many much does do did this that these those it its at from as about there their they them
    """.split()
)
STOPWORDS = FRENCH_STOPWORDS | ENGLISH_STOPWORDS

# Elided articles and pronouns that users glue to the next word ("lobjectif", "dinsertion").
ELISION_PREFIXES = ("qu", "l", "d", "j", "n", "s", "c", "m", "t")


# the same passages and answer units are folded for every question: kept, not recomputed
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and digit grouping."""
    text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DIGIT_GROUP.sub("", text)
    return text.lower()


def fold_char_preserving(text: str) -> str:
    """Accent folding that keeps one character per character, so offsets still match."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base) == 1 else ch.lower())
    return "".join(out)


def raw_tokens(text: str) -> list[str]:
    """Folded word tokens, elisions split off ("l'objectif" -> "l", "objectif")."""
    return _TOKEN.findall(fold(text).replace("'", " "))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    if token.isdigit():
        return token
    return str(_stemmer().stemWord(token))


def analyze(text: str) -> list[str]:
    """The lexical analyser: fold, tokenize, drop stop words and one-letter tokens, stem."""
    return [stem(t) for t in raw_tokens(text) if len(t) > 1 and t not in STOPWORDS]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein (optimal string alignment), early exit above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def max_typos(word: str) -> int:
    """How many edits a word of this length may carry and still be recognised."""
    if len(word) < 4:
        return 0
    if len(word) < 8:
        return 1
    return 2


@lru_cache(maxsize=1)
def french_words(min_count: int = 50) -> frozenset[str]:
    """Common French words, folded: pyspellchecker's frequency list (MIT, in the package, no
    download). A word of it is no typo even where the corpus never writes it (« veut »,
    « sommes », « argent »): correcting it to the nearest corpus word (« vert », « hommes »,
    « agent ») would change the question. Empty if the package is missing (then every word
    unknown to the corpus may be corrected, as before)."""
    import gzip
    import json
    from importlib import resources

    try:
        raw = (resources.files("spellchecker") / "resources" / "fr.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset()
    freq: dict[str, int] = json.loads(gzip.decompress(raw))
    # folded in one pass over the joined list (word by word, fold() took 0.6 s of a request's
    # time on first use); a question's words are ASCII once folded, so dropping what has no
    # ASCII form loses nothing here
    joined = unicodedata.normalize("NFD", "\n".join(freq).translate(_LIGATURES).lower())
    folded = joined.encode("ascii", "ignore").decode("ascii").split("\n")
    counts: dict[str, int] = {}
    for key, n in zip(folded, freq.values(), strict=True):
        counts[key] = counts.get(key, 0) + int(n)
    return frozenset(w for w, n in counts.items() if n >= min_count)


class Speller:
    """Maps an unknown word to the closest word of a vocabulary (symmetric-delete index).

    Built once from the corpus vocabulary; a lookup generates the deletions of the
    query word only, so it costs microseconds rather than a scan of the vocabulary.
    """

    def __init__(self, vocabulary: Iterable[str], frequencies: dict[str, int] | None = None) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha() and len(w) >= 4)
        self.frequencies = frequencies or {}
        self._deletes: dict[str, set[str]] = {}
        for word in self.vocabulary:
            for variant in _deletions(word, max_typos(word)):
                self._deletes.setdefault(variant, set()).add(word)

    def correct(self, word: str) -> str | None:
        """The best vocabulary word within the typo budget, or None if none / already known."""
        if word in self.vocabulary or not word.isalpha():
            return None
        budget = max_typos(word)
        if budget == 0:
            return None
        candidates: set[str] = set()
        for variant in _deletions(word, budget):
            candidates |= self._deletes.get(variant, set())
        best: tuple[int, int, str] | None = None
        for cand in candidates:
            dist = edit_distance(word, cand, budget)
            if dist <= min(budget, max_typos(cand)):
                key = (dist, -self.frequencies.get(cand, 0), cand)
                if best is None or key < best:
                    best = key
        return best[2] if best else None


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# how people type on a phone (« c koi », « cb de personnes », « st baldoph », « r there any »):
# spelled out before a question is read, so the frame, the search and the place names see words
# the documents use. Only whole words, and only forms that are not French or English words.
SHORTHAND = {
    "st": "saint",
    "ste": "sainte",
    "koi": "quoi",
    "cb": "combien",
    "qqch": "quelque chose",
    "qqc": "quelque chose",
    "qqn": "quelqu'un",
    "qq": "quelques",
    "pr": "pour",
    "ds": "dans",
    "bcp": "beaucoup",
    "tjr": "toujours",
    "tjrs": "toujours",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "jsp": "je ne sais pas",
    "auj": "aujourd'hui",
    "dc": "donc",
    "tt": "tout",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "r": "are",
}
# everyday words residents type that the documents never use, to the documents' word for the
# same thing (« ça touche combien de gens par an ? » is « Environ 9000 personnes touchées par
# an »): a word the corpus has no form of can match nothing, however it is spelled
EVERYDAY = {
    "gens": "personnes",
    "gamins": "enfants",
    "gamin": "enfant",
    "gosses": "enfants",
    "gosse": "enfant",
    "mômes": "enfants",
    "momes": "enfants",
    "ados": "adolescents",
    "flics": "police",
    "boulot": "emploi",
    "taf": "emploi",
    "apparts": "logements",
    "bouffe": "alimentation",
    "toubib": "médecin",
}
_SHORTHAND = re.compile(
    r"(?<![\w'’-])(" + "|".join(sorted(SHORTHAND, key=len, reverse=True)) + r")(?![\w'’])", re.I
)
# a word, unlike a short form, is often elided into (« combien d'ados »)
_EVERYDAY = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(EVERYDAY, key=len, reverse=True)) + r")(?![\w'’-])", re.I
)


def expand_shorthand(text: str) -> str:
    """« c koi les quartiers en veille a st baldoph » → « c quoi … a saint baldoph »; « l'ados »
    → « l'adolescents » (EVERYDAY: the words, not the grammar, are what is matched)."""

    def spell(m: re.Match[str]) -> str:
        word = m.group(1)
        hyphen = text[m.end() : m.end() + 1] == "-"
        if (word.isupper() and len(word) > 1 and word != "ST") or (
            hyphen and word.lower() not in ("st", "ste")
        ):
            return word  # an acronym (« PR »), a compound (« u-turn »)
        return SHORTHAND[word.lower()]

    return _EVERYDAY.sub(lambda m: EVERYDAY[m.group(1).lower()], _SHORTHAND.sub(spell, text))
