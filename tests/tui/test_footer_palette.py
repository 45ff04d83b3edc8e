"""At 80x24 the footer always shows ? Help; the command palette lists every key of the screen."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.tui.app import Start, TrainerApp
from trainer.tui.screens.review import ReviewScreen


@pytest.mark.parametrize("screen", ["home", "study", "browse"])
def test_the_footer_shows_help_at_80_columns(demo: Collection, screen: str) -> None:
    only_kind(demo, "basic")
    app = TrainerApp(demo, start=Start(screen=screen))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer, footer
        if screen == "study":  # every key the footer shows fits, End last
            assert "esc End" in footer, footer

    drive(app, script, size=(80, 24))


def test_the_palette_lists_the_study_keys_and_runs_them(demo: Collection) -> None:
    card = only_kind(demo, "basic")
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        wanted = ["Again (1)", "Hard (2)", "Good (3)", "Easy (4)", "Show/Good (Space, Enter)", "Undo (u)"]
        wanted += ["Suspend (s)", "Bury (b)", "Edit (e)", "Add (a)", "Info (i)", "Flag (f)", "Open media (o)"]
        for title in wanted:
            assert title in titles, sorted(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Suspend (s)")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert demo.card(card).suspended

    drive(app, script, size=(100, 30))
