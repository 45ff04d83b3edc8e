"""Packages written by trainer, imported by Anki itself (the oracle)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.formats.anki_oracle import Built
from trainer.collection import Collection
from trainer.formats import apkg_write


def anki_import(package: Path, folder: Path, *, scheduling: bool = True) -> AnkiCollection:
    anki = AnkiCollection(str(folder / "target.anki2"))
    request = ImportAnkiPackageRequest(
        package_path=str(package),
        options=ImportAnkiPackageOptions(with_scheduling=scheduling, merge_notetypes=True),
    )
    anki.import_anki_package(request)
    return anki


def test_round_trip_through_anki(
    packages: dict[str, Path], anki_source: Built, col: Collection, tmp_path: Path
) -> None:
    col.import_file(packages["current"])
    out = tmp_path / "export.apkg"
    report = col.export_file(out)
    assert report.cards == anki_source.cards and report.media == 1
    anki = anki_import(out, tmp_path)
    try:
        assert anki.note_count() == anki_source.notes
        assert anki.card_count() == anki_source.cards
        guids = {anki.get_note(n).guid for n in anki.find_notes("")}
        assert guids == set(anki_source.guids)
        names = {d.name for d in anki.decks.all_names_and_ids()}
        assert {"Lang::French::Verbs", "Biology"} <= names
        assert anki.find_notes("tag:verb") and len(anki.find_notes("tag:verb")) == 2
        assert len(anki.find_cards("is:suspended")) == 1
        assert anki.db.scalar("select count() from revlog") == report.reviews > 0
        for cid in anki.find_cards("is:review"):
            card = anki.get_card(cid)
            ours = next(c for c in col_cards(col) if c.external_id == f"anki/{card.note().guid}/{card.ord}")
            assert card.memory_state is not None
            assert card.memory_state.stability == pytest.approx(ours.state.stability, rel=1e-4)
        assert anki.media.have("cell.png")
    finally:
        anki.close()
    # and back again: same ids, nothing added
    again = col.import_file(out)
    assert again.added == [] and again.updated == []


def test_reimport_into_anki_updates_not_duplicates(
    packages: dict[str, Path], col: Collection, tmp_path: Path
) -> None:
    col.import_file(packages["current"])
    out = tmp_path / "export.apkg"
    col.export_file(out, scheduling=False)
    anki = anki_import(out, tmp_path, scheduling=False)
    try:
        anki.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(out), options=ImportAnkiPackageOptions())
        )
        assert anki.note_count() == 6
        assert anki.db.scalar("select count() from revlog") == 0
    finally:
        anki.close()


def col_cards(col: Collection) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from trainer.store import repo

    with col.db.read() as session:
        ids = list(session.execute(select(repo.cards_t.c.id)).scalars())
    return [col.card(i) for i in ids]


_NUMBER = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-5, 5))


@settings(max_examples=500, deadline=None)
@given(stability=_NUMBER, difficulty=_NUMBER, lrt=st.integers(0, 2**40), decay=st.floats(0.05, 0.8))
def test_card_data_equals_json_dumps(
    stability: float | None, difficulty: float | None, lrt: int, decay: float
) -> None:
    data: dict[str, object] = {}
    if stability and difficulty:
        data = {"s": round(stability, 4), "d": round(difficulty, 4), "decay": decay}
    data["lrt"] = lrt
    assert apkg_write._card_data(stability, difficulty, lrt, decay) == json.dumps(data)
