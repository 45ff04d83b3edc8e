"""Collection maintenance: `check` (integrity, foreign keys, invariants, with repair) and backups."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, and_, delete, select, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from trainer.core.days import local_zone
from trainer.core.scheduling import Preset
from trainer.errors import InvalidInputError
from trainer.services.autobackup import AUTO_BACKUP_EVERY as AUTO_BACKUP_EVERY
from trainer.services.autobackup import record_success
from trainer.services.check_memory import check_cards
from trainer.services.repair_values import check_values
from trainer.store import repo, study_sql
from trainer.store.backup import (
    BackupInfo,
    backup_sqlite,
    list_backups,
    thin_backups,
)
from trainer.store.engine import Database, is_sqlite
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, QuizAnswerRow
from trainer.store.restore import RestoreResult, recover_file, restore_file
from trainer.store.rows import PRESET_COLUMNS, preset_from_row
from trainer.store.sqlitefile import file_problems, foreign_objects
from trainer.store.walguard import WAL_LOST_KEY

cards_t, decks_t, presets_t, reviews_t = repo.cards_t, repo.decks_t, repo.presets_t, repo.reviews_t
quiz_t = cast(Table, QuizAnswerRow.__table__)


@dataclass
class Problem:
    """One problem found by `check`."""

    code: str
    message: str
    card_id: int | None = None
    repaired: bool = False


@dataclass
class CheckReport:
    """Every problem found, and whether repair was asked for."""

    problems: list[Problem] = field(default_factory=list)
    repair: bool = False

    @property
    def ok(self) -> bool:
        """No problem left unrepaired."""
        return all(p.repaired for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"ok": self.ok, "repair": self.repair, "problems": [asdict(p) for p in self.problems]}


def check_file(path: Path, now: datetime, *, repair: bool = False) -> CheckReport:
    """What is wrong with an SQLite collection file, read without opening it as a collection;
    with `repair`, recover what SQLite can read into a new file (the damaged one is kept)."""
    report = CheckReport(repair=repair)
    report.problems = [Problem("integrity", message) for message in file_problems(path)]
    if report.problems and repair:
        result = recover_file(path, now)
        for problem in report.problems:
            problem.repaired = True
        left_out = "".join(f"; left out {o.type} '{o.name}'" for o in result.dropped)
        report.problems.append(
            Problem(
                "recovered",
                f"recovered {result.cards} cards and {result.reviews} reviews ({result.method});"
                f" the damaged file is kept as {result.previous}{left_out}",
                repaired=True,
            )
        )
    return report


def check(
    db: Database, now: datetime, *, repair: bool = False, integrity: bool = True, zone: tzinfo | None = None
) -> CheckReport:
    """Check the collection; with `repair`, fix what can be fixed without losing history.

    `integrity=False` when `check_file` has already read the file; `zone` (default: the local
    zone) defines the study days a memory state is computed in."""
    report = CheckReport(repair=repair)
    if is_sqlite(db.url):
        if integrity:
            _sqlite_integrity(db, report)
        if any(p.code == "integrity" for p in report.problems):
            return report  # a damaged file: `check_file` recovers it, or restore a backup
        _schema_objects(db, report, repair)
        _lost_wal(db, report, repair)
    with db.write() as session:
        _orphans(session, report, repair)
        _presets(session, report, repair)
        bad_values = check_values(  # values an older version let in, before anything converts them
            session,
            now,
            repair,
            lambda message, card: report.problems.append(Problem("value", message, card, repair)),
        )
        _queues(session, report, repair, now)
        if repair or not bad_values:  # unrepaired, they would fail the comparison itself
            check_cards(
                session, lambda *p: report.problems.append(Problem(*p)), repair, zone or local_zone(), now
            )
    if is_sqlite(db.url) and (repair or not any(p.code == "orphan" for p in report.problems)):
        _sqlite_foreign_keys(db, report)
    return report


def _sqlite_integrity(db: Database, report: CheckReport) -> None:
    try:
        with db.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    except DatabaseError as exc:
        rows = [str(exc.orig or exc)]
    if rows != ["ok"]:
        for message in rows[:20]:
            report.problems.append(Problem("integrity", f"database damaged: {message}"))


def _schema_objects(db: Database, report: CheckReport, repair: bool) -> None:
    """Triggers, views and tables trainer never creates (a trigger can rewrite every answer)."""
    raw = db.engine.raw_connection()
    try:
        conn = cast(sqlite3.Connection, raw.driver_connection)
        found = foreign_objects(conn)
        removable = [o for o in found if o.type in ("trigger", "view")]
        if repair and removable:
            conn.execute("BEGIN IMMEDIATE")
            for obj in removable:
                conn.execute(f'DROP {obj.type.upper()} IF EXISTS "{obj.name.replace(chr(34), chr(34) * 2)}"')
            conn.execute("COMMIT")
    finally:
        raw.close()
    for obj in found:
        if obj.type == "table":
            message = f"table '{obj.name}' is not part of trainer's schema (left alone)"
            report.problems.append(Problem("schema", message))
        else:
            message = f"{obj.type} '{obj.name}' on {obj.table} is not part of trainer's schema"
            report.problems.append(Problem("schema", message, repaired=repair))


def _lost_wal(db: Database, report: CheckReport, repair: bool) -> None:
    """A lost `-wal` noticed when the collection was opened (see trainer.store.walguard)."""
    with db.write() as session:
        queries = repo.sql(session)
        lost = study_sql.meta(queries, WAL_LOST_KEY)
        if lost is None:
            return
        report.problems.append(Problem("wal", lost, repaired=repair))
        if repair:
            study_sql.delete_meta(queries, WAL_LOST_KEY)


def _sqlite_foreign_keys(db: Database, report: CheckReport) -> None:
    """What SQLite's own foreign-key check still finds after the checks (and repairs) above."""
    with db.engine.connect() as conn:
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            report.problems.append(
                Problem("foreign-key", f"{table} row {rowid} points to a missing {parent} row")
            )


