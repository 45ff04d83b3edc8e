"""Studying through the API: queue order, limits, burying, leeches, undo, previews."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.conftest import TEST_ZONE, Clock, write_deck
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import CardState, Rating
from trainer.errors import NotFoundError
from trainer.store import repo


def deck_text(deck_id: str, name: str, n: int, *, extra: str = "") -> str:
    cards = "".join(f'\n[[cards]]\nid = "c{i}"\nfront = "Q{i}"\nback = "A{i}"\n' for i in range(n))
    return f'[deck]\nid = "{deck_id}"\nname = "{name}"\n{cards}{extra}'


@pytest.fixture
def loaded(col: Collection, tmp_path: Path) -> Collection:
    write_deck(tmp_path / "a.toml", deck_text("a", "Med::A", 30))
    col.load([tmp_path / "a.toml"])
    return col


def set_preset(col: Collection, **values: object) -> None:
    with col.db.write() as session:
        session.execute(update(repo.presets_t).values(**values))


def test_new_cards_in_file_order_then_learning(loaded: Collection, clock: Clock) -> None:
    first = loaded.next_card()
    assert first is not None and first.card.question == "Q0"
    assert first.counts.new == 20  # the daily new limit, not the 30 cards
    loaded.answer(first.card.id, Rating.GOOD)  # learning, due in 10 minutes
    second = loaded.next_card()
    assert second is not None and second.card.question == "Q1"
    clock.advance(minutes=11)
    again = loaded.next_card()
    assert again is not None and again.card.question == "Q0"  # learning due now comes first
    assert again.counts.learning == 1


def test_daily_new_limit_counts_from_the_log(loaded: Collection, clock: Clock) -> None:
    set_preset(loaded, new_per_day=3)
    for _ in range(3):
        study = loaded.next_card()
        assert study is not None
        loaded.answer(study.card.id, Rating.EASY)
    assert loaded.next_card() is None
    info = next(d for d in loaded.decks() if d.name == "Med::A")
    assert (info.new, info.due, info.total) == (0, 0, 30)
    clock.now = clock.now + timedelta(days=1)  # a new study day
    study = loaded.next_card()
    assert study is not None and study.counts.new == 3


def test_review_limit(loaded: Collection, clock: Clock) -> None:
    for _ in range(5):
        study = loaded.next_card()
        assert study is not None
        loaded.answer(study.card.id, Rating.EASY)
    set_preset(loaded, reviews_per_day=2, new_per_day=0)
    clock.advance(days=60)
    study = loaded.next_card()
    assert study is not None and study.counts.review == 2
    for _ in range(2):
        study = loaded.next_card()
        assert study is not None and study.card.state.state is CardState.REVIEW
        loaded.answer(study.card.id, Rating.GOOD)
    assert loaded.next_card() is None


def test_learn_ahead_when_nothing_else(loaded: Collection) -> None:
    set_preset(loaded, new_per_day=1)
    study = loaded.next_card()
    assert study is not None
    loaded.answer(study.card.id, Rating.GOOD)  # due in 10 minutes
    ahead = loaded.next_card()
    assert ahead is not None and ahead.card.id == study.card.id


def test_preview_equals_outcome_with_fuzz(loaded: Collection, clock: Clock) -> None:
    for _ in range(8):
        study = loaded.next_card()
        assert study is not None
        loaded.answer(study.card.id, Rating.EASY)
    clock.advance(days=40)
    for rating in Rating:
        study = loaded.next_card()
        assert study is not None and study.card.state.state is CardState.REVIEW
        shown = study.preview[rating]
        clock.advance(seconds=7)  # the learner thinks before pressing the button
        result = loaded.answer(study.card.id, rating)
        assert result.after.due is not None and result.after.last_review is not None
        # a review is due from the start of a study day (the same one 7 seconds later), a step
        # counts from the answer
        if shown.state.state is CardState.REVIEW:
            assert result.after.due == shown.state.due
        else:
            assert shown.state.due is not None
            assert result.after.due == shown.state.due + timedelta(seconds=7)
        assert result.after.state is shown.state.state
        assert result.after.stability == shown.state.stability


def test_siblings_are_buried_until_next_day(col: Collection, tmp_path: Path, clock: Clock) -> None:
    extra = '\n[[cards]]\nid = "cz"\nkind = "cloze"\ntext = "{{c1::one}} {{c2::two}} {{c3::three}}"\n'
    write_deck(tmp_path / "s.toml", deck_text("s", "S", 0, extra=extra))
    col.load([tmp_path / "s.toml"])
    study = col.next_card()
    assert study is not None
    result = col.answer(study.card.id, Rating.GOOD)
    assert result.buried_siblings == 2
    clock.advance(minutes=11)
    again = col.next_card()
    assert again is not None and again.card.id == study.card.id  # only the answered one
    col.answer(again.card.id, Rating.GOOD)
    assert col.next_card() is None
    clock.advance(days=1)
    later = col.next_card()
    assert later is not None and later.card.id != study.card.id


def test_leech_is_tagged_and_suspended(loaded: Collection, clock: Clock) -> None:
    set_preset(loaded, leech_threshold=2, relearning_steps="[]")
    study = loaded.next_card()
    assert study is not None
    card_id = study.card.id
    loaded.answer(card_id, Rating.EASY)
    results = []
    for _ in range(2):
        clock.advance(days=30)
        results.append(loaded.answer(card_id, Rating.AGAIN))
    assert [r.leech for r in results] == [False, True]
    card = loaded.card(card_id)
    assert card.suspended and "leech" in card.tags
    loaded.undo()
    card = loaded.card(card_id)
    assert not card.suspended and "leech" not in card.tags and card.state.lapses == 1


def test_undo_is_multi_level_and_survives_restart(loaded: Collection, clock: Clock, tmp_path: Path) -> None:
    ids = []
    before = []
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY):
        study = loaded.next_card()
        assert study is not None
        before.append(loaded.card(study.card.id).state)
        ids.append(study.card.id)
        loaded.answer(study.card.id, rating, duration_ms=1000)
        clock.advance(seconds=30)
    loaded.close()
    reopened = open_collection(tmp_path / "col.sqlite3", clock=clock, zone=TEST_ZONE)
    try:
        for card_id, state in zip(reversed(ids), reversed(before), strict=True):
            undone = reopened.undo()
            assert undone is not None and undone.card_id == card_id
            assert reopened.card(card_id).state == state
        assert reopened.undo() is None
        assert all(reopened.history(i) == [] for i in set(ids))
    finally:
        reopened.close()


def test_answer_writes_one_log_row_with_before_and_after(loaded: Collection) -> None:
    study = loaded.next_card()
    assert study is not None
    loaded.answer(study.card.id, Rating.HARD, duration_ms=90_000)
    [entry] = loaded.history(study.card.id)
    assert entry.rating is Rating.HARD
    assert entry.duration_ms == 60_000
    assert entry.state_before is CardState.NEW and entry.state_after is CardState.LEARNING


def test_deck_counts_include_subdecks(col: Collection, tmp_path: Path) -> None:
    write_deck(tmp_path / "a.toml", deck_text("a", "Med::A", 4))
    write_deck(tmp_path / "b.toml", deck_text("b", "Med::B", 5))
    col.load([tmp_path])
    infos = {d.name: d for d in col.decks()}
    assert infos["Med"].total == 9 and infos["Med"].new == 9
    assert infos["Med::B"].new == 5 and infos["Med::B"].depth == 1
    study = col.next_card("Med::B")
    assert study is not None and study.card.deck_name == "Med::B"


def test_unknown_deck_and_card(loaded: Collection) -> None:
    with pytest.raises(NotFoundError, match="no deck named 'Nope'"):
        loaded.next_card("Nope")
    with pytest.raises(NotFoundError, match="no card with id 9999"):
        loaded.answer(9999, Rating.GOOD)


def test_edit_keeps_memory_state(loaded: Collection) -> None:
    study = loaded.next_card()
    assert study is not None
    loaded.answer(study.card.id, Rating.EASY)
    state = loaded.card(study.card.id).state
    edited = loaded.edit_card(study.card.id, replace(study.card.content, back="New answer"), tags=["t"])
    assert edited.answer == "New answer" and edited.tags == ("t",)
    assert edited.state == state


def test_suspend_bury_flag(loaded: Collection, clock: Clock) -> None:
    study = loaded.next_card()
    assert study is not None
    loaded.set_suspended([study.card.id], True)
    assert loaded.card(study.card.id).suspended
    nxt = loaded.next_card()
    assert nxt is not None and nxt.card.id != study.card.id
    loaded.set_suspended([study.card.id], False)
    loaded.bury(study.card.id)
    assert loaded.card(study.card.id).buried
    clock.advance(days=1)
    loaded.decks()
    assert not loaded.card(study.card.id).buried
    loaded.set_flag(study.card.id, 3)
    assert loaded.card(study.card.id).flag == 3


def test_all_decks_uses_each_top_level_decks_limits(col: Collection, tmp_path: Path) -> None:
    write_deck(tmp_path / "a.toml", deck_text("a", "Alpha", 5))
    write_deck(tmp_path / "b.toml", deck_text("b", "Beta::Sub", 5))
    col.load([tmp_path])
    set_preset(col, new_per_day=2)
    listed = {d.name: d.new for d in col.decks()}
    study = col.next_card()
    assert study is not None
    assert study.counts.new == listed["Alpha"] + listed["Beta"] == 4  # as the deck list adds up
    seen_decks = []
    for _ in range(4):
        study = col.next_card()
        assert study is not None
        seen_decks.append(study.card.deck_name)
        col.answer(study.card.id, Rating.EASY)
    assert seen_decks == ["Alpha", "Alpha", "Beta::Sub", "Beta::Sub"]  # Alpha's limit, then Beta's
    assert col.next_card() is None
