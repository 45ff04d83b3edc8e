"""Undo of card actions (suspend, unsuspend, bury, flag, edit, add, reposition) on one stack
with answers.

Answers are taken back from the review log; the other actions are journalled here, in the
collection's `meta` table (so undo works across restarts, as for answers). Each entry
records the id of the newest answer when it was made: the most recent of the journal's top
and the log's newest answer is what `Collection.undo` takes back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trainer.core.cards import CardContent
from trainer.errors import NotFoundError
from trainer.services.card_views import card_view
from trainer.store import study_sql
from trainer.store.values import to_millis
from trainer.views import CardView

if TYPE_CHECKING:
    from collections.abc import Callable

    from trainer.store.engine import Database
    from trainer.store.rawdb import RawDB

META_KEY = "undo_actions"
KEEP = 100  # entries kept; older ones can no longer be undone (as Anki keeps a bounded stack)

LABELS = {
    "suspend": "Suspend",
    "unsuspend": "Unsuspend",
    "bury": "Bury",
    "unbury": "Unbury",
    "flag": "Flag",
    "edit": "Edit",
    "add": "Add card",
    "reposition": "Reposition",
}


@dataclass(frozen=True)
class UndoneAction:
    """A card action that undo took back."""

    action: str
    card_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        """`Suspend`, `Edit`, ..."""
        return LABELS.get(self.action, self.action)

    @property
    def card_id(self) -> int:
        """The (first) card the action changed."""
        return self.card_ids[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"action": self.action, "card_ids": list(self.card_ids)}


def snapshot(card: CardView) -> dict[str, Any]:
    """The columns of `card` an action may change, JSON-ready."""
    return {
        "id": card.id,
        "queue": card.queue,
        "buried_until": card.buried_until.isoformat() if card.buried_until else None,
        "flag": card.flag,
        "content": card.content.to_json(),
        "tags": list(card.tags),
    }


def restore_values(saved: dict[str, Any], action: str, now: datetime) -> dict[str, object]:
    """The column values that put a card back as `saved` before `action`."""
    values: dict[str, object] = {"modified_at": to_millis(now)}
    if action in ("suspend", "unsuspend", "bury", "unbury"):
        values["queue"] = saved["queue"]
        until = saved["buried_until"]
        values["buried_until"] = to_millis(datetime.fromisoformat(until)) if until else None
    elif action == "flag":
        values["flag"] = saved["flag"]
    elif action == "edit":
        from trainer.store.rows import join_tags

        content = CardContent.from_json(saved["content"])
        values.update(
            content=content.to_json(),
            content_hash=content.content_hash(),
            kind=content.kind.value,
            tags=join_tags(saved["tags"]),
        )
    return values


def decode(raw: str | None) -> list[dict[str, Any]]:
    """The journal, oldest first."""
    if not raw:
        return []
    try:
        entries = json.loads(raw)
    except ValueError:
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def encode(entries: list[dict[str, Any]]) -> str:
    """The journal as stored (the newest `KEEP` entries)."""
    return json.dumps(entries[-KEEP:], ensure_ascii=False)


def entry(action: str, after_review: int, cards: list[CardView]) -> dict[str, Any]:
    """A journal entry for `action` done to `cards` (as they were before it)."""
    return {"action": action, "after_review": after_review, "cards": [snapshot(c) for c in cards]}


def added_entry(
    after_review: int, card_ids: list[int], file: str | None = None, block: str | None = None
) -> dict[str, Any]:
    """A journal entry for cards just added (`block`: the text appended to deck file `file`)."""
    return {"action": "add", "after_review": after_review, "cards": [], "added": card_ids,
            "file": file, "block": block}  # fmt: skip


def repositioned_entry(after_review: int, before: dict[int, int]) -> dict[str, Any]:
    """A journal entry for a reposition: every changed card's earlier position."""
    return {"action": "reposition", "after_review": after_review, "cards": [],
            "positions": [[card_id, position] for card_id, position in before.items()]}  # fmt: skip


def read_cards(db: RawDB, deck_names: dict[int, str], card_ids: list[int]) -> list[CardView]:
    """The cards `card_ids` as they are now (missing ones left out)."""
    with db.read():
        rows = study_sql.read_cards(db, card_ids)
    return [card_view(row, deck_names) for row in rows]


def record(db: RawDB, deck_names: dict[int, str], action: str, card_ids: list[int]) -> dict[str, Any] | None:
    """The journal entry for `action` on `card_ids` as they are now (call before acting)."""
    cards = read_cards(db, deck_names, card_ids)
    return entry(action, newest_answer(db), cards) if cards else None


def newest_answer(db: RawDB) -> int:
    """The id of the newest answer in the log, which a journal entry records (0 when none)."""
    with db.read():
        return study_sql.newest_answer_id(db)


def push(db: RawDB, new: dict[str, Any] | None) -> None:
    """Put an entry of `record` on top of the journal (after the action succeeded)."""
    if new is None:
        return
    with db.write():
        entries = decode(study_sql.meta(db, META_KEY))
        entries.append(new)
        study_sql.set_meta(db, META_KEY, encode(entries))


def undo_last(db: RawDB, orm: Callable[[], Database], now: datetime) -> UndoneAction | None:
    """Take back the journal's top action if it is newer than the newest answer, else None
    (then the review log's undo takes the answer back). Card values are put back on the study
    connection `db`; an add or a reposition is undone through the ORM store `orm()`."""
    raw, newest = study_sql.meta_and_newest_answer(db, META_KEY)
    entries = decode(raw)
    if not entries or newest > int(entries[-1].get("after_review", 0)):
        return None
    top = entries.pop()
    action = str(top.get("action", ""))
    if action in ("add", "reposition"):
        restored = _remove_added(orm(), top) if action == "add" else _restore_positions(orm(), top)
        with db.write():
            study_sql.set_meta(db, META_KEY, encode(entries))
        return UndoneAction(action, tuple(restored))
    restored = []
    with db.write():
        for saved in top.get("cards", []):
            if study_sql.update_card(db, int(saved["id"]), restore_values(saved, action, now)):
                restored.append(int(saved["id"]))
        study_sql.set_meta(db, META_KEY, encode(entries))
    return UndoneAction(action, tuple(restored))


def _restore_positions(db: Database, top: dict[str, Any]) -> list[int]:
    from trainer.services.reposition import restore_positions

    pairs = top.get("positions", [])
    return restore_positions(db, {int(card_id): int(position) for card_id, position in pairs})


def _remove_added(db: Database, top: dict[str, Any]) -> list[int]:
    """Undo an add: the cards leave the collection (and the deck file they were appended to,
    when its text still ends as the add left it); the ids removed."""
    from pathlib import Path

    from trainer.services import authoring

    file, block = top.get("file"), top.get("block")
    if isinstance(file, str) and isinstance(block, str):
        authoring.remove_from_file(Path(file), block)
    removed: list[int] = []
    for card_id in top.get("added", []):
        try:
            authoring.delete_card(db, int(card_id))
        except NotFoundError:
            continue
        removed.append(int(card_id))
    return removed
