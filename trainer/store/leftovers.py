"""Leftovers of killed or failed writers, removed when a collection is opened.

Every temporary file or folder trainer makes carries its process id: `backups/NAME.PID.partial`
(a backup being written), `.NAME.trainer-PID.RANDOM.part` (an atomic write or a restore's staging
file, with SQLite's `-journal` beside it), `trainer-import-PID-*` and `trainer-export-PID-*`
in the temporary folder. Those of a process that is gone are removed; anything else, and
anything of a running process, is left alone. Older names without a process id (from before
this rule) are removed once they are a day old.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from trainer.processes import pid_alive

_PART = re.compile(r"^\..+\.(?:trainer-)?(?P<pid>\d+)\.[^.]+\.part(?:-journal|-wal|-shm)?$")
_PARTIAL = re.compile(r"^.+\.sqlite3\.(?:(?P<pid>\d+)\.)?partial(?:-journal|-wal|-shm)?$")
_TEMP_DIR = re.compile(r"^trainer-(?:import|export|media)-(?:(?P<pid>\d+)-)?[\w]+$")
STALE_AFTER = 24 * 3600  # seconds: a leftover without a process id


def _gone(match: re.Match[str], path: Path, now: float) -> bool:
    pid = match["pid"]
    if pid is not None:
        return not pid_alive(int(pid))
    try:
        return now - path.stat().st_mtime > STALE_AFTER
    except OSError:
        return False


def clean_leftovers(collection: Path, temp_root: Path | None = None) -> list[Path]:
    """Remove what killed writers left beside `collection`, in its backups/ and media/ folders
    and in the temporary folder; the paths removed."""
    now = time.time()
    removed: list[Path] = []
    places = [
        (collection.parent, _PART),
        (collection.parent / "backups", _PARTIAL),
        (collection.parent / "backups", _PART),
        (collection.parent / "media", _PART),
        (temp_root or Path(tempfile.gettempdir()), _TEMP_DIR),
    ]
    for folder, pattern in places:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            match = pattern.match(entry.name)
            path = Path(entry.path)
            if match is None or not _gone(match, path, now):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if pattern is _TEMP_DIR:
                        shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed
