"""Pure cleaning of extraction noise.

`clean_document` keeps the line structure (blank lines, line breaks) because the
fiche parser and the section splitter read structure from it; `unbreak` then
re-joins the lines of one paragraph that the PDF extraction broke mid-sentence.
"""

from __future__ import annotations

import html
import re

from .textnorm import normalize_space

# NUL, C0/C1 controls except tab and newline, and lone surrogates cannot be stored
# safely (SQLite, JSON, Chroma) and carry no meaning here.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\ud800-\udfff]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")
_TABLE_RULE = re.compile(r"^\s*-{3,}(\s*\t\s*-{3,})*\s*$")
_BULLET_CHARS = "-•▪●◦‣∙·*o"
_BULLET = re.compile(r"^\s*(?:[-•▪●◦‣∙·]|\*(?!\*))\s*(?:o\s+)?")
_STRAY_BULLET = re.compile(r"^\s*[-•▪●◦‣∙·*]\s*$")

# A line ending in one of these words cannot end a sentence: the next line continues it.
_DANGLING = frozenset(
    "a à au aux de des du d le la les l un une et ou en pour par sur avec dans qu que qui "
    "son sa ses leur leurs ce cette ces entre vers chez dont".split()
)


def sanitize(text: str) -> str:
    """Remove characters that must never be stored or rendered (controls, surrogates, invisibles)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _INVISIBLE.sub("", text)


def _strip_html(line: str) -> str:
    """Turn the report's HTML table cells into plain lines with bullets."""
    if "<" not in line and "&" not in line:
        return line

    def tag(m: re.Match[str]) -> str:
        closing, name = m.group(1), m.group(2).lower()
        if name in {"p", "ul", "ol", "br", "div"}:
            return "" if closing else " "
        if name == "li":
            return "" if closing else " ▪ "
        return ""

    line = _TAG.sub(tag, line)
    return html.unescape(line)


# stars that are not bold: a note's mark at the start of its line (« ** part de la
# population … ») and a reference to it at the end of a word (« Taux de pauvreté** »)
_NOTE_MARK = re.compile(r"^\*{1,3}(?=\s*[^\s*])|(?<=\w)\*{1,3}(?=\t|\s*$)")


def _unstar(line: str) -> str:
    """Unpaired bold markers removed, note marks kept."""
    if "**" not in line:
        return line
    kept = [(m.start(), m.end()) for m in _NOTE_MARK.finditer(line)]
    out, pos = [], 0
    for start, end in kept:
        out += [line[pos:start].replace("**", ""), line[start:end]]
        pos = end
    return "".join(out) + line[pos:].replace("**", "")


def is_note(line: str) -> bool:
    """A footnote line: one to three stars, then its text."""
    return bool(re.match(r"^\*{1,3}\s*[^\s*]", line))


def clean_document(text: str) -> str:
    """Sanitise and remove markup noise, keeping line structure intact."""
    text = sanitize(text).replace("\u00a0", " ").replace("\u202f", " ")
    out: list[str] = []
    for raw in text.split("\n"):
        line = _strip_html(raw)
        line = _unstar(_BOLD.sub(r"\1", line))
        line = _SUPERSCRIPT.sub(r"\1", line)
        if _TABLE_RULE.match(line) or _STRAY_BULLET.match(line):
            line = ""
        if "▪" in line and "\t" not in line:
            # an HTML list flattened on one line: one bullet per line
            parts = [p.strip() for p in line.split("▪")]
            head, items = parts[0], [p for p in parts[1:] if p]
            line = "\n".join(([head] if head else []) + [f"- {p}" for p in items])
        out.append(line.rstrip())
    return "\n".join("" if not ln.strip() else ln for ln in out)


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line)) and bool(strip_bullet(line))


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?", ";", ":", "»", '"'))


def dangling_end(line: str) -> bool:
    """Does the line end with a word that cannot end a sentence or a heading ("de", "qu'à")?"""
    words = line.split()
    if not words:
        return False
    # "qu'à" ends with the dangling "à": look at what follows the last apostrophe
    return re.split(r"['’]", words[-1].lower())[-1] in _DANGLING


def continues(prev: str, nxt: str) -> bool:
    """Does `nxt` continue the sentence that `prev` left unfinished?"""
    prev, nxt = prev.rstrip(), nxt.strip()
    if not prev or not nxt or is_bullet(nxt):
        return False
    if nxt[0].islower() or nxt[0] in "(/&":
        return True
    return prev.endswith((",", "-", "–", "'", "’")) or dangling_end(prev)


def unbreak(lines: list[str]) -> str:
    """Join one paragraph's lines: a line that continues a sentence is glued with a space;
    bullets and lines that start a new sentence stay on their own line."""
    # each output line is a list of parts joined once at the end: growing a string line by
    # line made a long run of unpunctuated lines quadratic
    out: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if (
            out
            and not is_bullet(stripped)
            and not is_note(stripped)
            and (continues(out[-1][-1], stripped) or not ends_sentence(out[-1][-1]))
        ):
            out[-1][-1] = out[-1][-1].rstrip()
            out[-1].append(stripped)
        else:
            out.append([stripped])
    return "\n".join(re.sub(r"[ \t]{2,}", " ", " ".join(parts)) for parts in out)


# a line that names its source under a table or a figure (« Source : INSEE », « * hors QPV »)
SOURCE_LINE = re.compile(r"^\s*(sources?|\*|nd\s*=)", re.IGNORECASE)
# a number that marks a figure line (« 255 bénéficiaires … »): not a year, nor a count inside
# a title's noun phrase (« La restructuration des 9 immeubles du « Cœur de cité » »)
_FIGURE_NUMBER = re.compile(
    r"(?<!\bdes )(?<!\bles )(?<!\baux )(?<!\bces )(?<!\bses )\b(?!(?:19|20)\d{2}\b)\d+"
)
# a closing quote ends a sentence only after its punctuation (« … ». or « … ! »): a title may
# end on a quoted name
_QUOTED_END = re.compile(r"[^.!?…\s]\s*[»\"]$")


def _ends_sentence_not_title(line: str) -> bool:
    return ends_sentence(line) and not _QUOTED_END.search(line.rstrip())


def looks_like_heading(lines: list[str]) -> bool:
    """A short paragraph (up to 3 lines) that reads neither as a sentence nor as a figure:
    the one test of a heading for every reader and the chunker."""
    if not lines or len(lines) > 3 or any(len(x.strip()) > 60 for x in lines[1:]):
        return False
    if any(is_bullet(x) or _ends_sentence_not_title(x) for x in lines):
        return False
    line = normalize_space(" ".join(lines))
    return (
        3 <= len(line) <= 120
        and not _ends_sentence_not_title(line)
        and not line.endswith((",", "-"))
        and not is_bullet(line)
        and not SOURCE_LINE.match(line)
        and not _FIGURE_NUMBER.search(line)
        and not line[0].islower()
        and not dangling_end(line)
    )
