"""API views built from store rows (the store knows nothing of the API's types)."""

from __future__ import annotations

from typing import Any

from trainer.core.cards import CardContent
from trainer.core.frozen import build
from trainer.store.rows import scheduling_state, split_tags
from trainer.store.values import from_millis
from trainer.views import CardView


def card_view(row: Any, deck_names: dict[int, str]) -> CardView:
    """A `CardView` from a row selected with `CARD_COLUMNS` (built fast with
    `trainer.core.frozen.build`: one is made for every card shown)."""
    buried = row.buried_until
    return build(CardView, {
        "id": row.id,
        "external_id": row.external_id,
        "deck_id": row.deck_id,
        "deck_name": deck_names.get(row.deck_id, ""),
        "content": CardContent.from_json(row.content),
        "tags": split_tags(row.tags),
        "source": row.source,
        "group_id": row.group_id,
        "state": scheduling_state(row),
        "queue": row.queue,
        "flag": row.flag,
        "buried_until": from_millis(buried) if isinstance(buried, int) else buried,
    })  # fmt: skip
