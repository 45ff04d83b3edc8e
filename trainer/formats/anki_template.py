"""Anki's card templates, rendered as Anki renders them (to HTML, before its reviewer's scripts).

What is handled, as in Anki 2.1.50+: field references with filters applied right to left
(`text`, `cloze`, `cloze-only`, `hint`, `type`, `furigana`, `kana`, `kanji`, `tts ...`; an
unknown filter leaves the text alone), conditionals `{{#Field}}` and `{{^Field}}` (a field
holding only spaces, `<br>` or `<div>` counts as empty; `{{#c2}}` is true on cloze 2),
special fields (`FrontSide`, `Tags`, `Type`, `Deck`, `Subdeck`, `Card`, `CardFlag`), and
clozes: several cloze fields, nested clozes, hints and `{{c1,2::...}}`. A cloze field without
the card's number renders empty. Type-in answers stay as Anki's `[[type:Field]]` marker for
the caller. Problems Anki reports instead of the card (an unknown field, a section closed
in the wrong order, no cloze for the card) raise `TemplateError` with Anki's reason.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from trainer.formats.html_text import strip_html

_TOKEN_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_EMPTY_RE = re.compile(r"^(?:\s|\u200b|</?(?:br|div)\s?/?>)*$", re.IGNORECASE)
_FURIGANA_RE = re.compile(r" ?([^ >]+?)\[(.+?)\]")
_CLOZE_OPEN_RE = re.compile(r"\{\{c([\d,]+)::")
SPECIAL = ("FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag")


class TemplateError(ValueError):
    """A template Anki cannot render; the message says why, as Anki does."""


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Field:
    name: str
    filters: tuple[str, ...]  # outermost first, as written
    raw: str


@dataclass(frozen=True)
class _Section:
    name: str
    negated: bool
    body: tuple[_Node, ...]


_Node = _Text | _Field | _Section


@lru_cache(maxsize=512)
def parse(template: str) -> tuple[_Node, ...]:
    """The template's nodes; `TemplateError` on sections that do not match."""
    stack: list[tuple[str, bool, list[_Node]]] = [("", False, [])]
    position = 0
    for match in _TOKEN_RE.finditer(template):
        if match.start() > position:
            stack[-1][2].append(_Text(template[position : match.start()]))
        position = match.end()
        inner = match.group(1).strip()
        if inner[:1] in "#^":
            stack.append((inner[1:].strip(), inner[0] == "^", []))
        elif inner[:1] == "/":
            name = inner[1:].strip()
            if len(stack) == 1:
                raise TemplateError(f"Found '{{{{/{name}}}}}', but missing '{{{{#{name}}}}}'")
            opened, negated, body = stack.pop()
            if opened != name:
                raise TemplateError(f"Found '{{{{/{name}}}}}', but expected '{{{{/{opened}}}}}'")
            stack[-1][2].append(_Section(opened, negated, tuple(body)))
        else:
            parts = [p.strip() for p in inner.split(":")]
            stack[-1][2].append(_Field(parts[-1], tuple(parts[:-1]), match.group(0)))
    if position < len(template):
        stack[-1][2].append(_Text(template[position:]))
    if len(stack) > 1:
        name = stack[-1][0]
        raise TemplateError(f"Missing '{{{{/{name}}}}}'")
    return tuple(stack[0][2])


def field_is_empty(text: str) -> bool:
    """Anki's test for an empty field (spaces, `<br>` and `<div>` only)."""
    return not text or bool(_EMPTY_RE.match(text))


@dataclass
class CardContext:
    """What a template can show: the note's fields and the card's special values."""

    fields: dict[str, str]
    ordinal: int  # the card's template ordinal (cloze number - 1)
    cloze: bool
    tags: str = ""
    notetype: str = ""
    deck: str = ""
    template_name: str = ""
    flag: int = 0
    front_side: str = ""
    hints: list[str] | None = None  # when a list: `{{hint:...}}` values go here, not in the HTML

    def value(self, name: str) -> str | None:
        if name in self.fields:
            return self.fields[name]
        if name == "FrontSide":
            return self.front_side
        if name == "Tags":
            return self.tags
        if name == "Type":
            return self.notetype
        if name == "Deck":
            return self.deck
        if name == "Subdeck":
            return self.deck.rsplit("::", 1)[-1]
        if name == "Card":
            return self.template_name
        if name == "CardFlag":
            return f"flag{self.flag}" if self.flag else ""
        return None

    def truthy(self, name: str) -> bool:
        if self.cloze and re.fullmatch(r"c\d+", name):
            return int(name[1:]) == self.ordinal + 1
        value = self.value(name)
        if value is None:
            raise TemplateError(f"Found '{{{{#{name}}}}}', but there is no field called '{name}'")
        return not field_is_empty(value)


def render(template: str, context: CardContext, *, question: bool) -> str:
    """The template's HTML for this card; `TemplateError` where Anki shows a problem instead."""
    out: list[str] = []
    _render(parse(template), context, question, out)
    return "".join(out)


def _render(nodes: tuple[_Node, ...], context: CardContext, question: bool, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, _Text):
            out.append(node.text)
        elif isinstance(node, _Section):
            if context.truthy(node.name) != node.negated:
                _render(node.body, context, question, out)
        else:
            out.append(_field(node, context, question))


