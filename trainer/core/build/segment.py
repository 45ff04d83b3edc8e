"""Documents as headed blocks and sentences, each with its line span."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .blocks import RawBlock, read_blocks
from .clean import squash, strip_markup, words
from .entries import question_text, strip_answer_mark
from .model import Lines, Sentence

_ABBREVIATIONS = frozenset(
    words(
        "e.g i.e etc dr mr mrs ms prof vs cf fig figs al approx no nos vol ch sec st mt jr sr"
        " inc ltd co p pp mme mlle m av env ex"
    )
)
_NAME_INTRO = frozenset(words("from with into onto than that pour avec dans chez selon"))
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
    paragraphs: tuple[tuple[tuple[int, int, str], ...], ...] = ()


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
    if len(token) == 1 and token.isalpha():  # an initial ("J. Smith"), unless it ends a noun ("vitamin K.")
        words_before = before[0].rsplit(None, 1) if len(before) > 1 else []
        named = words_before and words_before[-1].isalpha() and words_before[-1].islower()
        return bool(named) and len(words_before[-1]) > 3 and words_before[-1] not in _NAME_INTRO
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


def _resolve_questions(raw: list[RawBlock]) -> list[tuple[RawBlock, list[RawBlock]]]:
    """Pair each question with its whole answer (the paragraphs and lists up to the next
    heading or question), or demote an unanswered question to a heading."""
    resolved: list[tuple[RawBlock, list[RawBlock]]] = []
    position = 0
    while position < len(raw):
        block = raw[position]
        position += 1
        is_md_question = block.kind == "atx" and block.text.endswith("?")
        if block.kind == "question" or is_md_question:
            title_like = position == 1 and block.kind == "atx" and block.level == 1
            answer: list[RawBlock] = []
            while not title_like and position < len(raw) and raw[position].kind in ("para", "bullets"):
                answer.append(raw[position])
                position += 1
            if answer and answer[0].kind == "para":
                resolved.append((block, answer))
                continue
            position -= len(answer)
            if block.kind == "question":
                block = RawBlock("plainhead", block.start, block.end, text=block.text)
        resolved.append((block, []))
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
            if answer:
                blocks.append(_question(block, answer, stack))
            continue
        if block.kind == "question":
            while stack and stack[-1][0] > base:
                stack.pop()
            stack.append((base + 1, squash(strip_markup(block.text))))
            if answer:
                blocks.append(_question(block, answer, stack))
            continue
        path = tuple(h for _, h in stack)
        blocks.append(Block(block.kind, (block.start, block.end), path, parts=tuple(block.parts)))
    return Document(title or fallback_title, tuple(blocks))


def _question(block: RawBlock, answer: list[RawBlock], stack: list[tuple[int, str]]) -> Block:
    """A question block with its answer, one tuple of lines per paragraph or list item."""
    paragraphs: list[tuple[tuple[int, int, str], ...]] = []
    for part in answer:
        if part.kind == "bullets":
            paragraphs.extend(((start, end, end_item(text)),) for start, end, text in part.parts)
        else:
            paragraphs.append(tuple(part.parts))
    first = paragraphs[0]
    start, end, text = first[0]
    paragraphs[0] = ((start, end, strip_answer_mark(text)), *first[1:])
    return Block(
        "question",
        (block.start, answer[-1].end),
        tuple(h for _, h in stack),
        text=question_text(block.text) or squash(strip_markup(block.text)),
        answer=tuple(p for para in paragraphs for p in para),
        paragraphs=tuple(paragraphs),
    )


def end_item(text: str) -> str:
    """A list item as a sentence of its own."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", ":", ";")) else text + "."
