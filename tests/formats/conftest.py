"""Anki-built packages shared by the format tests (built once per session)."""

from __future__ import annotations

import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from anki_oracle import Built, build_collection, export_colpkg, export_package


@pytest.fixture(scope="session")
def anki_source(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """An Anki collection with FSRS on, reviews, cloze, type-in, nested decks, an image."""
    return build_collection(tmp_path_factory.mktemp("anki"))


@pytest.fixture(scope="session")
def anki_sm2_source(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same collection scheduled by SM-2 only (no FSRS memory states)."""
    return build_collection(tmp_path_factory.mktemp("anki-sm2"), fsrs=False)


def no_meta_package(legacy: Path, out: Path) -> Path:
    """The oldest layout (genanki / Anki 2.0): `collection.anki2` schema 11, no `meta`."""
    with zipfile.ZipFile(legacy) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in ("meta", "collection.anki2"):
                continue
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            dst.writestr(name, src.read(info))
    return out


@pytest.fixture(scope="session")
def packages(anki_source: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The collection exported by Anki in every layout."""
    folder = tmp_path_factory.mktemp("packages")
    legacy = export_package(anki_source.path, folder / "legacy.apkg", legacy=True)
    return {
        "legacy": legacy,
        "current": export_package(anki_source.path, folder / "current.apkg", legacy=False),
        "colpkg": export_colpkg(anki_source.path, folder / "current.colpkg"),
        "colpkg-legacy": export_colpkg(anki_source.path, folder / "legacy.colpkg", legacy=True),
        "no-meta": no_meta_package(legacy, folder / "old.apkg"),
    }


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


ALEMBIC_WARNING = "ignore:No path_separator found:DeprecationWarning"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Alembic's config warning comes from the shared store setup, not from the formats."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings(ALEMBIC_WARNING))
