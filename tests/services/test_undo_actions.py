"""One undo stack for answers and card actions (suspend, unsuspend, bury, flag, edit)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.conftest import TEST_ZONE, write_deck
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import Rating
from trainer.services.undo_actions import UndoneAction
from trainer.views import UndoResult

DECK = """
[deck]
id = "u"
name = "Undo"

[[cards]]
id = "one"
front = "One?"
back = "1"

[[cards]]
id = "two"
front = "Two?"
back = "2"
"""


def test_actions_and_answers_are_undone_newest_first(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "u.toml", DECK)])
    one, two = sorted(c.id for c in col.search(""))
    col.answer(one, Rating.GOOD)
    col.set_flag(one, 3)
    col.edit_card(two, replace(col.card(two).content, front="Two, edited?"), tags=["x"])
    col.answer(two, Rating.EASY)
    col.bury(one)
    col.set_suspended([two], True)

    steps = []
    while (undone := col.undo()) is not None:
        if isinstance(undone, UndoResult):
            steps.append(("answer", undone.card_id))
        else:
            assert isinstance(undone, UndoneAction)
            steps.append((undone.action, undone.card_id))
    assert steps == [
        ("suspend", two), ("bury", one), ("answer", two), ("edit", two), ("flag", one), ("answer", one),
    ]  # fmt: skip
    first, second = col.card(one), col.card(two)
    assert (first.flag, first.buried, first.suspended, first.state.reps) == (0, False, False, 0)
    assert (second.content.front, second.tags, second.suspended, second.state.reps) == ("Two?", (), False, 0)


def test_the_stack_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with open_collection(path, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "u.toml", DECK)])
        card = col.search("")[0].id
        col.answer(card, Rating.GOOD)
        col.set_suspended([card], True)
    with open_collection(path, zone=TEST_ZONE, install_bundled=False) as col:
        undone = col.undo()
        assert isinstance(undone, UndoneAction) and undone.action == "suspend"
        assert not col.card(card).suspended
        assert isinstance(col.undo(), UndoResult)
        assert col.undo() is None


def test_undo_takes_an_added_card_back_in_order_and_after_a_restart(tmp_path: Path) -> None:
    from trainer.core.cards import CardContent, CardKind

    path = tmp_path / "c.sqlite3"
    deck = write_deck(tmp_path / "u.toml", DECK)
    with open_collection(path, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([deck])
        deck.unlink()  # a collection deck now: the card is added to the collection
        one = min(c.id for c in col.search(""))
        col.set_flag(one, 2)
        cloze = CardContent(CardKind.CLOZE, text="{{c1::Schwann}} cells, {{c2::peripheral}} axons.")
        added = [c.id for c in col.add_card("Undo", cloze)]
        col.answer(added[0], Rating.GOOD)
        col.set_suspended([added[1]], True)
    with open_collection(path, zone=TEST_ZONE, install_bundled=False) as col:
        steps = []
        while (undone := col.undo()) is not None:
            steps.append(undone.action if isinstance(undone, UndoneAction) else "answer")
            if steps[-1] == "add":
                assert sorted(undone.card_ids) == sorted(added)  # type: ignore[union-attr]
                assert col.search("schwann") == []
        assert steps == ["suspend", "answer", "add", "flag"]
        assert len(col.search("")) == 2


def test_undo_of_a_card_added_to_a_deck_file_takes_it_out_of_the_file(
    col: Collection, tmp_path: Path
) -> None:
    from trainer.core.cards import CardContent, CardKind

    deck = write_deck(tmp_path / "u.toml", DECK)
    col.load([deck])
    before = deck.read_text(encoding="utf-8")
    [added] = col.add_card("Undo", CardContent(CardKind.BASIC, front="Three?", back="3"))
    assert "Three?" in deck.read_text(encoding="utf-8")
    undone = col.undo()
    assert isinstance(undone, UndoneAction) and undone.label == "Add card" and undone.card_ids == (added.id,)
    assert deck.read_text(encoding="utf-8") == before
    assert [c.content.front for c in col.search("")] == ["One?", "Two?"]
    report = col.load([deck])  # the file and the collection agree again
    assert report.added == [] and report.changed == []


def test_an_added_card_the_learner_edited_in_the_file_keeps_the_file(col: Collection, tmp_path: Path) -> None:
    from trainer.core.cards import CardContent, CardKind

    deck = write_deck(tmp_path / "u.toml", DECK)
    col.load([deck])
    col.add_card("Undo", CardContent(CardKind.BASIC, front="Three?", back="3"))
    edited = deck.read_text(encoding="utf-8").replace('"3"', '"three"')
    deck.write_text(edited, encoding="utf-8")
    assert isinstance(col.undo(), UndoneAction)
    assert deck.read_text(encoding="utf-8") == edited  # the learner's edit of the file is never touched
