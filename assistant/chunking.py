"""Pure chunking: SourceDoc (+ parsed fiches) -> Chunks.

* each fiche yields a "card" (title, axis, pilots, partners, tools), its actions
  grouped by status, and its notes, all carrying objective/axis in metadata and
  the heading path in the embedded text;
* other text is split by its sections (headings are short lines standing alone),
  paragraphs packed up to a size, so that a passage is about one thing;
* tab-separated tables become one chunk per row that keeps its column headers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePath

from .fiches import A_DEVELOPPER, EN_COURS, parse_plan
from .schema import Chunk, Fiche, SourceDoc, Span
from .textclean import SOURCE_LINE, continues, dangling_end, ends_sentence, looks_like_heading, unbreak
from .textnorm import normalize_space

MAX_CHARS = 900
_GENERIC_SUBHEADING = re.compile(
    r"^(chiffres? cl[ée]s|perspectives?\b.*|en \d{4}|depuis \d{4}|encart\b.*|zoom\b.*|"
    r"[ée]l[ée]ments? de cadrage|conclusion|points? forts?.*)$",
    re.IGNORECASE,
)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def doc_stem(source: str) -> str:
    return PurePath(source).stem


@dataclass
class _Builder:
    doc: SourceDoc
    chunks: list[Chunk]

    def add(
        self,
        text: str,
        *,
        context: str,
        chunk_type: str,
        section: str | None,
        offset: int,
        objective: int | None = None,
        axis: int | None = None,
        spans: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        text = text.strip()
        if not text:
            return
        ident = f"{doc_stem(self.doc.source)}:{len(self.chunks):04d}"
        chunk = Chunk(
            id=ident,
            source=self.doc.source,
            text=text,
            context=context,
            kind=self.doc.meta.kind,
            chunk_type=chunk_type,
            section=section,
            page=self.doc.page_at(offset),
            objective=objective,
            axis=axis,
            spans=spans or {},
        )
        h = content_hash(f"{chunk.embed_text}|{chunk.objective}|{chunk.section}")
        self.chunks.append(replace(chunk, content_hash=h))


def chunk_document(doc: SourceDoc, max_chars: int = MAX_CHARS) -> tuple[list[Chunk], list[Fiche]]:
    """All chunks of a document, and the fiches found in it (empty for most documents)."""
    plan = parse_plan(doc.text, doc.source)
    b = _Builder(doc, [])
    if plan.fiches:
        for span in plan.other:
            _chunk_text(b, span, max_chars)
        for fiche in plan.fiches:
            _chunk_fiche(b, fiche, max_chars)
    else:
        _chunk_text(b, Span(0, len(doc.text)), max_chars)
    return b.chunks, plan.fiches


# --- fiches -----------------------------------------------------------------------


def fiche_heading(f: Fiche) -> str:
    return f"Objectif {f.number} - {f.title}"


def axis_heading(f: Fiche) -> str | None:
    if f.axis is None:
        return None
    head = f"Axe {f.axis} - {f.axis_title}" if f.axis_title else f"Axe {f.axis}"
    return f"{head} ({f.sub_theme})" if f.sub_theme else head


def _chunk_fiche(b: _Builder, f: Fiche, max_chars: int) -> None:
    title_span = f.spans.get("title", (Span(0, 0),))[0]
    axis = axis_heading(f)
    context = " › ".join(x for x in (b.doc.meta.title, axis, fiche_heading(f)) if x)
    section = f"Objectif {f.number}"

    lines: list[str] = []
    spans: dict[str, tuple[int, int]] = {}

    def put(name: str, label: str, value: str) -> None:
        start = sum(len(x) + 1 for x in lines) + len(label)
        lines.append(label + value)
        spans[name] = (start, start + len(value))

    put("title", f"Objectif {f.number} - ", f.title)
    if axis:
        put("axis", "", axis)
    if f.pilots:
        put("pilots", "Pilote : ", ", ".join(f.pilots))  # the source's own label, singular even for several
    if f.partners:
        put("partners", "Partenaires : ", ", ".join(f.partners))
    if f.tools:
        put("tools", "Outils d'interventions : ", " ; ".join(f.tools))
    b.add(
        "\n".join(lines),
        context=context,
        chunk_type="fiche",
        section=section,
        offset=title_span.start,
        objective=f.number,
        axis=f.axis,
        spans=spans,
    )

    heading_ctx = " › ".join(x for x in (axis, fiche_heading(f)) if x)
    by_status: dict[str | None, list[int]] = {}
    for i, a in enumerate(f.actions):
        by_status.setdefault(a.status, []).append(i)
    labels = {EN_COURS: "Actions en cours :", A_DEVELOPPER: "Actions à développer :", None: "Actions :"}
    for status, idxs in by_status.items():
        packs: list[list[int]] = [[]]
        size = 0
        for i in idxs:
            n = len(f.actions[i].text) + 3
            if packs[-1] and size + n > max_chars:
                packs.append([])
                size = 0
            packs[-1].append(i)
            size += n
        for pack in packs:
            text = labels[status]
            aspans: dict[str, tuple[int, int]] = {}
            for i in pack:
                a = f.actions[i]
                line = f"- {a.scope} : {a.text}" if a.scope else f"- {a.text}"
                start = len(text) + 1 + (len(line) - len(a.text))
                text += "\n" + line
                aspans[f"action:{i}"] = (start, start + len(a.text))
            b.add(
                text,
                context=heading_ctx,
                chunk_type="actions",
                section=section,
                offset=f.actions[pack[0]].span.start,
                objective=f.number,
                axis=f.axis,
                spans=aspans,
            )
    for note, span in zip(f.notes, f.spans.get("notes", ()), strict=False):
        b.add(
            note,
            context=heading_ctx,
            chunk_type="notes",
            section=section,
            offset=span.start,
            objective=f.number,
            axis=f.axis,
        )


# --- generic text -----------------------------------------------------------------


@dataclass(frozen=True)
class _Para:
    lines: list[str]
    start: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _paragraphs(text: str, base: int) -> Iterable[tuple[_Para, bool]]:
    """(paragraph, starts_block): blocks are separated by 2+ blank lines."""
    pos = base
    cur: list[str] = []
    cur_start = base
    blanks = 0
    block_start = True
    for line in text.split("\n"):
        if not line.strip():
            if cur:
                yield _Para(cur, cur_start), block_start
                block_start = False
                cur = []
            blanks += 1
        else:
            if blanks >= 2:
                block_start = True
            if not cur:
                cur_start = pos
            blanks = 0
            cur.append(line)
        pos += len(line) + 1
    if cur:
        yield _Para(cur, cur_start), block_start


def _split_line_paragraphs(paras: Iterable[tuple[_Para, bool]]) -> Iterable[tuple[_Para, bool]]:
    """Web extractions put one paragraph per line with no blank line between: long lines
    that end a sentence are paragraphs of their own."""
    for p, new_block in paras:
        long_lines = [ln for ln in p.lines if len(ln) > 150]
        if len(p.lines) > 1 and long_lines and not _is_table(p):
            pos = p.start
            cur: list[str] = []
            cur_short = True  # every line of cur is short (kept as we go: no rescan)
            start = pos
            for ln in p.lines:
                if cur and len(ln) > 150 and cur_short:
                    yield _Para(cur, start), new_block  # captions before a long paragraph
                    new_block = False
                    cur = []
                if not cur:
                    start, cur_short = pos, True
                cur.append(ln)
                cur_short = cur_short and len(ln) <= 150
                if ends_sentence(ln) and not dangling_end(ln):
                    yield _Para(cur, start), new_block
                    new_block = False
                    cur = []
                pos += len(ln) + 1
            if cur:
                yield _Para(cur, start), new_block
        else:
            yield p, new_block


def _is_table(p: _Para) -> bool:
    return _tab_shaped(sum("\t" in ln for ln in p.lines), len(p.lines))


def _tab_shaped(lines_with_tab: int, lines: int) -> bool:
    return lines_with_tab >= max(1, lines // 2)


def _is_heading(p: _Para) -> bool:
    return looks_like_heading(p.lines)


def _chunk_text(b: _Builder, region: Span, max_chars: int) -> None:
    text = b.doc.text[region.start : region.end]
    section: str | None = None
    sub: str | None = None
    sub_pending = False  # the sub-heading is shown at the top of the next chunk
    caption: str | None = None  # "Fonds de concours ... :" right before a table
    buf: list[_Para] = []
    table_header: list[str] | None = None

    # the heading paragraphs in force and whether any passage was cut under them: a heading
    # replaced before anything was cut under it would vanish from the index with its words
    # (« ENCART : qu'est-ce que la médiation culturelle ? Rendre accessible … » followed by the
    # next title), so it is kept as a passage of its own
    heads: dict[str, _Para | None] = {"section": None, "sub": None}
    used = {"section": False, "sub": False}

    def context() -> str:
        return " › ".join(x for x in (b.doc.meta.title, section, sub) if x)

    def keep_unused(*levels: str) -> None:
        for level in levels:
            para = heads[level]
            if para is not None and not used[level]:
                b.add(
                    normalize_space(" ".join(para.lines)),
                    context=context(),
                    chunk_type="section",
                    section=" › ".join(x for x in (section, sub) if x) or None,
                    offset=para.start,
                )
                used["section"] = used["sub"] = True
            heads[level] = None

    def flush() -> None:
        nonlocal sub_pending
        if not buf:
            return
        used["section"] = used["sub"] = True
        body = "\n".join(unbreak(p.lines) for p in buf)  # paragraphs stay apart
        if sub and sub_pending:
            body = f"{sub}\n{body}"
            sub_pending = False
        b.add(
            body,
            context=context(),
            chunk_type="section",
            section=" › ".join(x for x in (section, sub) if x) or None,
            offset=buf[0].start,
        )
        buf.clear()

    first_chunk = len(b.chunks)
    paras = list(_split_line_paragraphs(_paragraphs(text, region.start)))
    # re-join a sentence the extraction broke across a blank line
    # (lines with a tab) is kept per merged paragraph: rescanning a growing paragraph, or
    # copying its lines, made long runs of unpunctuated lines quadratic
    merged: list[tuple[_Para, bool]] = []
    tabbed: list[int] = []
    for p, new_block in paras:
        p_tabbed = sum("\t" in ln for ln in p.lines)
        if (
            merged
            and not _tab_shaped(p_tabbed, len(p.lines))
            and not _tab_shaped(tabbed[-1], len(merged[-1][0].lines))
            and not ends_sentence(merged[-1][0].lines[-1])
            and continues(merged[-1][0].lines[-1], p.lines[0])
            and not _is_heading(merged[-1][0])
        ):
            merged[-1][0].lines.extend(p.lines)
            tabbed[-1] += p_tabbed
        else:
            merged.append((_Para(list(p.lines), p.start), new_block))
            tabbed.append(p_tabbed)

    prev_was_table = False
    for p, new_block in merged:
        if _is_table(p):
            flush()
            title = caption or " › ".join(x for x in (section, sub) if x) or None
            ctx = " › ".join(x for x in (context(), caption) if x)
            table_header = _chunk_table(b, p, ctx, title, table_header if prev_was_table else None)
            prev_was_table = True
            continue
        if not (prev_was_table and SOURCE_LINE.match(p.lines[0])):
            caption = None
        prev_was_table = False
        if _is_heading(p):
            flush()
            head = normalize_space(" ".join(p.lines))
            if _GENERIC_SUBHEADING.match(head) or not new_block:
                keep_unused("sub")
                sub, sub_pending = head, True
                heads["sub"], used["sub"] = p, False
            else:
                keep_unused("sub", "section")
                section, sub, sub_pending = head, None, False
                heads["section"], used["section"] = p, False
                used["sub"] = False
            continue
        one_line = normalize_space(" ".join(p.lines))
        if one_line.endswith(":") and len(one_line) < 120:
            caption = one_line.rstrip(" :")
        size = sum(len(x.text) for x in buf)
        if buf and size + len(p.text) > max_chars:
            flush()
        if len(p.text) > max_chars * 1.5:
            pieces = _split_long(unbreak(p.lines), max_chars)
            for piece, offset in zip(pieces, _piece_offsets(p.text, pieces), strict=True):
                buf.append(_Para([piece], p.start + offset))  # its own page, not the paragraph's
                flush()
        else:
            buf.append(p)
    flush()
    if len(b.chunks) > first_chunk:
        keep_unused("sub", "section")  # a last heading with nothing under it
    if len(b.chunks) == first_chunk and text.strip():
        # only headings (a short note, a title page): the text itself is the passage
        b.add(
            unbreak(text.split("\n")),
            context=context(),
            chunk_type="section",
            section=section,
            offset=region.start,
        )


def _split_long(text: str, max_chars: int) -> list[str]:
    """Sentences packed into pieces of at most max_chars; a run with no sentence end (a
    list of lines without punctuation) is cut at word boundaries at twice that, so no
    passage grows past the bound whatever the input."""
    sentences = re.split(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý0-9«\"-])", text)
    out: list[str] = []
    for s in sentences:
        # a long sentence stays whole (a bullet list joined by the extraction reads best
        # that way); only a run far past the bound is cut
        for part in _cut(s, max_chars * 2):
            if out and len(out[-1]) + len(part) + 1 <= max_chars:
                out[-1] += " " + part
            else:
                out.append(part)
    return out


def _cut(text: str, max_chars: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            space = text.rfind(" ", start + max_chars // 2, end)
            end = space if space > start else end
        pieces.append(text[start:end].strip())
        start = end
    return [p for p in pieces if p]


def _piece_offsets(raw: str, pieces: list[str]) -> list[int]:
    """Where each piece of a split paragraph starts in the paragraph's raw text (pieces
    were re-spaced by `unbreak`: their first words are looked up, whitespace-blind)."""
    offsets, pos = [], 0
    for piece in pieces:
        words = piece.split()[:4]
        m = re.compile(r"\s+".join(map(re.escape, words))).search(raw, pos) if words else None
        if m:
            pos = m.start()
        offsets.append(pos)
    return offsets


def _cells(line: str) -> list[str]:
    return [normalize_space(c) for c in line.split("\t")]


def _chunk_table(
    b: _Builder, p: _Para, context: str, title: str | None, inherited: list[str] | None
) -> list[str] | None:
    rows = [_cells(ln) for ln in p.lines if ln.strip()]
    if inherited and len(inherited) != max(len(r) for r in rows):
        inherited = None  # another table (other columns) right after, not its continuation
    has_digit = [any(re.search(r"\d", c) for c in r) for r in rows]
    header_rows: list[list[str]] = []
    if inherited is None:
        # leading rows without figures, followed by rows with figures, are the header
        i = 0
        while i < min(3, len(rows) - 1) and not has_digit[i]:
            i += 1
        if 0 < i < len(rows) and sum(has_digit[i:]) >= (len(rows) - i) / 2:
            header_rows = rows[:i]
        elif rows and rows[0] and rows[0][0] == "" and len(rows) > 1:
            header_rows = rows[:1]
    data = rows[len(header_rows) :]
    if inherited and data and [c for c in data[0] if c] == [c for c in inherited if c]:
        data = data[1:]  # the header repeated where the table continues
    header = inherited
    marks: dict[str, str] = {}
    if header_rows:
        width = max(len(r) for r in rows)
        cols: list[list[str]] = [[] for _ in range(width)]
        for r in header_rows:
            last = ""
            for j in range(width):
                cell = r[j] if j < len(r) else ""
                # a header cell spanning columns is written once: carry it right on the first row
                if r is header_rows[0]:
                    cell = cell or (last if j > 1 and len(header_rows) > 1 else "")
                    last = cell
                if cell:
                    cols[j].append(cell)
        raw = [" ".join(c) for c in cols]
        header = [re.sub(r"\*+$", "", h).strip() for h in raw]
        # « Taux de pauvreté** »: the stars send to a note under the table; the name is shown
        # without them, and where it stands in each row is kept to link the note to it
        marks = {
            h: m.group(0) for h, r in zip(header, raw, strict=True) if (m := re.search(r"(?<=\w)\*{1,3}$", r))
        }
    prev: list[str] = []
    for k, row in enumerate(data):
        # a blank leading cell repeats the cell above (grouped rows)
        filled = [
            c or (prev[j] if j < len(prev) and all(not x for x in row[: j + 1]) else c)
            for j, c in enumerate(row)
        ]
        prev = filled
        values = [(header[j] if header and j < len(header) else "", c) for j, c in enumerate(filled)]
        label, rest = values[0][1], [(h, c) for h, c in values[1:] if c]
        if not rest:
            continue
        if values[0][0] and not re.search(r"[^\W\d_]", label):
            # a code or a number says nothing without its column's name (« Numéro de l'IRIS
            # concerné … 730650201 »): a question names the column, not the code alone
            label = f"{values[0][0]} {label}"
        body = " ; ".join(f"{h} : {c}" if h else c for h, c in rest)
        text = f"{label} — {body}" if label else body
        notes: dict[str, tuple[int, int]] = {}
        for h, stars in marks.items():
            at = text.find(f"{h} : ")
            if at >= 0:
                notes[f"note:{stars}"] = (at, at + len(h))
        b.add(
            text,
            context=f"{context} (tableau)" if context else "tableau",
            chunk_type="table_row",
            section=title,
            offset=p.start + sum(len(x) + 1 for x in p.lines[: len(header_rows) + k]),
            spans=notes,
        )
    return header
