"""At 80x24 every main screen's footer fits: ? Help first, the leaving key visible, no key cut."""

from __future__ import annotations

from itertools import pairwise

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.tui.app import Start, TrainerApp

LEAVE = {
    "summary": "esc Back to decks",
    "home": "q Quit",
    "study": "esc End",
    "browse": "esc Back",
    "stats": "esc Back",
    "quiz": "esc End",
}


@pytest.mark.parametrize("screen", list(LEAVE))
def test_every_footer_key_fits_80_columns(demo: Collection, screen: str) -> None:
    if screen != "quiz":
        only_kind(demo, "basic")
    app = TrainerApp(
        demo, start=Start(screen=screen, deck="Demo" if screen == "quiz" else None, quiz_n=3, seed=1)
    )

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.pause()
        if screen == "summary":  # the one card answered: the end of the session
            await pilot.press("enter", "space", "space", "escape")
            await pilot.pause()
            await pilot.pause()
            assert type(app.screen).__name__ == "SummaryScreen"
        footer = screen_text(app).splitlines()[-1]
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert keys, footer
        right = app.screen.query_one(Footer).region.right
        for key in keys:  # every key whole, inside the footer (none under the palette key)
            assert key.region.width > 0 and key.region.right <= right, (footer, str(key.region))
        ordered = sorted(keys, key=lambda key: key.region.x)
        for left, nxt in pairwise(ordered):
            assert left.region.right <= nxt.region.x, footer
        assert footer.lstrip().startswith("? Help"), footer
        assert LEAVE[screen] in footer, footer
        assert footer.rstrip().endswith("^p palette"), footer
        if screen == "home":  # the deck list's main key stays, right after Help
            assert footer.lstrip().startswith("? Help ⏎ Study"), footer

    drive(app, script, size=(80, 24))
