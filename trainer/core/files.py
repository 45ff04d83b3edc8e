"""Regular files only: a pipe, a device or a folder where a file is read or written gives one line.

Reading `/dev/zero` grows without bound; opening a FIFO blocks until someone writes to it.
Every command that reads or writes a file the user names checks it here first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from trainer.errors import InvalidInputError, NotFoundError


class NotAFileError(InvalidInputError):
    """A path that names something other than a regular file."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def regular_file(path: Path | str, *, write: bool = False) -> None:
    """Raise unless `path` is a regular file (or, with `write`, does not exist yet in a folder that
    does: a file is never written into a folder made up on the way, a typo would go unnoticed)."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        if write:
            _existing_folder(Path(path))
            return
        raise NotFoundError(f"{path}: no such file") from None
    except OSError as exc:
        raise NotAFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        kind = _kind(mode)
        verb = "written" if write else "read"
        raise NotAFileError(f"{path}: is {kind}, not a file that can be {verb}")


def _existing_folder(path: Path) -> None:
    """Raise unless the folder `path` goes in exists (nothing is written otherwise)."""
    folder = path.parent
    if folder.is_dir():
        return
    if folder.exists():
        raise NotAFileError(f"cannot write {path}: {folder} is not a folder")
    raise NotFoundError(f"cannot write {path}: no folder {folder} (create it first)")
