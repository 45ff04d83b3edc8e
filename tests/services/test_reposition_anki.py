"""Reposition gives the positions Anki's own Reposition gives (Anki's library as the oracle)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_deck
from trainer.collection import Collection

anki_collection = pytest.importorskip("anki.collection", reason="Anki's library is the oracle")

CARDS = 6
DECK = """
[deck]
id = "r"
name = "Order"
""" + "".join(f'\n[[cards]]\nid = "c{n}"\nfront = "Card {n}?"\nback = "{n}"\n' for n in range(CARDS))
# (chosen cards, start, step, shift), one after the other
STEPS = [([4, 5], 2, 2, True), ([0], 10, 1, False), ([2, 1], 0, 3, True), ([3, 0, 5], 4, 1, True)]


def anki_positions(folder: Path) -> list[list[int]]:
    """The new cards' positions (Anki's `due` of a new card) after each step, done by Anki."""
    col = anki_collection.Collection(str(folder / "oracle.anki2"))
    try:
        deck = col.decks.id("Order")
        assert deck is not None
        ids = []
        for n in range(CARDS):
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = f"Card {n}?", str(n)
            col.add_note(note, deck)
            ids.append(note.cards()[0].id)
        after = []
        for chosen, start, step, shift in STEPS:
            col.sched.reposition_new_cards(
                card_ids=[ids[i] for i in chosen], starting_from=start, step_size=step,
                randomize=False, shift_existing=shift,
            )  # fmt: skip
            after.append([col.get_card(cid).due for cid in ids])
        return after
    finally:
        col.close()


def test_reposition_matches_anki(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "r.toml", DECK)])
    page = col.search_page("", limit=10)
    ids = sorted(page.cards, key=lambda c: page.positions[c.id])
    assert [page.positions[c.id] for c in ids] == list(range(1, CARDS + 1))  # as Anki numbers new notes
    expected = anki_positions(tmp_path)
    for (chosen, start, step, shift), anki in zip(STEPS, expected, strict=True):
        col.reposition([ids[i].id for i in chosen], start, step=step, shift=shift)
        positions = col.search_page("", limit=10).positions
        assert [positions[c.id] for c in ids] == anki, (chosen, start, step, shift)


def test_siblings_share_a_position_as_in_anki(col: Collection, tmp_path: Path) -> None:
    anki = anki_collection.Collection(str(tmp_path / "oracle.anki2"))
    try:
        deck = anki.decks.id("Pairs")
        assert deck is not None
        both = anki.new_note(anki.models.by_name("Basic (and reversed card)"))
        both["Front"], both["Back"] = "Front", "Back"
        anki.add_note(both, deck)
        solo = anki.new_note(anki.models.by_name("Basic"))
        solo["Front"], solo["Back"] = "Solo?", "alone"
        anki.add_note(solo, deck)
        forward, backward = (c.id for c in both.cards())
        order = [solo.cards()[0].id, forward, backward]
        anki.sched.reposition_new_cards(order, 5, 1, False, False)
        expected = [anki.get_card(cid).due for cid in order]
    finally:
        anki.close()
    pairs = '[deck]\nid = "p"\nname = "Pairs"\n\n[[cards]]\nid = "solo"\nfront = "Solo?"\nback = "alone"\n'
    pairs += '\n[[cards]]\nid = "pair"\nkind = "reversed"\nfront = "Front"\nback = "Back"\n'
    col.load([write_deck(tmp_path / "p.toml", pairs)])
    cards = {c.external_id: c.id for c in col.search("")}
    mine = [cards["p/solo"], cards["p/pair"], cards["p/pair#rev"]]
    col.reposition(mine, 5)
    positions = col.search_page("", limit=10).positions
    assert [positions[cid] for cid in mine] == expected == [5, 6, 6]
