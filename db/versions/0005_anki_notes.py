"""Anki note types and notes kept from imports

An imported Anki note becomes trainer cards showing what Anki shows; these tables keep the
note itself (its note type's templates, styling and fields, and its raw field HTML) so
that exporting the unchanged cards gives Anki the same notes back: type-in answers,
styling and every template feature survive the round trip. `anki_notes.cards` holds each
card's content hash at import; an edited card leaves as trainer shows it instead.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anki_notetypes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("anki_id", sa.BigInteger(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anki_notetypes")),
        sa.UniqueConstraint("digest", name=op.f("uq_anki_notetypes_digest")),
    )
    op.create_table(
        "anki_notes",
        sa.Column("group_id", sa.String(length=300), nullable=False),
        sa.Column("notetype_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("cards", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notetype_id"], ["anki_notetypes.id"], name=op.f("fk_anki_notes_notetype_id_anki_notetypes")
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_anki_notes")),
    )


def downgrade() -> None:
    op.drop_table("anki_notes")
    op.drop_table("anki_notetypes")
