"""Answer units: the sentences, bullets and table rows an answer can quote, with their
embeddings (multilingual e5, computed at ingest and cached by content hash like passages).

A passage is what retrieval finds; a unit is what answers. Ranking happens at this level,
so a question is matched against one sentence or one table row, not a whole section.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..embeddings import Embedder
from ..records.definitions import extract_definitions
from ..records.definitions import statement as define
from ..records.places import by_commune, extract_places, statement
from ..schema import Chunk
from ..textclean import strip_bullet
from ..textnorm import raw_tokens

log = logging.getLogger(__name__)

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«\"(-])")
# a list flattened on one line by the extraction: "… suivants : - a - b - c"
_INLINE_BULLET = re.compile(r"\s[-•]\s+(?=[A-Za-zÀ-ÿ0-9«\"(])")
_BULLET = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Unit:
    chunk: Chunk
    start: int
    end: int
    kind: str  # "row", "bullet", "sentence", "heading" (a short line that ends without a full stop)
    prev_start: int | None = None  # the sentence before, same paragraph (never another bullet)
    # a record's statement ("Quartiers en veille active à Cognin : …"); start/end then
    # locate the passage text it was read from, which is what gets cited
    statement: str | None = None
    # the line a bullet's list hangs under (« - ENCART / Dispositif de Réussite Educative
    # (DIRED) : » over « - o Mise en place de 26 cafés parents … »), also across a passage cut;
    # it says what the bullet is about when the bullet does not (see `with_leads`)
    lead: str = ""

    @property
    def text(self) -> str:
        return self.statement if self.statement is not None else self.chunk.text[self.start : self.end]

    @property
    def is_record(self) -> bool:
        return self.statement is not None

    @property
    def with_context(self) -> str:
        start = self.prev_start if self.prev_start is not None else self.start
        own = self.chunk.text[start : self.end]
        return f"{self.lead} {own}" if self.lead else own

    @property
    def is_bullet(self) -> bool:
        return self.kind == "bullet"

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.chunk.id, self.start, self.end, self.statement or "")

    def embed_text(self) -> str:
        """What is embedded: the unit under its nearest heading, so "Il s'agit de 60 ateliers"
        still says which programme it belongs to."""
        heading = self.chunk.context.rsplit("›", 1)[-1].strip()
        return f"{heading} : {self.text.strip()}"[:600] if heading else self.text.strip()[:600]


def row_cells(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A row unit read back: 'label — col : val ; col : val' → (label, [(col, val), …])."""
    label, body = text.split(" — ", 1) if " — " in text else ("", text)
    return label, [(n.strip(), v.strip()) for n, _, v in (c.partition(" : ") for c in body.split(" ; "))]


# a line that opens on a quantity (« Environ 9000 personnes touchées par an… », « 1 400
# participants au Forum emploi… ») states a key figure, even short and without a full stop
_KEY_FIGURE = re.compile(
    r"^(?:environ\s+|près de\s+|plus de\s+)?\d[\d\u00a0\u202f ]*\s+"
    r"(?!(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b)"
    r"[a-zà-ÿ]",
    re.I,
)


def _line_kind(line: str) -> str:
    if _BULLET.match(line):
        return "bullet"
    stripped = line.strip()
    if len(stripped) < 120 and not stripped.endswith((".", "!", "?", ";")):
        if _KEY_FIGURE.match(stripped.replace("*", "")) and not stripped.endswith(":"):
            return "sentence"
        return "heading"
    return "sentence"


def split_units(chunk: Chunk) -> list[Unit]:
    """Pure: a passage cut into units. A table row is one unit; other lines are cut into
    sentences; a bullet list flattened on one line is cut back into its bullets."""
    if chunk.chunk_type == "table_row":
        return [Unit(chunk, 0, len(chunk.text), "row")]
    text = chunk.text
    out: list[Unit] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        # pieces of a flattened list: the intro, then each "- item"
        cuts = [0] + [m.start() + 1 for m in _INLINE_BULLET.finditer(line)] + [len(line)]
        pieces = [(line_start + a, line[a:b]) for a, b in itertools.pairwise(cuts)]
        kind_of_line = _line_kind(line)
        starts: list[int] = []
        for n, (p_start, piece) in enumerate(pieces):
            kind = "bullet" if n > 0 or kind_of_line == "bullet" else kind_of_line
            offset = p_start
            sentences = [piece] if kind == "bullet" else _SENTENCE.split(piece)
            for sentence in sentences:
                i = text.find(sentence, offset)
                if i < 0 or len(sentence.strip()) < 3:
                    continue
                j = i + len(sentence.rstrip())
                i += len(sentence) - len(sentence.lstrip())
                prev = None if kind == "bullet" else (starts[-1] if starts else None)
                out.append(
                    Unit(chunk, i, j, kind if kind != "heading" or len(sentences) == 1 else "sentence", prev)
                )
                if kind != "bullet":
                    starts.append(i)
                offset = j
    return out


