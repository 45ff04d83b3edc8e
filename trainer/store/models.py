"""The collection schema: SQLAlchemy 2 typed ORM models.

Times are UTC, stored as integer milliseconds since the epoch (`UtcMillis`), so the
same queries and indexes work on SQLite and PostgreSQL and compare as integers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from trainer.core.scheduling import CardState
from trainer.core.stats import MATURE_SPAN_MS
from trainer.store.values import QUEUE_BURIED as QUEUE_BURIED
from trainer.store.values import QUEUE_SUSPENDED as QUEUE_SUSPENDED
from trainer.store.values import from_millis as from_millis
from trainer.store.values import to_millis as to_millis

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The statistics scan's group key (revision 0004): hour since the epoch, state before, maturity
# (interval of 21 days or more, less half a day) and rating, packed in one integer.
HOURLY_KEY = (
    "(reviewed_at / 3600000) * 64 + state_before * 8"
    f" + CASE WHEN state_before = {int(CardState.REVIEW)}"
    f" AND due_before - last_review_before >= {MATURE_SPAN_MS} THEN 4 ELSE 0 END"
    " + rating - 1"
)


class UtcMillis(TypeDecorator[datetime]):
    """An aware UTC datetime stored as BIGINT epoch milliseconds."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        return to_millis(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_millis(int(value))


class Base(DeclarativeBase):
    """The one declarative base, with a constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class MetaRow(Base):
    """Key-value facts about the collection (creation time, time zone, ...)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PresetRow(Base):
    """Deck options: FSRS parameters, retention, steps, limits."""

    __tablename__ = "presets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parameters: Mapped[str] = mapped_column(Text)  # JSON list of 21 floats
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    learning_steps: Mapped[str] = mapped_column(Text, default="[60, 600]")  # JSON seconds
    relearning_steps: Mapped[str] = mapped_column(Text, default="[600]")
    maximum_interval: Mapped[int] = mapped_column(Integer, default=36500)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    leech_threshold: Mapped[int] = mapped_column(Integer, default=8)
    bury_siblings: Mapped[bool] = mapped_column(Boolean, default=True)
    day_start_hour: Mapped[int] = mapped_column(Integer, default=4)


class DeckRow(Base):
    """A deck; `name` nests with `::`."""

    __tablename__ = "decks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(20), default="")
    preset_id: Mapped[int] = mapped_column(ForeignKey("presets.id"))
    origin: Mapped[str] = mapped_column(Text, default="")  # the file it was loaded from
    sources: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sources


class CardRow(Base):
    """A study card with its FSRS state in columns.

    `queue` is the card's `state` while it is active, `QUEUE_SUSPENDED` while suspended
    and `QUEUE_BURIED` (until `buried_until`) while buried, so that every study and count
    query is one range scan of the (deck, queue, due) index.
    """

    __tablename__ = "cards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(300), unique=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)  # JSON, see trainer.core.cards.CardContent
    content_hash: Mapped[str] = mapped_column(String(32))
    tags: Mapped[str] = mapped_column(Text, default="")  # " tag1 tag2 " (spaces around)
    source: Mapped[str] = mapped_column(Text, default="")
    group_id: Mapped[str] = mapped_column(String(300), default="")  # sibling group
    position: Mapped[int] = mapped_column(Integer, default=0)  # order of new cards
    state: Mapped[int] = mapped_column(Integer, default=0)  # CardState
    queue: Mapped[int] = mapped_column(Integer, default=0)  # = state, or SUSPENDED / BURIED
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime | None] = mapped_column(UtcMillis)
    last_review: Mapped[datetime | None] = mapped_column(UtcMillis)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    buried_until: Mapped[datetime | None] = mapped_column(UtcMillis)
    flag: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcMillis)
    modified_at: Mapped[datetime] = mapped_column(UtcMillis)

    __table_args__ = (
        Index("ix_cards_deck_queue_due", "deck_id", "queue", "due"),
        Index("ix_cards_deck_queue_position", "deck_id", "queue", "position"),
        Index("ix_cards_group", "group_id"),
        Index("ix_cards_queue_buried", "queue", "buried_until"),
        Index("ix_cards_topic", "deck_id", "tags", "group_id"),  # revision 0004: cards per topic
    )


