"""Alembic environment for trainer collections.

The app runs migrations itself on open (`trainer.store.migrate`), passing its own
connection in `config.attributes["connection"]`. Run by hand with
`alembic -c db/alembic.ini -x url=sqlite:///path upgrade head`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from trainer.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Migrate through the given connection, or one made from `-x url=...`."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
