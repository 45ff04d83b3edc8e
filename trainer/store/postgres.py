"""PostgreSQL: one schema per learner, and writes that wait their turn like SQLite's.

A URL may name the learner: `postgresql+psycopg://host/db?learner=alice` keeps Alice's
collection in schema `learner_alice` (created on first open). `?options=-csearch_path=NAME`
works too, for any schema name. Every write transaction first takes a transaction-level
advisory lock keyed on the schema, so writes to one collection run one at a time (as
`BEGIN IMMEDIATE` does on SQLite) while other learners' collections are not held up, and
an answer never overwrites one made at the same moment by another device.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL

from trainer.errors import InvalidInputError

LEARNER_PARAM = "learner"
_LEARNER = re.compile(r"^[a-z0-9][a-z0-9_]{0,40}$")
_SCHEMA_OPTION = re.compile(r"-c\s*search_path\s*=\s*([^\s,]+)")
WRITE_OPTION = "trainer_write"


def learner_url(url: URL) -> tuple[URL, str | None]:
    """The driver URL (with `learner=` turned into a search_path) and the schema, if any."""
    query = dict(url.query)
    learner = query.pop(LEARNER_PARAM, None)
    if isinstance(learner, tuple):
        learner = learner[-1]
    schema: str | None = None
    if learner is not None:
        if not _LEARNER.match(learner):
            raise InvalidInputError(f"learner '{learner}': use lower-case letters, digits and _ (at most 41)")
        schema = f"learner_{learner}"
        query["options"] = f"-csearch_path={schema}"
    else:
        options = query.get("options")
        found = _SCHEMA_OPTION.search(options if isinstance(options, str) else "")
        schema = found.group(1).strip("\"'") if found else None
    return url.set(query=query), schema


def make_pg_engine(url: URL) -> Engine:
    """An engine for a PostgreSQL collection; creates the learner's schema when missing."""
    driver_url, schema = learner_url(url)
    engine = create_engine(driver_url, pool_pre_ping=True)
    if schema is not None:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('trainer-create-schema'))"))
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('trainer:' || current_schema()))")