def _orphans(session: Session, report: CheckReport, repair: bool) -> None:
    for table, label in ((reviews_t, "review"), (quiz_t, "quiz answer")):
        orphan_ids = list(
            session.execute(
                select(table.c.id).where(~table.c.card_id.in_(select(cards_t.c.id).scalar_subquery()))
            ).scalars()
        )
        for row_id in orphan_ids:
            report.problems.append(Problem("orphan", f"{label} {row_id} belongs to no card", None, repair))
        if repair and orphan_ids:
            session.execute(delete(table).where(table.c.id.in_(orphan_ids)))
    lost = list(
        session.execute(
            select(cards_t.c.id).where(~cards_t.c.deck_id.in_(select(decks_t.c.id).scalar_subquery()))
        ).scalars()
    )
    if lost:
        deck_id = repo.ensure_deck(session, "Recovered", _default_preset(session))[0] if repair else 0
        for card_id in lost:
            report.problems.append(Problem("orphan", f"card {card_id} belongs to no deck", card_id, repair))
        if repair:
            session.execute(update(cards_t).where(cards_t.c.id.in_(lost)).values(deck_id=deck_id))
    bad_decks = list(
        session.execute(
            select(decks_t.c.id, decks_t.c.name).where(
                ~decks_t.c.preset_id.in_(select(presets_t.c.id).scalar_subquery())
            )
        )
    )
    for deck_id, name in bad_decks:
        report.problems.append(Problem("orphan", f"deck '{name}' uses a missing preset", None, repair))
        if repair:
            session.execute(
                update(decks_t).where(decks_t.c.id == deck_id).values(preset_id=_default_preset(session))
            )


def _default_preset(session: Session) -> int:
    found = repo.preset_id(session, "Default")
    assert found is not None
    return found


