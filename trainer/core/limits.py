"""The size limits every reader shares (no imports: the CLI's error handling loads this early)."""

from __future__ import annotations

MAX_FIELD_CHARS = 1_000_000  # one text field (and a note's fields together)
MAX_CARDS_PER_NOTE = 1_000  # cloze numbers, generated cards of one note
MAX_LIST_ITEMS = 1_000  # answers, distractors, media, tags of one card
MAX_DECK_DEPTH = 32  # `A::B::...` levels
MAX_DECK_NAME_CHARS = 1_000
MAX_DECK_PART_CHARS = 200


def deck_name_problem(name: str) -> str | None:
    """Why a deck name cannot be used (too deep, too long, an empty level), or None ('' = default)."""
    if not isinstance(name, str):
        return f"{repr(name)[:40]} is not text"
    depth = name.count("::") + 1
    if depth > MAX_DECK_DEPTH:
        return f"deck name nested too deep ({depth} levels, at most {MAX_DECK_DEPTH})"
    if len(name) > MAX_DECK_NAME_CHARS:
        return f"deck name too long ({len(name)} characters, at most {MAX_DECK_NAME_CHARS})"
    parts = name.split("::")
    if name and any(not part.strip() for part in parts):
        return f"deck name '{name[:60]}' has an empty level (nothing between '::')"
    if any(len(part) > MAX_DECK_PART_CHARS for part in parts):
        return f"a deck name part is longer than {MAX_DECK_PART_CHARS} characters"
    return None
