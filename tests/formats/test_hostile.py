"""Hostile and broken files: one clear error naming file and member, collection unchanged."""

from __future__ import annotations

import sqlite3
import stat
import struct
import zipfile
from pathlib import Path

import pytest
import zstandard

from tests.formats.helpers import edit_legacy_db, rewrite_member
from trainer.collection import Collection
from trainer.formats.apkg_read import read_package
from trainer.formats.safety import ImportFormatError, Limits


def snapshot(col: Collection) -> tuple[object, ...]:
    """Everything an import could change."""
    with col.db.read() as session:
        rows = [
            tuple(session.execute(sqlite_text(f"SELECT * FROM {table} ORDER BY 1")).all())
            for table in ("cards", "decks", "reviews", "presets")
        ]
    media = col.db.sqlite_path.parent / "media"  # type: ignore[union-attr]
    return (*rows, sorted(p.name for p in media.iterdir()) if media.is_dir() else [])


def sqlite_text(sql: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    return text(sql)


def expect_refused(col: Collection, path: Path, *fragments: str) -> str:
    before = snapshot(col)
    with pytest.raises(ImportFormatError) as caught:
        col.import_file(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert snapshot(col) == before
    return message


@pytest.fixture
def seeded(col: Collection, packages: dict[str, Path]) -> Collection:
    """A collection that already holds cards (so 'unchanged' means something)."""
    col.import_file(packages["current"], deck="Existing")
    return col


def test_not_a_zip(seeded: Collection, tmp_path: Path) -> None:
    bad = tmp_path / "plain.apkg"
    bad.write_bytes(b"this is not a zip file at all")
    expect_refused(seeded, bad, "not a readable zip")


def test_truncated_zip(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "cut.apkg"
    bad.write_bytes(packages["legacy"].read_bytes()[:5000])
    expect_refused(seeded, bad)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "media/../../x", "a\\b"])
def test_zip_slip_member(seeded: Collection, packages: dict[str, Path], tmp_path: Path, name: str) -> None:
    bad = tmp_path / "slip.apkg"
    with zipfile.ZipFile(packages["legacy"]) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr(name, b"gotcha")
    expect_refused(seeded, bad, "unsafe path")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_symlink_member(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "link.apkg"
    with zipfile.ZipFile(packages["legacy"]) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        link = zipfile.ZipInfo("5")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        dst.writestr(link, "/etc/passwd")
    expect_refused(seeded, bad, "member '5'", "link or device")


@pytest.mark.parametrize("name", ["../../evil.png", "/tmp/evil.png", ".hidden", "sub/dir.png"])
def test_unsafe_media_name(seeded: Collection, packages: dict[str, Path], tmp_path: Path, name: str) -> None:
    import json

    bad = rewrite_member(
        packages["legacy"], tmp_path / "media.apkg", "media", json.dumps({"0": name}).encode()
    )
    expect_refused(seeded, bad, "member 'media'", "unsafe media file name")


def test_zip_bomb_ratio(packages: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(packages["legacy"]) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("7", b"\0" * 5_000_000)
    with pytest.raises(ImportFormatError, match=r"member '7'.*compression ratio"):
        read_package(bad, limits=Limits(ratio=100))


def test_zip_bomb_declared_size(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "huge.apkg"
    with zipfile.ZipFile(packages["legacy"]) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("8", b"\0" * 3_000_000)
    with pytest.raises(ImportFormatError, match=r"member '8'.*too large"):
        read_package(bad, limits=Limits(member_bytes=1_000_000))


def shrink_declared_size(src: Path, out: Path, member: str, *, stored: bool) -> tuple[Path, int]:
    """A copy of a package whose `member` declares (in both headers) half its real size."""
    rewritten = out.with_suffix(".tmp")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(rewritten, "w") as zout:
        for info in zin.infolist():
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zout.writestr(info.filename, zin.read(info), compress_type=method)
    data = bytearray(rewritten.read_bytes())
    with zipfile.ZipFile(rewritten) as z:
        info = z.getinfo(member)
    declared = info.file_size // 2
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header: uncompressed size
    central = data.find(b"PK\x01\x02" + data[info.header_offset + 4 : info.header_offset + 8])
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, declared)  # central directory: uncompressed size
    out.write_bytes(bytes(data))
    return out, declared


@pytest.mark.parametrize("stored", [False, True])
def test_member_larger_than_declared(
    seeded: Collection, packages: dict[str, Path], tmp_path: Path, stored: bool
) -> None:
    bad, declared = shrink_declared_size(
        packages["legacy"], tmp_path / "liar.apkg", "collection.anki21", stored=stored
    )
    with zipfile.ZipFile(bad) as z:
        assert z.getinfo("collection.anki21").file_size == declared
    expect_refused(seeded, bad, "member 'collection.anki21'", "larger than declared")


def test_zstd_bomb(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bomb = zstandard.ZstdCompressor(level=19, write_content_size=False).compress(b"\0" * 20_000_000)
    bad = rewrite_member(packages["current"], tmp_path / "zbomb.apkg", "collection.anki21b", bomb)
    with pytest.raises(ImportFormatError, match=r"collection\.anki21b.*size cap"):
        read_package(bad, limits=Limits(member_bytes=5_000_000, ratio=10**9))


def test_corrupt_zstd(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = rewrite_member(
        packages["current"], tmp_path / "z.apkg", "collection.anki21b", b"\x28\xb5\x2f\xfd" + b"\xff" * 64
    )
    expect_refused(seeded, bad, "member 'collection.anki21b'", "corrupt zstd")


def test_member_not_sqlite(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = rewrite_member(packages["legacy"], tmp_path / "nosql.apkg", "collection.anki21", b"hello" * 100)
    expect_refused(seeded, bad, "member 'collection.anki21'", "not an SQLite database")


def test_unexpected_schema(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    bad = rewrite_member(packages["legacy"], tmp_path / "schema.apkg", "collection.anki21", db.read_bytes())
    expect_refused(seeded, bad, "member 'collection.anki21'", "not an Anki collection")


def test_future_schema_version(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = edit_legacy_db(packages["legacy"], tmp_path / "v99.apkg", tmp_path, "UPDATE col SET ver = 99;")
    expect_refused(seeded, bad, "unsupported collection schema version 99")


def test_corrupt_database_pages(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    with zipfile.ZipFile(packages["legacy"]) as z:
        data = bytearray(z.read("collection.anki21"))
    for offset in range(4096, len(data), 4096):  # trash every page but the header page
        data[offset + 8 : offset + 200] = b"\xa5" * 192
    bad = rewrite_member(packages["legacy"], tmp_path / "pages.apkg", "collection.anki21", bytes(data))
    expect_refused(seeded, bad, "member 'collection.anki21'")


def test_invalid_utf8_names_the_note(seeded: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = edit_legacy_db(
        packages["legacy"], tmp_path / "utf8.apkg", tmp_path,
        "UPDATE notes SET flds = CAST(X'66ff1f62' AS TEXT) WHERE id = (SELECT min(id) FROM notes);",
    )  # fmt: skip
    message = expect_refused(seeded, bad, "member 'collection.anki21'", "invalid UTF-8")
    assert "note " in message


def test_enormous_field(packages: dict[str, Path], tmp_path: Path) -> None:
    bad = edit_legacy_db(
        packages["legacy"], tmp_path / "big.apkg", tmp_path,
        "UPDATE notes SET flds = 'x' || char(31) || printf('%.*c', 5000, 'y')"
        " WHERE id = (SELECT min(id) FROM notes);",
    )  # fmt: skip
    with pytest.raises(ImportFormatError, match=r"note .*field too large"):
        read_package(bad, limits=Limits(field_chars=1000))


def test_control_characters_are_stripped(col: Collection, packages: dict[str, Path], tmp_path: Path) -> None:
    bad = edit_legacy_db(
        packages["legacy"], tmp_path / "ctl.apkg", tmp_path,
        "UPDATE notes SET flds = 'evil' || char(27) || '[31mred' || char(7) || char(8238) || char(31)"
        " || '<script>x</script>ok' WHERE id = (SELECT min(id) FROM notes);",
    )  # fmt: skip
    col.import_file(bad)
    from sqlalchemy import select

    from trainer.store import repo

    with col.db.read() as session:
        contents = list(session.execute(select(repo.cards_t.c.content)).scalars())
    hit = next(c for c in contents if "evil" in c)
    assert "\x1b" not in hit and "\x07" not in hit and "\u202e" not in hit
    assert "[31mred" in hit and "<script>" not in hit
