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
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from trainer.collection.maintenance import Maintenance
from trainer.core import days
from trainer.core.cards import CardContent
from trainer.core.scheduling import Preset, Preview, Rating
from trainer.errors import InvalidInputError, NotFoundError
from trainer.services.study import StudyService
from trainer.store.rawdb import RawDB
from trainer.store.values import HEAD_REVISION
from trainer.views import (
    AnswerResult,
    CardView,
    DeckInfo,
    ReviewEntry,
    StudyCard,
    SyncReport,
    UndoResult,
)

if TYPE_CHECKING:  # the ORM store: imported when first needed (listing decks and studying do not)
    from trainer.services.cards import CardService
    from trainer.store.engine import Database

if TYPE_CHECKING:  # quiz and browse
    from trainer.core.quiz import Question as QuizQuestion
    from trainer.services.browse import Page as BrowsePage
    from trainer.services.reposition import Repositioned
    from trainer.services.undo_actions import UndoneAction

if TYPE_CHECKING:  # import / export
    from trainer.services.io import ExportReport, ImportReport

if TYPE_CHECKING:  # statistics and optimiser
    from trainer.core.stats.report import StatsReport
    from trainer.services.optimize import ImportSummary, OptimizeService
    from trainer.services.presets import PresetService

__all__ = ["Collection", "NotFoundError", "Rating", "open_collection"]

Clock = Callable[[], datetime]