def _field(node: _Field, context: CardContext, question: bool) -> str:
    if "type" in node.filters:  # Anki's reviewer puts the answer box (or the comparison) here
        return "[[type:" + ":".join([*(f for f in node.filters if f != "type"), node.name]) + "]]"
    value = context.value(node.name)
    if value is None:
        if not node.name:
            return ""
        raise TemplateError(f"Found '{node.raw}', but there is no field called '{node.name}'")
    for name in reversed(node.filters):
        value = _apply(name, value, node.name, context, question)
    return value


def _apply(name: str, value: str, field: str, context: CardContext, question: bool) -> str:
    if name == "text":
        return strip_html(value)
    if name == "cloze":
        return render_cloze(value, context.ordinal + 1, question=question)
    if name == "cloze-only":
        return ", ".join(cloze_texts(value, context.ordinal + 1))
    if name == "hint":
        if context.hints is not None:
            if value.strip() and value not in context.hints:
                context.hints.append(value)
            return ""
        return _hint(value, field)
    if name in ("furigana", "kana", "kanji"):
        return _ruby(value, name)
    return value  # tts, unknown filters: the text itself


def _hint(value: str, field: str) -> str:
    if not value.strip():
        return ""
    return (
        '<a class=hint href="#">'
        f"\n{html.escape(field)}</a>\n"
        f'<div class=hint style="display: none">{value}</div>\n'
    )


def _ruby(value: str, mode: str) -> str:
    def replace(match: re.Match[str]) -> str:
        base, reading = match.group(1), match.group(2)
        if reading.startswith("sound:"):
            return match.group(0)
        if mode == "kanji":
            return base
        if mode == "kana":
            return reading
        return f"<ruby><rb>{base}</rb><rt>{reading}</rt></ruby>"

    return _FURIGANA_RE.sub(replace, value.replace("&nbsp;", " "))


@dataclass
class _Cloze:
    ordinals: frozenset[int]
    children: list[str | _Cloze]
    hint: str = ""


def _parse_cloze(text: str) -> list[str | _Cloze]:
    """Text and (nested) clozes; an unclosed `{{c1::` stays text."""
    root: list[str | _Cloze] = []
    stack: list[tuple[_Cloze, int]] = []  # open clozes and where their opener began
    position = 0

    def children() -> list[str | _Cloze]:
        return stack[-1][0].children if stack else root

    i = 0
    while i < len(text):
        opener = _CLOZE_OPEN_RE.match(text, i) if text.startswith("{{c", i) else None
        if opener:
            if i > position:
                children().append(text[position:i])
            ords = frozenset(int(n) for n in opener.group(1).split(",") if n)
            stack.append((_Cloze(ords, []), i))
            i = position = opener.end()
            continue
        if stack and text.startswith("}}", i):
            if i > position:
                children().append(text[position:i])
            cloze, _ = stack.pop()
            last = cloze.children[-1] if cloze.children else None
            if isinstance(last, str) and "::" in last:
                head, cloze.hint = last.split("::", 1)
                cloze.children[-1] = head
            children().append(cloze)
            i = position = i + 2
            continue
        i += 1
    if position < len(text):
        children().append(text[position:])
    while stack:  # unclosed: the opener and what follows it stay plain text
        cloze, start = stack.pop()
        opener = _CLOZE_OPEN_RE.match(text, start)
        children().append(opener.group(0) if opener else "")
        children().extend(cloze.children)
    return root


def _has(nodes: list[str | _Cloze], ordinal: int) -> bool:
    return any(isinstance(n, _Cloze) and (ordinal in n.ordinals or _has(n.children, ordinal)) for n in nodes)


def _show(nodes: list[str | _Cloze], ordinal: int, question: bool) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif ordinal in node.ordinals and question:
            out.append(f'<span class="cloze" data-ordinal="{ordinal}">[{node.hint or "..."}]</span>')
        elif ordinal in node.ordinals:
            shown = _show(node.children, ordinal, question)
            out.append(f'<span class="cloze" data-ordinal="{ordinal}">{shown}</span>')
        else:
            out.append(_show(node.children, ordinal, question))
    return "".join(out)


def has_cloze(text: str, ordinal: int) -> bool:
    """Whether `text` has a cloze numbered `ordinal` (nested ones count)."""
    return "{{c" in text and _has(_parse_cloze(text), ordinal)


def render_cloze(text: str, ordinal: int, *, question: bool) -> str:
    """The field with cloze `ordinal` hidden (question) or shown; empty if it has no such cloze."""
    if "{{c" not in text:
        return ""
    nodes = _parse_cloze(text)
    return _show(nodes, ordinal, question) if _has(nodes, ordinal) else ""


def cloze_texts(text: str, ordinal: int) -> list[str]:
    """The hidden parts of cloze `ordinal`, in order."""
    found: list[str] = []

    def walk(nodes: list[str | _Cloze]) -> None:
        for node in nodes:
            if isinstance(node, _Cloze):
                if ordinal in node.ordinals:
                    found.append(_show(node.children, ordinal, False))
                else:
                    walk(node.children)

    if "{{c" in text:
        walk(_parse_cloze(text))
    return found
