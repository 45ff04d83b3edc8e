"""An SQLite collection file on its own: open it read-only by a quoted URI, read its header,
say exactly what is wrong with it, and list the schema objects trainer did not create.

Nothing here needs the collection to open: it serves `check` and `restore` on damaged files.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from trainer.errors import TrainerError

HEADER = b"SQLite format 3\x00"
LOW_SPACE = 1 << 20  # bytes: below this SQLite cannot count on creating its -wal and -shm files
BACKUP_MARK = 0x54524E42  # "TRNB" in the header's application_id: a backup file trainer wrote
# Every table any schema revision of trainer has (tests compare with the models), and SQLite's own.
TRAINER_TABLES = frozenset(
    {
        "alembic_version",
        "meta",
        "presets",
        "decks",
        "cards",
        "reviews",
        "quiz_answers",
        "anki_notetypes",
        "anki_notes",
        "anki_revlog",
        "anki_cards",
    }
)
SQLITE_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})


def file_uri(path: Path, *, readonly: bool = True) -> str:
    """An SQLite URI for `path` with every special character (`#`, `?`, `%`, `[`) percent-quoted."""
    uri = Path(path).absolute().as_uri()
    return f"{uri}?mode=ro" if readonly else uri


def open_readonly(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A read-only connection to an existing file (never creates one)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    return sqlite3.connect(file_uri(path), uri=True, timeout=timeout)


class CollectionAccessError(TrainerError):
    """SQLite cannot open a collection whose data may be fine: a read-only folder, a full disk."""


def access_problem(path: Path) -> str | None:
    """Why SQLite cannot open an SQLite file that may be whole, as a sentence; None when nothing
    around the file stops it (then the file itself is the problem)."""
    folder = path.parent
    if not folder.is_dir():
        return None
    names = f"{path.name}-wal and {path.name}-shm"
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"cannot open {path}: its folder is read-only and SQLite must create {names} beside it;"
            " the collection was not touched (make the folder writable, or copy the collection elsewhere)"
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"cannot open {path}: no permission to read and write it; the collection was not touched"
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if free < LOW_SPACE:
        return (
            f"cannot open {path}: the disk holding it is full ({free:,} bytes free) and SQLite must"
            f" create {names} beside it; the collection was not touched (free some space)"
        )
    return None


@dataclass(frozen=True)
class Header:
    """What the first 100 bytes of an SQLite file say."""

    page_size: int
    page_count: int | None  # None when the header's count is not valid (very old writers)
    wal: bool  # the file is in WAL mode
    application_id: int


def read_header(path: Path) -> Header | None:
    """The file's SQLite header, or None when it is not an SQLite file."""
    with open(path, "rb") as handle:
        head = handle.read(100)
    if len(head) < 100 or not head.startswith(HEADER):
        return None
    (size,) = struct.unpack(">H", head[16:18])
    change, count = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    (app_id,) = struct.unpack(">I", head[68:72])
    return Header(
        page_size=65536 if size == 1 else size,
        page_count=count if valid_for == change and count else None,
        wal=head[18] == 2 or head[19] == 2,
        application_id=app_id,
    )


def is_backup_mark(path: Path) -> bool:
    """Whether the file carries trainer's backup mark (read from its header, without SQLite)."""
    try:
        header = read_header(path)
    except OSError:
        return False
    return header is not None and header.application_id == BACKUP_MARK


def file_problems(path: Path) -> list[str]:
    """Exactly what is wrong with an SQLite collection file (empty when it looks whole).

    Reads the header (truncation, page size) then runs `PRAGMA integrity_check` on a
    read-only connection; the `-wal` beside it counts, as SQLite would read it.
    """
    if not path.is_file():
        return [f"{path} does not exist"]
    size = path.stat().st_size
    if size == 0:
        return [f"{path} is empty (0 bytes)"]
    header = read_header(path)
    if header is None:
        return [f"{path} is not an SQLite database (its first bytes are not the SQLite header)"]
    problems = []
    wal = Path(f"{path}-wal")
    has_wal = wal.is_file() and wal.stat().st_size > 0
    if header.page_count is not None and not has_wal and size < header.page_count * header.page_size:
        problems.append(
            f"{path} is truncated: {size:,} bytes, but its header says {header.page_count:,} pages"
            f" of {header.page_size:,} bytes ({header.page_count * header.page_size:,} bytes)"
        )
    elif size % header.page_size:
        problems.append(f"{path} is {size:,} bytes, not a whole number of {header.page_size:,}-byte pages")
    try:
        conn = open_readonly(path)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(50)")]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        blocked = access_problem(path)
        if blocked is not None:
            raise CollectionAccessError(blocked) from None
        rows = [f"SQLite cannot read it ({exc})"]
    problems.extend(f"damaged: {row}" for row in rows if row != "ok")
    return problems


@dataclass(frozen=True)
class SchemaObject:
    """One entry of `sqlite_master`."""

    type: str
    name: str
    table: str


def foreign_objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    """Schema objects trainer never creates: triggers, views, and tables (with their indexes)
    that are not trainer's."""
    known = TRAINER_TABLES | SQLITE_TABLES
    found = []
    for kind, name, table in conn.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY rowid"):
        if kind in ("trigger", "view") or (kind == "table" and name not in known):
            found.append(SchemaObject(kind, name, table))  # a table's indexes go with it
    return found


def drop_foreign_objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    """Drop every foreign object (in one transaction); the ones dropped."""
    found = foreign_objects(conn)
    if not found:
        return []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for obj in found:
            conn.execute(f'DROP {obj.type.upper()} IF EXISTS "{obj.name.replace(chr(34), chr(34) * 2)}"')
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """The numbers of cards and of reviews (what a backup must carry whole)."""
    cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    return int(cards), int(reviews)
