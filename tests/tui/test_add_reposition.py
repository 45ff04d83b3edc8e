"""Pilot tests: `u` takes back a card added with `a`; browse repositions new cards (issue 14)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from tests.conftest import write_deck
from tests.tui.conftest import drive, screen_text
from trainer.collection import Collection
from trainer.tui.app import Start, TrainerApp
from trainer.tui.screens.add import AddDialog
from trainer.tui.screens.browse import BrowseScreen
from trainer.tui.screens.reposition import RepositionDialog
from trainer.tui.screens.review import ReviewScreen

DECK = """
[deck]
id = "order"
name = "Order"
""" + "".join(f'\n[[cards]]\nid = "c{n}"\nfront = "Card {n}?"\nback = "{n}"\n' for n in range(1, 5))


def test_u_takes_back_an_added_card_then_the_answer_before_it(col: Collection, tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "order.toml", DECK)
    col.load([deck])
    before = deck.read_text(encoding="utf-8")
    app = TrainerApp(col, start=Start(screen="study", deck="Order"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.study is not None
        answered = screen.study.card.id
        await pilot.press("space", "4")
        await pilot.pause()
        assert "New 3" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddDialog)
        await pilot.press(*"Nerve sheath?", "tab", *"Epineurium", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "New 4" in screen_text(app)  # the counts know the new card
        assert col.search('"Nerve sheath?"')
        await pilot.press("u")
        await pilot.pause()
        assert col.search('"Nerve sheath?"') == []
        assert deck.read_text(encoding="utf-8") == before
        assert "New 3" in screen_text(app)
        assert len(col.history(answered)) == 1  # the answer is still there
        await pilot.press("u")
        await pilot.pause()
        assert col.history(answered) == []
        assert screen.study is not None and screen.study.card.id == answered

    drive(app, script)


def test_browse_marks_new_cards_and_repositions_them_undoably(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "order.toml", DECK)])
    app = TrainerApp(col, start=Start(screen="browse", query="deck:Order"))
    top, _ = col.new_queue_ends()

    def order() -> list[str]:
        page = col.search_page("deck:Order", limit=10)
        ranked = sorted(page.cards, key=lambda c: (page.positions[c.id], c.id))
        return [c.content.front for c in ranked]

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert f"New #{top}" in screen_text(app)
        await pilot.press("down", "down", "space", "down", "space")  # mark cards 3 and 4
        await pilot.pause()
        assert "2 marked" in screen_text(app)
        await pilot.press("R")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RepositionDialog)
        assert f"Queue top: {top}" in screen_text(app)
        assert dialog.query_one("#start", Input).has_focus
        dialog.query_one("#shift", Checkbox).value = True
        await pilot.press("enter")  # start at the queue top, step 1, shift the others
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert order() == ["Card 3?", "Card 4?", "Card 1?", "Card 2?"]
        assert "2 cards repositioned" in " ".join(str(n.message) for n in app._notifications)
        await pilot.press("u")
        await pilot.pause()
        assert order() == ["Card 1?", "Card 2?", "Card 3?", "Card 4?"]

    drive(app, script, size=(100, 30))
    study = col.next_card("Order")
    assert study is not None and study.card.content.front == "Card 1?"


def test_the_add_dialog_shows_its_title_and_takes_typing_at_80x24(col: Collection, tmp_path: Path) -> None:
    """The dialog is taller than 24 rows: focusing its first field must not scroll the title
    (which names the deck) out of view."""
    col.load([write_deck(tmp_path / "order.toml", DECK)])
    app = TrainerApp(col, start=Start(screen="study", deck="Order"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause(0.2)
        assert isinstance(app.screen, AddDialog)
        assert "Add a card to Order" in screen_text(app)
        await pilot.press(*"Typed")
        await pilot.pause()
        assert "Typed" in screen_text(app)

    drive(app, script, size=(80, 24))
