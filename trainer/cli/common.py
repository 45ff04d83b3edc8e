"""What every command shares: opening the collection, the clock, output and errors."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click

from trainer.clock import ClockError, env_clock
from trainer.core.days import local_zone
from trainer.errors import TrainerError


class CliError(Exception):
    """An error for the user: one line, and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@contextmanager
def handled_errors() -> Iterator[None]:
    """Turn every expected failure into a `CliError` (never a traceback)."""
    try:
        yield
    except CliError:
        raise
    except click.exceptions.Exit as exc:
        if exc.exit_code:
            raise CliError("", exc.exit_code) from None
    except click.Abort:
        raise CliError("aborted", 1) from None
    except click.UsageError as exc:
        hint = (
            f" (see 'trainer {exc.ctx.command_path.split(' ', 1)[1]} --help')"
            if exc.ctx and " " in exc.ctx.command_path
            else " (see 'trainer --help')"
        )
        raise CliError(exc.format_message() + hint, 2) from None
    except click.ClickException as exc:
        raise CliError(exc.format_message(), exc.exit_code) from None
    except TrainerError as exc:
        raise CliError(_trainer_error(exc)) from None
    except OSError as exc:
        raise CliError(str(exc)) from None
    except OverflowError as exc:  # a number from the input past what Python, C or SQLite can hold
        raise CliError(f"a number is too large ({exc})") from None
    except RecursionError:  # input nested deeper than any parser here can follow
        raise CliError("the input is nested too deeply") from None
    except sqlite3.Error as exc:
        raise CliError(f"database error: {exc}") from None
    except Exception as exc:
        # The store's errors, matched without importing SQLAlchemy for commands that never open it.
        message = _store_error(exc)
        if message is None:
            raise
        raise CliError(message) from None


def _trainer_error(exc: TrainerError) -> str:
    """The message for a trainer error; deck files list every problem (matched lazily, like the store's)."""
    deckfile = sys.modules.get("trainer.core.deckfile")
    if deckfile is not None and isinstance(exc, deckfile.DeckFileError):
        count = len(exc.errors)
        return f"{count} problem{'' if count == 1 else 's'} in deck files, nothing loaded:\n" + str(exc)
    return str(exc)


def _store_error(exc: Exception) -> str | None:
    """The one-line message for a SQLAlchemy error, None for anything else."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None:
        return None
    if isinstance(exc, sa_exc.OperationalError):
        return f"database error: {exc.orig}"
    if isinstance(exc, sa_exc.SQLAlchemyError):
        return f"database error: {exc}"
    return None


def clock() -> datetime:
    """`TRAINER_NOW` if set (ISO 8601 with offset), else the real time."""
    try:
        return env_clock()
    except ClockError as exc:
        raise CliError(str(exc)) from None


def emit_json(data: Any) -> None:
    """Print JSON for machines; control and bidi characters escaped (`\\u009b`), so still lossless."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    click.echo(_UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


_UNSAFE_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # C0 is escaped by json


def safe(text: str) -> str:
    """Card text made safe for a terminal: no control or bidi characters."""
    from trainer.core.cards import clean_text  # lazily: `--help` needs none of the card model

    return clean_text(text)


def local(value: datetime | None) -> str:
    """A UTC time as local time for display."""
    if value is None:
        return "-"
    return value.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def relative(value: datetime | None, now: datetime) -> str:
    """`in 3h`, `in 2d`, `now`."""
    if value is None:
        return "-"
    seconds = (value - now.astimezone(UTC)).total_seconds()
    if seconds <= 0:
        return "now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"in {round(seconds / size)}{unit}"
    return "in <1m"
