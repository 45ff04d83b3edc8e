"""Loading deck files is a sync: edits keep progress, removals suspend, reloads change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_deck
from trainer.collection import Collection
from trainer.core.deckfile import DeckFileError
from trainer.core.scheduling import Rating

DECK = """\
[deck]
id = "sync"
name = "Sync::Deck"

[[cards]]
id = "one"
front = "First?"
back = "1"

[[cards]]
id = "two"
front = "Second?"
back = "2"
"""


def by_external(col: Collection) -> dict[str, int]:
    found = {}
    for card_id in range(1, 50):
        try:
            card = col.card(card_id)
        except LookupError:
            continue
        found[card.external_id] = card_id
    return found


def test_first_load_then_idempotent(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "d.toml", DECK)
    first = col.load([path])
    assert first.added == ["sync/one", "sync/two"]
    assert first.decks_created == ["Sync::Deck"]
    again = col.load([path])
    assert not again.changed_anything and again.unchanged == 2


def test_edit_keeps_memory_state_and_is_reported(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "d.toml", DECK)
    col.load([path])
    card_id = by_external(col)["sync/one"]
    col.answer(card_id, Rating.EASY)
    state = col.card(card_id).state
    write_deck(path, DECK.replace('back = "1"', 'back = "One"'))
    report = col.load([path])
    assert report.changed == ["sync/one"] and report.added == []
    card = col.card(card_id)
    assert card.answer == "One" and card.state == state
    assert len(col.history(card_id)) == 1


def test_removed_card_is_suspended_with_history_then_restored(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "d.toml", DECK)
    col.load([path])
    card_id = by_external(col)["sync/two"]
    col.answer(card_id, Rating.GOOD)
    write_deck(path, DECK.split('[[cards]]\nid = "two"')[0])
    report = col.load([path])
    assert report.suspended == ["sync/two"]
    card = col.card(card_id)
    assert card.suspended and "orphan" in card.tags
    assert len(col.history(card_id)) == 1
    assert not col.load([path]).changed_anything  # still idempotent
    write_deck(path, DECK)
    back = col.load([path])
    assert back.restored == ["sync/two"]
    card = col.card(card_id)
    assert not card.suspended and "orphan" not in card.tags


def test_check_changes_nothing(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "d.toml", DECK)
    report = col.load([path], check=True)
    assert report.checked_only and len(report.added) == 2
    assert col.decks() == []


def test_a_bad_file_loads_nothing(col: Collection, tmp_path: Path) -> None:
    write_deck(tmp_path / "a.toml", DECK)
    write_deck(
        tmp_path / "b.toml", DECK.replace('id = "sync"', 'id = "other"').replace('back = "2"', "back = 2")
    )
    with pytest.raises(DeckFileError) as info:
        col.load([tmp_path])
    assert [str(e) for e in info.value.errors] == [f"{tmp_path / 'b.toml'}:13: 'back' must be a string"]
    assert col.decks() == []


def test_renamed_deck_keeps_its_cards(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "d.toml", DECK)
    col.load([path])
    write_deck(path, DECK.replace('name = "Sync::Deck"', 'name = "Other::Name"'))
    col.load([path])
    names = {d.name: d.total for d in col.decks()}
    assert names["Other::Name"] == 2


def test_bundled_decks_install_on_first_open(tmp_path: Path) -> None:
    from trainer.collection import open_collection

    with open_collection(tmp_path / "fresh.sqlite3") as fresh:
        decks = fresh.decks()
        assert any(d.name.startswith("Denervation") for d in decks)
        assert sum(d.total for d in decks if "::" not in d.name) >= 150
        assert not fresh.load_bundled().changed_anything