# a sub-item of a bullet (« - o Mise en place de … », « - ◦ … »)
# the chunks the fiche parser writes (a fiche's header and lists, its actions, its notes)
FICHE_TYPES = ("fiche", "actions", "notes")
_SUB_BULLET = re.compile(r"^\s*[-•*]\s+[o◦▪]\s")


def with_leads(units: Sequence[Unit]) -> list[Unit]:
    """Pure: each bullet given the line its list hangs under, read in document order: the last
    line ending on « : » before it, with only bullets between; a sub-item's (« - o … ») is the
    last bullet ending on « : » above it. An unmarked bullet under a bullet ending on « : »
    is its item outside the fiches (see `_ends_sub_list` for where that stops). A list the
    chunker cut keeps its line (the next passage of the same section goes on with it)."""
    out: list[Unit] = []
    section: tuple[str, str] | None = None
    opener = sub = inner = ""
    last: Unit | None = None
    for u in units:
        if u.is_record or u.kind == "row":
            out.append(u)
            continue
        here = (u.chunk.source, u.chunk.context)
        if here != section:
            section, opener, sub, inner = here, "", "", ""
        text = u.text.strip()
        if not u.is_bullet:
            opener, sub, inner = (text if text.endswith(":") else ""), "", ""
            out.append(u)
            last = u
            continue
        if sub and _ends_sub_list(last, u, sub):
            sub = inner = ""
        if _SUB_BULLET.match(text):
            lead = sub or opener
            inner = text if text.endswith(":") else inner
        elif text.endswith(":"):
            lead, sub, inner = opener, text, ""
        elif u.chunk.chunk_type in FICHE_TYPES:
            # a fiche's actions come flattened by the fiche parser, which drops the blank
            # line that ends a sub-list: the colon alone would take the siblings after it in
            lead = inner or opener
        else:
            # an unmarked bullet under one that ends on « : » hangs under it: nesting that
            # only indentation showed is lost in the text (a PDF's drawn sub-list, a .txt's
            # indented « - »), the colon is not
            lead = inner or sub or opener
        out.append(replace(u, lead=lead) if lead else u)
        last = u
    return out


def _ends_sub_list(last: Unit | None, u: Unit, parent: str) -> bool:
    """Pure: is `u` past the sub-list of the bullet `parent` (a list inferred from a colon,
    not marked)? A blank line closes it (« …de crise : », three bullets, a blank line, « -
    Augmenter les places … »), and so does a bullet that opens with the parent's first word,
    a sibling written like it (« - Rentrée citoyenne de 2017 » after « … de 2016 : »)."""
    if last is not None and last.chunk.id == u.chunk.id and "\n\n" in u.chunk.text[last.end : u.start]:
        return True
    first = raw_tokens(strip_bullet(parent))[:1]
    return bool(first) and raw_tokens(strip_bullet(u.text))[:1] == first


