"""Deck names: resolving what the learner typed, and reading order."""

from __future__ import annotations

import pytest

from trainer.core.decknames import UnknownDeckError, resolve_deck_name, sort_deck_names

NAMES = ["Denervation", "Denervation::Basics", "Denervation::Causes", "Dénervation", "Other::Causes"]


def test_exact_and_folded_full_names_resolve() -> None:
    assert resolve_deck_name("Denervation::Basics", NAMES) == "Denervation::Basics"
    assert resolve_deck_name("denervation::basics", NAMES) == "Denervation::Basics"


def test_a_unique_short_name_resolves() -> None:
    assert resolve_deck_name("Basics", NAMES) == "Denervation::Basics"
    assert resolve_deck_name("basics", NAMES) == "Denervation::Basics"


def test_an_ambiguous_short_name_lists_the_decks() -> None:
    with pytest.raises(UnknownDeckError, match="several decks: Denervation::Causes, Other::Causes"):
        resolve_deck_name("Causes", NAMES)


def test_an_unknown_name_names_the_closest() -> None:
    with pytest.raises(UnknownDeckError, match="no deck named 'Basic'; closest: Denervation::Basics"):
        resolve_deck_name("Basic", NAMES)
    with pytest.raises(UnknownDeckError, match="no deck named 'Zzz'; decks: Denervation, Dénervation, Other"):
        resolve_deck_name("Zzz", NAMES)


def test_decks_sort_as_people_read() -> None:
    names = ["b", "Dénervation::x", "Zeta", "apple", "Denervation", "Dénervation", "Denervation::A"]
    assert sort_deck_names(names) == [
        "apple", "b", "Denervation", "Denervation::A", "Dénervation", "Dénervation::x", "Zeta",
    ]  # fmt: skip
