"""Every widget of every screen, fed hostile text in every field: nothing reaches the terminal raw.

The content is stored directly (as an older version or a hand-edited collection could hold
it), so this checks the display layer itself, not the import cleaning in front of it.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget

from tests.tui.conftest import drive, screen_text
from trainer.collection import Collection
from trainer.core.cards import CardContent, CardKind
from trainer.tui.app import Start, TrainerApp

EVIL = "\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\x85\u202e[bold]x[/bold]"
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x85", "\u202e")


def _poison(col: Collection) -> None:
    """Hostile text in every field of every card kind, in tags and in a deck name."""
    for view in col.search(""):
        c = view.content
        if c.kind is CardKind.CLOZE:
            content = CardContent(
                kind=c.kind, text=f"{EVIL} {{{{c1::{EVIL}::{EVIL}}}}}", cloze_ord=1, note=EVIL
            )
        elif c.kind is CardKind.CHOICE:
            content = CardContent(
                kind=c.kind, front=EVIL, back=EVIL + "b", distractors=(EVIL + "1", EVIL + "2")
            )
        elif c.kind is CardKind.TYPED:
            content = CardContent(kind=c.kind, front=EVIL, back=EVIL, answers=(EVIL,), hint=EVIL, note=EVIL)
        else:
            content = CardContent(kind=c.kind, front=EVIL, back=EVIL, hint=EVIL, note=EVIL, group_title=EVIL)
        col.edit_card(view.id, content, tags=[EVIL])
    with col.db.write() as session:
        from sqlalchemy import text

        session.execute(text("UPDATE decks SET name = :n WHERE name = 'Demo'"), {"n": "Demo" + EVIL})


def _clean(app: TrainerApp, where: str) -> None:
    shown = screen_text(app)
    for bad in FORBIDDEN:
        assert bad not in shown, f"{where}: {bad!r} on screen"
    for widget in app.screen.walk_children(Widget):
        try:
            rendered = widget.render()
        except Exception:
            continue
        plain = getattr(rendered, "plain", rendered if isinstance(rendered, str) else "")
        for bad in FORBIDDEN:
            assert bad not in plain, f"{where}: {bad!r} in {type(widget).__name__}"


def test_every_screen_shows_hostile_text_inert(demo: Collection) -> None:
    _poison(demo)
    for start, keys in [
        (Start(screen="home"), ["down", "down"]),
        (Start(screen="study"), ["space", "i", "escape", "3", "space", "3", "space", "1", "space"]),
        (Start(screen="browse", query=""), ["down", "enter", "escape"]),
        (Start(screen="quiz", quiz_n=5, seed=1), ["1", "enter", "2", "enter"]),
        (Start(screen="stats"), ["3"]),
    ]:
        app = TrainerApp(demo, start=start)

        async def script(pilot: Pilot[None], app: TrainerApp = app, keys: list[str] = keys) -> None:
            await pilot.pause()
            _clean(app, f"{app.start.screen} start")
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                _clean(app, f"{app.start.screen} after {key}")
            assert app.is_running

        drive(app, script, size=(140, 45))
