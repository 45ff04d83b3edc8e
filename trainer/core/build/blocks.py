"""Line-level reading of a document into raw blocks (before headings are resolved)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import squash, strip_controls
from .entries import glossary_entry, question_text
from .markdown import prose_lines

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"^(\s*)(?:[-*+•‣◦]|\d{1,3}[.)])\s+(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"^\s*>\s?")
_SENTENCE_END = tuple('.!?…:"”»)')


@dataclass
class RawBlock:
    """A run of lines of one kind: atx, plainhead, question, para, bullets, table."""

    kind: str
    start: int
    end: int
    level: int = 0
    text: str = ""
    parts: list[tuple[int, int, str]] = field(default_factory=list)


def _is_plain_heading(line: str, prev: str, following: str) -> bool:
    """Heuristic for a heading line in a plain-text document."""
    words = line.split()
    if not words or len(line) > 80 or len(words) > 12 or not following.strip():
        return False
    if line.rstrip()[-1] in ".,;:!…-" or not (line[0].isupper() or line[0].isdigit()):
        return False
    if prev.strip() and not prev.rstrip().endswith(_SENTENCE_END):
        return False
    if following.strip()[:1].islower():
        return False
    long_words = [w for w in words if len(w) > 3]
    titled = [w for w in long_words if w[0].isupper()]
    title_case = bool(long_words) and len(titled) / len(long_words) >= 0.6
    return title_case or not prev.strip()


def _is_question(line: str, para: list[tuple[int, int, str]]) -> str:
    """A stand-alone question line (not the tail of a wrapped paragraph): its text, else ""."""
    text = question_text(line)
    if not text:
        return ""
    return text if not para or para[-1][2].rstrip().endswith(_SENTENCE_END) else ""


def read_blocks(text: str) -> list[RawBlock]:
    """Split document text into raw blocks with 1-based line numbers."""
    lines = [strip_controls(line).rstrip() for line in text.split("\n")]
    markdown = any(_ATX.match(line) for line in lines) or any(
        line.strip() and set(line.strip()) == {"="} for line in lines
    )
    if markdown:
        lines = prose_lines(lines)
    blocks: list[RawBlock] = []
    para: list[tuple[int, int, str]] = []

    def flush() -> None:
        if para:
            blocks.append(RawBlock("para", para[0][0], para[-1][0], parts=list(para)))
            para.clear()

    index = 0
    fence = ""
    while index < len(lines):
        number = index + 1
        line = _QUOTE.sub("", lines[index]) if _QUOTE.match(lines[index]) else lines[index]
        following = next((ln for ln in lines[index + 1 : index + 4] if ln.strip()), "")
        nxt_line = lines[index + 1] if index + 1 < len(lines) else ""
        prev = lines[index - 1] if index else ""
        index += 1
        fence_match = _FENCE.match(line)
        if fence:
            if fence_match and fence_match.group(1)[0] == fence[0]:
                fence = ""
            continue
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        if not line.strip():
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            blocks.append(RawBlock("atx", number, number, len(atx.group(1)), squash(atx.group(2))))
            continue
        setext = _SETEXT.match(line)
        if setext and len(para) == 1:
            level = 1 if setext.group(1)[0] == "=" else 2
            start, _, title = para.pop()
            blocks.append(RawBlock("atx", start, number, level, squash(title)))
            continue
        if _RULE.match(line):
            flush()
            continue
        if "|" in line and _TABLE_SEP.match(nxt_line) and "|" in nxt_line:
            flush()
            rows = [(number, number, line)]
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                rows.append((index + 1, index + 1, lines[index]))
                index += 1
            blocks.append(RawBlock("table", number, rows[-1][0], parts=rows))
            continue
        if not para and _SETEXT.match(nxt_line) and not _BULLET.match(line):
            level = 1 if nxt_line.strip()[0] == "=" else 2
            blocks.append(RawBlock("atx", number, number + 1, level, squash(line)))
            index += 1
            continue
        question = _is_question(line, para)
        if question:
            flush()
            blocks.append(RawBlock("question", number, number, text=question))
            continue
        bullet = _BULLET.match(line)
        if bullet and not (
            para
            and not line[0].isspace()
            and bullet.group(0)[0].isdigit()
            and not para[-1][2].rstrip().endswith(_SENTENCE_END)
        ):
            flush()
            index = _read_bullets(lines, index - 1, blocks)
            continue
        if not markdown and _is_plain_heading(line.strip(), prev, following):
            flush()
            blocks.append(RawBlock("plainhead", number, number, text=squash(line)))
            continue
        if para and len(para[-1][2]) > 100 and para[-1][2].rstrip().endswith(_SENTENCE_END):
            flush()
        if para and not line[:1].isspace() and glossary_entry(line):
            flush()
        para.append((number, number, line.strip()))
    flush()
    return blocks


def _read_bullets(lines: list[str], index: int, blocks: list[RawBlock]) -> int:
    """Collect a bulleted list starting at `index`; return the next index."""
    items: list[tuple[int, int, str]] = []
    while index < len(lines):
        line = _QUOTE.sub("", lines[index])
        bullet = _BULLET.match(line)
        if bullet:
            items.append((index + 1, index + 1, bullet.group(2).strip()))
        elif line.strip() and items and (line[:1].isspace() or not _BULLET.match(line)):
            if _ATX.match(line) or ("|" in line and line.strip().startswith("|")):
                break
            if not line[:1].isspace() and line.strip()[:1].isupper():
                break
            start, _, text = items[-1]
            items[-1] = (start, index + 1, f"{text} {line.strip()}")
        elif not line.strip():
            nxt = index + 1
            if nxt < len(lines) and _BULLET.match(_QUOTE.sub("", lines[nxt])):
                index += 1
                continue
            break
        else:
            break
        index += 1
    blocks.append(RawBlock("bullets", items[0][0], items[-1][1], parts=items))
    return index
