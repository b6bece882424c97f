"""French BM25 (bm25s) over our own analyser: accent/case folding, French stop
words, Snowball French stemming; plus typo correction against the vocabulary."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from .schema import Chunk
from .textnorm import ELISION_PREFIXES, STOPWORDS, Speller, analyze, french_words, raw_tokens, stem


def lexical_text(c: Chunk) -> str:
    """What BM25 indexes: the heading path once, the passage twice, so that a passage that
    says "correspondants de nuit" ranks above its neighbours that only sit under that heading."""
    return f"{c.context}\n{c.text}\n{c.text}" if c.context else c.text


def same_family(a: str, b: str) -> bool:
    """Two forms of one word: they differ only in their last three letters, after a common
    start of at least four (« participent » / « participant », « suivre » / « suivie »;
    not « tournent » / « touchent »)."""
    prefix = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return prefix >= 4 and prefix >= min(len(a), len(b)) - 3


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, words: dict[str, int]) -> None:
        self.retriever = retriever
        self.vocab = set(retriever.vocab_dict)
        self.words = words  # surface (folded) words of the corpus -> frequency, for spelling
        self.speller = Speller(words, words)
        french_words()  # read with the index (once per process), not inside a question's time

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        tokens = [analyze(t) or ["_"] for t in texts]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index(tokens, show_progress=False)
        words: Counter[str] = Counter()
        for t in texts:
            words.update(w for w in raw_tokens(t) if len(w) > 3 and w not in STOPWORDS)
        return cls(retriever, dict(words))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        (folder / "words.json").write_text(json.dumps(self.words, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        return cls(retriever, words)

    def correct(self, word: str, spell: bool = True) -> str:
        """A folded query word as the corpus writes it: glued elision split off
        ("lobjectif" -> "objectif"), a typo corrected to a corpus word when `spell`. A function
        word is no typo: « combien » is not « combine », nor « pour » « jour »."""
        if word in STOPWORDS or stem(word) in self.vocab or word.isdigit():
            return word
        for p in ELISION_PREFIXES:
            rest = word[len(p) :]
            if word.startswith(p) and len(rest) > 3 and (rest in self.words or stem(rest) in self.vocab):
                return rest
        if word in self.words or not spell:
            return word
        fix = self.speller.correct(word)
        if fix and word in french_words() and not same_family(word, fix):
            # a French word the corpus lacks is no typo of a corpus word (« veut » is not
            # « vert »); another ending of the same word still is (« mettent », « mettant »)
            fix = None
        if not fix and word.endswith("ent") and len(word) > 6 and stem(word[:-2]) in self.vocab:
            # a verb's third person plural, which the stemmer keeps whole and no corpus word is
            # an edit away from (« réparent »): the corpus has its family (« réparation »)
            return word[:-2]
        return fix or word

    def query_terms(self, query: str, spell: bool = True) -> list[str]:
        """Analysed query terms, with glued elisions split and typos corrected to corpus words."""
        return [stem(self.correct(w, spell)) for w in raw_tokens(query) if len(w) > 1 and w not in STOPWORDS]

    def scores(self, query: str, spell: bool = True) -> np.ndarray:
        terms = [t for t in self.query_terms(query, spell) if t in self.vocab]
        n = self.retriever.scores["num_docs"]
        if not terms:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(terms), dtype=np.float32)
