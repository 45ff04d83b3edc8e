"""An import's write: the planned rows (`trainer.services.io_plan`) in the caller's transaction.

Only what needs the write lock happens here: decks and presets are made, the planned card
rows inserted and updated with one executemany each, review logs added, and matched cards the
file studied take its progress (their current state is read here, inside the lock, so an
answer given while the plan was made is never overwritten).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.core.columns import SCHEDULE_COLUMNS
from trainer.core.millis import optional_millis as millis
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.services.anki_keep import store_card_values, store_kept, store_revlog
from trainer.services.io_bulk import bulk_insert
from trainer.services.io_plan import (
    CHUNK,
    DECK_SLOT,
    INSERT_COLUMNS,
    REVIEW_COLUMNS,
    ImportPlan,
    deck_path,
    review_values,
)
from trainer.services.io_reports import ImportReport
from trainer.services.io_stage import insert_staged, insert_staged_notes
from trainer.store import repo

cards_t = repo.cards_t
decks_t = repo.decks_t
reviews_t = repo.reviews_t


def apply_plan(
    session: Session, plan: ImportPlan, package: Package, prefix: str | None, report: ImportReport
) -> None:
    """Write `plan` (made from what `session` sees now) and fill `report`."""
    report.skipped.extend(plan.skipped)
    report.unchanged = plan.unchanged
    _store_presets(session, package, report)
    decks = _Decks(session, package, prefix, report)
    for name in package.deck_meta:
        decks.id_for(name)
    ids = {name: decks.id_for(name) for name in plan.decks}
    max_id = int(session.execute(select(func.max(cards_t.c.id))).scalar() or 0)
    for update in plan.updates:
        values = update.values
        if update.deck is not None:
            values = {**values, "deck_id": ids[update.deck]}
        session.execute(cards_t.update().where(cards_t.c.id == update.card_id).values(**values))
        report.updated.append(update.key)
    report.added = plan.added
    if plan.staged:
        report.reviews = insert_staged(session, [ids[name] for name in plan.decks])
        insert_staged_notes(session, package)
    else:
        rows = [(*row[:DECK_SLOT], ids[row[DECK_SLOT]], *row[DECK_SLOT + 1 :]) for row in plan.inserts]
        bulk_insert(session, cards_t, INSERT_COLUMNS, rows)
        if plan.histories:
            report.reviews = _insert_reviews(session, plan.histories, max_id)
    if plan.progress_of:
        _restore_progress(session, plan.progress_of, report)
    store_kept(session, package, plan.kept_hashes)
    store_card_values(session, package, [*plan.added, *report.restored])


class _Decks:
    """Deck ids by name, creating decks (with their preset and description) on first use."""

    def __init__(self, session: Session, package: Package, prefix: str | None, report: ImportReport) -> None:
        self.session = session
        self.package = package
        self.prefix = prefix
        self.report = report
        self.ids = {d.name: d.id for d in repo.decks(session)}
        self.default = repo.preset_id(session, "Default")
        self.by_file_name: dict[str, int] = {}

    def id_for(self, name: str) -> int:
        """The id of the deck a card of the file's deck `name` goes to."""
        found = self.by_file_name.get(name)
        if found is not None:
            return found
        full = deck_path(self.prefix, name)
        deck_id = self.ids.get(full)
        if deck_id is None:
            preset_name = self.package.deck_presets.get(name)
            preset = repo.preset_id(self.session, preset_name) if preset_name else None
            deck_id, _ = repo.ensure_deck(self.session, full, preset or self.default or 0)
            self.ids[full] = deck_id
            self.report.decks_created.append(full)
            meta = self.package.deck_meta.get(name)
            if meta:
                self.session.execute(decks_t.update().where(decks_t.c.id == deck_id).values(**meta))
        self.by_file_name[name] = deck_id
        return deck_id


