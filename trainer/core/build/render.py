"""Rendering a build result as a native TOML deck file."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from trainer.errors import InvalidInputError

from .model import BuildResult, DraftCard, DraftCompare, DraftSource, FieldValue

DECK_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_FIELD_ORDER = ("front", "back", "text", "answers", "answer", "distractors", "hint")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


DRAFTED = "# drafted: "
_WIDTH = 100


def drafted_lines(ids: Iterable[str]) -> list[str]:
    """`# drafted:` comment lines listing `ids` (sorted, wrapped)."""
    lines: list[str] = []
    current = ""
    for ident in sorted(set(ids)):
        if current and len(current) + len(ident) + 1 > _WIDTH:
            lines.append(DRAFTED + current)
            current = ""
        current = f"{current} {ident}".strip()
    if current:
        lines.append(DRAFTED + current)
    return lines


def toml_string(text: str) -> str:
    """A TOML basic string; controls escaped, surrogates dropped."""
    out: list[str] = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) == "Cs":
            continue
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(key: str) -> str:
    """A bare key when possible, else a quoted one."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_value(value: FieldValue) -> str:
    """A string or an array of strings."""
    if isinstance(value, list):
        return "[" + ", ".join(toml_string(v) for v in value) + "]"
    return toml_string(value)


def _card(card: DraftCard) -> list[str]:
    """The lines of one `[[cards]]` table, preceded by its confidence comment."""
    lines = [f"# confidence: {card.confidence:.2f}", "[[cards]]", f"id = {toml_string(card.id)}"]
    lines.append(f"kind = {toml_string(card.kind)}")
    keys = [k for k in _FIELD_ORDER if k in card.fields] + sorted(
        k for k in card.fields if k not in _FIELD_ORDER
    )
    lines.extend(f"{toml_key(k)} = {toml_value(card.fields[k])}" for k in keys)
    if card.tags:
        lines.append(f"tags = {toml_value(card.tags)}")
    lines.append(f"source = {toml_string(card.source)}")
    if card.section:
        lines.append(f"section = {toml_string(card.section)}")
    if card.note:
        lines.append(f"note = {toml_string(card.note)}")
    return lines


def _compare(compare: DraftCompare) -> list[str]:
    """The lines of one `[[compare]]` table with its facets."""
    lines = [
        f"# confidence: {compare.confidence:.2f}",
        "[[compare]]",
        f"id = {toml_string(compare.id)}",
        f"title = {toml_string(compare.title)}",
        f"items = {toml_value(compare.items)}",
    ]
    if compare.tags:
        lines.append(f"tags = {toml_value(compare.tags)}")
    lines.append(f"source = {toml_string(compare.source)}")
    if compare.section:
        lines.append(f"section = {toml_string(compare.section)}")
    lines.append("[compare.facets]")
    lines.extend(f"{toml_string(name)} = {toml_value(values)}" for name, values in compare.facets.items())
    return lines


def render_blocks(
    sources: Iterable[DraftSource], cards: Iterable[DraftCard], compares: Iterable[DraftCompare]
) -> list[str]:
    """The lines of `[[deck.sources]]`, `[[cards]]` and `[[compare]]` tables, each after a blank line."""
    lines: list[str] = []
    for source in sources:
        lines += ["", "[[deck.sources]]", f"id = {toml_string(source.id)}"]
        lines += [f"title = {toml_string(source.title)}", f"file = {toml_string(source.file)}"]
    for card in cards:
        lines.append("")
        lines.extend(_card(card))
    for compare in compares:
        lines.append("")
        lines.extend(_compare(compare))
    return lines


def render_toml(result: BuildResult, deck_id: str, deck_name: str, rejected: Iterable[str] = ()) -> str:
    """A complete deck file for `trainer load`; raises InvalidInputError on a bad deck id or name.

    The ids of every draft (and of `rejected` ones) are recorded in `# drafted:` comments so a
    later `build --force` knows which drafts the learner removed.
    """
    if not DECK_ID.match(deck_id):
        raise InvalidInputError(f"deck id {deck_id!r} must match {DECK_ID.pattern}")
    if not deck_name.strip() or any(not part.strip() for part in deck_name.split("::")):
        raise InvalidInputError(f"deck name {deck_name!r} is empty or has an empty '::' part")
    lines = [
        "# Draft deck written by `trainer build`: review every card before learning it.",
        "# Each card's confidence (0-1) is the comment above it.",
        "[deck]",
        f"id = {toml_string(deck_id)}",
        f"name = {toml_string(deck_name)}",
        f"language = {toml_string(result.language)}",
    ]
    lines += render_blocks(result.sources, result.cards, result.compares)
    ids = [*(c.id for c in result.cards), *(c.id for c in result.compares), *rejected]
    lines += ["", *drafted_lines(ids)]
    return "\n".join(lines) + "\n"
