"""Anki-built packages shared by the format tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.anki_oracle import Built, build_collection, export_colpkg, export_package
from tests.formats.helpers import no_meta_package


@pytest.fixture(scope="session")
def anki_source(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """An Anki collection with FSRS on, reviews, cloze, type-in, nested decks, an image."""
    return build_collection(tmp_path_factory.mktemp("anki"))


@pytest.fixture(scope="session")
def anki_sm2_source(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same collection scheduled by SM-2 only (no FSRS memory states)."""
    return build_collection(tmp_path_factory.mktemp("anki-sm2"), fsrs=False)


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
