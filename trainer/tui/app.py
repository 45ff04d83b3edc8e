"""The study app: home, review, quiz, browse, statistics and import screens.

Opening the collection (SQLAlchemy, Alembic, FSRS imports and the schema check) runs in
a worker thread after the first frame, so the window appears at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from trainer.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from trainer.collection import Collection


@dataclass(frozen=True)
class Start:
    """Which screen to open once the collection is ready, and its arguments."""

    screen: str = "home"  # home | study | quiz | browse | stats
    deck: str | None = None
    quiz_n: int = 20
    quiz_mode: str = "mixed"
    schedule: bool = False
    query: str = ""
    seed: int | None = None  # quiz order (fixed in tests)


class TrainerApp(App[None]):
    """The trainer's Textual application."""

    TITLE = "trainer"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        col: Collection | None = None,
        *,
        opener: Callable[[], Collection] | None = None,
        start: Start | None = None,
        owns: bool | None = None,
    ) -> None:
        """Give an open collection (`owns`: close it on exit; default: only one it opened
        itself) or an `opener` that runs in a worker after the first frame."""
        super().__init__()
        self._col = col
        self._opener = opener
        self._owns = col is None if owns is None else owns
        self.start = start or Start()
        self.open_error: str | None = None
        self.timer: Callable[[], float] = time.monotonic
        """Where answer times come from (tests fix it)."""

    @property
    def col(self) -> Collection:
        """The open collection."""
        if self._col is None:
            raise RuntimeError("the collection is not open yet")
        return self._col

    @property
    def ready(self) -> bool:
        """Whether the collection is open."""
        return self._col is not None

    def on_mount(self) -> None:
        self._restore_theme()
        self.push_screen(HomeScreen())
        if self._col is None:
            # after the first frame: the worker's imports hold the import lock for a while
            self.call_after_refresh(self._open_in_background)
        else:
            self.call_after_refresh(self._open_start_screen)

    def _restore_theme(self) -> None:
        """The theme chosen last time (command palette, "Change theme"), remembered from now on."""
        from trainer.tui.settings import load_settings, save_setting

        saved = load_settings().get("theme")
        if isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, lambda theme: save_setting("theme", theme.name))

    @work(thread=True, exclusive=True, group="open")
    def _open_in_background(self) -> None:
        assert self._opener is not None
        try:
            col = self._opener()
        except Exception as exc:  # shown on the home screen, the app stays usable to quit
            self.call_from_thread(self._open_failed, str(exc))
            return
        self.call_from_thread(self._opened, col)

    def _opened(self, col: Collection) -> None:
        self._col = col
        self._collection_ready()

    def _open_failed(self, message: str) -> None:
        self.open_error = message
        if isinstance(self.screen, HomeScreen):
            self.screen.show_error(message)

    def _collection_ready(self) -> None:
        home = self.screen
        if isinstance(home, HomeScreen):
            home.refresh_decks()
        self._open_start_screen()

    def _open_start_screen(self) -> None:
        start = self.start
        if start.screen == "study":
            self.action_study(start.deck)
        elif start.screen == "quiz":
            self.open_quiz(start.deck, start.quiz_n, start.quiz_mode, start.schedule, start.seed)
        elif start.screen == "browse":
            self.action_browse(start.query)
        elif start.screen == "stats":
            self.action_stats()

    def on_unmount(self) -> None:
        if self._owns and self._col is not None:
            self._col.close()

    # -- navigation -----------------------------------------------------------------------

    def _push(self, make: Callable[[], Screen[None]]) -> None:
        if not self.ready:
            self.notify("The collection is still opening.", severity="warning")
            return
        self.push_screen(make())

    def action_study(self, deck: str | None = None) -> None:
        """Study a deck (all decks when None)."""
        from trainer.tui.screens.review import ReviewScreen

        self._push(lambda: ReviewScreen(deck))

    def open_quiz(
        self,
        deck: str | None,
        n: int = 20,
        mode: str = "mixed",
        schedule: bool = False,
        seed: int | None = None,
    ) -> None:
        """Start a quiz round."""
        from trainer.tui.screens.quiz import QuizScreen

        self._push(lambda: QuizScreen(deck, n=n, mode=mode, schedule=schedule, seed=seed))

    def action_browse(self, query: str = "") -> None:
        """Open the browser."""
        from trainer.tui.screens.browse import BrowseScreen

        self._push(lambda: BrowseScreen(query))

    def action_stats(self) -> None:
        """Open the statistics."""
        from trainer.tui.screens.stats import StatsScreen

        self._push(StatsScreen)

    def add_card(self, deck: str | None, after: Callable[[], None] | None = None) -> None:
        """Open the add dialog for `deck` (the first deck when None), then add the card."""
        from trainer.tui.screens.add import AddDialog

        if not self.ready:
            return
        names = [d.name for d in self.col.decks()]
        if deck is None:
            if not names:
                self.notify("No deck to add to yet: import or load one first.", severity="warning")
                return
            deck = names[0]
        path = self.col.deck_file(deck)
        where = (
            f"Written to its deck file {path}"
            if path
            else "Kept in the collection (the deck has no file of its own)"
        )

        def done(result: tuple[object, list[str]] | None) -> None:
            if result is None or deck is None:
                return
            from trainer.core.cards import CardContent
            from trainer.errors import TrainerError
            from trainer.views import plural

            content, tags = result
            assert isinstance(content, CardContent)
            try:
                added = self.col.add_card(deck, content, tags=tags)
            except TrainerError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"{plural(len(added), 'card')} added to {deck}.", markup=False)
            if after is not None:
                after()

        self.push_screen(AddDialog(deck, where), done)

    def action_help(self) -> None:
        """Open the help of the current screen (or close it when it is open)."""
        from trainer.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    def action_import(self) -> None:
        """Open the import dialog."""
        from trainer.tui.screens.importer import ImportScreen

        def done(changed: bool | None) -> None:
            if changed and isinstance(self.screen, HomeScreen):
                self.screen.refresh_decks()

        if self.ready:
            self.push_screen(ImportScreen(), done)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Study all decks", "Review every due card", lambda: self.action_study(None))
        yield SystemCommand("Quiz all decks", "A 20-question round", lambda: self.open_quiz(None))
        yield SystemCommand("Browse", "Search, edit, suspend and reset cards", self.action_browse)
        yield SystemCommand("Statistics", "Counts and charts", self.action_stats)
        yield SystemCommand("Import", "Import a deck file", self.action_import)
        yield SystemCommand("Help", "Show the keys of this screen", self.action_help)
        yield from self._key_commands(screen)

    def _key_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key of `screen` by name (`Again (1)`, `Undo (u)`), footer or not, so the palette
        finds what the keys do."""
        from functools import partial

        from trainer.tui.screens.help import key_label

        seen: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for raw in getattr(type(screen), "BINDINGS", []):
            binding = raw if isinstance(raw, Binding) else Binding(*raw)
            if binding.action == "app.help":
                continue  # the Help command above
            seen.setdefault(binding.action, []).append(key_label(binding))
            if binding.description and binding.action not in described:
                described[binding.action] = binding.tooltip or binding.description
        for action, description in described.items():
            keys = ", ".join(seen[action])
            title = f"{description.split(' (')[0]} ({keys})"
            yield SystemCommand(
                title, f"{description}: key {keys} on this screen", partial(self._run_key, screen, action)
            )

    async def _run_key(self, screen: Screen[object], action: str) -> None:
        """Run a screen's key action from the command palette."""
        if screen is self.screen:
            await self.run_action(action, screen)


def run_app(target: str | None, start: Start | None = None) -> None:
    """Open the study app on the collection at `target`.

    A collection that opens at once (SQLite at the current schema) is opened before the
    app starts, so its first frame already shows the deck list; one that needs creating,
    upgrading or the bundled decks installed opens in a worker behind a loading indicator.
    """
    from trainer.clock import env_clock
    from trainer.collection import open_collection, open_current
    from trainer.errors import TrainerError
    from trainer.tui.images import prepare

    prepare()  # the terminal is asked about images before Textual takes the keyboard

    try:
        env_clock()  # a wrong TRAINER_NOW: the worker's open reports it on screen
        col = open_current(target, clock=env_clock)
    except TrainerError:
        col = None
    if col is not None:
        TrainerApp(col=col, start=start, owns=True).run()
        return

    def opener() -> Collection:
        return open_collection(target, clock=env_clock)

    TrainerApp(opener=opener, start=start).run()
