"""Atomic file writes: a temporary file in the same folder, fsync, rename, fsync the folder.

A reader (or a learner after a kill, a crash or a full disk) sees either the old file
whole or the new file whole, never a fragment. Every file trainer writes goes through
here: exports of every format, media, deck drafts, backups. Stdlib only, so any layer
may use it.

    write_atomic(path, "text")                 # str (UTF-8) or bytes
    with atomic_path(path) as temp:            # for writers that need a path (zip, SQLite)
        build(temp)
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from trainer.processes import pid_alive

PART = ".part"  # every temporary file ends with this, so leftovers are recognisable


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a finished file's content to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mode_for(target: Path) -> int:
    """The permissions the new file gets: the old file's, else the usual ones under the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def temp_name(target: Path) -> Path:
    """A fresh temporary path beside `target`: `.NAME.trainer-PID.RANDOM.part` (the mark says
    trainer wrote it; the writer's process id tells a leftover of a killed writer from a file
    being written)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{MARK}{os.getpid()}.", suffix=PART, dir=target.parent)
    os.close(fd)
    return Path(name)


MARK = "trainer-"
STALE_PART_S = 3600  # a marked leftover of a gone process is removed from an hour old
_MARKED_PART = re.compile(r"^\..+\." + MARK + r"(?P<pid>\d+)\.[a-z0-9_]+\.part(?:-journal|-wal|-shm)?$")


def clean_stale_parts(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove trainer's own partial files that a killed writer left in `folder` (an export's
    target folder, outside the collection's): only names trainer gives its temporary files
    (`.NAME.trainer-PID.RANDOM.part`), of a process that is gone, an hour old or more. The
    paths removed; anything else is never touched."""
    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _MARKED_PART.match(entry.name)
        if found is None or pid_alive(int(found["pid"])):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or moment - entry.stat().st_mtime < STALE_PART_S:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """A temporary path to fill; on success it replaces `target` durably, on error it is removed.

    The body may write the file however it likes (it exists, empty, when the body starts).
    """
    target = Path(target)
    clean_stale_parts(target.parent)  # a killed export's leftover beside its target
    temp = temp_name(target)
    try:
        yield temp
        os.chmod(temp, _mode_for(target))
        fsync_file(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def write_atomic(target: Path | str, data: str | bytes) -> None:
    """Write `data` (str as UTF-8) to `target` atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(target) as temp, open(temp, "wb") as handle:
        handle.write(payload)