def _presets(session: Session, report: CheckReport, repair: bool) -> None:
    columns = [presets_t.c[name] for name in PRESET_COLUMNS]
    for row in session.execute(select(presets_t.c.id, *columns)).all():
        try:
            preset = preset_from_row(row[1:])
            problems = preset.validate()
        except (ValueError, TypeError) as exc:
            preset, problems = Preset(name=row.name), [f"unreadable ({exc})"]
        for message in problems:
            report.problems.append(Problem("preset", f"preset '{row.name}': {message}", None, repair))
        if problems and repair:
            values = repo.preset_values(_repaired_preset(preset))
            session.execute(update(presets_t).where(presets_t.c.id == row.id).values(**values))


def _repaired_preset(preset: Preset) -> Preset:
    """The preset with each invalid setting back at its default."""
    default = Preset(name=preset.name)
    fields: dict[str, Any] = {}
    for name in ("parameters", "desired_retention", "day_start_hour", "maximum_interval", "new_per_day",
                 "reviews_per_day", "leech_threshold", "learning_steps", "relearning_steps"):  # fmt: skip
        candidate = Preset(name=preset.name, **{name: getattr(preset, name)})
        fields[name] = getattr(preset if not candidate.validate() else default, name)
    return Preset(name=preset.name, bury_siblings=preset.bury_siblings, **fields)


def _queues(session: Session, report: CheckReport, repair: bool, now: datetime) -> None:
    c = cards_t.c
    bad_queue = and_(c.queue != c.state, ~c.queue.in_((QUEUE_SUSPENDED, QUEUE_BURIED)))
    for card_id in session.execute(select(c.id).where(bad_queue)).scalars():
        report.problems.append(
            Problem("queue", f"card {card_id} is in a queue that is not its state", card_id, repair)
        )
    if repair:
        session.execute(update(cards_t).where(bad_queue).values(queue=c.state))
    no_due = and_(c.state.in_((1, 2, 3)), c.due.is_(None))
    for card_id in session.execute(select(c.id).where(no_due)).scalars():
        report.problems.append(
            Problem("due", f"card {card_id} is in review but has no due date", card_id, repair)
        )
    if repair:
        session.execute(update(cards_t).where(no_due).values(due=now))
    buried = and_(c.queue == QUEUE_BURIED, c.buried_until.is_(None))
    for card_id in session.execute(select(c.id).where(buried)).scalars():
        report.problems.append(Problem("queue", f"card {card_id} is buried without an end", card_id, repair))
    if repair:
        session.execute(update(cards_t).where(buried).values(queue=c.state))


# -- backups -------------------------------------------------------------------------


def _sqlite_file(db: Database) -> Path:
    path = db.sqlite_path
    if path is None:
        raise InvalidInputError(
            "backups are made for SQLite collections; back up a PostgreSQL server with pg_dump"
        )
    return path


def backup(db: Database, now: datetime, zone: tzinfo, reason: str = "manual") -> Path:
    """Back up now (SQLite backup API, verified), record the time, thin old backups."""
    path = backup_sqlite(_sqlite_file(db), reason, now)
    _set_last_backup(db, now)
    thin_backups(_sqlite_file(db), now, zone)
    return path


def backups(db: Database) -> list[BackupInfo]:
    """The collection's backups, newest first."""
    return list_backups(_sqlite_file(db))


def restore(db: Database, source: Path, now: datetime, zone: tzinfo) -> RestoreResult:
    """Keep the current collection (a backup, or a copy when damaged), then replace it with `source`."""
    target = _sqlite_file(db)
    db.dispose()
    try:
        return restore_path(target, source, now, zone)
    finally:
        db.dispose()


def restore_path(target: Path, source: Path, now: datetime, zone: tzinfo) -> RestoreResult:
    """Restore an SQLite collection file from `source` without opening the current file first."""
    result = restore_file(source, target, now)
    thin_backups(target, now, zone)
    return result


def has_history(db: Database) -> bool:
    """Whether an SQLite collection holds any answer (something a bulk change could spoil)."""
    if db.sqlite_path is None:
        return False
    with db.read() as session:
        return session.execute(select(reviews_t.c.id).limit(1)).first() is not None


def _set_last_backup(db: Database, now: datetime) -> None:
    with db.write() as session:
        record_success(repo.sql(session), now)
