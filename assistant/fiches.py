"""Pure parser: plan text -> `Fiche` records.

It reads the layout, not a table of known answers:

* a fiche is delimited by the layout's large gaps (two or more blank lines);
  everything in such a block belongs to the objective whose heading
  ("Objectif N - ...") it contains, wherever the heading sits in the block
  (objective 1 has its heading in the middle, objective 5 has actions after its
  axis line, objective 15 its tools after it);
* a paragraph is classified by its first line: a field label ("Pilote :",
  "Partenaires :", "Outils d'interventions :", possibly broken over two lines),
  an axis line ("Axe 1 - ...", "Axe – 2 ...", "Axe 5 : ..."), an action-status
  label, or bullets;
* action statuses come from the runs of "Actions en cours" / "Actions à
  développer" labels that follow the bullet groups they describe.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from .schema import Action, Fiche, Span
from .textclean import continues, is_bullet, strip_bullet
from .textnorm import fold_char_preserving, normalize_space

EN_COURS = "en cours"
A_DEVELOPPER = "à développer"

_HEADING = re.compile(r"^\s*objectif\s*(?:n\s*[°o]\s*)?(\d{1,3})\s*[-–—:.]\s*(\S.*)$")
_AXIS = re.compile(r"^\s*axe\s*[-–—]?\s*(\d{1,2})\b\s*(?:[-–—:.]\s*)?(\S.*)?$")
_FIELD_LABELS = {
    "pilots": re.compile(r"^\s*(?:co-?)?pilotes?\s*(?:\(s\))?\s*(?::\s*(.*))?$"),
    "partners": re.compile(r"^\s*partenaires?\s*(?:\(s\))?\s*(?::\s*(.*))?$"),
    "tools": re.compile(r"^\s*outils?\s+d'?\s*interventions?\s*(?::\s*(.*))?$"),
}
_STATUS_LABELS = {
    EN_COURS: re.compile(r"^\s*actions?\s+en\s+cours\s*:?\s*$"),
    A_DEVELOPPER: re.compile(r"^\s*actions?\s+a\s+developper\s*:?\s*$"),
}


def _key(text: str) -> str:
    """Same length as `text`, so match offsets index the original line."""
    return fold_char_preserving(text).replace("’", "'")


@dataclass(frozen=True)
class Line:
    text: str
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _label_of(line: str) -> tuple[str, str | None] | None:
    """('pilots'|'partners'|'tools'|'en cours'|'à développer', inline content) or None."""
    key = _key(line)
    for name, rx in _FIELD_LABELS.items():
        m = rx.match(key)
        if m:
            inline = line[m.start(1) : m.end(1)].strip() if m.group(1) else None
            return name, inline or None
    for name, rx in _STATUS_LABELS.items():
        if rx.match(key):
            return name, None
    return None


def _is_axis(line: str) -> bool:
    return bool(_AXIS.match(_key(line))) and not is_bullet(line)


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(_key(line)))


def _is_structural(line: str) -> bool:
    return _label_of(line) is not None or _is_axis(line) or _is_heading(line)


def _merge_broken_labels(lines: list[Line]) -> list[Line]:
    """'Outils' + 'd'interventions :' on two lines is one label line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        cur = lines[i]
        if (
            i + 1 < len(lines)
            and not cur.blank
            and len(cur.text.strip()) < 25
            and not _is_structural(cur.text)
            and not lines[i + 1].blank
        ):
            merged = f"{cur.text.strip()} {lines[i + 1].text.strip()}"
            if _label_of(merged) is not None:
                out.append(Line(merged, cur.start, lines[i + 1].end))
                i += 2
                continue
        out.append(cur)
        i += 1
    return out


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of lines separated by two or more blank lines (the layout's large gaps)."""
    blocks: list[list[Line]] = []
    cur: list[Line] = []
    blanks = 0
    for ln in lines:
        if ln.blank:
            blanks += 1
            cur.append(ln)
            continue
        if blanks >= 2 and any(not x.blank for x in cur):
            blocks.append(cur)
            cur = []
        blanks = 0
        cur.append(ln)
    if any(not x.blank for x in cur):
        blocks.append(cur)
    return [[x for x in b] for b in blocks]


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Split on blank lines, except where the next line continues an unfinished sentence
    or list (the extraction sometimes breaks a bullet or a field across a blank line)."""
    paras: list[list[Line]] = []
    cur: list[Line] = []
    pending_blank = False
    for ln in lines:
        if ln.blank:
            pending_blank = bool(cur)
            continue
        if pending_blank and cur:
            last = cur[-1].text
            lab = _label_of(last) if len(cur) == 1 else None
            bare_label = lab is not None and lab[1] is None
            if bare_label or _is_structural(ln.text) or not continues(last, ln.text):
                paras.append(cur)
                cur = []
        pending_blank = False
        cur.append(ln)
    if cur:
        paras.append(cur)
    return paras


def split_items(lines: list[str]) -> list[str]:
    """Field content -> items. Commas separate items when the text uses them (lines are
    then just wrapping); otherwise each line is an item. Commas inside brackets do not split."""
    texts = [strip_bullet(x) if is_bullet(x) else x.strip() for x in lines]
    texts = [t for t in texts if t]
    if any(_top_level_split(t, ",") != [t] or t.endswith(",") for t in texts):
        raw_items = _top_level_split(" ".join(texts), ",")
    else:
        raw_items = []
        for t in texts:
            if raw_items and continues(raw_items[-1], t):
                raw_items[-1] = f"{raw_items[-1]} {t}"
            else:
                raw_items.append(t)
    items = []
    for it in raw_items:
        it = strip_bullet(it) if is_bullet(it) else it
        it = normalize_space(it).strip(" ,;.")
        it = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", it))
        it = re.sub(r"\s+:", " :", it)
        if it:
            items.append(it)
    return items


def _top_level_split(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    quoted = False
    for ch in text:
        if ch in "([«“":
            depth += 1
        elif ch in ")]»”" and depth:
            depth -= 1
        elif ch == '"':
            quoted = not quoted
        if ch == sep and depth == 0 and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p for p in parts if p.strip()] or [text]


@dataclass
class _Draft:
    number: int
    title: str = ""
    axis: int | None = None
    axis_title: str | None = None
    sub_theme: str | None = None
    fields: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    actions: list[Action] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spans: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))


def _bullet_group(para: list[Line], scope: str | None) -> tuple[list[tuple[str, str | None, Span]], bool]:
    """Bullets of one paragraph -> [(text, scope, span)], and whether it is a note
    (a group introduced by a title-like line, e.g. a funding table, not an action list)."""
    items: list[tuple[list[str], str | None, int, int]] = []
    intro_is_note = False
    seen_bullet = False
    for ln in para:
        text = ln.text.strip()
        if is_bullet(text):
            seen_bullet = True
            items.append(([strip_bullet(text)], scope, ln.start, ln.end))
            continue
        prev = items[-1][0][-1] if items else ""
        scope_like = text[:1].isupper() and text.endswith(":") and len(text) < 80
        if scope_like and not (items and continues(prev, text)):
            scope = text.rstrip(": ").strip()
            continue
        if items:
            words, sc, st, _ = items[-1]
            items[-1] = ([*words, text], sc, st, ln.end)
        elif not seen_bullet:
            intro_is_note = True
    out = [(normalize_space(" ".join(w)), sc, Span(st, en)) for w, sc, st, en in items]
    return out, intro_is_note


def _assign_statuses(groups: list[list[tuple[str, str | None, Span]]], labels: list[str]) -> list[Action]:
    statuses: list[str | None]
    if not labels:
        statuses = [None] * len(groups)
    elif len(labels) == 1:
        statuses = [labels[0]] * len(groups)
    elif len(groups) >= len(labels):
        # The labels follow their groups: the last label describes the last group(s).
        head = len(groups) - (len(labels) - 1)
        statuses = [*([labels[0]] * head), *labels[1:]]
    else:
        statuses = [None] * len(groups)
    return [Action(t, st, sc, sp) for grp, st in zip(groups, statuses, strict=True) for t, sc, sp in grp]


def _parse_segment(number: int, seg: list[Line]) -> _Draft:
    d = _Draft(number)
    # heading and its continuation lines
    body: list[Line] = []
    i = 0
    while i < len(seg):
        ln = seg[i]
        m = _HEADING.match(_key(ln.text)) if not d.title else None
        if m:
            title_lines = [ln.text[m.start(2) :].strip()]
            end = ln.end
            j = i + 1
            while (
                j < len(seg)
                and not seg[j].blank
                and not _is_structural(seg[j].text)
                and not is_bullet(seg[j].text)
            ):
                title_lines.append(seg[j].text.strip())
                end = seg[j].end
                j += 1
            d.title = normalize_space(" ".join(title_lines))
            d.spans["title"].append(Span(ln.start, end))
            i = j
            continue
        body.append(ln)
        i += 1

    groups: list[list[tuple[str, str | None, Span]]] = []
    labels: list[str] = []
    scope: str | None = None
    # A layout that prints the status label above its bullets (a heading) rather than
    # after them: a label with no pending bullets, followed by bullets, leads them.
    leading: str | None = None
    paras = _paragraphs(body)

    def flush() -> None:
        if labels:
            d.actions.extend(_assign_statuses(groups, labels))
            groups.clear()
            labels.clear()

    for k, para in enumerate(paras):
        first = para[0].text
        label = _label_of(first)
        span = Span(para[0].start, para[-1].end)
        if label and label[0] in (EN_COURS, A_DEVELOPPER):
            nxt = paras[k + 1] if k + 1 < len(paras) else None
            if not groups and not labels and nxt is not None and _opens_actions(nxt):
                leading = label[0]
                continue
            labels.append(label[0])
            continue
        if leading is not None and (any(is_bullet(x.text) for x in para) or _is_scope(para)):
            if _is_scope(para):
                scope = normalize_space(" ".join(x.text for x in para)).rstrip(": ").strip()
                continue
            items, _ = _bullet_group(para, scope)
            scope = None
            d.actions.extend(Action(t, leading, sc, sp) for t, sc, sp in items)
            continue
        leading = None
        flush()
        if label:
            name, inline = label
            content = ([inline] if inline else []) + [x.text for x in para[1:]]
            d.fields[name].extend(split_items(content))
            d.spans[name].append(span)
        elif _is_axis(first):
            m = _AXIS.match(_key(first))
            assert m is not None
            d.axis = int(m.group(1))
            title = [first[m.start(2) :].strip()] if m.group(2) else []
            sub: list[str] = []
            for ln in para[1:]:
                t = ln.text.strip()
                # title wraps continue in lower case; a new capitalised line is the sub-theme
                if not sub and (not title or t[:1].islower() or continues(title[-1], t)):
                    title.append(t)
                else:
                    sub.append(t)
            d.axis_title = normalize_space(" ".join(title)) or None
            d.sub_theme = normalize_space(" ".join(sub)) or None
            d.spans["axis"].append(span)
        elif any(is_bullet(x.text) for x in para):
            items, is_note = _bullet_group(para, scope)
            scope = None
            if is_note:
                d.notes.append(normalize_space(" ".join(x.text.strip() for x in para)))
                d.spans["notes"].append(span)
            elif items:
                groups.append(items)
        else:
            text = normalize_space(" ".join(x.text for x in para))
            if text.endswith(":") and len(text) < 80:
                scope = text.rstrip(": ").strip()
            else:
                d.notes.append(text)
                d.spans["notes"].append(span)
    flush()
    if groups:
        d.actions.extend(_assign_statuses(groups, []))
    return d


def _is_scope(para: list[Line]) -> bool:
    text = normalize_space(" ".join(x.text for x in para))
    return text.endswith(":") and len(text) < 80 and not any(is_bullet(x.text) for x in para)


def _opens_actions(para: list[Line]) -> bool:
    """Bullets, or a scope line ("Dans les QPV :") introducing them."""
    first = para[0].text.strip()
    scope_line = first.endswith(":") and len(first) < 80 and _label_of(first) is None
    return is_bullet(first) or (scope_line and (len(para) == 1 or any(is_bullet(x.text) for x in para)))


@dataclass(frozen=True)
class PlanParse:
    fiches: list[Fiche]
    other: list[Span]  # text outside any fiche (introductions), for generic chunking


def parse_plan(text: str, source: str = "") -> PlanParse:
    lines = _merge_broken_labels(_lines(text))
    segments: list[tuple[int, list[Line]]] = []
    other: list[Span] = []
    for block in _blocks(lines):
        heads = [i for i, ln in enumerate(block) if _is_heading(ln.text)]
        has_fields = any(_label_of(ln.text) or _is_axis(ln.text) for ln in block)
        if not heads:
            if has_fields and segments:
                segments[-1][1].extend(block)  # stray part of the previous fiche
            else:
                nb = [x for x in block if not x.blank]
                other.append(Span(nb[0].start, nb[-1].end))
            continue
        cuts = [0, *heads[1:], len(block)]
        for k, h in enumerate(heads):
            m = _HEADING.match(_key(block[h].text))
            assert m is not None
            segments.append((int(m.group(1)), block[cuts[k] : cuts[k + 1]]))

    drafts: dict[int, _Draft] = {}
    for number, seg in segments:
        d = _parse_segment(number, seg)
        if not (d.fields or d.actions):
            # a heading with nothing else (a table of contents entry): plain text
            nb = [x for x in seg if not x.blank]
            other.append(Span(nb[0].start, nb[-1].end))
            continue
        if number in drafts:  # the same objective split across blocks: merge
            prev = drafts[number]
            for name, values in d.fields.items():
                prev.fields[name].extend(values)
            prev.actions.extend(d.actions)
            prev.notes.extend(d.notes)
            for name, spans in d.spans.items():
                prev.spans[name].extend(spans)
            prev.axis = prev.axis or d.axis
            prev.axis_title = prev.axis_title or d.axis_title
            prev.sub_theme = prev.sub_theme or d.sub_theme
        else:
            drafts[number] = d

    fiches = [
        Fiche(
            number=d.number,
            title=d.title,
            axis=d.axis,
            axis_title=d.axis_title,
            sub_theme=d.sub_theme,
            pilots=tuple(d.fields.get("pilots", [])),
            partners=tuple(d.fields.get("partners", [])),
            tools=tuple(d.fields.get("tools", [])),
            actions=tuple(d.actions),
            notes=tuple(d.notes),
            source=source,
            spans={k: tuple(v) for k, v in d.spans.items()},
        )
        for d in sorted(drafts.values(), key=lambda x: x.number)
    ]
    fiches = _consensus_axis_titles(_canonical_names(fiches))
    return PlanParse(fiches, sorted(other, key=lambda s: s.start))


def parse_fiches(text: str, source: str = "") -> list[Fiche]:
    return parse_plan(text, source).fiches


def _accents(s: str) -> int:
    return sum(1 for ch in s if ord(ch) > 127)


def _canonical_names(fiches: list[Fiche]) -> list[Fiche]:
    """'Grand Chambery' and 'Grand Chambéry' are one name: use the accented spelling the
    document itself uses, inside longer items too."""

    def plain(s: str) -> str:  # accents only: case is the author's choice and is kept
        return unicodedata.normalize("NFD", s).encode("ascii", "ignore").decode()

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in fiches:
        for item in (*f.pilots, *f.partners, *f.tools):
            counts[plain(item)][item] += 1
    canon: dict[str, str] = {}
    for key, spellings in counts.items():
        best = max(spellings, key=lambda s: (_accents(s), spellings[s]))
        canon[key] = best
    # multi-word accented names, longest first, to fix inside longer items
    names = sorted({c for c in canon.values() if " " in c and _accents(c)}, key=len, reverse=True)

    def fix(item: str) -> str:
        item = canon.get(plain(item), item)
        stripped = plain(item)
        for name in names:
            bare = plain(name)
            if bare == stripped or len(bare) != len(name) or len(stripped) != len(item):
                continue
            for m in list(re.finditer(re.escape(bare), stripped))[::-1]:
                if item[m.start() : m.end()] != name:
                    item = item[: m.start()] + name + item[m.end() :]
        return item

    return [
        replace(
            f,
            pilots=tuple(fix(x) for x in f.pilots),
            partners=tuple(fix(x) for x in f.partners),
            tools=tuple(fix(x) for x in f.tools),
        )
        for f in fiches
    ]


def _consensus_axis_titles(fiches: list[Fiche]) -> list[Fiche]:
    """Each axis is written out in several fiches, wrapped and spelled differently;
    the title used is the one most fiches agree on."""
    by_axis: dict[int, Counter[str]] = defaultdict(Counter)
    for f in fiches:
        if f.axis is not None and f.axis_title:
            by_axis[f.axis][f.axis_title] += 1
    best = {a: max(c, key=lambda t: (c[t], _accents(t), len(t))) for a, c in by_axis.items()}
    return [
        replace(f, axis_title=best.get(f.axis, f.axis_title)) if f.axis is not None else f for f in fiches
    ]
