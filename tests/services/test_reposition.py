"""Reposition new cards (Anki's browser, Cards > Reposition), undoable on the one stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_deck
from trainer.collection import Collection
from trainer.core.scheduling import Rating
from trainer.errors import InvalidInputError
from trainer.services.undo_actions import UndoneAction

DECK = """
[deck]
id = "r"
name = "Order"
""" + "".join(f'\n[[cards]]\nid = "c{n}"\nfront = "Card {n}?"\nback = "{n}"\n' for n in range(1, 7))

PAIR = """
[deck]
id = "p"
name = "Pairs"

[[cards]]
id = "solo"
front = "Solo?"
back = "alone"

[[cards]]
id = "pair"
kind = "reversed"
front = "Front"
back = "Back"
"""


def ids_by_front(col: Collection) -> dict[str, int]:
    return {c.content.front: c.id for c in col.search("")}


def study_order(col: Collection, deck: str) -> list[str]:
    """The fronts of the new cards in the order the study queue gives them."""
    order = []
    while (study := col.next_card(deck)) is not None:
        order.append(study.card.content.front)
        col.bury(study.card.id)
    for _ in order:  # the burials only
        undone = col.undo()
        assert isinstance(undone, UndoneAction) and undone.action == "bury"
    return order


def test_reposition_moves_cards_to_the_end_and_undo_puts_them_back(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "r.toml", DECK)])
    fronts = ids_by_front(col)
    assert study_order(col, "Order") == [f"Card {n}?" for n in range(1, 7)]
    top, bottom = col.new_queue_ends()
    assert bottom - top == 5
    done = col.reposition([fronts["Card 1?"], fronts["Card 2?"]], bottom + 1)
    assert done.moved == (fronts["Card 1?"], fronts["Card 2?"]) and done.skipped == 0
    assert study_order(col, "Order") == ["Card 3?", "Card 4?", "Card 5?", "Card 6?", "Card 1?", "Card 2?"]
    undone = col.undo()
    assert isinstance(undone, UndoneAction) and undone.action == "reposition"
    assert study_order(col, "Order") == [f"Card {n}?" for n in range(1, 7)]


def test_shift_makes_room_and_step_spaces_the_cards(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "r.toml", DECK)])
    fronts = ids_by_front(col)
    top, _ = col.new_queue_ends()
    # Anki: cards 5 and 6 at top+1 with step 2, the others from top+1 on shifted back by 4
    done = col.reposition([fronts["Card 6?"], fronts["Card 5?"]], top + 1, step=2, shift=True)
    assert done.moved == (fronts["Card 6?"], fronts["Card 5?"])  # in the order given, as Anki
    assert study_order(col, "Order") == ["Card 1?", "Card 6?", "Card 5?", "Card 2?", "Card 3?", "Card 4?"]
    page = col.search_page("", limit=10)
    after = {c.content.front: page.positions[c.id] for c in page.cards}
    assert [after[f"Card {n}?"] - top for n in range(1, 7)] == [0, 5, 6, 7, 3, 1]
    assert len(done.before) == 5  # the two moved and the three shifted (card 1 stays)
    assert col.undo() is not None
    assert study_order(col, "Order") == [f"Card {n}?" for n in range(1, 7)]
    assert len(col.search_page("", limit=10).cards) == 6


def test_randomize_is_a_permutation_and_siblings_share_a_position(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "p.toml", PAIR)])
    ids = [c.id for c in col.search("")]
    done = col.reposition(ids, 100, randomize=True, seed=3)
    assert sorted(done.moved) == sorted(ids)
    page = col.search_page("", limit=10)
    assert sorted(page.positions[i] for i in ids) in ([100, 101, 101], [100, 100, 101])


def test_only_new_cards_move(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "r.toml", DECK)])
    fronts = ids_by_front(col)
    col.answer(fronts["Card 1?"], Rating.GOOD)
    with pytest.raises(InvalidInputError, match="only new cards"):
        col.reposition([fronts["Card 1?"]], 0)
    done = col.reposition([fronts["Card 1?"], fronts["Card 4?"]], 0)
    assert done.moved == (fronts["Card 4?"],) and done.skipped == 1
    with pytest.raises(InvalidInputError, match="step"):
        col.reposition([fronts["Card 4?"]], 0, step=0)
    with pytest.raises(InvalidInputError, match="start"):
        col.reposition([fronts["Card 4?"]], -1)


def test_reposition_and_answers_undo_in_order(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "r.toml", DECK)])
    fronts = ids_by_front(col)
    col.reposition([fronts["Card 6?"]], 0)
    col.answer(fronts["Card 6?"], Rating.GOOD)
    first = col.undo()
    assert not isinstance(first, UndoneAction)  # the answer first
    second = col.undo()
    assert isinstance(second, UndoneAction) and second.action == "reposition"
    assert study_order(col, "Order")[0] == "Card 1?"
