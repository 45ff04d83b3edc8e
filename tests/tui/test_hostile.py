"""Hostile card text: markup, ANSI/OSC escapes, C1 controls and bidi overrides are shown inert."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.core.cards import CardContent, CardKind
from trainer.tui.app import Start, TrainerApp
from trainer.tui.screens.review import ReviewScreen

FRONT = "[bold]B[/bold] [@click=app.quit]Q[/] [/b] \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x9b31m c1 \u202eevil"
BACK = "[link=http://x]L[/link] \x1b[2J \x85 end"
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x85", "\u202e")


def test_hostile_text_is_literal_and_inert(demo: Collection) -> None:
    card_id = only_kind(demo, "basic")
    demo.edit_card(card_id, CardContent(kind=CardKind.BASIC, front=FRONT, back=BACK), tags=["[red]t"])
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "[bold]B[/bold] [@click=app.quit]Q[/] [/b] [31mred[0m ]0;pwned 31m c1 evil" in text
        await pilot.press("space")
        text = screen_text(app)
        assert "[link=http://x]L[/link] [2J  end" in text
        for bad in FORBIDDEN:
            assert bad not in text
        await pilot.press("i")  # card info renders tags and text literally too
        await pilot.pause()
        assert "[red]t" in screen_text(app)
        await pilot.press("escape")
        assert app.is_running  # the [@click=app.quit] never ran

    drive(app, script, size=(120, 40))


def test_hostile_text_in_browse_and_quiz(demo: Collection) -> None:
    card_id = only_kind(demo, "basic")
    demo.edit_card(card_id, CardContent(kind=CardKind.BASIC, front=FRONT, back=BACK))
    app = TrainerApp(demo, start=Start(screen="browse", query="pwned"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]B[/bold] [@click=app.quit]Q[/]" in text
        for bad in FORBIDDEN:
            assert bad not in text

    drive(app, script, size=(160, 30))


def test_error_naming_a_hostile_deck_is_shown_literally(demo: Collection) -> None:
    app = TrainerApp(demo, start=Start(screen="quiz", deck="[/b][bold]nope"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        # What the toast will show: Textual renders a notification as markup unless told not to.
        shown = [n.message for n in app._notifications if not n.markup]
        assert "no deck named '[/b][bold]nope'" in shown

    drive(app, script, size=(120, 40))