def record_units(chunks: Sequence[Chunk]) -> list[Unit]:
    """Statements read from the documents' structure, as candidates beside the text units:
    one per commune and type of neighbourhood, one per term the documents define."""
    by_id = {c.id: c for c in chunks}
    out = [
        Unit(by_id[d.chunk_id], d.span[0], d.span[1], "record", None, define(d))
        for d in extract_definitions(chunks)
    ]
    for (kind, commune), places in by_commune(extract_places(chunks)).items():
        first = places[0]
        chunk = by_id[first.chunk_id]
        names = list(dict.fromkeys(p.name for p in places))
        out.append(Unit(chunk, first.span[0], first.span[1], "record", None, statement(kind, commune, names)))
    return out


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class UnitIndex:
    """Every unit of the index, with a normalised embedding matrix (one row per unit)."""

    def __init__(self, units: list[Unit], vectors: np.ndarray) -> None:
        self.units = with_leads(units)
        self.vectors = vectors
        self.by_chunk: dict[str, list[int]] = {}
        for i, u in enumerate(self.units):
            self.by_chunk.setdefault(u.chunk.id, []).append(i)
        self.records = [i for i, u in enumerate(self.units) if u.is_record]
        self.actions = [
            i for i, u in enumerate(self.units) if u.is_bullet and u.chunk.chunk_type == "actions"
        ]
        # a table's rows, in order: one row per passage, the table named by document and headings
        self._tables: dict[tuple[str, str], list[int]] = {}
        # an objective's units (records aside), in index order
        self.by_objective: dict[int, list[int]] = {}
        for i, u in enumerate(self.units):
            if u.kind == "row":
                self._tables.setdefault((u.chunk.source, u.chunk.context), []).append(i)
            if u.chunk.objective is not None and not u.is_record:
                self.by_objective.setdefault(u.chunk.objective, []).append(i)
        self.openers = self._openers()

    def continued(self, unit: Unit) -> list[Unit]:
        """The bullets a line announces (« … autour de 4 axes globaux de travail : ») when the
        passage ends on it and its list opens the next passage of the same section: a list cut
        by the chunker, or by a page, is still the line's list."""
        ids = [i for i in self.by_chunk.get(unit.chunk.id, []) if not self.units[i].is_record]
        if not ids or self.units[ids[-1]].key != unit.key or not unit.text.rstrip().endswith(":"):
            return []
        following = self.units[ids[-1] + 1] if ids[-1] + 1 < len(self.units) else None
        if (
            following is not None
            and following.kind == "row"
            and following.chunk.source == unit.chunk.source
            and following.chunk.context == f"{unit.chunk.context} (tableau)"
        ):
            # « … 4 pistes d'amélioration avaient été identifiées … : » over a table: the items
            # are its rows, after the first one that names the columns (as `_rows_under` reads it)
            rows = self.table_of(following)
            return rows[1:] if len(rows) >= 3 else rows
        return self._opening_bullets(ids[-1])

    def list_goes_on(self, unit: Unit) -> list[Unit]:
        """The bullets that open the next passage of the same section when `unit`, a bullet,
        ends its passage: the chunker cut the list (« Des acteurs qui expérimentent : » and
        its first item in one passage, the second item in the next)."""
        ids = [i for i in self.by_chunk.get(unit.chunk.id, []) if not self.units[i].is_record]
        if not ids or self.units[ids[-1]].key != unit.key or not unit.is_bullet:
            return []
        return self._opening_bullets(ids[-1])

    def _opening_bullets(self, last: int) -> list[Unit]:
        unit, out = self.units[last], []
        for nxt in self.units[last + 1 :]:
            same = nxt.chunk.source == unit.chunk.source and nxt.chunk.context == unit.chunk.context
            if nxt.is_record or not same or not nxt.is_bullet:
                break
            out.append(nxt)
        return out

    def table_of(self, unit: Unit) -> list[Unit]:
        """Every row of the table `unit` is a row of, in document order ([] for another unit)."""
        if unit.kind != "row":
            return []
        return [self.units[i] for i in self._tables.get((unit.chunk.source, unit.chunk.context), [])]

    def _openers(self) -> frozenset[int]:
        """Units that announce a list: a line followed by at least two bullets of its passage
        (« Les enjeux pour la suite du Contrat » then « - … ») or of the next one when the
        chunker cut the list from its line, or the first row of a table
        of several rows (« 4 pistes d'amélioration … | Bilan »)."""
        out: set[int] = set()
        for ids in self.by_chunk.values():
            plain = [i for i in ids if not self.units[i].is_record]
            for a, b, c in zip(plain, plain[1:], plain[2:], strict=False):
                if not self.units[a].is_bullet and self.units[b].is_bullet and self.units[c].is_bullet:
                    out.add(a)
            # a line that ends its passage on « : » and whose list opens the next passage
            if plain and len(self.continued(self.units[plain[-1]])) >= 2:
                out.add(plain[-1])
        out.update(rows[0] for rows in self._tables.values() if len(rows) >= 3)
        return frozenset(out)

    @classmethod
    def build(
        cls,
        chunks: Sequence[Chunk],
        embedder: Embedder,
        cache_path: Path | None,
        progress: Callable[[int, int], None] | None = None,
        batch_size: int = 32,
    ) -> UnitIndex:
        """Units of all chunks; vectors from the cache, the missing ones embedded (batch by
        batch, committed as they come so an interrupted build resumes)."""
        from ..index_store import EmbeddingCache  # the passage cache, with another model key

        units = [u for c in chunks for u in split_units(c)] + record_units(chunks)
        texts = [u.embed_text() for u in units]
        hashes = [_hash(t) for t in texts]
        model = f"{embedder.name}#unit"
        cache = EmbeddingCache(cache_path) if cache_path else None
        try:
            have = cache.get_many(model, sorted(set(hashes))) if cache else {}
            missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in have}.items())
            done = 0
            for b in range(0, len(missing), batch_size):
                part = missing[b : b + batch_size]
                vecs = embedder.embed_passages([t for _, t in part])
                fresh = {h: v for (h, _), v in zip(part, vecs, strict=True)}
                have.update(fresh)
                if cache:
                    cache.put_many(model, fresh)
                done += len(part)
                if progress:
                    progress(done, len(missing))
        finally:
            if cache:
                cache.close()
        dim = embedder.dim
        matrix = np.zeros((len(units), dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            v = np.asarray(have[h], dtype=np.float32)
            n = float(np.linalg.norm(v))
            matrix[i] = v / n if n else v
        log.info("%d unités de réponse (%d calculées)", len(units), len(missing))
        return cls(units, matrix)

    def of_chunk(self, chunk_id: str) -> list[int]:
        return self.by_chunk.get(chunk_id, [])
