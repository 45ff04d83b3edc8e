"""The native deck format (TOML): parse and validate, with `FILE:LINE: message` errors.

See docs/deck-format.md. Parsing never touches a collection: it yields a `DeckSpec`
whose `cards` are the study cards the file generates, each with its stable id. The
vocabulary (keys, specs, errors) is in `trainer.core.deckspec`, the checking of a parsed
file in `trainer.core.deckcheck`.
"""

from __future__ import annotations

import re
from pathlib import Path

import tomli  # the reader that became the stdlib's tomllib, compiled: 2-3x faster on big decks

from trainer.core.deckcheck import DeckValidator, TableLines
from trainer.core.deckspec import (
    CARD_KEYS,
    COMPARE_KEYS,
    DECK_KEYS,
    SOURCE_KEYS,
    CardSpec,
    DeckError,
    DeckFileError,
    DeckSpec,
    SourceSpec,
)
from trainer.core.files import regular_file
from trainer.errors import InvalidInputError, NotFoundError

__all__ = [
    "CARD_KEYS", "COMPARE_KEYS", "DECK_KEYS", "SOURCE_KEYS", "CardSpec", "DeckError", "DeckFileError",
    "DeckSpec", "SourceSpec", "parse_deck_file", "parse_deck_text", "parse_paths",
]  # fmt: skip


def parse_deck_file(path: Path) -> DeckSpec:
    """Parse one deck file; raise `DeckFileError` listing every problem."""
    try:
        regular_file(path)
    except (InvalidInputError, NotFoundError) as exc:
        raise DeckFileError([DeckError(str(path), 0, str(exc).removeprefix(f"{path}: "))]) from None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckFileError([DeckError(str(path), 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise DeckFileError([DeckError(str(path), 0, exc.strerror or str(exc))]) from None
    return parse_deck_text(text, str(path))


def parse_deck_text(text: str, filename: str) -> DeckSpec:
    """Parse deck-file text; `filename` is used in error messages."""
    try:
        data = tomli.loads(text)
    except RecursionError:  # arrays or inline tables nested hundreds deep
        raise DeckFileError([DeckError(filename, 1, "invalid TOML: nested too deeply")]) from None
    except tomli.TOMLDecodeError as exc:
        line = _toml_error_line(exc)
        message = str(exc).split(" (at line")[0]
        raise DeckFileError([DeckError(filename, line, f"invalid TOML: {message}")]) from None
    return DeckValidator(data, TableLines(text), filename).run()


def _toml_error_line(exc: ValueError) -> int:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else 1


def parse_paths(paths: list[Path]) -> list[DeckSpec]:
    """Parse files and folders of deck files (`*.toml`, recursively), collecting all errors."""
    files: list[Path] = []
    errors: list[DeckError] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.toml") if p.is_file()))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            errors.append(DeckError(str(path), 0, "not a deck file or a folder (a pipe or a device)"))
        else:
            errors.append(DeckError(str(path), 0, "no such file or folder"))
    decks: list[DeckSpec] = []
    for file in files:
        try:
            decks.append(parse_deck_file(file))
        except DeckFileError as exc:
            errors.extend(exc.errors)
    seen: dict[str, str] = {}
    for deck in decks:
        if deck.id in seen:
            errors.append(DeckError(deck.path, 1, f"deck id '{deck.id}' is also used by {seen[deck.id]}"))
        seen[deck.id] = deck.path
    if errors:
        raise DeckFileError(errors)
    return decks
