"""`check` for values an older version let in: out-of-range times, memory states, steps, undo data.

Before the import boundary checked every value, a package or backup could store stability
-5 or infinity, a difficulty of 50, a learning card without a step, a due time in the year
292 million, or undo data that is not an object; each broke `next`, `answer` or `undo` for
good. Each rule below finds such rows with plain SQL (no ORM type conversion, which is what
fails on them) and, with repair, puts the nearest usable value in place. The review log is
repaired with the same rules, so the card-versus-log check agrees afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from trainer.core.validate import EARLIEST, EPOCH_UTC, LATEST, MAX_STEPS, MS

LOW_MS, HIGH_MS = (EARLIEST - EPOCH_UTC) // MS, (LATEST - EPOCH_UTC) // MS


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs: SQLite stores any type in any column, PostgreSQL enforces them."""

    sqlite: bool

    def number(self, column: str) -> str:
        """`column` holds a number (always true where the schema enforces the type)."""
        return f"typeof({column}) IN ('integer', 'real')" if self.sqlite else "TRUE"

    def integer(self, column: str) -> str:
        """`column` holds an integer."""
        return f"typeof({column}) = 'integer'" if self.sqlite else "TRUE"

    def clamp(self, column: str, low: float, high: float) -> str:
        """`column` brought into [low, high] (scalar MIN/MAX on SQLite, LEAST/GREATEST elsewhere)."""
        if self.sqlite:
            return f"MIN(MAX({column}, {low}), {high})"
        return f"LEAST(GREATEST({column}, {low}), {high})"


@dataclass(frozen=True)
class Rule:
    """Rows of `table` where `bad` holds are reported as `message` and get `fix` (SQL SET list)."""

    table: str
    bad: str
    message: str
    fix: str


def _time(sql: Dialect, table: str, column: str, fix: str, *, nullable: bool = True) -> Rule:
    null = f"{column} IS NOT NULL AND " if nullable else ""
    return Rule(
        table,
        f"{null}NOT ({sql.integer(column)} AND {column} BETWEEN {LOW_MS} AND {HIGH_MS})",
        f"{column} is not a time between 1900 and 3000",
        f"{column} = {fix}",
    )


def _memory(sql: Dialect, table: str, suffix: str = "") -> list[Rule]:
    s, d, step = f"stability{suffix}", f"difficulty{suffix}", f"step{suffix}"
    return [
        Rule(
            table,
            f"{s} IS NOT NULL AND NOT ({sql.number(s)} AND {s} BETWEEN 0.001 AND 1e9)",
            f"{s} is not a stability the scheduler can use",
            f"{s} = CASE WHEN {sql.number(s)} THEN {sql.clamp(s, 0.001, 36500.0)} ELSE NULL END",
        ),
        Rule(
            table,
            f"{d} IS NOT NULL AND NOT ({sql.number(d)} AND {d} BETWEEN 1 AND 10)",
            f"{d} is not a difficulty from 1 to 10",
            f"{d} = CASE WHEN {sql.number(d)} THEN {sql.clamp(d, 1.0, 10.0)} ELSE 5.0 END",
        ),
        Rule(
            table,
            f"{step} IS NOT NULL AND NOT ({sql.integer(step)} AND {step} BETWEEN 0 AND {MAX_STEPS})",
            f"{step} is not a learning step",
            f"{step} = 0",
        ),
    ]


def rules(now_ms: int, sql: Dialect) -> list[Rule]:
    """Every rule, cards first, then the review log."""
    return [
        Rule("cards", f"NOT ({sql.integer('state')} AND state BETWEEN 0 AND 3)", "state is not 0-3",
             "state = 0, queue = CASE WHEN queue IN (-1, -2) THEN queue ELSE 0 END, step = NULL,"
             " stability = NULL, difficulty = NULL, due = NULL"),
        _time(sql, "cards", "due", str(now_ms)),
        _time(sql, "cards", "last_review", "NULL"),
        _time(sql, "cards", "buried_until", "NULL, queue = CASE WHEN queue = -2 THEN state ELSE queue END"),
        _time(sql, "cards", "created_at", str(now_ms), nullable=False),
        _time(sql, "cards", "modified_at", str(now_ms), nullable=False),
        *_memory(sql, "cards"),
        Rule("cards", "state IN (1, 3) AND step IS NULL", "a learning card has no step", "step = 0"),
        # a card in learning or review without a memory state: services/check_memory rebuilds it
        Rule("cards", f"NOT ({sql.integer('reps')} AND reps BETWEEN 0 AND 2147483647)"
             f" OR NOT ({sql.integer('lapses')} AND lapses BETWEEN 0 AND 2147483647)",
             "reps or lapses is not a count", "reps = 0, lapses = 0"),
        *_memory(sql, "reviews", "_after"),
        *_memory(sql, "reviews", "_before"),
        _time(sql, "reviews", "due_after", "NULL"),
        _time(sql, "reviews", "due_before", "NULL"),
        _time(sql, "reviews", "last_review_before", "NULL"),
    ]  # fmt: skip


def check_values(
    session: Session, now: datetime, repair: bool, problem: Callable[[str, int | None], None]
) -> bool:
    """Report (and with `repair`, fix) every row a rule finds; `problem(message, card_id)`.

    Whether any was found."""
    now_ms = (now - EPOCH_UTC) // MS
    found = False
    sql = Dialect(sqlite=session.get_bind().dialect.name == "sqlite")
    for rule in rules(now_ms, sql):
        label = "card" if rule.table == "cards" else "review"
        ids = [row[0] for row in session.execute(text(f"SELECT id FROM {rule.table} WHERE {rule.bad}"))]
        for row_id in ids[:1000]:
            problem(f"{label} {row_id}: {rule.message}", row_id if rule.table == "cards" else None)
        found = found or bool(ids)
        if len(ids) > 1000:
            problem(f"... and {len(ids) - 1000} more {label}s: {rule.message}", None)
        if repair and ids:
            session.execute(text(f"UPDATE {rule.table} SET {rule.fix} WHERE {rule.bad}"))
    return _undo_data(session, repair, problem) or found


def _undo_data(session: Session, repair: bool, problem: Callable[[str, int | None], None]) -> bool:
    """Undo data that `undo` could not read (not a JSON object of the known keys) is cleared."""
    bad: list[int] = []
    for row_id, raw in session.execute(text("SELECT id, undo_data FROM reviews WHERE undo_data != ''")):
        if not _usable_undo(raw):
            bad.append(row_id)
            problem(f"review {row_id}: its undo data is unreadable", None)
    if repair and bad:
        for start in range(0, len(bad), 500):
            chunk = bad[start : start + 500]
            marks = ",".join(str(int(i)) for i in chunk)
            session.execute(text(f"UPDATE reviews SET undo_data = '' WHERE id IN ({marks})"))
    return bool(bad)


def _usable_undo(raw: Any) -> bool:
    if not isinstance(raw, str) or len(raw) > 1_000_000:
        return False
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    tags, until, buried = data.get("tags", ""), data.get("buried_until", 0), data.get("buried", [])
    return (
        isinstance(tags, str)
        and isinstance(until, int)
        and LOW_MS <= until <= HIGH_MS
        and isinstance(buried, list)
        and all(isinstance(i, int) and not isinstance(i, bool) for i in buried)
    ) or not data
