"""The public Python API: open a collection and study it.

    import trainer

    with trainer.open_collection("~/cards.sqlite3") as col:
        for deck in col.decks():
            print(deck.name, deck.new, deck.learning, deck.due)
        study = col.next_card("Denervation")
        if study:
            print(study.card.question)
            col.answer(study.card.id, trainer.Rating.GOOD, duration_ms=4200)

The CLI and the TUI use only this class. Every method that depends on the time takes
an optional `now` (aware datetime); when omitted, the collection's clock is read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from trainer.collection.cards import CardActions
from trainer.collection.maintenance import Maintenance
from trainer.collection.optimizer import Optimizer
from trainer.collection.presets import Presets
from trainer.core import days
from trainer.core.scheduling import Preview, Rating
from trainer.errors import InvalidInputError, NotFoundError
from trainer.services import undo_actions
from trainer.services.study import StudyService
from trainer.store import study_sql
from trainer.store.rawdb import RawDB
from trainer.views import (
    AnswerResult,
    CardView,
    DeckInfo,
    StudyCard,
    SyncReport,
    UndoResult,
)

if TYPE_CHECKING:  # the ORM store: imported when first needed (listing decks and studying do not)
    from trainer.store.engine import Database

if TYPE_CHECKING:  # quiz and browse
    from trainer.core.quiz import Question as QuizQuestion
    from trainer.services.browse import Page as BrowsePage
    from trainer.services.undo_actions import UndoneAction

if TYPE_CHECKING:  # import / export
    from trainer.services.io import ExportReport, ImportReport

if TYPE_CHECKING:  # statistics
    from trainer.core.stats.report import StatsReport

__all__ = ["Collection", "NotFoundError", "Rating", "open_collection", "open_current"]

Clock = Callable[[], datetime]


class Collection(CardActions):
    """A learner's collection: decks, cards, review history."""

    def __init__(
        self,
        target: str,
        raw: RawDB,
        db: Database | None = None,
        *,
        clock: Clock = days.utcnow,
        zone: tzinfo | None = None,
    ) -> None:
        """Use `open_collection`: `target` is the path or URL, `raw` the study connection,
        `db` the ORM database (created on first use when None)."""
        self._target = target
        self._db = db
        self._raw = raw
        self.clock = clock
        self.zone = zone or days.local_zone()
        self.study = StudyService(raw, self.zone)
        self.maintenance = Maintenance(self)
        """Integrity check, backups and restore."""
        self.presets = Presets(self)
        """Deck options: list, read, change, and which deck uses which."""
        self.optimizer = Optimizer(self)
        """The FSRS optimiser, the simulator and review-log import."""
        self._answers_since_check = 0  # answers since the last automatic-backup check
        self._answered = False

    @property
    def db(self) -> Database:
        """The ORM database (SQLAlchemy engine and sessions), created on first use."""
        if self._db is None:
            from trainer.store.engine import Database, database_url

            self._db = Database(database_url(self._target))
        return self._db

    # -- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        if self._answered:
            self.maintenance.auto_backup()  # maintenance: at most every 30 minutes of study
        self._raw.close()
        if self._db is not None:
            self._db.dispose()

    def __enter__(self) -> Collection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _now(self, now: datetime | None) -> datetime:
        return (now or self.clock()).astimezone(UTC)

    @property
    def location(self) -> str:
        """Where the collection lives (a path, or a URL without password)."""
        if "://" not in self._target:
            return str(Path(self._target).expanduser())
        return self.db.url.render_as_string(hide_password=True)

    # -- decks and studying -----------------------------------------------------------

    def decks(self, *, now: datetime | None = None) -> list[DeckInfo]:
        """Every deck with new / learning / due-today / total counts (subdecks included)."""
        return self.study.deck_infos(self._now(now))

    def next_card(self, deck: str | None = None, *, now: datetime | None = None) -> StudyCard | None:
        """The next card to study with its four previewed outcomes, or None when done."""
        return self.study.next_card(deck, self._now(now))

    def preview(self, card_id: int, *, now: datetime | None = None) -> Preview:
        """The four outcomes of answering `card_id` now (what `answer` will store)."""
        return self.study.preview_card(card_id, self._now(now))

    def answer(
        self,
        card_id: int,
        rating: Rating | int | str,
        *,
        duration_ms: int | None = None,
        now: datetime | None = None,
    ) -> AnswerResult:
        """Answer a card; committed before this returns."""
        if isinstance(rating, str):
            rating = Rating.parse(rating)
        result = self.study.answer(card_id, Rating(rating), self._now(now), duration_ms)
        self._answered = True
        self._answers_since_check += 1
        if self._answers_since_check >= 50:  # maintenance: cheap periodic auto-backup check
            self.maintenance.auto_backup(now)
        return result

    def undo(self, *, now: datetime | None = None) -> UndoResult | UndoneAction | None:
        """Take back the last answer or card action (suspend, bury, flag, edit, add, reposition),
        newest first, as one stack (works across restarts); None when there is nothing to undo."""
        moment = self._now(now)
        taken = undo_actions.undo_last(self._raw, lambda: self.db, moment)
        if taken is None:
            return self.study.undo(moment)
        self.study.cards_changed()
        return taken

    def next_due(self, deck: str | None = None) -> datetime | None:
        """When the next learning or review card is due."""
        return self.study.next_due_time(deck)

    # -- quiz and browse -------------------------------------------------------------------

    def quiz_questions(
        self, deck: str | None, n: int, mode: str = "mixed", *, seed: int | None = None
    ) -> list[QuizQuestion]:
        """Up to `n` quiz questions from `deck` (due or not): `mode` is mixed, choice or typed."""
        from trainer.core.quiz import MODES
        from trainer.services.quiz import QuizService

        if mode not in MODES:
            raise InvalidInputError(f"unknown quiz mode '{mode}' (use mixed, choice or typed)")
        return QuizService(self.db).questions(deck, n, mode, seed)  # type: ignore[arg-type]

    def record_quiz_answer(
        self,
        question: QuizQuestion,
        *,
        correct: bool,
        given: str,
        duration_ms: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Store a quiz answer for the statistics (the schedule is not changed): its id."""
        from trainer.services.quiz import QuizService

        return QuizService(self.db).record(
            question, correct=correct, given=given, now=self._now(now), duration_ms=duration_ms
        )

    def correct_quiz_answer(self, record_id: int, correct: bool = True) -> None:
        """Overrule the grading of a stored quiz answer ("I was right")."""
        from trainer.services.quiz import QuizService

        QuizService(self.db).set_correct(record_id, correct)

    def search(self, query: str, *, now: datetime | None = None, limit: int = 2000) -> list[CardView]:
        """Cards matching a browse query (`deck:`, `tag:`, `is:`, `kind:`, text, `-` negates)."""
        from trainer.core.search import parse_query
        from trainer.services.browse import BrowseService

        return BrowseService(self.db, self.zone).search(parse_query(query), self._now(now), limit)

    def search_page(
        self,
        query: str,
        *,
        offset: int = 0,
        limit: int = 500,
        sort: str = "deck",
        descending: bool = False,
        now: datetime | None = None,
    ) -> BrowsePage:
        """One page of the cards matching `query` sorted by `sort` (deck, question, due,
        interval, reps, lapses, added), with how many match in all."""
        from trainer.core.search import parse_query
        from trainer.services.browse import BrowseService

        service = BrowseService(self.db, self.zone)
        return service.page(
            parse_query(query), self._now(now), offset=offset, limit=limit, sort=sort, descending=descending
        )

    def reset_card(self, card_id: int, *, now: datetime | None = None) -> None:
        """Forget a card: new again, memory state cleared, history kept."""
        from trainer.services.browse import BrowseService

        BrowseService(self.db, self.zone).reset(card_id, self._now(now))

    def write_busy(self) -> bool:
        """Whether another trainer or program is writing to this SQLite collection now (an answer
        would wait)."""
        return self.write_blocker() is not None

    def write_blocker(self) -> str | None:
        """Who holds this SQLite collection's write lock now: "trainer" (another trainer's write,
        an import), "program" (a program other than trainer), or None (an answer goes in at once)."""
        from trainer.store import writequeue

        if self._raw.path is None:
            return None
        if writequeue.busy(self._raw.path):
            return "trainer"
        return "program" if self._raw.write_locked() else None

    @contextlib.contextmanager
    def write_turn(self) -> Iterator[None]:
        """Wait for this process's turn to write, and keep it for the block (answers inside it
        do not wait again); for callers that wait in a thread of their own."""
        from trainer.store import writequeue

        path = self._raw.path
        if path is None:
            yield
            return
        writequeue.acquire(path)
        try:
            yield
        finally:
            writequeue.release(path)

    # -- deck files ------------------------------------------------------------------

    def load(
        self, paths: Sequence[Path | str], *, check: bool = False, now: datetime | None = None
    ) -> SyncReport:
        """Load (sync) deck files or folders; with `check`, validate and report only.

        Raises `trainer.core.deckfile.DeckFileError` listing every problem; then nothing
        is loaded.
        """
        from trainer.core.deckfile import parse_paths
        from trainer.services.sync import sync_decks

        specs = parse_paths([Path(p) for p in paths])
        if not check:
            self.maintenance.backup_before_import(now=now)
        return sync_decks(self.db, specs, self._now(now), check=check)

    def load_bundled(self, *, now: datetime | None = None) -> SyncReport:
        """Sync the decks shipped with trainer."""
        from trainer.paths import bundled_decks_dir

        return self.load([bundled_decks_dir()], now=now)

    # -- import / export ---------------------------------------------------------------

    def import_file(
        self,
        path: Path | str,
        *,
        deck: str | None = None,
        scheduling: bool = True,
        fmt: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        now: datetime | None = None,
        replace_presets: bool = False,
    ) -> ImportReport:
        """Import an Anki package, CSV/TSV, JSON, TOML deck or Markdown file (one transaction).

        With `replace_presets`, the file's presets overwrite the collection's same-named ones
        (restoring a JSON backup's deck options); otherwise existing presets are kept."""
        from trainer.services import io

        return io.import_file(
            self.db, Path(path), self._now(now), deck=deck, scheduling=scheduling, fmt=fmt, progress=progress,
            replace_presets=replace_presets,
        )  # fmt: skip

    def export_file(
        self,
        path: Path | str,
        *,
        deck: str | None = None,
        fmt: str | None = None,
        scheduling: bool = True,
        now: datetime | None = None,
        split: bool = False,
        spreadsheet_safe: bool = False,
    ) -> ExportReport:
        """Export all cards (or one deck tree) as apkg, csv, tsv, toml or json (`split`: one TOML
        deck file per deck instead of one file; `spreadsheet_safe`: CSV/TSV cells that look like
        formulas get a `'`, which Anki keeps in the card)."""
        from trainer.services import io

        return io.export_file(
            self.db, Path(path), self._now(now), deck=deck, fmt=fmt, scheduling=scheduling, zone=self.zone,
            split=split, spreadsheet_safe=spreadsheet_safe,
        )  # fmt: skip

    # -- statistics and optimiser -------------------------------------------------------

    def stats_report(
        self, deck: str | None = None, days: int = 30, *, now: datetime | None = None
    ) -> StatsReport:
        """The statistics report (`trainer.core.stats.report.StatsReport`) of a deck or everything."""
        from trainer.services.stats import StatsService

        return StatsService(self.db, self.zone).report(deck, days, self._now(now))

    # -- collection facts ----------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A stored collection fact."""
        with self._raw.read():
            return study_sql.meta(self._raw, key)

    def set_meta(self, key: str, value: str) -> None:
        """Store a collection fact."""
        with self._raw.write():
            study_sql.set_meta(self._raw, key, value)


from trainer.collection.opening import open_collection, open_current  # noqa: E402  (they build a Collection)
