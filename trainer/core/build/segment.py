"""Documents as headed blocks and sentences, each with its line span."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .blocks import RawBlock, read_blocks
from .clean import squash, strip_markup, words
from .model import Lines, Sentence

_ABBREVIATIONS = frozenset(
    words(
        "e.g i.e etc dr mr mrs ms prof vs cf fig figs al approx no nos vol ch sec st mt jr sr"
        " inc ltd co p pp mme mlle m av env ex"
    )
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")


@dataclass(frozen=True)
class Block:
    """A resolved block: heading, question (with answer), para, bullets or table."""

    kind: str
    lines: Lines
    path: tuple[str, ...]
    text: str = ""
    parts: tuple[tuple[int, int, str], ...] = ()
    answer: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Document:
    """A segmented document."""

    title: str
    blocks: tuple[Block, ...]


def _is_boundary(text: str, start: int, end: int) -> bool:
    """Whether the punctuation run text[start:end] really ends a sentence."""
    following = text[end : end + 2].lstrip("\"'“‘«([")
    if not following or not (following[0].isupper() or following[0].isdigit()):
        return False
    if text[start] != ".":
        return True
    before = text[:start].rsplit(None, 1)
    token = before[-1].lower().lstrip("(\"'“«") if before else ""
    if len(token) == 1 and token.isalpha():
        return False
    return token not in _ABBREVIATIONS


def split_sentences(parts: tuple[tuple[int, int, str], ...], path: tuple[str, ...]) -> list[Sentence]:
    """Split paragraph lines into sentences that remember their line spans."""
    text = ""
    marks: list[tuple[int, int, int]] = []
    for start, end, line in parts:
        clean = squash(strip_markup(line)).replace("{", "(").replace("}", ")")
        if not clean:
            continue
        if text:
            text += " "
        marks.append((len(text), start, end))
        text += clean

    offsets = [offset for offset, _, _ in marks]

    def line_span(lo: int, hi: int) -> Lines:
        first = marks[max(0, bisect_right(offsets, lo) - 1)][1]
        last = marks[max(0, bisect_left(offsets, hi) - 1)][2]
        return (first, max(first, last))

    sentences: list[Sentence] = []
    cursor = 0
    for match in _BOUNDARY.finditer(text):
        punct_end = match.start() + len(match.group(0).rstrip())
        if not _is_boundary(text, match.start(), match.end()):
            continue
        chunk = text[cursor:punct_end].strip()
        if chunk:
            sentences.append(Sentence(chunk, line_span(cursor, punct_end), path))
        cursor = match.end()
    tail = text[cursor:].strip()
    if tail:
        sentences.append(Sentence(tail, line_span(cursor, len(text)), path))
    return sentences


def _resolve_questions(raw: list[RawBlock]) -> list[tuple[RawBlock, RawBlock | None]]:
    """Pair each question with its answer paragraph, or demote it to a heading."""
    resolved: list[tuple[RawBlock, RawBlock | None]] = []
    skip_next = False
    for position, block in enumerate(raw):
        if skip_next:
            skip_next = False
            continue
        nxt = raw[position + 1] if position + 1 < len(raw) else None
        after = raw[position + 2] if position + 2 < len(raw) else None
        is_md_question = block.kind == "atx" and block.text.endswith("?")
        if block.kind == "question" or is_md_question:
            title_like = position == 0 and block.kind == "atx" and block.level == 1
            single = after is None or after.kind != "para"
            answered = nxt is not None and nxt.kind == "para"
            if answered and not title_like and (single or is_md_question):
                resolved.append((block, nxt))
                skip_next = True
                continue
            if block.kind == "question":
                block = RawBlock("plainhead", block.start, block.end, text=block.text)
        resolved.append((block, None))
    return resolved


def segment(text: str, fallback_title: str) -> Document:
    """Segment a document into blocks carrying heading paths."""
    raw = read_blocks(text)
    resolved = _resolve_questions(raw)
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    title = ""
    base = 0
    for position, (block, answer) in enumerate(resolved):
        if block.kind in ("atx", "plainhead"):
            level = block.level
            if block.kind == "plainhead":
                level = 1 if position == 0 else 2
            heading = squash(strip_markup(block.text))
            if position == 0 and level == 1:
                title = heading
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            base = level
            if answer is not None:
                blocks.append(_question(block, answer, stack))
            continue
        if block.kind == "question":
            while stack and stack[-1][0] > base:
                stack.pop()
            stack.append((base + 1, squash(strip_markup(block.text))))
            if answer is not None:
                blocks.append(_question(block, answer, stack))
            continue
        path = tuple(h for _, h in stack)
        blocks.append(Block(block.kind, (block.start, block.end), path, parts=tuple(block.parts)))
    return Document(title or fallback_title, tuple(blocks))


def _question(block: RawBlock, answer: RawBlock, stack: list[tuple[int, str]]) -> Block:
    """A question block with its answer paragraph."""
    return Block(
        "question",
        (block.start, answer.end),
        tuple(h for _, h in stack),
        text=squash(strip_markup(block.text)),
        answer=tuple(answer.parts),
    )
