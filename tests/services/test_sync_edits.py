"""A learner's edit in the app is never lost to a sync of its deck file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.conftest import write_deck
from trainer.collection import Collection

DECK = """
[deck]
id = "s"
name = "Sync"

[[cards]]
id = "one"
front = "One?"
back = "{back}"

[[cards]]
id = "two"
front = "Two?"
back = "2"
"""


def test_an_app_edit_survives_reloading_the_file_and_a_conflict_is_reported(
    col: Collection, tmp_path: Path
) -> None:
    path = write_deck(tmp_path / "s.toml", DECK.format(back="1"))
    col.load([path])
    card = next(c for c in col.search("") if c.external_id == "s/one")
    col.edit_card(card.id, replace(card.content, back="One, as I remember it"))

    again = col.load([path])  # the file has not changed: the edit stays, quietly
    assert col.card(card.id).content.back == "One, as I remember it"
    assert (again.changed, again.kept_edits, again.conflicts) == ([], ["s/one"], [])

    write_deck(path, DECK.format(back="1 (corrected by the author)"))
    conflict = col.load([path])  # both changed: the learner's edit is kept, the conflict reported
    assert col.card(card.id).content.back == "One, as I remember it"
    assert (conflict.changed, conflict.conflicts) == ([], ["s/one"])

    write_deck(path, DECK.format(back="One, as I remember it"))
    caught_up = col.load([path])  # the file now says what the learner wrote: nothing to keep apart
    assert (caught_up.changed, caught_up.kept_edits, caught_up.conflicts) == ([], [], [])
    write_deck(path, DECK.format(back="1"))
    later = col.load([path])  # from then on the file leads again
    assert later.changed == ["s/one"]
    assert col.card(card.id).content.back == "1"


def test_cards_not_edited_still_follow_their_file(col: Collection, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "s.toml", DECK.format(back="1"))
    col.load([path])
    write_deck(path, DECK.format(back="uno"))
    report = col.load([path])
    assert report.changed == ["s/one"] and report.conflicts == []
