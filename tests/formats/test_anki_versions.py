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
    assert "Anki: Default" in col.presets.names()


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
        note = anki.new_note(anki.models.by_name("Basic"))
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


def test_forget_and_set_due_date_entries_are_kept(col: Collection, tmp_path: Path) -> None:
    """Anki logs "Forget" and "Set due date" (ease 0, type Manual): kept as manual rows, the card
    as Anki left it, trainer's check content, and written back to Anki as Anki logged them."""
    from anki.collection import Collection as AnkiCollection

    from tests.formats.anki_judge import judge_package
    from tests.formats.anki_oracle import build_collection, export_package

    built = build_collection(tmp_path / "src")
    anki = AnkiCollection(str(built.path))
    try:
        forgotten, rescheduled = anki.find_cards("is:review")[:2]
        anki.sched.schedule_cards_as_new([forgotten], restore_position=True, reset_counts=False)
        anki.sched.set_due_date([rescheduled], "5")
        manual = anki.db.all("select cid, ease, ivl, type from revlog where ease = 0 order by id")
        guids = {
            cid: (anki.get_card(cid).note().guid, anki.get_card(cid).ord) for cid in (forgotten, rescheduled)
        }
        total = anki.db.scalar("select count() from revlog")
    finally:
        anki.close()
    assert [(e, i, t) for _, e, i, t in manual] == [(0, 0, 4), (0, 5, 4)]
    package = export_package(built.path, tmp_path / "manual.apkg", legacy=False)
    report = col.import_file(package)
    assert report.reviews == total
    from sqlalchemy import select

    from trainer.store import repo

    with col.db.read() as session:
        rows = session.execute(
            select(repo.cards_t.c.external_id, repo.reviews_t.c.kind, repo.reviews_t.c.rating)
            .join(repo.reviews_t, repo.reviews_t.c.card_id == repo.cards_t.c.id)
            .where(repo.reviews_t.c.kind == "manual")
        ).all()
    assert sorted(r[0] for r in rows) == sorted(f"anki/{g}/{o}" for g, o in guids.values())
    check = col.maintenance.check()
    assert check.ok, check.to_dict()["problems"]
    out = tmp_path / "back.apkg"
    col.export_file(out)
    judged = judge_package(out, tmp_path / "judge")
    back = [row for row in judged["revlog"] if row[2] == 0]
    assert [(r[2], r[3], r[7]) for r in back] == [(0, 0, 4), (0, 5, 4)]
    assert len(judged["revlog"]) == total
