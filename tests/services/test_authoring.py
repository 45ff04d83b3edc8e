"""Cards added in the app: into the deck's own file when it has one, else the collection."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_deck
from trainer.collection import Collection
from trainer.core.cards import CardContent, CardKind
from trainer.core.deckfile import parse_deck_file
from trainer.errors import InvalidInputError

DECK = """
[deck]
id = "mine"
name = "Mine"

[[cards]]
id = "one"
front = "One?"
back = "1"
"""


def test_a_card_added_to_a_file_deck_goes_into_the_file(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "mine.toml", DECK)
    col.load([path])
    [added] = col.add_card("Mine", CardContent(CardKind.BASIC, front='Two? "quoted"', back="2"), tags=["new"])
    assert added.external_id == "mine/two-quoted" and added.tags == ("new",)
    spec = parse_deck_file(path)
    assert [c.external_id for c in spec.cards] == ["mine/one", "mine/two-quoted"]
    assert spec.cards[1].content.front == 'Two? "quoted"'
    report = col.load([path])  # loading the file again changes nothing
    assert report.added == [] and report.changed == []
    with pytest.raises(InvalidInputError, match="comes from"):
        col.delete_card(added.id)


def test_a_card_added_to_a_deck_without_file_is_a_collection_card(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "mine.toml", DECK)
    col.load([path])
    path.unlink()  # the file is gone: the deck is the collection's now
    cloze = CardContent(CardKind.CLOZE, text="{{c1::Schwann}} cells myelinate {{c2::peripheral}} axons.")
    cards = col.add_card("Mine", cloze)
    assert [c.content.cloze_ord for c in cards] == [1, 2]
    assert all(c.state.reps == 0 and c.deck_name == "Mine" for c in cards)
    col.answer(cards[0].id, 3)
    assert col.delete_card(cards[0].id) == 1
    assert [c.id for c in col.search("schwann")] == [cards[1].id]


def test_a_card_that_cannot_be_studied_is_refused(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "mine.toml", DECK)])
    with pytest.raises(InvalidInputError, match="answer cannot be empty"):
        col.add_card("Mine", CardContent(CardKind.BASIC, front="Q?", back=" "))
    assert parse_deck_file(tmp_path / "mine.toml").cards[-1].external_id == "mine/one"


def test_a_short_card_added_to_a_file_is_a_table_of_its_own(col: Collection, tmp_path: Path) -> None:
    # tomli_w wrote a short card as `cards = [{...}]`, a key of the file's last card: refused
    path = write_deck(tmp_path / "mine.toml", DECK)
    col.load([path])
    [added] = col.add_card("Mine", CardContent(CardKind.BASIC, front="Two?", back="2"))
    assert added.external_id == "mine/two"
    assert [c.content.front for c in parse_deck_file(path).cards] == ["One?", "Two?"]
