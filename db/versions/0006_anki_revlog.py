"""the Anki review-log values trainer has no column for

An imported Anki revlog row's ease factor (for FSRS cards Anki logs the difficulty there)
and type (learning, review, relearning, filtered, manual, rescheduled) are kept by review (card and time),
so that an export gives Anki its rows back as they were.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anki_revlog",
        sa.Column("card_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("reviewed_at", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("factor", sa.Integer(), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("card_id", "reviewed_at", name=op.f("pk_anki_revlog")),
    )


def downgrade() -> None:
    op.drop_table("anki_revlog")
