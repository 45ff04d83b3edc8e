"""Media of an import, inside its all-or-nothing: staged before, placed at commit, gone on rollback.

Each file is written beside its final name under a temporary name (`.NAME.trainer-PID.RANDOM.part`),
then renamed into `media/` just before the import's transaction commits; if anything fails,
the staged and placed files are removed. Names never collide: a file whose name is taken by
different content is stored as `STEM-SHA1.EXT` (as Anki does) and the imported cards'
references are rewritten to it; the same content under the same name is stored once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from trainer.atomicfile import fsync_dir, fsync_file, temp_name
from trainer.core.cards import CardContent
from trainer.formats.model import CardRecord
from trainer.formats.safety import inside, safe_media_name

_TEXT = ("front", "back", "text", "hint", "note")


def _sha1(data: bytes | Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    if isinstance(data, bytes):
        digest.update(data)
    else:
        with open(data, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def hashed_name(name: str, sha1: str) -> str:
    """`pic.png` -> `pic-<sha1>.png` (Anki's name for a file whose name is taken)."""
    path = PurePosixPath(name)
    return f"{path.stem}-{sha1}{path.suffix}"


@dataclass
class StagedMedia:
    """Files written under temporary names, waiting for the import's commit."""

    folder: Path | None
    pending: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, final)
    placed: list[Path] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # every stored (or already there) name
    renamed: dict[str, str] = field(default_factory=dict)  # name in the file -> name stored

    def place(self) -> None:
        """Rename the staged files into place (call inside the transaction, just before commit)."""
        for temp, final in self.pending:
            fsync_file(temp)
            os.replace(temp, final)
            self.placed.append(final)
        self.pending = []
        if self.folder is not None and self.placed:
            fsync_dir(self.folder)

    def discard(self) -> None:
        """Remove every staged and placed file (the import did not commit)."""
        for temp, _ in self.pending:
            temp.unlink(missing_ok=True)
        for final in self.placed:
            final.unlink(missing_ok=True)
        self.pending, self.placed = [], []


def stage_media(folder: Path | None, media: dict[str, bytes | Path]) -> StagedMedia:
    """Write the package's media under temporary names in `folder` (nothing visible yet)."""
    staged = StagedMedia(folder)
    if folder is None or not media:
        return staged
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for name, data in media.items():
            if safe_media_name(name) is None:
                continue
            target = inside(folder, name)
            sha1 = _sha1(data)
            if target.exists():
                if _sha1(target) == sha1:
                    staged.names.append(name)  # already there, same content
                    continue
                stored = hashed_name(name, sha1)
                staged.renamed[name] = stored
                target = inside(folder, stored)
                if target.exists():  # this very content came in before under this name
                    staged.names.append(stored)
                    continue
            temp = temp_name(target)
            staged.pending.append((temp, target))
            if isinstance(data, Path):
                shutil.copyfile(data, temp)  # streamed: a package's media never sit in memory
            else:
                temp.write_bytes(data)
            staged.names.append(target.name)
    except BaseException:
        staged.discard()
        raise
    return staged


def rename_references(cards: Iterable[CardRecord], renamed: dict[str, str]) -> None:
    """Point the cards at the names their media were stored under (in place)."""
    if not renamed:
        return
    for card in cards:
        content = card.content
        if not any(m in renamed for m in content.media):
            continue
        card.content = _renamed(content, renamed)


def _renamed(content: CardContent, renamed: dict[str, str]) -> CardContent:
    changes: dict[str, object] = {"media": tuple(renamed.get(m, m) for m in content.media)}
    for attr in _TEXT:
        value = getattr(content, attr)
        for old in content.media:
            if old in renamed:
                for role in ("image", "media"):
                    value = value.replace(f"[{role}: {old}]", f"[{role}: {renamed[old]}]")
        changes[attr] = value
    return replace(content, **changes)  # type: ignore[arg-type]
