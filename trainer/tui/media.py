"""Open a card's images and sounds with the system's viewer (`xdg-open`, `open`, `start`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def opener() -> list[str] | None:
    """The command that opens a file with its default application, or None."""
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform.startswith("win"):
        return ["cmd", "/c", "start", ""]
    found = shutil.which("xdg-open")
    return [found] if found else None


def open_media(folder: Path | None, names: Sequence[str]) -> str:
    """Open each file (names never leave `folder`); a one-line report for the learner."""
    if folder is None:
        return "This collection keeps no media folder."
    command = opener()
    files = []
    for name in names:
        path = (folder / Path(name).name).resolve()
        if path.parent == folder.resolve() and path.is_file():
            files.append(path)
    if not files:
        return f"Not found in {folder}: " + ", ".join(names)
    if command is None:
        return "No program to open files with (install xdg-utils); the files: " + ", ".join(map(str, files))
    for path in files:
        subprocess.Popen([*command, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return "Opened " + ", ".join(p.name for p in files)
