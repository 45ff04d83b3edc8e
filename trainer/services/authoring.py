"""Cards written in the app: added to their deck's file when it has one, else to the collection.

A deck loaded from a deck file (its `origin`) gets the new card appended to that file as a
`[[cards]]` table (the file is parsed whole before it is replaced, so a card that would make
it invalid is refused and the file left as it was), then the file is synced as by `trainer
load`. Decks without a file (imported, or the bundled ones, which are not the learner's to
edit) get a collection card with an id of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from trainer.atomicfile import write_atomic
from trainer.core.cards import CardContent, CardKind, slugify
from trainer.errors import InvalidInputError, NotFoundError
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.rows import card_values

cards_t = repo.cards_t
decks_t = repo.decks_t


@dataclass(frozen=True)
class DeckTarget:
    """Where a new card of a deck goes."""

    deck_id: int
    name: str
    external_id: str
    file: Path | None  # the learner's deck file, or None for a collection card


def target(db: Database, deck: str, bundled: Path) -> DeckTarget:
    """Where a card added to `deck` goes (its file if it is the learner's own deck file)."""
    with db.read() as session:
        row = session.execute(
            select(decks_t.c.id, decks_t.c.name, decks_t.c.external_id, decks_t.c.origin).where(
                decks_t.c.name == deck
            )
        ).first()
    if row is None:
        raise NotFoundError(f"no deck named '{deck}'")
    file = Path(row.origin) if row.origin else None
    if file is not None:
        inside_bundled = bundled.resolve() in file.resolve().parents
        if inside_bundled or file.suffix != ".toml" or not file.is_file() or not os.access(file, os.W_OK):
            file = None
    return DeckTarget(int(row.id), str(row.name), str(row.external_id or ""), file)


def card_table(content: CardContent, card_id: str, tags: list[str]) -> dict[str, Any]:
    """The `[[cards]]` table of a deck file for `content`."""
    table: dict[str, Any] = {"id": card_id}
    if content.kind is not CardKind.BASIC:
        table["kind"] = content.kind.value
    if content.kind is CardKind.CLOZE:
        table["text"] = content.text
    else:
        table["front"] = content.front
    if content.kind is CardKind.TYPED:
        table["answers"] = list(content.answers)
    elif content.kind is CardKind.CHOICE:
        table["answer"] = content.back
        table["distractors"] = list(content.distractors)
    elif content.kind is not CardKind.CLOZE:
        table["back"] = content.back
    if content.hint:
        table["hint"] = content.hint
    if content.note:
        table["note"] = content.note
    if tags:
        table["tags"] = tags
    return table


def append_to_file(path: Path, content: CardContent, tags: list[str]) -> tuple[str, str]:
    """Append a card to a deck file (validated whole first); the new card's id in the file and
    the text appended (what undo takes out again)."""
    import tomli_w

    from trainer.core.deckfile import parse_deck_text

    text = path.read_text(encoding="utf-8")
    spec = parse_deck_text(text, str(path))
    taken = {c.external_id.split("/", 1)[-1].split("#", 1)[0] for c in spec.cards}
    base = (
        slugify(content.text if content.kind is CardKind.CLOZE else content.front)[:40].strip("-") or "card"
    )
    card_id, number = base, 1
    while card_id in taken:
        number += 1
        card_id = f"{base}-{number}"
    # A table of its own: tomli_w writes a short array of tables inline (`cards = [{...}]`),
    # which after the file's last `[[cards]]` would be read as a key of that card.
    addition = "[[cards]]\n" + tomli_w.dumps(card_table(content, card_id, tags))
    block = ("" if text.endswith("\n") else "\n") + "\n" + addition
    new_text = text + block
    parse_deck_text(new_text, str(path))  # raises DeckFileError: the file stays as it was
    write_atomic(path, new_text)
    return f"{spec.id}/{card_id}", block


def remove_from_file(path: Path, block: str) -> bool:
    """Take an appended card out of its deck file again (undo of an add): only when the file
    still ends with the text appended, so later edits of the learner are never touched.
    Whether the file was changed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    if not block or not text.endswith(block):
        return False
    write_atomic(path, text[: -len(block)])
    return True


def add_collection_card(
    db: Database, deck: DeckTarget, content: CardContent, tags: list[str], now: datetime
) -> int:
    """Insert a card that lives in the collection only; its id."""
    with db.write() as session:
        position = session.execute(select(func.coalesce(func.max(cards_t.c.position), 0))).scalar() or 0
        stamp = int(now.timestamp() * 1000)
        external = f"{deck.external_id or 'local'}/added-{stamp}"
        while session.execute(select(cards_t.c.id).where(cards_t.c.external_id == external)).first():
            stamp += 1
            external = f"{deck.external_id or 'local'}/added-{stamp}"
        values = card_values(
            external, deck.deck_id, content, created_at=now, tags=repo.join_tags(tags), position=position + 1
        )
        return repo.insert_id(session, cards_t, values)


def delete_card(db: Database, card_id: int) -> int:
    """Delete a collection card with its review log and quiz answers; the reviews removed."""
    from trainer.store.models import QuizAnswerRow

    quiz = QuizAnswerRow.__table__
    with db.write() as session:
        row = session.execute(select(cards_t.c.external_id).where(cards_t.c.id == card_id)).first()
        if row is None:
            raise NotFoundError(f"no card with id {card_id}")
        reviews = repo.reviews_t
        removed = repo.rowcount(session.execute(delete(reviews).where(reviews.c.card_id == card_id)))
        session.execute(delete(quiz).where(quiz.c.card_id == card_id))  # type: ignore[arg-type]
        session.execute(delete(cards_t).where(cards_t.c.id == card_id))
        return removed


def from_file(db: Database, card_id: int) -> Path | None:
    """The deck file a card comes from (a learner's file that lists it), or None."""
    with db.read() as session:
        row = session.execute(
            select(cards_t.c.external_id, decks_t.c.origin, decks_t.c.external_id.label("deck_ext"))
            .join(decks_t, decks_t.c.id == cards_t.c.deck_id)
            .where(cards_t.c.id == card_id)
        ).first()
    if row is None:
        raise NotFoundError(f"no card with id {card_id}")
    if not row.origin or not row.deck_ext or not str(row.external_id).startswith(f"{row.deck_ext}/"):
        return None
    if "/added-" in str(row.external_id):
        return None
    path = Path(row.origin)
    return path if path.is_file() else None


def check_content(content: CardContent) -> None:
    """Refuse a card that could not be studied (the same rules as the edit dialog)."""
    if content.kind is CardKind.CLOZE:
        from trainer.core.cards import cloze_numbers

        if not cloze_numbers(content.text):
            raise InvalidInputError("a cloze card needs a gap: {{c1::answer}}")
        return
    if not content.front.strip():
        raise InvalidInputError("the question cannot be empty")
    if content.kind is CardKind.TYPED and not content.answers:
        raise InvalidInputError("a typed card needs at least one accepted answer")
    if content.kind is not CardKind.TYPED and not content.back.strip():
        raise InvalidInputError("the answer cannot be empty")
