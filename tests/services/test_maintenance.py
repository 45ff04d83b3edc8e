"""`check` and `check --repair`: every invariant broken on purpose, found, and repaired."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Clock, write_deck
from trainer.collection import Collection
from trainer.core.scheduling import Rating

DECK = """\
[deck]
id = "m"
name = "Maint"

[[cards]]
id = "a"
front = "A?"
back = "a"

[[cards]]
id = "b"
front = "B?"
back = "b"

[[cards]]
id = "c"
front = "C?"
back = "c"
"""


@pytest.fixture
def studied(col: Collection, tmp_path: Path, clock: Clock) -> Collection:
    col.load([write_deck(tmp_path / "m.toml", DECK)])
    for _ in range(3):
        study = col.next_card()
        assert study is not None
        col.answer(study.card.id, Rating.GOOD)
        clock.advance(minutes=1)
    return col


def raw(col: Collection) -> sqlite3.Connection:
    assert col.db.sqlite_path is not None
    conn = sqlite3.connect(col.db.sqlite_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    return conn


def codes(col: Collection, *, repair: bool = False) -> list[str]:
    return sorted(p.code for p in col.maintenance.check(repair=repair).problems)


def test_clean_collection_has_no_problems(studied: Collection) -> None:
    report = studied.maintenance.check()
    assert report.problems == []
    assert report.ok
    assert report.to_dict() == {"ok": True, "repair": False, "problems": []}


def test_card_disagreeing_with_its_log_is_found_and_repaired(studied: Collection) -> None:
    card_id = 1
    last = studied.history(card_id)[-1]
    with raw(studied) as conn:
        conn.execute("UPDATE cards SET stability = 999, due = 0 WHERE id = ?", (card_id,))
    report = studied.maintenance.check()
    assert [(p.code, p.card_id, p.repaired) for p in report.problems] == [("log", card_id, False)]
    assert not report.ok
    repaired = studied.maintenance.check(repair=True)
    assert [(p.code, p.repaired) for p in repaired.problems] == [("log", True)]
    card = studied.card(card_id)
    assert card.state.stability == last.stability_after
    assert card.state.due == last.due_after
    assert studied.maintenance.check().problems == []


def test_reset_card_is_not_a_disagreement(studied: Collection) -> None:
    studied.reset_card(1)
    assert studied.maintenance.check().problems == []


def test_review_card_without_due_is_repaired(studied: Collection, clock: Clock) -> None:
    with raw(studied) as conn:
        conn.execute("UPDATE cards SET due = NULL WHERE id = 2")
        conn.execute("DELETE FROM reviews WHERE card_id = 2")
    assert codes(studied) == ["due"]
    assert codes(studied, repair=True) == ["due"]
    assert studied.card(2).state.due == clock.now
    assert studied.maintenance.check().problems == []


def test_orphan_rows_are_reported_and_repaired(studied: Collection) -> None:
    with raw(studied) as conn:
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, state_before, state_after,"
            " undo_data) VALUES (4242, 0, 3, 0, 'review', 0, 2, '')"
        )
        conn.execute("UPDATE cards SET deck_id = 999 WHERE id = 3")
    found = studied.maintenance.check()
    assert sorted(p.message for p in found.problems) == [
        "card 3 belongs to no deck",
        "review 4 belongs to no card",
    ]
    studied.maintenance.check(repair=True)
    assert studied.maintenance.check().problems == []
    assert studied.card(3).deck_name == "Recovered"
    assert len(studied.history(3)) == 1  # the card's own history is untouched


def test_invalid_preset_is_reset_to_valid_values(studied: Collection) -> None:
    with raw(studied) as conn:
        conn.execute("UPDATE presets SET desired_retention = 5, new_per_day = -3, day_start_hour = 4")
    messages = [p.message for p in studied.maintenance.check().problems]
    assert messages == [
        "preset 'Default': desired_retention: 5 is out of range (0.7 to 0.99)",
        "preset 'Default': new_per_day: -3 is out of range (0 to 1000000)",
    ]
    studied.maintenance.check(repair=True)
    preset = studied.presets.get("Default").preset
    assert preset.validate() == []
    assert preset.desired_retention == 0.9
    assert preset.new_per_day == 20


def test_bad_queue_is_repaired(studied: Collection) -> None:
    with raw(studied) as conn:
        conn.execute("UPDATE cards SET queue = 7 WHERE id = 1")
        conn.execute("UPDATE cards SET queue = -2, buried_until = NULL WHERE id = 2")
    assert codes(studied) == ["queue", "queue"]
    studied.maintenance.check(repair=True)
    assert studied.maintenance.check().problems == []
    assert studied.card(1).queue == studied.card(1).state.state


def test_damaged_file_is_reported_without_repair(tmp_path: Path, clock: Clock) -> None:
    from trainer.collection import open_collection

    path = tmp_path / "bad.sqlite3"
    col = open_collection(path, clock=clock, install_bundled=False)
    col.load([write_deck(tmp_path / "m.toml", DECK)])
    col.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_cards_group'").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:  # scribble over an index page
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d" + b"\xff" * 200)
    col = open_collection(path, clock=clock, install_bundled=False)
    try:
        report = col.maintenance.check(repair=True)
        assert report.problems and {p.code for p in report.problems} == {"integrity"}
        assert not any(p.repaired for p in report.problems)
    finally:
        col.close()


def test_card_without_memory_state_is_recomputed_from_its_complete_log(studied: Collection) -> None:
    before = studied.card(1).state
    with raw(studied) as conn:
        conn.execute("UPDATE cards SET stability = NULL, difficulty = NULL WHERE id = 1")
    report = studied.maintenance.check()
    assert [(p.code, p.card_id, p.repaired) for p in report.problems] == [("log", 1, False)]
    repaired = studied.maintenance.check(repair=True)
    assert "recomputed from its complete review log" in repaired.problems[0].message
    after = studied.card(1).state
    assert (after.stability, after.difficulty) == (before.stability, before.difficulty)
    assert studied.maintenance.check().problems == []


def test_incomplete_log_keeps_the_memory_state(studied: Collection) -> None:
    """A history whose first answer is missing cannot rebuild a memory state: it is kept (and
    where there is none, estimated from the interval as Anki does)."""
    with raw(studied) as conn:
        conn.execute("DELETE FROM reviews WHERE card_id = 1")
        conn.execute(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, state_before,"
            " state_after, undo_data) VALUES (1, 1, 3, 0, 'import', 2, 2, '')"
        )
        conn.execute("UPDATE cards SET stability = 7.5, difficulty = 4.25 WHERE id = 1")
    assert studied.maintenance.check().problems == []
    with raw(studied) as conn:
        conn.execute("UPDATE cards SET stability = NULL WHERE id = 1")
    report = studied.maintenance.check(repair=True)
    assert [(p.code, p.repaired) for p in report.problems] == [("memory", True)]
    assert "incomplete: estimated from its" in report.problems[0].message
    assert studied.card(1).state.stability is not None


def test_optimised_memory_states_are_not_a_disagreement(studied: Collection, clock: Clock) -> None:
    """An optimiser run rewrites memory states on purpose: check stays clean."""
    with raw(studied) as conn:
        conn.execute("UPDATE cards SET stability = stability * 2, modified_at = modified_at + 1000")
    assert studied.maintenance.check().problems == []
