"""Reposition new cards, as Anki's browser does (Cards > Reposition).

New cards are studied in the order of their `position` (within each deck, then by id).
Repositioning gives the chosen new cards the positions `start`, `start + step`, ... in the
order they are given (Anki's browser gives them in its display order; or shuffled), siblings
of one note or set sharing a position as in Anki; with `shift`, every other new card at
`start` or after moves back by the room the chosen cards take. Cards that are not new are
left alone, as Anki leaves them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select, update

from trainer.errors import InvalidInputError, NotFoundError
from trainer.store import repo
from trainer.store.engine import Database

cards_t = repo.cards_t
MAX_POSITION = 1_000_000_000  # far above any collection; keeps positions in SQLite's integer range


@dataclass(frozen=True)
class Repositioned:
    """What a reposition changed: the cards moved and the earlier position of every card it changed."""

    moved: tuple[int, ...]
    """The chosen new cards, in their new order."""
    skipped: int
    """Chosen cards that are not new (left alone)."""
    before: dict[int, int]
    """Every changed card's position before (the chosen ones and the shifted ones): undo data."""


def queue_ends(db: Database) -> tuple[int, int]:
    """The first and last position of the new cards (Anki's "queue top" and "queue bottom")."""
    with db.read() as session:
        low, high = session.execute(
            select(func.min(cards_t.c.position), func.max(cards_t.c.position)).where(cards_t.c.state == 0)
        ).one()
    return int(low or 0), int(high or 0)


def reposition(
    db: Database,
    card_ids: list[int],
    start: int,
    *,
    step: int = 1,
    randomize: bool = False,
    shift: bool = False,
    seed: int | None = None,
) -> Repositioned:
    """Give the new cards among `card_ids` positions from `start` by `step` (see the module)."""
    if not 0 <= start <= MAX_POSITION:
        raise InvalidInputError(f"the start position must be 0 to {MAX_POSITION:,}")
    if not 1 <= step <= 10_000:
        raise InvalidInputError("the step must be 1 to 10,000")
    with db.write() as session:
        rows: list[Any] = []
        for begin in range(0, len(card_ids), 500):
            chunk = card_ids[begin : begin + 500]
            rows.extend(
                session.execute(
                    select(cards_t.c.id, cards_t.c.position, cards_t.c.group_id, cards_t.c.state).where(
                        cards_t.c.id.in_(chunk)
                    )
                )
            )
        missing = sorted(set(card_ids) - {r.id for r in rows})
        if missing:
            shown = ", ".join(str(i) for i in missing[:5]) + (", ..." if len(missing) > 5 else "")
            raise NotFoundError(
                f"no card with id {shown}" if len(missing) == 1 else f"no cards with ids {shown}"
            )
        order = {card_id: index for index, card_id in reversed(list(enumerate(card_ids)))}
        new = sorted((r for r in rows if r.state == 0), key=lambda r: order[r.id])  # as given, as Anki
        if not new:
            raise InvalidInputError("only new cards can be repositioned, and none of these is new")
        groups: list[list[int]] = []
        index: dict[str, int] = {}
        for row in new:  # siblings (one note, one compare set) share a position, as in Anki
            if row.group_id and row.group_id in index:
                groups[index[row.group_id]].append(row.id)
                continue
            if row.group_id:
                index[row.group_id] = len(groups)
            groups.append([row.id])
        if randomize:
            random.Random(seed).shuffle(groups)
        last = start + step * (len(groups) - 1)
        if last > MAX_POSITION:
            raise InvalidInputError(f"positions would go past {MAX_POSITION:,}")
        before = {int(r.id): int(r.position) for r in new}
        chosen = set(before)
        if shift:
            room = step * len(groups)
            shifted = [
                (int(r.id), int(r.position))
                for r in session.execute(
                    select(cards_t.c.id, cards_t.c.position).where(
                        and_(cards_t.c.state == 0, cards_t.c.position >= start)
                    )
                )
                if r.id not in chosen
            ]
            for begin in range(0, len(shifted), 500):
                ids = [cid for cid, _ in shifted[begin : begin + 500]]
                session.execute(
                    update(cards_t).where(cards_t.c.id.in_(ids)).values(position=cards_t.c.position + room)
                )
            before.update(shifted)
        for number, group in enumerate(groups):
            session.execute(
                update(cards_t).where(cards_t.c.id.in_(group)).values(position=start + number * step)
            )
    moved = tuple(cid for group in groups for cid in group)
    return Repositioned(moved=moved, skipped=len(rows) - len(new), before=before)


def restore_positions(db: Database, before: dict[int, int]) -> list[int]:
    """Put cards back at their earlier positions (undo); the ids that still exist."""
    restored: list[int] = []
    with db.write() as session:
        for card_id, position in before.items():
            result = session.execute(update(cards_t).where(cards_t.c.id == card_id).values(position=position))
            if repo.rowcount(result):
                restored.append(card_id)
    return restored