class Collection:
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
        self._answers_since_check = 0  # answers since the last automatic-backup check
        self._answered = False

    @property
    def db(self) -> Database:
        """The ORM database (SQLAlchemy engine and sessions), created on first use."""
        if self._db is None:
            from trainer.store.engine import Database, database_url

            self._db = Database(database_url(self._target))
        return self._db

    @property
    def _cards(self) -> CardService:
        from trainer.services.cards import CardService

        return CardService(self.db)

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
        taken = self._undo_action(moment)
        if taken is not None:
            return taken
        return self.study.undo(moment)

    # -- the undo journal of card actions (see trainer.services.undo_actions) ----------

    def _newest_answer_id(self) -> int:
        row = self._raw.one_alone("SELECT max(id) FROM reviews WHERE kind = 'review'")
        return int(row[0]) if row is not None and row[0] is not None else 0

    def _journal(self, action: str, card_ids: Sequence[int]) -> dict[str, object] | None:
        """The journal entry for `action` on `card_ids` as they are now (call before acting)."""
        from trainer.services import undo_actions

        cards = undo_actions.read_cards(self.db, list(card_ids))
        return undo_actions.entry(action, self._newest_answer_id(), cards) if cards else None

    def _journal_push(self, entry: dict[str, object] | None) -> None:
        from trainer.services import undo_actions

        if entry is None:
            return
        entries = undo_actions.decode(self.meta(undo_actions.META_KEY))
        entries.append(entry)
        self.set_meta(undo_actions.META_KEY, undo_actions.encode(entries))

    def _undo_action(self, now: datetime) -> UndoneAction | None:
        from trainer.services import undo_actions

        row = self._raw.one_alone("SELECT value FROM meta WHERE key = ?", (undo_actions.META_KEY,))
        entries = undo_actions.decode(row[0] if row is not None else None)  # no ORM on the study path
        if not entries or self._newest_answer_id() > int(entries[-1].get("after_review", 0)):
            return None  # an answer is newer: the review log's undo takes it back
        top = entries.pop()
        restored = undo_actions.restore(self.db, top, now)
        self.set_meta(undo_actions.META_KEY, undo_actions.encode(entries))
        return undo_actions.UndoneAction(str(top.get("action", "")), tuple(restored))

    def next_due(self, deck: str | None = None) -> datetime | None:
        """When the next learning or review card is due."""
        return self.study.next_due_time(deck)

    # -- cards -----------------------------------------------------------------------

    def card(self, card_id: int) -> CardView:
        """One card."""
        found = self._cards.card(card_id)
        if found is None:
            raise NotFoundError(f"no card with id {card_id}")
        return found

    def history(self, card_id: int) -> list[ReviewEntry]:
        """A card's review history, oldest first."""
        return self._cards.history(card_id)

    def edit_card(
        self,
        card_id: int,
        content: CardContent,
        *,
        tags: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> CardView:
        """Change a card's text (and tags); its memory state is kept."""
        values: dict[str, object] = {
            "content": content.to_json(),
            "content_hash": content.content_hash(),
            "kind": content.kind.value,
            "modified_at": self._now(now),
        }
        if tags is not None:
            from trainer.store.rows import join_tags

            values["tags"] = join_tags(tags)
        entry = self._journal("edit", [card_id])
        self._remember_edit(card_id)
        self._update_card(card_id, values)
        self._journal_push(entry)
        return self.card(card_id)

    def _remember_edit(self, card_id: int) -> None:
        """Record the version a learner's edit starts from, so that a sync of its deck file
        keeps the edit (`trainer.services.sync`)."""
        import json

        from trainer.services.sync import EDITS_KEY

        card = self.card(card_id)
        edits = json.loads(self.meta(EDITS_KEY) or "{}")
        if card.external_id and card.external_id not in edits:
            edits[card.external_id] = card.content.content_hash()
            self.set_meta(EDITS_KEY, json.dumps(edits, ensure_ascii=False, sort_keys=True))

    def add_card(
        self, deck: str, content: CardContent, *, tags: Sequence[str] = (), now: datetime | None = None
    ) -> list[CardView]:
        """Add a card to `deck`: into the deck's file when it comes from one (then synced),
        else as a collection card (a cloze gives one card per gap number). The new cards;
        undo takes them back out (of the file too)."""
        from dataclasses import replace

        from trainer.core.cards import CardKind, cloze_numbers
        from trainer.paths import bundled_decks_dir
        from trainer.services import authoring, undo_actions

        authoring.check_content(content)
        moment = self._now(now)
        target = authoring.target(self.db, deck, bundled_decks_dir())
        if target.file is not None:
            external, block = authoring.append_to_file(target.file, content, list(tags))
            self.load([target.file], now=moment)
            prefix = external + "#"
            added = [
                c
                for c in self.search(f'deck:"{target.name}"')
                if c.external_id in (external,) or c.external_id.startswith(prefix)
            ]
            entry = undo_actions.added_entry(
                self._newest_answer_id(), [c.id for c in added], str(target.file), block
            )
            self._journal_push(entry)
            return added
        contents = [content]
        if content.kind is CardKind.CLOZE:
            contents = [replace(content, cloze_ord=n) for n in cloze_numbers(content.text)]
        elif content.kind is CardKind.REVERSED:
            contents = [content, replace(content, front=content.back, back=content.front, hint="")]
        ids = [authoring.add_collection_card(self.db, target, c, list(tags), moment) for c in contents]
        self._journal_push(undo_actions.added_entry(self._newest_answer_id(), ids))
        return [self.card(i) for i in ids]

    def reposition(
        self,
        card_ids: Sequence[int],
        start: int,
        *,
        step: int = 1,
        randomize: bool = False,
        shift: bool = False,
        seed: int | None = None,
    ) -> Repositioned:
        """Anki's Reposition: the new cards among `card_ids` take positions `start`, `start +
        step`, ... in their order (`randomize`: shuffled); `shift` moves the other new cards
        from `start` on back to make room. Undoable; cards that are not new are left alone."""
        from trainer.services import reposition, undo_actions

        done = reposition.reposition(
            self.db, list(card_ids), start, step=step, randomize=randomize, shift=shift, seed=seed
        )
        self._journal_push(undo_actions.repositioned_entry(self._newest_answer_id(), done.before))
        return done

    def new_queue_ends(self) -> tuple[int, int]:
        """The first and last position of the new cards (Anki's queue top and bottom)."""
        from trainer.services.reposition import queue_ends

        return queue_ends(self.db)

    def media_folder(self) -> Path | None:
        """The folder of the collection's images and sounds (beside an SQLite file)."""
        from trainer.services.io import media_dir

        return media_dir(self.db)

    def deck_file(self, deck: str) -> Path | None:
        """The learner's deck file new cards of `deck` are written to, or None."""
        from trainer.paths import bundled_decks_dir
        from trainer.services import authoring

        return authoring.target(self.db, deck, bundled_decks_dir()).file

    def card_file(self, card_id: int) -> Path | None:
        """The learner's deck file a card comes from, or None for a collection card."""
        from trainer.services import authoring

        return authoring.from_file(self.db, card_id)

    def delete_card(self, card_id: int) -> int:
        """Delete a collection card with its history (a deck-file card is removed from its
        file instead: refused here). The number of reviews deleted with it."""
        from trainer.services import authoring

        path = authoring.from_file(self.db, card_id)
        if path is not None:
            raise InvalidInputError(f"this card comes from {path}: remove it there, or suspend it")
        return authoring.delete_card(self.db, card_id)

    def set_suspended(self, card_ids: Sequence[int], suspended: bool, *, now: datetime | None = None) -> None:
        """Suspend or unsuspend cards (undoable)."""
        entry = self._journal("suspend" if suspended else "unsuspend", card_ids)
        self._cards.set_suspended(card_ids, suspended, self._now(now))
        self._journal_push(entry)

    def bury(self, card_id: int, *, now: datetime | None = None) -> None:
        """Hide a card until the next study day."""
        now = self._now(now)
        found = self._cards.card(card_id)
        if found is None:
            raise NotFoundError(f"no card with id {card_id}")
        preset = self.study.preset_for_deck(found.deck_id)
        until = days.next_day_start(now, self.zone, preset.day_start_hour)
        entry = self._journal("bury", [card_id])
        if not self._cards.bury(card_id, until, now):
            raise NotFoundError(f"no card with id {card_id}")
        self._journal_push(entry)

    def unbury(self, card_ids: Sequence[int], *, now: datetime | None = None) -> int:
        """Bring buried cards back today (undoable); how many were buried."""
        from trainer.services import undo_actions

        buried = [c.id for c in undo_actions.read_cards(self.db, list(card_ids)) if c.buried]
        if not buried:
            return 0
        entry = self._journal("unbury", buried)
        moment = self._now(now)
        for card in undo_actions.read_cards(self.db, buried):
            self._cards.update_card(
                card.id, {"queue": int(card.state.state), "buried_until": None, "modified_at": moment}
            )
        self._journal_push(entry)
        return len(buried)

    def set_flag(self, card_id: int, flag: int) -> None:
        """Set a card's flag (0 = none, 1-7 = colours as in Anki)."""
        if not 0 <= flag <= 7:
            raise InvalidInputError("flag must be 0-7")
        entry = self._journal("flag", [card_id])
        self._update_card(card_id, {"flag": flag})
        self._journal_push(entry)

    def _update_card(self, card_id: int, values: dict[str, object]) -> None:
        if not self._cards.update_card(card_id, values):
            raise NotFoundError(f"no card with id {card_id}")

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
        """Whether another trainer is writing to this SQLite collection now (an answer would wait)."""
        from trainer.store import writequeue

        return self._raw.path is not None and writequeue.busy(self._raw.path)

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

    # -- presets ---------------------------------------------------------------------

    def presets(self) -> dict[str, Preset]:
        """Every preset by name."""
        return self._cards.presets()

    def set_deck_preset(self, deck: str, preset: str) -> None:
        """Make `deck` use the preset named `preset`."""
        from sqlalchemy import update

        from trainer.store import repo

        with self.db.write() as session:
            pid = repo.preset_id(session, preset, create=False)
            if pid is None:
                raise NotFoundError(f"no preset named '{preset}'")
            result = session.execute(
                update(repo.decks_t).where(repo.decks_t.c.name == deck).values(preset_id=pid)
            )
            if not repo.rowcount(result):
                raise NotFoundError(f"no deck named '{deck}'")

    def deck_preset(self, deck: str) -> Preset:
        """The preset a deck uses."""
        found = self._cards.deck_preset(deck)
        if found is None:
            raise NotFoundError(f"no deck named '{deck}'")
        return found

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

    @property
    def optimizer(self) -> OptimizeService:
        """The optimiser, simulator, presets and review-log import (`trainer.services.optimize`)."""
        from trainer.services.optimize import OptimizeService

        return OptimizeService(self.db, self.zone)

    def import_review_log(
        self, path: Path | str, *, deck: str = "Imported review log", now: datetime | None = None
    ) -> ImportSummary:
        """Import a review-log CSV (FSRS optimiser layout) into `deck`; returns a summary."""
        return self.optimizer.import_review_log(Path(path), deck, self._now(now))

    @property
    def preset_options(self) -> PresetService:
        """Show and change presets, and reschedule their cards (`trainer.services.presets`)."""
        from trainer.services.presets import PresetService

        return PresetService(self.db, self.zone)

    # -- collection facts ----------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A stored collection fact."""
        return self._cards.meta(key)

    def set_meta(self, key: str, value: str) -> None:
        """Store a collection fact."""
        self._cards.set_meta(key, value)


def open_collection(
    target: str | Path | None = None,
    *,
    clock: Clock = days.utcnow,
    zone: tzinfo | None = None,
    install_bundled: bool = True,
) -> Collection:
    """Open (creating or upgrading) a collection: a path means SQLite, `x://` a SQLAlchemy URL.

    The first open of a new collection installs the bundled decks. An SQLite collection
    already at the current schema opens on its study connection alone: SQLAlchemy is
    imported when something first needs it.
    """
    text = _target_text(target)
    if "://" not in text:
        from trainer.store.leftovers import clean_leftovers

        with contextlib.suppress(RuntimeError):  # `~nouser/...`: the open below says so in one line
            clean_leftovers(Path(text).expanduser())  # what killed writers left behind
    quick = _open_current_sqlite(text, clock, zone)
    if quick is not None:
        return quick
    from trainer.store import repo
    from trainer.store.engine import Database, database_url
    from trainer.store.migrate import ensure_schema

    db = Database(database_url(text))
    raw: RawDB | None = None
    try:
        ensure_schema(db, clock())
        path = db.sqlite_path
        raw = RawDB.open_sqlite(path) if path is not None else RawDB.borrow(db.engine)
        collection = Collection(text, raw, db, clock=clock, zone=zone)
        if collection.meta("created_at") is None:
            with db.write() as session:
                repo.preset_id(session, "Default")
            if install_bundled:
                from trainer.paths import bundled_decks_dir

                if bundled_decks_dir().is_dir():
                    collection.load_bundled()
            collection.set_meta("created_at", clock().isoformat())
    except BaseException:
        if raw is not None:
            raw.close()
        db.dispose()
        raise
    return collection


def open_current(
    target: str | Path | None = None, *, clock: Clock = days.utcnow, zone: tzinfo | None = None
) -> Collection | None:
    """The collection at `target` if it opens at once (SQLite at the current schema), else None.

    For callers that want to show something while a slower open (create, upgrade,
    install the bundled decks, a server) runs elsewhere.
    """
    return _open_current_sqlite(_target_text(target), clock, zone)


def _target_text(target: str | Path | None) -> str:
    if target is None:
        from trainer.paths import default_collection

        return str(default_collection())
    return str(target)


def _open_current_sqlite(target: str, clock: Clock, zone: tzinfo | None) -> Collection | None:
    """The collection at an SQLite path whose schema is current and set up, else None."""
    if "://" in target:
        return None
    try:
        path = Path(target).expanduser()
    except RuntimeError:  # `~nouser/...`: the full open below says so in one line
        return None
    if not path.is_file():
        return None
    try:
        raw = RawDB.open_sqlite(path)
    except sqlite3.Error:
        return None
    try:
        with raw.read():
            revision = raw.scalar("SELECT version_num FROM alembic_version")
            created = raw.scalar("SELECT value FROM meta WHERE key = 'created_at'")
    except sqlite3.Error:
        raw.close()
        return None
    if revision != HEAD_REVISION or created is None:
        raw.close()
        return None
    return Collection(target, raw, clock=clock, zone=zone)
