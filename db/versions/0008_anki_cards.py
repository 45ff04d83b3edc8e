"""the Anki card values trainer has no column for

An imported Anki card's SM-2 ease factor and interval (days) are kept by the card's
external id with its answer count at import, so that an export gives Anki its ease back
(Anki schedules with it while FSRS is off, its default) and a relearning card its interval.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anki_cards",
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("ivl", sa.Integer(), nullable=False),
        sa.Column("factor", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("external_id", name=op.f("pk_anki_cards")),
    )


def downgrade() -> None:
    op.drop_table("anki_cards")
