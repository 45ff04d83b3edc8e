"""Checks on an Anki collection's rows before they are read: types and ranges, in SQL.

Anki's schema declares its columns but SQLite stores whatever a file holds: a text creation
time, a null ease factor, a due date of 1e300 or the minimum integer, an interval past a C
int. Each table is scanned once for its first row whose value the reader could not use, so
the refusal names the row and the column instead of failing deep in a conversion.
"""

from __future__ import annotations

import sqlite3

from trainer.core.validate import MAX_CARDS_PER_NOTE, MAX_FIELD_CHARS

_EPOCH_S_LOW, _EPOCH_S_HIGH = -2_208_988_800, 32_503_680_000  # 1900-01-01 .. 3000-01-01
_DAYS = 1_000_000  # a day count (due, interval) a date can be computed from
_INT32 = 2**31 - 1


def _int(column: str, low: int | None = None, high: int | None = None) -> str:
    condition = f"typeof({column}) = 'integer'"
    if low is not None:
        condition += f" AND {column} BETWEEN {low} AND {high}"
    return condition


_DUE = (
    "typeof(due) = 'integer' AND (type = 0 AND due BETWEEN -4611686018427387904 AND 4611686018427387903"
    f" OR due BETWEEN -{_DAYS} AND {_DAYS} OR due BETWEEN 1000000000 AND {_EPOCH_S_HIGH})"
)
_ODUE = (
    f"typeof(odue) = 'integer' AND (odue BETWEEN -{_DAYS} AND {_DAYS}"
    f" OR odue BETWEEN 1000000000 AND {_EPOCH_S_HIGH})"
)

CHECKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # table: (column, condition, what it must be)
    "col": (("crt", _int("crt", _EPOCH_S_LOW, _EPOCH_S_HIGH), "a time in seconds between 1900 and 3000"),),
    "cards": (
        ("id", _int("id"), "an integer"),
        ("nid", _int("nid"), "an integer"),
        ("did", _int("did"), "an integer"),
        ("odid", _int("odid"), "an integer"),
        ("ord", _int("ord", 0, MAX_CARDS_PER_NOTE - 1), f"a card number from 0 to {MAX_CARDS_PER_NOTE - 1}"),
        ("type", _int("type", 0, 3), "a card type from 0 to 3"),
        ("queue", _int("queue", -3, 4), "a queue from -3 to 4"),
        ("due", _DUE, "a day number, a time in seconds or a position"),
        ("odue", _ODUE, "a day number or a time in seconds"),
        ("ivl", _int("ivl", -_DAYS, _DAYS), f"an interval of at most {_DAYS} days"),
        ("factor", _int("factor", 0, 100_000), "an ease factor from 0 to 100000"),
        ("reps", _int("reps", 0, _INT32), f"a count from 0 to {_INT32}"),
        ("lapses", _int("lapses", 0, _INT32), f"a count from 0 to {_INT32}"),
        ("left", _int("left", 0, _INT32), f"a count from 0 to {_INT32}"),
        ("flags", _int("flags"), "an integer"),
        ("data", "data IS NULL OR length(data) <= 100000", "at most 100000 bytes"),
    ),
    "revlog": (
        ("id", _int("id", _EPOCH_S_LOW * 1000, _EPOCH_S_HIGH * 1000), "a time in ms between 1900 and 3000"),
        ("cid", _int("cid"), "an integer"),
        ("ease", _int("ease", -_INT32, _INT32), "an integer"),
        ("ivl", _int("ivl", -(10**10), _DAYS), f"at most {_DAYS} days or 10^10 seconds"),
        ("time", _int("time", -(2**62), 2**62), "an integer"),
        ("type", _int("type", -_INT32, _INT32), "an integer"),
    ),
    "notes": (
        ("id", _int("id"), "an integer"),
        ("mid", _int("mid"), "an integer"),
        ("flds", f"length(flds) <= {MAX_FIELD_CHARS}", f"at most {MAX_FIELD_CHARS} characters"),
        (
            "tags",
            f"tags IS NULL OR length(tags) <= {MAX_FIELD_CHARS}",
            f"at most {MAX_FIELD_CHARS} characters",
        ),
        ("guid", "length(guid) <= 1000", "at most 1000 characters"),
    ),
}


def first_bad_row(conn: sqlite3.Connection, tables: set[str]) -> tuple[str, str] | None:
    """(where, problem) for the first row with a value out of type or range, or None."""
    for table, checks in CHECKS.items():
        if table not in tables:
            continue
        cases = " ".join(f"WHEN NOT ({cond}) THEN {i}" for i, (_, cond, _) in enumerate(checks))
        key = "rowid" if table == "col" else "id"
        found = conn.execute(
            f"SELECT {key}, bad FROM (SELECT {key}, CASE {cases} END AS bad FROM {table})"
            " WHERE bad IS NOT NULL LIMIT 1"
        ).fetchone()
        if found is None:
            continue
        row_id, index = found
        column, _, expected = checks[index]
        value = conn.execute(f"SELECT quote({column}) FROM {table} WHERE {key} = ?", (row_id,)).fetchone()
        shown = _shown(value[0] if value else None)
        label = {"cards": "card", "revlog": "review", "notes": "note", "col": "col"}[table]
        where = label if table == "col" else f"{label} {_shown(row_id)}"
        return where, f"{column}: {shown} is not {expected}"
    return None


def _shown(value: object) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:40])
    return text if len(text) <= 40 else text[:37] + "..."
