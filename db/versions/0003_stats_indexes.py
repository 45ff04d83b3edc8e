"""covering indexes for the statistics report

The statistics report groups the whole review log by time, class and rating, and the
mastery view counts first answers per card; with these two indexes both read an index
only, never the wide log rows. Each replaces an index whose columns are its prefix
(`ix_reviews_day`, `ix_reviews_card_time`), so the queries that used those still can.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATS_COLUMNS = [
    "reviewed_at",
    "kind",
    "state_before",
    "card_id",
    "rating",
    "duration_ms",
    "due_before",
    "last_review_before",
]


def upgrade() -> None:
    op.create_index("ix_reviews_stats", "reviews", STATS_COLUMNS)
    op.drop_index("ix_reviews_day", table_name="reviews")
    op.create_index(
        "ix_reviews_card_stats", "reviews", ["card_id", "reviewed_at", "kind", "state_before", "rating"]
    )
    op.drop_index("ix_reviews_card_time", table_name="reviews")


def downgrade() -> None:
    op.create_index("ix_reviews_card_time", "reviews", ["card_id", "reviewed_at"])
    op.drop_index("ix_reviews_card_stats", table_name="reviews")
    op.create_index("ix_reviews_day", "reviews", ["reviewed_at", "kind", "state_before", "card_id"])
    op.drop_index("ix_reviews_stats", table_name="reviews")
