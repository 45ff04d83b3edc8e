"""The card methods of `Collection`: read, edit, add, delete, suspend, bury, flag, reposition.

Single-card reads and writes run on the study connection (`trainer.store.study_sql`), so
the study app's card actions need no ORM; every change but a delete is journalled for undo
(`trainer.services.undo_actions`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.core import days
from trainer.core.cards import CardContent
from trainer.errors import InvalidInputError, NotFoundError
from trainer.services import undo_actions
from trainer.services.card_views import card_view
from trainer.services.study import StudyService
from trainer.store import study_sql
from trainer.store.rawdb import RawDB
from trainer.store.values import QUEUE_BURIED, to_millis
from trainer.views import CardView, ReviewEntry, SyncReport

if TYPE_CHECKING:
    from trainer.services.reposition import Repositioned
    from trainer.store.engine import Database


class CardActions:
    """The card methods of `Collection` (a base class of it, kept in a module of its own)."""

    _raw: RawDB
    study: StudyService
    zone: tzinfo

    if TYPE_CHECKING:  # provided by Collection

        @property
        def db(self) -> Database: ...

        def _now(self, now: datetime | None) -> datetime: ...

        def load(
            self, paths: Sequence[Path | str], *, check: bool = False, now: datetime | None = None
        ) -> SyncReport: ...

        def search(self, query: str, *, now: datetime | None = None, limit: int = 2000) -> list[CardView]: ...

    def card(self, card_id: int) -> CardView:
        """One card."""
        row = study_sql.read_card(self._raw, card_id)
        if row is None:
            raise NotFoundError(f"no card with id {card_id}")
        return card_view(row, self.study.deck_names())

    def history(self, card_id: int) -> list[ReviewEntry]:
        """A card's review history, oldest first."""
        from trainer.services.cards import CardService

        return CardService(self.db).history(card_id)

    def edit_card(
        self,
        card_id: int,
        content: CardContent,
        *,
        tags: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> CardView:
        """Change a card's text (and tags); its memory state is kept."""
        values: dict[str, object] = {
            "content": content.to_json(),
            "content_hash": content.content_hash(),
            "kind": content.kind.value,
            "modified_at": to_millis(self._now(now)),
        }
        if tags is not None:
            from trainer.store.rows import join_tags

            values["tags"] = join_tags(tags)
        with self._journalled("edit", [card_id]):
            self._remember_edit(card_id)
            self._update_card(card_id, values)
        return self.card(card_id)

    def _remember_edit(self, card_id: int) -> None:
        """Record the version a learner's edit starts from, so that a sync of its deck file
        keeps the edit (`trainer.services.sync`)."""
        from trainer.services.sync import learner_edits, save_learner_edits

        card = self.card(card_id)
        with self._raw.write():
            edits = learner_edits(self._raw)
            if card.external_id and card.external_id not in edits:
                edits[card.external_id] = card.content.content_hash()
                save_learner_edits(self._raw, edits)

    def add_card(
        self, deck: str, content: CardContent, *, tags: Sequence[str] = (), now: datetime | None = None
    ) -> list[CardView]:
        """Add a card to `deck`: into the deck's file when it comes from one (then synced),
        else as a collection card (a cloze gives one card per gap number). The new cards;
        undo takes them back out (of the file too)."""
        from dataclasses import replace

        from trainer.core.cards import CardKind, cloze_numbers
        from trainer.paths import bundled_decks_dir
        from trainer.services import authoring

        authoring.check_content(content)
        moment = self._now(now)
        target = authoring.target(self.db, deck, bundled_decks_dir())
        if target.file is not None:
            external, block = authoring.append_to_file(target.file, content, list(tags))
            self.load([target.file], now=moment)
            prefix = external + "#"
            added = [
                c
                for c in self.search(f'deck:"{target.name}"')
                if c.external_id in (external,) or c.external_id.startswith(prefix)
            ]
            entry = undo_actions.added_entry(
                undo_actions.newest_answer(self._raw), [c.id for c in added], str(target.file), block
            )
            undo_actions.push(self._raw, entry)
            return added
        contents = [content]
        if content.kind is CardKind.CLOZE:
            contents = [replace(content, cloze_ord=n) for n in cloze_numbers(content.text)]
        elif content.kind is CardKind.REVERSED:
            contents = [content, replace(content, front=content.back, back=content.front, hint="")]
        ids = [authoring.add_collection_card(self.db, target, c, list(tags), moment) for c in contents]
        undo_actions.push(self._raw, undo_actions.added_entry(undo_actions.newest_answer(self._raw), ids))
        return [self.card(i) for i in ids]

    def reposition(
        self,
        card_ids: Sequence[int],
        start: int,
        *,
        step: int = 1,
        randomize: bool = False,
        shift: bool = False,
        seed: int | None = None,
    ) -> Repositioned:
        """Anki's Reposition: the new cards among `card_ids` take positions `start`, `start +
        step`, ... in the order given (`randomize`: shuffled); `shift` moves the other new cards
        from `start` on back to make room. Undoable; cards that are not new are left alone."""
        from trainer.services import reposition

        done = reposition.reposition(
            self.db, list(card_ids), start, step=step, randomize=randomize, shift=shift, seed=seed
        )
        undo_actions.push(
            self._raw, undo_actions.repositioned_entry(undo_actions.newest_answer(self._raw), done.before)
        )
        return done

    def new_queue_ends(self) -> tuple[int, int]:
        """The first and last position of the new cards (Anki's queue top and bottom)."""
        from trainer.services.reposition import queue_ends

        return queue_ends(self.db)

    def media_folder(self) -> Path | None:
        """The folder of the collection's images and sounds (beside an SQLite file)."""
        from trainer.services.io import media_dir

        return media_dir(self.db)

    def deck_file(self, deck: str) -> Path | None:
        """The learner's deck file new cards of `deck` are written to, or None."""
        from trainer.paths import bundled_decks_dir
        from trainer.services import authoring

        return authoring.target(self.db, deck, bundled_decks_dir()).file

    def card_file(self, card_id: int) -> Path | None:
        """The learner's deck file a card comes from, or None for a collection card."""
        from trainer.services import authoring

        return authoring.from_file(self.db, card_id)

    def delete_card(self, card_id: int) -> int:
        """Delete a collection card with its history (a deck-file card is removed from its
        file instead: refused here). The number of reviews deleted with it."""
        from trainer.services import authoring

        path = authoring.from_file(self.db, card_id)
        if path is not None:
            raise InvalidInputError(f"this card comes from {path}: remove it there, or suspend it")
        return authoring.delete_card(self.db, card_id)

    def set_suspended(self, card_ids: Sequence[int], suspended: bool, *, now: datetime | None = None) -> None:
        """Suspend or unsuspend cards (undoable)."""
        from trainer.services.cards import CardService

        with self._journalled("suspend" if suspended else "unsuspend", card_ids):
            CardService(self.db).set_suspended(card_ids, suspended, self._now(now))

    def bury(self, card_id: int, *, now: datetime | None = None) -> None:
        """Hide a card until the next study day."""
        moment = self._now(now)
        row = study_sql.read_card(self._raw, card_id)
        if row is None:
            raise NotFoundError(f"no card with id {card_id}")
        preset = self.study.preset_for_deck(row.deck_id)
        until = days.next_day_start(moment, self.zone, preset.day_start_hour)
        with self._journalled("bury", [card_id]):
            values = {
                "queue": QUEUE_BURIED,
                "buried_until": to_millis(until),
                "modified_at": to_millis(moment),
            }
            self._update_card(card_id, values)

    def unbury(self, card_ids: Sequence[int], *, now: datetime | None = None) -> int:
        """Bring buried cards back today (undoable); how many were buried."""
        names = self.study.deck_names()
        buried = [c for c in undo_actions.read_cards(self._raw, names, list(card_ids)) if c.buried]
        if not buried:
            return 0
        moment = to_millis(self._now(now))
        with self._journalled("unbury", [c.id for c in buried]):
            for card in buried:
                values = {"queue": int(card.state.state), "buried_until": None, "modified_at": moment}
                self._update_card(card.id, values)
        return len(buried)

    def set_flag(self, card_id: int, flag: int) -> None:
        """Set a card's flag (0 = none, 1-7 = colours as in Anki)."""
        if not 0 <= flag <= 7:
            raise InvalidInputError("flag must be 0-7")
        with self._journalled("flag", [card_id]):
            self._update_card(card_id, {"flag": flag})

    @contextlib.contextmanager
    def _journalled(self, action: str, card_ids: Sequence[int]) -> Iterator[None]:
        """Journal `action` on `card_ids` for undo (the cards as they are before the block),
        once the block has done it without error."""
        entry = undo_actions.record(self._raw, self.study.deck_names(), action, list(card_ids))
        yield
        undo_actions.push(self._raw, entry)

    def _update_card(self, card_id: int, values: Mapping[str, object]) -> None:
        """Set columns of one card on the study connection (times in epoch ms)."""
        with self._raw.write():
            changed = study_sql.update_card(self._raw, card_id, dict(values))
        self.study.cards_changed()
        if not changed:
            raise NotFoundError(f"no card with id {card_id}")
