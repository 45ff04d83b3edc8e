"""Read Anki packages (.apkg, .colpkg) in all three layouts.

- no `meta` (genanki, very old Anki): `collection.anki2`, schema 11, JSON media map;
- legacy (meta version 2): `collection.anki21`, schema 11, JSON media map;
- current (meta version 3): `collection.anki21b`, zstd SQLite schema 18, zstd protobuf
  media map, zstd media files.

The dummy `collection.anki2` is never read when a newer member exists.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote

from trainer.formats import protobuf
from trainer.formats.anki_db import Reader
from trainer.formats.anki_kept import template_media
from trainer.formats.model import Package
from trainer.formats.safety import ImportFormatError, Limits, SafeZip, open_sqlite, safe_media_name

MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")


def read_package(path: Path, *, scheduling: bool = True, limits: Limits | None = None) -> Package:
    """Everything in an Anki package; `ImportFormatError` on anything unsafe or broken."""
    limits = limits or Limits()
    archive = SafeZip(path, limits)
    try:
        member = next((m for m in MEMBERS if m in archive), None)
        if member is None:
            raise ImportFormatError(path, "", "not an Anki package (no collection inside)")
        version = _meta_version(archive) if "meta" in archive else 1
        if version > 3:
            raise ImportFormatError(
                path, "member 'meta'", f"package version {version} is newer than supported"
            )
        with tempfile.TemporaryDirectory(prefix=f"trainer-import-{os.getpid()}-") as folder:
            db_path = Path(folder) / "collection.sqlite"
            archive.extract(member, db_path, zstd=True if member.endswith("b") else None)
            conn = open_sqlite(db_path, path, member)
            try:
                package = Reader(conn, path, member, limits).read(scheduling=scheduling)
            finally:
                conn.close()
        package.scratch = Path(tempfile.mkdtemp(prefix=f"trainer-media-{os.getpid()}-"))
        used = {name for card in package.cards for name in card.content.media}
        used |= template_media(package.anki_notetypes.values(), archive_names(archive, path, member))
        unused: list[str] = []
        try:
            package.media = _media(
                archive, path, package.scratch, modern=member.endswith("b"),
                used=used | {unquote(n) for n in used}, unused=unused,
            )  # fmt: skip
        except BaseException:
            package.discard()
            raise
        if unused:
            listed = ", ".join(sorted(unused)[:10]) + (", ..." if len(unused) > 10 else "")
            package.skipped.append(
                ("media", f"{len(unused)} file(s) no imported card shows, not stored: {listed}")
            )
        return package
    finally:
        archive.close()


def archive_names(archive: SafeZip, path: Path, member: str) -> list[str]:
    """The media file names the package holds."""
    return list(_media_map(archive, path, modern=member.endswith("b")).values())


def _meta_version(archive: SafeZip) -> int:
    raw = archive.read("meta")
    try:
        value = protobuf.first(raw, 1)
    except protobuf.ProtobufError as exc:
        raise ImportFormatError(archive.path, "member 'meta'", f"unreadable ({exc})") from None
    return value if isinstance(value, int) else 1


def _media_map(archive: SafeZip, path: Path, modern: bool) -> dict[str, str]:
    """Zip member -> media file name."""
    if "media" not in archive:
        return {}
    raw = archive.read_zstd("media")
    if modern and not raw.lstrip().startswith(b"{"):
        out: dict[str, str] = {}
        try:
            for index, (number, entry) in enumerate(protobuf.fields(raw)):
                if number != 1 or not isinstance(entry, bytes):
                    continue
                name = protobuf.first(entry, 1)
                legacy = protobuf.first(entry, 255)
                key = str(legacy) if isinstance(legacy, int) else str(index)
                out[key] = name.decode("utf-8") if isinstance(name, bytes) else ""
        except (protobuf.ProtobufError, UnicodeDecodeError) as exc:
            raise ImportFormatError(path, "member 'media'", f"unreadable media map ({exc})") from None
        return out
    try:
        mapping = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFormatError(path, "member 'media'", f"unreadable media map ({exc})") from None
    if not isinstance(mapping, dict):
        raise ImportFormatError(path, "member 'media'", "media map is not an object")
    return {str(k): str(v) for k, v in mapping.items()}


def _media(
    archive: SafeZip, path: Path, folder: Path, *, modern: bool, used: set[str], unused: list[str]
) -> dict[str, bytes | Path]:
    """The media files cards show (`used`), streamed to `folder` (never held in memory), by name;
    the names of the others go to `unused`."""
    files: dict[str, bytes | Path] = {}
    for member, name in _media_map(archive, path, modern).items():
        if safe_media_name(name) is None:
            raise ImportFormatError(
                path, f"member 'media', entry '{member}'", f"unsafe media file name {name!r}"
            )
        if member not in archive:
            continue
        if name not in used:
            unused.append(name)
            continue
        target = folder / f"{len(files)}"
        archive.extract(member, target, zstd=None if modern else False)
        files[name] = target
    return files