def _store_presets(session: Session, package: Package, report: ImportReport) -> None:
    """Create the file's presets that its decks use (a backup's: all, overwriting same-named ones)."""
    used = {package.deck_presets.get(c.deck) for c in package.cards} | {
        package.deck_presets.get(name) for name in package.deck_meta
    }
    for preset in package.presets:
        if not package.replace_presets and preset.name not in used:
            continue
        found = repo.preset_id(session, preset.name, create=False)
        if found is None:
            repo.insert_id(session, repo.presets_t, repo.preset_values(preset))
            report.presets_created.append(preset.name)
        elif package.replace_presets:
            values = repo.preset_values(preset)
            session.execute(repo.presets_t.update().where(repo.presets_t.c.id == found).values(**values))


def _restore_progress(
    session: Session, matched: list[tuple[int, CardRecord, dict[str, Any]]], report: ImportReport
) -> None:
    """Give matched cards never studied here the file's scheduling and review log; keep (and report)
    the progress of cards studied on both sides. Their state is read here, under the write lock."""
    ids = [card_id for card_id, _, _ in matched]
    logged: set[int] = set()
    current_of: dict[int, Any] = {}
    columns = (cards_t.c.id, *(cards_t.c[name] for name in SCHEDULE_COLUMNS))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(reviews_t.c.card_id).where(reviews_t.c.card_id.in_(chunk)).distinct()
        logged.update(card_id for (card_id,) in session.execute(query))
        current_of.update(
            (row.id, row) for row in session.execute(select(*columns).where(cards_t.c.id.in_(chunk)))
        )
    histories: dict[str, list[ReviewRecord]] = {}
    card_ids: dict[str, int] = {}
    skipped_reviews = 0
    for card_id, card, schedule in matched:
        row = current_of[card_id]
        studied = card_id in logged or row.reps or row.state != 0 or row.queue != 0 or row.flag
        if studied:
            current = {
                name: millis(v) if isinstance(v, datetime) else v
                for name, v in ((name, getattr(row, name)) for name in SCHEDULE_COLUMNS)
            }
            if current == schedule:
                continue  # the same progress on both sides (a backup of this collection)
            report.kept.append(card.external_id)
            skipped_reviews += len(card.reviews)
            continue
        session.execute(cards_t.update().where(cards_t.c.id == card_id).values(**schedule))
        report.restored.append(card.external_id)
        if card.reviews:
            histories[card.external_id] = card.reviews
            card_ids[card.external_id] = card_id
    if histories:
        report.reviews += _insert_reviews(session, histories, ids=card_ids)
    if report.kept:
        report.notices.append((
            f"{len(report.kept)} cards",
            "studied both here and in the file: kept this collection's scheduling and review log "
            f"(the file's {skipped_reviews} reviews of them not imported)",
        ))  # fmt: skip


def _insert_reviews(
    session: Session,
    histories: dict[str, list[ReviewRecord]],
    after_id: int = 0,
    *,
    ids: dict[str, int] | None = None,
) -> int:
    """Insert review logs: of the cards just added (ids above `after_id`) or of the cards `ids` names."""
    if ids is None:
        ids = _added_ids(session, after_id)
    rows = [(ids[key], *values) for key, records in histories.items() for values in review_values(records)]
    bulk_insert(session, reviews_t, REVIEW_COLUMNS, rows)
    _store_revlog(session, histories, ids)
    return len(rows)


def _added_ids(session: Session, after_id: int) -> dict[str, int]:
    """External id -> id of the cards above `after_id` (the ones this import added)."""
    query = select(cards_t.c.external_id, cards_t.c.id).where(cards_t.c.id > after_id)
    return {key: card_id for key, card_id in session.execute(query).all()}


def _store_revlog(session: Session, histories: dict[str, list[ReviewRecord]], ids: dict[str, int]) -> None:
    """Keep the Anki revlog values (factor, type) of imported review rows."""
    rows = [
        (ids[key], millis(r.reviewed_at) or 0, *r.anki)
        for key, records in histories.items()
        for r in records
        if r.anki is not None
    ]
    store_revlog(session, rows)
