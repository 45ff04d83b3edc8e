"""the intervals of imported Anki review-log rows

An imported revlog row's `ivl` and `lastIvl` are kept beside its factor and type, so that
an export gives Anki the row exactly as it was (AnkiDroid logs a learning step as the
interval before a first answer; a day count computed again in another zone could differ).
Rows kept under 0006 keep their factor and type; their intervals stay unknown (NULL).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(name: str, intervals: bool) -> None:
    columns = [
        sa.Column("card_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("reviewed_at", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("factor", sa.Integer(), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
    ]
    if intervals:
        columns += [
            sa.Column("ivl", sa.Integer(), nullable=True),
            sa.Column("last_ivl", sa.Integer(), nullable=True),
        ]
    op.create_table(
        name, *columns, sa.PrimaryKeyConstraint("card_id", "reviewed_at", name=op.f(f"pk_{name}"))
    )


def _copy(source: str, target: str) -> None:
    op.execute(
        f"INSERT INTO {target} (card_id, reviewed_at, factor, type)"
        f" SELECT card_id, reviewed_at, factor, type FROM {source}"
    )


# The table is copied out and made again (not ALTER TABLE, not a rename): its SQL then equals a
# fresh collection's, as tests/store/test_fresh_schema.py checks.
def upgrade() -> None:
    _create("anki_revlog_0007", intervals=False)
    _copy("anki_revlog", "anki_revlog_0007")
    op.drop_table("anki_revlog")
    _create("anki_revlog", intervals=True)
    _copy("anki_revlog_0007", "anki_revlog")
    op.drop_table("anki_revlog_0007")


def downgrade() -> None:
    _create("anki_revlog_0007", intervals=False)
    _copy("anki_revlog", "anki_revlog_0007")
    op.drop_table("anki_revlog")
    _create("anki_revlog", intervals=False)
    _copy("anki_revlog_0007", "anki_revlog")
    op.drop_table("anki_revlog_0007")
