"""An import's new rows staged in the connection's TEMP tables before the write lock is taken.

SQLite keeps TEMP tables per connection, apart from the collection: filling them takes no lock
on the collection, so study sessions go on answering. Inside the write transaction one
`INSERT ... SELECT` per table moves the staged rows in, about twice as fast as binding the
same rows from Python, and a join checks the plan's snapshot of the package's cards. The
tables are dropped when the import ends, whatever happens (`unstaged`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from trainer.core.millis import optional_millis as millis
from trainer.formats.model import Package
from trainer.services.anki_keep import kept_members, notetype_ids, revlog_t, stored_notes
from trainer.services.io_plan import DECK_SLOT, INSERT_COLUMNS, REVIEW_COLUMNS, ImportPlan, review_values

CARDS, REVIEWS, SNAPSHOT, DECKS = (
    "trainer_import_cards", "trainer_import_reviews", "trainer_import_snapshot", "trainer_import_decks",
)  # fmt: skip
NOTES, REVLOG = "trainer_import_notes", "trainer_import_revlog"  # Anki's own values, kept beside
_TABLES = (CARDS, REVIEWS, SNAPSHOT, DECKS, NOTES, REVLOG)
REVLOG_COLUMNS = [column.name for column in revlog_t.columns]  # card_id, reviewed_at, then Anki's values


def _columns(n: int) -> list[str]:
    return [f"c{i}" for i in range(n)]


def _create(session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """A TEMP table of untyped columns (values kept exactly as given), filled with `rows`."""
    connection = session.connection()
    connection.exec_driver_sql(f"CREATE TEMP TABLE {table} ({', '.join(columns)})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO temp.{table} VALUES ({marks})", rows)


def stage(session: Session, plan: ImportPlan, package: Package) -> None:
    """Copy the plan's new cards, their review logs, the Anki notes and revlog values kept beside
    them (`trainer.services.anki_keep`) and the plan's snapshot into TEMP tables."""
    drop(session)
    index = {name: i for i, name in enumerate(plan.decks)}
    cards = [(*row[:DECK_SLOT], index[row[DECK_SLOT]], *row[DECK_SLOT + 1 :]) for row in plan.inserts]
    _create(session, CARDS, _columns(len(INSERT_COLUMNS)), cards)
    reviews = [(key, *values) for key, records in plan.histories.items() for values in review_values(records)]
    _create(session, REVIEWS, ["card_key", *_columns(len(REVIEW_COLUMNS) - 1)], reviews)
    _create(session, SNAPSHOT, ["external_id", "id", "content_hash", "tags", "deck_id"], plan.snapshot.cards)
    revlog = [
        (key, millis(r.reviewed_at) or 0, *r.anki)
        for key, records in plan.histories.items()
        for r in records
        if r.anki is not None
    ]
    _create(session, REVLOG, ["card_key", *REVLOG_COLUMNS[1:]], revlog)
    _create(session, NOTES, ["group_id", "digest", "fields", "cards"], _new_notes(session, plan, package))
    plan.staged = True


def _new_notes(session: Session, plan: ImportPlan, package: Package) -> list[tuple[str, str, str, str]]:
    """Rows of the package's kept Anki notes not stored yet (the others are merged in the write,
    `trainer.services.anki_keep.store_kept`); their cards leave `plan.kept_hashes`."""
    if not package.anki_notes or not plan.kept_hashes:
        return []
    members = kept_members(package, plan.kept_hashes)
    stored = stored_notes(session, list(members))
    rows = []
    for group, cards in members.items():
        if group in stored:
            continue
        note = package.anki_notes[group]
        fields = json.dumps(list(note.fields), ensure_ascii=False)
        rows.append((group, note.notetype, fields, json.dumps(cards, sort_keys=True)))
    staged = {row[0] for row in rows}
    plan.kept_hashes = {
        card.external_id: plan.kept_hashes[card.external_id]
        for card in package.cards
        if card.external_id in plan.kept_hashes and card.group not in staged
    }
    return rows


def snapshot_changed(session: Session) -> bool:
    """Whether any staged card differs from the collection's (added, removed, edited or moved since),
    or a staged Anki note has been stored meanwhile."""
    query = (
        f"SELECT 1 FROM temp.{SNAPSHOT} AS k LEFT JOIN main.cards AS c ON c.external_id = k.external_id"
        " WHERE c.id IS NOT k.id OR c.content_hash IS NOT k.content_hash OR c.tags IS NOT k.tags"
        " OR c.deck_id IS NOT k.deck_id LIMIT 1"
    )
    connection = session.connection()
    if connection.exec_driver_sql(query).first() is not None:
        return True
    notes = f"SELECT 1 FROM temp.{NOTES} AS n JOIN main.anki_notes AS a ON a.group_id = n.group_id LIMIT 1"
    return connection.exec_driver_sql(notes).first() is not None


def insert_staged(session: Session, deck_ids: list[int]) -> int:
    """Move the staged cards (deck index -> `deck_ids`) and their review logs into the collection;
    the number of review rows added."""
    connection = session.connection()
    _create(session, DECKS, ["idx INTEGER PRIMARY KEY", "id"], list(enumerate(deck_ids)))
    names = ", ".join(INSERT_COLUMNS)
    picked = ", ".join("d.id" if i == DECK_SLOT else f"s.c{i}" for i in range(len(INSERT_COLUMNS)))
    connection.exec_driver_sql(
        f"INSERT INTO main.cards ({names}) SELECT {picked} FROM temp.{CARDS} AS s"
        f" JOIN temp.{DECKS} AS d ON d.idx = s.c{DECK_SLOT} ORDER BY s.rowid"
    )
    review_names = ", ".join(REVIEW_COLUMNS)
    review_picked = ", ".join(["c.id", *(f"r.c{i}" for i in range(len(REVIEW_COLUMNS) - 1))])
    result = connection.exec_driver_sql(
        f"INSERT INTO main.reviews ({review_names}) SELECT {review_picked} FROM temp.{REVIEWS} AS r"
        " JOIN main.cards AS c ON c.external_id = r.card_key ORDER BY r.rowid"
    )
    added = max(int(result.rowcount), 0)
    names = ", ".join(REVLOG_COLUMNS)
    picked = ", ".join(["c.id", *(f"r.{name}" for name in REVLOG_COLUMNS[1:])])
    connection.exec_driver_sql(
        f"INSERT OR REPLACE INTO main.anki_revlog ({names}) SELECT {picked} FROM temp.{REVLOG} AS r"
        " JOIN main.cards AS c ON c.external_id = r.card_key ORDER BY r.rowid"
    )
    return added


def insert_staged_notes(session: Session, package: Package) -> None:
    """Store the staged Anki notes (their note types first)."""
    connection = session.connection()
    digests = {row[0] for row in connection.exec_driver_sql(f"SELECT DISTINCT digest FROM temp.{NOTES}")}
    if not digests:
        return
    notetype_ids(session, digests, package)
    connection.exec_driver_sql(
        "INSERT INTO main.anki_notes (group_id, notetype_id, fields, cards)"
        f" SELECT n.group_id, t.id, n.fields, n.cards FROM temp.{NOTES} AS n"
        " JOIN main.anki_notetypes AS t ON t.digest = n.digest ORDER BY n.rowid"
    )


def drop(session: Session) -> None:
    """Remove the staging tables (if any) from this connection."""
    connection = session.connection()
    for table in _TABLES:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")


@contextmanager
def unstaged(session_of: Any) -> Iterator[None]:
    """Drop the staging tables when the block ends (`session_of()` opens a session to do it)."""
    try:
        yield
    finally:
        with session_of() as session:
            drop(session)
