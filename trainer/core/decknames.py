"""Deck names as people type and read them: resolving a short or mistyped name, sorting."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence

from trainer.errors import NotFoundError


class UnknownDeckError(NotFoundError):
    """No deck (or more than one) answers to a name; the message names the closest ones."""


def fold(text: str) -> str:
    """Case and accents folded: `Dénervation` -> `denervation`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def deck_sort_key(name: str) -> tuple[tuple[str, str], ...]:
    """Sort key keeping subdecks under their parent, each level in reading order
    (case and accents folded, the exact text breaking ties)."""
    return tuple((fold(part), part) for part in name.split("::"))


def sort_deck_names(names: Iterable[str]) -> list[str]:
    """Deck names in reading order, a parent before its subdecks."""
    return sorted(names, key=deck_sort_key)


def _short(name: str) -> str:
    return name.rsplit("::", 1)[-1]


def resolve_deck_name(query: str, names: Sequence[str]) -> str:
    """The full name of the deck `query` means: the exact name, else the one deck whose
    name or last part (`Basics` for `Nerves::Basics`) matches with case and accents folded.

    Raises `UnknownDeckError` naming the closest decks when none or several match.
    """
    if query in names:
        return query
    wanted = fold(query.strip())
    for candidates in (
        [n for n in names if fold(n) == wanted],
        [n for n in names if fold(_short(n)) == wanted],
    ):
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            listed = ", ".join(sort_deck_names(candidates))
            raise UnknownDeckError(f"'{query}' names several decks: {listed} (give the full name)")
    raise UnknownDeckError(f"no deck named '{query}'" + _closest(query, names))


def _closest(query: str, names: Sequence[str]) -> str:
    if not names:
        return " (the collection has no decks yet)"
    by_fold: dict[str, str] = {}
    for name in names:
        by_fold.setdefault(fold(name), name)
        by_fold.setdefault(fold(_short(name)), name)
    matches = difflib.get_close_matches(fold(query), list(by_fold), n=6, cutoff=0.5)
    found = list(dict.fromkeys(by_fold[m] for m in matches))[:3]
    if found:
        return "; closest: " + ", ".join(found)
    tops = sort_deck_names({n.split("::")[0] for n in names})
    more = f" and {len(tops) - 5} more" if len(tops) > 5 else ""
    return "; decks: " + ", ".join(tops[:5]) + more
