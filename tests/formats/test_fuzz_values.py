"""Fuzzing the values inside well-formed files: schema-valid Anki collections and JSON backups with
out-of-range numbers, wrong types and deep nesting, and TOML decks with hostile values.

Each example ends in one of two ways: a refusal on one line naming the file (the collection
unchanged), or a clean import after which the collection still studies (next, answer, undo)
and `check` finds no bad value. Never a traceback. Examples are few and each bounded in time.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.formats.helpers import rewrite_member
from tests.formats.test_hostile import snapshot
from trainer.collection import Collection, open_collection
from trainer.core.deckfile import DeckFileError, parse_deck_text
from trainer.core.scheduling import Rating
from trainer.formats.safety import ImportFormatError

EXAMPLES = int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "12"))  # more for a long local run
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
SECONDS = 5.0  # the longest an import of a small hostile file may take

hostile_numbers = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300, 2**63 - 1, -(2**63), 2**31, -(2**31) - 1]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
)
hostile_values = st.one_of(
    hostile_numbers,
    st.none(),
    st.text(max_size=20),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.just("[" * 3000 + "]" * 3000),
)


def studies(col: Collection) -> None:
    col.decks()
    study = col.next_card()
    if study is not None:
        col.answer(study.card.id, Rating.GOOD, duration_ms=1000)
        col.undo()
    assert [p for p in col.maintenance.check().problems if p.code in ("value", "preset")] == []


def import_or_refuse(path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-col-"))
    col = open_collection(folder / "c.sqlite3", install_bundled=False)
    try:
        before = snapshot(col)
        start = time.perf_counter()
        try:
            col.import_file(path)
        except ImportFormatError as exc:
            message = str(exc)
            assert message.startswith(str(path)) and "\n" not in message, message
            assert snapshot(col) == before
        assert time.perf_counter() - start < SECONDS
        studies(col)
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)


CARD_COLUMNS = ["due", "ivl", "factor", "reps", "lapses", "left", "type", "queue", "odue", "ord", "flags"]
REVLOG_COLUMNS = ["id", "ease", "ivl", "lastIvl", "factor", "time", "type"]


@pytest.fixture(scope="module")
def legacy_db(packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "collection.anki21"
    with zipfile.ZipFile(packages["legacy"]) as z:
        db.write_bytes(z.read("collection.anki21"))
    return db


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(
                [("cards", c) for c in CARD_COLUMNS]
                + [("revlog", c) for c in REVLOG_COLUMNS]
                + [("col", "crt"), ("cards", "data")]
            ),
            hostile_values,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_anki_collections_with_hostile_values(
    edits: list[tuple[tuple[str, str], Any]], legacy_db: Path, packages: dict[str, Path]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-apkg-"))
    try:
        db = folder / "collection.anki21"
        shutil.copy(legacy_db, db)
        conn = sqlite3.connect(db)
        for (table, column), value in edits:
            stored = json.dumps(value) if isinstance(value, list) else value
            try:
                conn.execute(f"UPDATE {table} SET {column} = ?", (stored,))
            except (sqlite3.IntegrityError, OverflowError):
                continue  # a NOT NULL column, or a value SQLite cannot hold at all
        conn.commit()
        conn.close()
        out = rewrite_member(packages["legacy"], folder / "fuzz.apkg", "collection.anki21", db.read_bytes())
        import_or_refuse(out)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def backup(packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("fuzz-json")
    col = open_collection(folder / "c.sqlite3", install_bundled=False)
    try:
        col.import_file(packages["current"])
        study = col.next_card()
        assert study is not None
        col.answer(study.card.id, Rating.GOOD, duration_ms=2000)
        col.export_file(folder / "b.json")
    finally:
        col.close()
    return json.loads((folder / "b.json").read_text())  # type: ignore[no-any-return]


JSON_PLACES = (
    [("card", k) for k in ("state", "queue", "step", "stability", "difficulty", "due", "last_review", "reps",
                           "lapses", "position", "flag", "buried_until", "created_at", "deck", "tags")]
    + [("content", k) for k in ("front", "back", "hint", "kind", "cloze_ord", "answers")]
    + [("review", k) for k in ("rating", "reviewed_at", "duration_ms", "state_before", "stability_after",
                               "step_after", "due_after", "undo_data", "kind")]
    + [("preset", k) for k in ("parameters", "learning_steps", "maximum_interval", "desired_retention",
                               "day_start_hour", "new_per_day", "name")]
)  # fmt: skip


@FUZZ
@given(edits=st.lists(st.tuples(st.sampled_from(JSON_PLACES), hostile_values), min_size=1, max_size=3))
def test_json_backups_with_hostile_values(
    edits: list[tuple[tuple[str, str], Any]], backup: dict[str, Any]
) -> None:
    data = json.loads(json.dumps(backup))
    reviewed = next(c for c in data["cards"] if c["reviews"])
    for (place, key), value in edits:
        target = {"card": reviewed, "content": reviewed["content"], "review": reviewed["reviews"][0],
                  "preset": data["presets"][0]}[place]  # fmt: skip
        target[key] = value
    folder = Path(tempfile.mkdtemp(prefix="fuzz-json-"))
    try:
        path = folder / "fuzz.json"
        path.write_text(json.dumps(data))
        import_or_refuse(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: repr(f).replace("inf", "inf")),
    st.text(max_size=30).map(json.dumps),
    st.just('"' + "x" * 1_100_000 + '"'),
    st.just("[" * 600 + "]" * 600),
    st.just("{a = " * 300 + "1" + "}" * 300),
)


@FUZZ
@given(
    fields=st.lists(
        st.tuples(
            st.sampled_from(["front", "back", "id", "kind", "answers", "tags", "hint", "extra"]), toml_scalars
        ),
        max_size=4,
    ),
    name=st.one_of(st.just("Deck"), st.just("::".join(["d"] * 500)), st.text(max_size=20)),
)
def test_toml_decks_with_hostile_values(fields: list[tuple[str, str]], name: str) -> None:
    lines = ["[deck]", 'id = "fuzz"', f"name = {json.dumps(name)}", "", "[[cards]]"]
    seen: set[str] = set()
    for key, value in fields:
        if key not in seen:
            seen.add(key)
            lines.append(f"{key} = {value}")
    for key, value in (("id", '"a"'), ("front", '"q"'), ("back", '"a"')):
        if key not in seen:
            lines.append(f"{key} = {value}")
    start = time.perf_counter()
    try:
        parse_deck_text("\n".join(lines) + "\n", "fuzz.toml")
    except DeckFileError as exc:
        assert all(len(str(e)) < 400 for e in exc.errors)
    assert time.perf_counter() - start < SECONDS
