"""Bring a collection's schema to the code's version: create, back up and upgrade, or refuse."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, text
from sqlalchemy.exc import DatabaseError

from trainer.errors import SchemaError
from trainer.paths import migrations_dir
from trainer.store.backup import backup_sqlite
from trainer.store.engine import Database
from trainer.store.sqlitefile import CollectionAccessError, access_problem
from trainer.store.values import HEAD_REVISION as HEAD_REVISION

if TYPE_CHECKING:  # Alembic is imported only when a migration runs: it is slow to import.
    from alembic.config import Config


# Alembic's own version table (`alembic.runtime.migration`), for a collection created without Alembic.
_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def alembic_config() -> Config:
    """An Alembic config pointing at the bundled `db/` environment."""
    from alembic.config import Config

    folder = migrations_dir()
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(folder / "versions"))
    return config


def known_revisions() -> set[str]:
    """Every revision id the code knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The collection's schema revision; None for an empty database."""
    try:
        with db.engine.connect() as conn:
            names = inspect(conn).get_table_names()
            if "alembic_version" not in names:
                if names:
                    raise SchemaError(
                        f"{db.url.render_as_string(hide_password=True)} is not a trainer "
                        f"collection (it has tables {', '.join(sorted(names)[:5])})"
                    )
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError as exc:
        path = db.sqlite_path
        blocked = access_problem(path) if path is not None else None
        if blocked is not None:  # the data may be fine: say what stops SQLite (issue 19)
            raise CollectionAccessError(blocked) from None
        hint = (
            " ('trainer check' says what is wrong; 'trainer check --repair' recovers what it can,"
            " 'trainer restore BACKUP' puts a backup back)"
            if path is not None
            else ""
        )
        raise SchemaError(
            f"{db.url.render_as_string(hide_password=True)} is not a usable database: {exc.orig or exc}{hint}"
        ) from None


def ensure_schema(db: Database, now: datetime) -> None:
    """Create a new collection, or back up then upgrade an older one; refuse a newer one."""
    revision = current_revision(db)
    if revision == HEAD_REVISION:
        return
    if revision is not None and revision not in known_revisions():
        raise SchemaError(
            f"the collection was written by a newer trainer (schema {revision}); upgrade trainer to open it"
        )
    if revision is None and db.sqlite_path is not None:
        create_fresh(db)
        return
    if revision is not None and db.sqlite_path is not None:
        backup_sqlite(db.sqlite_path, f"before-upgrade-{revision}", now)
    upgrade(db, "head")


def create_fresh(db: Database) -> None:
    """A new SQLite collection: the models' tables and the head revision, in one transaction.

    The same schema as every migration from 0001 run in turn (a test compares `sqlite_master`),
    without importing Alembic or reading its scripts. Another process that created it first wins.
    """
    from trainer.store.models import Base

    with db.engine.execution_options(trainer_write=True).begin() as conn:
        if inspect(conn).get_table_names():
            return
        Base.metadata.create_all(conn, checkfirst=False)
        _VERSION.create(conn, checkfirst=False)
        conn.execute(_VERSION.insert().values(version_num=HEAD_REVISION))


def upgrade(db: Database, target: str) -> None:
    """Run Alembic migrations to `target` in one transaction."""
    from alembic import command

    config = alembic_config()
    with db.engine.execution_options(trainer_write=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)
