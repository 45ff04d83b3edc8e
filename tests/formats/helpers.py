"""Package surgery shared by the format tests: rewrite members, edit collections, old layouts."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path


def no_meta_package(legacy: Path, out: Path) -> Path:
    """The oldest layout (genanki / Anki 2.0): `collection.anki2` schema 11, no `meta`."""
    with zipfile.ZipFile(legacy) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in ("meta", "collection.anki2"):
                continue
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            dst.writestr(name, src.read(info))
    return out


def rewrite_member(src: Path, out: Path, member: str, data: bytes) -> Path:
    """A copy of a package with one member replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == member else zin.read(info))
    return out


def edit_legacy_db(src: Path, out: Path, tmp: Path, sql: str) -> Path:
    """A copy of a legacy package whose collection had `sql` run on it."""
    db = tmp / "edit.anki21"
    with zipfile.ZipFile(src) as z:
        db.write_bytes(z.read("collection.anki21"))
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return rewrite_member(src, out, "collection.anki21", db.read_bytes())