class ReviewRow(Base):
    """One answer. Kept forever (only undo removes a row); holds the state before and after."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UtcMillis)
    rating: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20), default="review")  # review | manual | import
    state_before: Mapped[int] = mapped_column(Integer)
    step_before: Mapped[int | None] = mapped_column(Integer)
    stability_before: Mapped[float | None] = mapped_column(Float)
    difficulty_before: Mapped[float | None] = mapped_column(Float)
    due_before: Mapped[datetime | None] = mapped_column(UtcMillis)
    last_review_before: Mapped[datetime | None] = mapped_column(UtcMillis)
    state_after: Mapped[int] = mapped_column(Integer)
    step_after: Mapped[int | None] = mapped_column(Integer)
    stability_after: Mapped[float | None] = mapped_column(Float)
    difficulty_after: Mapped[float | None] = mapped_column(Float)
    due_after: Mapped[datetime | None] = mapped_column(UtcMillis)
    undo_data: Mapped[str] = mapped_column(Text, default="")  # JSON: flags/tags/siblings changed

    __table_args__ = (
        # covering indexes (revision 0003): history per card; "done today" and the statistics scan
        Index("ix_reviews_card_stats", "card_id", "reviewed_at", "kind", "state_before", "rating"),
        Index(
            "ix_reviews_stats",
            *("reviewed_at", "kind", "state_before", "card_id", "rating", "duration_ms"),
            *("due_before", "last_review_before"),
        ),
        # revision 0004: the statistics scan groups by HOURLY_KEY while it reads this index
        Index(
            "ix_reviews_hourly",
            text(f"({HOURLY_KEY})"),
            *("kind", "card_id", "duration_ms", "last_review_before", "reviewed_at"),
            *("state_before", "due_before", "rating"),
        ),
    )


class AnkiNotetypeRow(Base):
    """An Anki note type cards were imported with (revision 0005), kept so that an export gives
    Anki the same templates, styling and fields back: Anki's legacy JSON without its id and times."""

    __tablename__ = "anki_notetypes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of `definition`
    anki_id: Mapped[int] = mapped_column(BigInteger)  # its id in the package it came from
    definition: Mapped[str] = mapped_column(Text)


class AnkiNoteRow(Base):
    """An imported Anki note's raw fields (revision 0005), by the card group its cards form;
    `cards` holds each card's content hash at import: an export uses the note only while
    every card it exports still has that hash (an edited card leaves as trainer shows it)."""

    __tablename__ = "anki_notes"
    group_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    notetype_id: Mapped[int] = mapped_column(ForeignKey("anki_notetypes.id"))
    fields: Mapped[str] = mapped_column(Text)  # the fields' HTML joined by 0x1f (Anki's `flds`)
    cards: Mapped[str] = mapped_column(Text)  # "external id 0x1f content hash", joined by 0x1e


class AnkiRevlogRow(Base):
    """What an imported review-log row said in Anki beyond trainer's columns (revision 0006): its
    ease factor (FSRS: difficulty), type and intervals, given back as they were on export. Keyed by the
    review's card and time (no foreign key: deleting a card or an answer never trips on it)."""

    __tablename__ = "anki_revlog"
    card_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reviewed_at: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # epoch ms
    factor: Mapped[int] = mapped_column(Integer)
    type: Mapped[int] = mapped_column(Integer)
    ivl: Mapped[int | None] = mapped_column(Integer)  # revision 0007: the interval Anki logged
    last_ivl: Mapped[int | None] = mapped_column(Integer)  # and the one before it


class AnkiCardRow(Base):
    """What an imported Anki card said beyond trainer's columns (revision 0008): its SM-2 ease
    (`factor`, permille) and interval in days, with its answer count at import (the interval is
    given back only while the card has not been answered since). Keyed by the card's external id."""

    __tablename__ = "anki_cards"
    external_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    ivl: Mapped[int] = mapped_column(Integer)
    factor: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)


class QuizAnswerRow(Base):
    """A quiz answer: kept for statistics; changes no schedule by itself."""

    __tablename__ = "quiz_answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    answered_at: Mapped[datetime] = mapped_column(UtcMillis)
    mode: Mapped[str] = mapped_column(String(20))  # choice | typed | flip
    correct: Mapped[bool] = mapped_column(Boolean)
    given: Mapped[str] = mapped_column(Text, default="")
    expected: Mapped[str] = mapped_column(Text, default="")
    group_id: Mapped[str] = mapped_column(String(300), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_quiz_answers_card", "card_id"),)


def insert_columns(model: type[Base]) -> tuple[str, ...]:
    """A table's columns in model order, without its generated primary key: what an insert names."""
    table = cast(Table, model.__table__)
    return tuple(column.name for column in table.columns if not (column.primary_key and column.autoincrement))
