"""The same collection code on PostgreSQL, one schema per learner.

Needs a server: TRAINER_TEST_PG_URL (`.ci/postgres.sh` starts one on 127.0.0.1 and sets
it); without it the server tests skip and say why. The URL parsing tests always run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, text
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateIndex

from tests.conftest import FIXED_NOW, TEST_ZONE, Clock, write_deck
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import Rating
from trainer.store.migrate import HEAD_REVISION, current_revision
from trainer.store.models import Base
from trainer.store.postgres import learner_url

DECK = """\
[deck]
id = "pg"
name = "Pg::Deck"

[[cards]]
id = "a"
front = "A?"
back = "a"

[[cards]]
id = "b"
kind = "reversed"
front = "B?"
back = "b"
"""


def fresh_schema_url(base: str, prefix: str) -> str:
    """`base` with a new, unique learner (so a fresh schema)."""
    learner = f"{prefix}_{uuid.uuid4().hex[:10]}"
    return f"{base}{'&' if '?' in base else '?'}learner={learner}"


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("TRAINER_TEST_PG_URL")
    if not url:
        pytest.skip("TRAINER_TEST_PG_URL is not set (.ci/postgres.sh starts a local server and sets it)")
    return url


@pytest.fixture
def pg_col(pg_url: str, clock: Clock) -> Iterator[Collection]:
    col = open_collection(fresh_schema_url(pg_url, "t"), clock=clock, zone=TEST_ZONE, install_bundled=False)
    yield col
    col.close()


def test_learner_becomes_a_schema_in_the_search_path() -> None:
    url, schema = learner_url(make_url("postgresql+psycopg://u:p@db.example/trainer?learner=alice"))
    assert schema == "learner_alice"
    assert dict(url.query) == {"options": "-csearch_path=learner_alice"}
    _, schema = learner_url(make_url("postgresql+psycopg://u@h/d?options=-csearch_path%3Dclass_3b"))
    assert schema == "class_3b"
    _, schema = learner_url(make_url("postgresql+psycopg://u@h/d"))
    assert schema is None


@pytest.mark.parametrize("bad", ["Alice", "a;drop", "x" * 60, "a-b"])
def test_learner_names_are_checked(bad: str) -> None:
    with pytest.raises(ValueError, match="learner"):
        learner_url(make_url(f"postgresql+psycopg://u@h/d?learner={bad}"))


def _about(diff: object, names: Mapping[Any, object]) -> bool:
    """Whether an Alembic diff entry adds or removes one of the named indexes."""
    return isinstance(diff, tuple) and diff[0] in ("add_index", "remove_index") and diff[1].name in names


def test_migrations_run_on_postgres_and_match_the_models(pg_col: Collection) -> None:
    assert current_revision(pg_col.db) == HEAD_REVISION
    expression_indexes = {
        index.name: index
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if any(not isinstance(e, Column) for e in index.expressions)
    }
    with pg_col.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        # Reflection cannot compare an expression index (PostgreSQL rewrites its text), so
        # Alembic reports it as removed and added: those are checked by hand below.
        assert [d for d in diff if not _about(d, expression_indexes)] == []
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes"))
        made = {str(name): str(sql) for name, sql in rows}
        for name, index in expression_indexes.items():
            assert name in made, name
            for column in index.table.columns if index.table is not None else []:
                if column.name in str(CreateIndex(index).compile(dialect=conn.dialect)):
                    assert column.name in made[name], (name, column.name)
        schema = conn.execute(text("SELECT current_schema()")).scalar()
    assert str(schema).startswith("learner_t_")


def test_study_answer_undo_and_check_on_postgres(pg_col: Collection, tmp_path: Path, clock: Clock) -> None:
    report = pg_col.load([write_deck(tmp_path / "pg.toml", DECK)])
    assert sorted(report.added) == ["pg/a", "pg/b", "pg/b#rev"]
    assert [(d.name, d.new, d.total) for d in pg_col.decks()] == [("Pg", 3, 3), ("Pg::Deck", 3, 3)]
    study = pg_col.next_card("Pg")
    assert study is not None
    result = pg_col.answer(study.card.id, Rating.GOOD, duration_ms=1200)
    assert result.after.due == study.preview[Rating.GOOD].state.due
    assert [h.rating for h in pg_col.history(study.card.id)] == [Rating.GOOD]
    assert pg_col.maintenance.check().problems == []
    undone = pg_col.undo()
    assert undone is not None and undone.card_id == study.card.id
    assert pg_col.history(study.card.id) == []
    assert pg_col.load([tmp_path / "pg.toml"]).unchanged == 3


def test_learners_are_kept_apart(pg_url: str, tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "pg.toml", DECK)
    alice_url, bob_url = fresh_schema_url(pg_url, "alice"), fresh_schema_url(pg_url, "bob")
    alice = open_collection(alice_url, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False)
    bob = open_collection(bob_url, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False)
    try:
        alice.load([deck])
        bob.load([deck])
        study = alice.next_card()
        assert study is not None
        alice.answer(study.card.id, Rating.EASY)
        assert len(alice.history(study.card.id)) == 1
        assert bob.history(study.card.id) == []
        assert bob.card(study.card.id).state.reps == 0
        assert bob.undo() is None  # Alice's answer is not Bob's to undo
    finally:
        alice.close()
        bob.close()


def test_backup_on_postgres_points_to_pg_dump(pg_col: Collection) -> None:
    with pytest.raises(ValueError, match="pg_dump"):
        pg_col.maintenance.backup()
