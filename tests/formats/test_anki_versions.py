"""Every collection layout Anki has written imports, deck options included.

Anki 2.1.28-2.1.49 kept deck options in a `deck_config` table (JSON in schema 14, protobuf
from 15 on) and left `col.dconf` empty; Anki itself reads those files.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from tests.formats.helpers import rewrite_member
from trainer.collection import Collection

SCHEMA14 = """
CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL, mtime_secs integer NOT NULL,
  usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL,
  val blob NOT NULL) without rowid;
"""


def schema14(legacy: Path, out: Path, tmp: Path, *, edit: dict[str, object] | None = None) -> Path:
    """The legacy package as Anki's schema 14 upgrade leaves it: options moved to `deck_config` as JSON."""
    db = tmp / "s14.anki21"
    with zipfile.ZipFile(legacy) as z:
        db.write_bytes(z.read("collection.anki21"))
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA14)
    dconf = json.loads(conn.execute("SELECT dconf FROM col").fetchone()[0])
    for key, conf in dconf.items():
        conf = conf | (edit or {})
        conn.execute(
            "INSERT INTO deck_config VALUES (?, ?, 0, 0, ?)",
            (int(key), conf["name"], json.dumps(conf).encode()),
        )
    conn.execute("UPDATE col SET dconf = '', conf = '', ver = 14")
    conn.commit()
    conn.close()
    return rewrite_member(legacy, out, "collection.anki21", db.read_bytes())


def test_schema14_deck_options_are_read(packages: dict[str, Path], col: Collection, tmp_path: Path) -> None:
    package = schema14(packages["legacy"], tmp_path / "s14.apkg", tmp_path)
    report = col.import_file(package)
    assert len(report.added) == 8 and report.notices == []
    assert "Anki: Default" in col.presets()


def test_unreadable_options_group_uses_defaults_and_says_so(
    packages: dict[str, Path], col: Collection, tmp_path: Path
) -> None:
    package = schema14(packages["legacy"], tmp_path / "bad.apkg", tmp_path, edit={"new": "broken"})
    report = col.import_file(package)
    assert len(report.added) == 8
    assert [w for w, _ in report.notices] == ["deck options"]
    assert "default options used" in report.notices[0][1]


def test_unused_media_is_not_stored_and_is_reported(col: Collection, tmp_path: Path) -> None:
    from anki.collection import Collection as AnkiCollection

    from tests.formats.anki_oracle import PNG, export_colpkg

    source = tmp_path / "media.anki2"
    anki = AnkiCollection(str(source))
    try:
        used = anki.media.write_data("used.png", PNG)
        anki.media.write_data("_font.ttf", b"font")
        anki.media.write_data("orphan.png", PNG)
        note = anki.new_note(anki.models.by_name("Basic"))  # type: ignore[arg-type]
        note.fields[0], note.fields[1] = f'<img src="{used}">', "a picture"
        anki.add_note(note, 1)
    finally:
        anki.close()
    package = export_colpkg(source, tmp_path / "media.colpkg")  # a whole collection: every file
    with zipfile.ZipFile(package) as z:
        assert len([n for n in z.namelist() if n.isdigit()]) == 3
    report = col.import_file(package)
    assert report.media == ["used.png"]
    assert report.skipped == [
        ("media", "2 file(s) no imported card shows, not stored: _font.ttf, orphan.png")
    ]
