"""The import boundary: every `Package` a reader yields is checked here before anything is stored.

One refusal names the file, the card (note, row, member) and the field:
`deck.apkg: note 17: stability: nan is not a finite number`. What passes can be studied,
answered, undone, exported and checked without an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from trainer.core import validate as v
from trainer.core.cards import CardKind
from trainer.core.scheduling import CardState, SchedulingState
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.formats.safety import ImportFormatError

_KINDS = {kind.value for kind in CardKind}
_QUEUES = {-2, -1, 0, 1, 2, 3}
_MS_LOW = (v.EARLIEST - v.EPOCH_UTC) // v.MS
_MS_HIGH = (v.LATEST - v.EPOCH_UTC) // v.MS


def check_package(package: Package, file: str | Path, *, prefix: str | None = None) -> None:
    """Raise `ImportFormatError` at the first value that cannot be stored safely."""
    for preset in package.presets:
        problem = v.first_problem(preset.validate())
        if problem:
            raise ImportFormatError(file, f"preset '{_short(preset.name)}'", problem)
    names = set(package.deck_presets) | set(package.deck_meta)
    for name in names:
        _deck(file, "deck", name, prefix)
    seen_decks: set[str] = set()
    for card in package.cards:
        where = card.where or f"card {_short(card.external_id)}"
        if card.deck not in seen_decks:
            _deck(file, where, card.deck, prefix)
            seen_decks.add(card.deck)
        problem = v.first_problem(_card_problems(card, package.has_scheduling))
        if problem:
            raise ImportFormatError(file, where, problem)


def _deck(file: str | Path, where: str, name: Any, prefix: str | None) -> None:
    full = f"{prefix}::{name}" if prefix and isinstance(name, str) and name else name
    problem = v.deck_name_problem(full)
    if problem:
        raise ImportFormatError(file, where, problem)


def _card_problems(card: CardRecord, scheduling: bool) -> Iterable[str]:
    try:
        v.text(card.external_id, "id", 1000)
        v.integer(card.position, "position", v.INT64_MIN // 2, v.INT64_MAX // 2)
        v.integer(card.flag, "flag", 0, 7)
        v.text(card.group, "group", 1000)
        v.text(card.source, "source")
        if len(card.tags) > v.MAX_LIST_ITEMS:
            raise v.Invalid("tags", f"too many ({len(card.tags)}, at most {v.MAX_LIST_ITEMS})")
        for tag in card.tags:
            v.text(tag, "tags", 1000)
    except v.Invalid as exc:
        yield str(exc)
        return
    yield from v.content_problems(card.content)
    if not scheduling:
        return
    if card.scheduling is not None:
        yield from v.state_problems(card.scheduling)
    for index, review in enumerate(card.reviews):
        yield from (f"review {index + 1}: {p}" for p in review_problems(review))
    if card.columns:
        yield from column_problems(card.columns)


def review_problems(review: ReviewRecord) -> list[str]:
    """A logged answer whose values can be stored and replayed."""
    problems: list[str] = []
    checks: list[Callable[[], object]] = [
        lambda: v.moment(review.reviewed_at, "reviewed_at"),
        lambda: v.integer(review.rating, "rating", 0 if review.kind == "manual" else 1, 4),  # 0: Forget etc.
        lambda: v.integer(review.duration_ms, "duration_ms", 0, v.MAX_COUNT),
        lambda: _state(review.state_before, "state_before"),
        lambda: _state(review.state_after, "state_after"),
        lambda: v.text(review.kind, "kind", 20),
    ]
    for check in checks:
        try:
            check()
        except v.Invalid as exc:
            problems.append(str(exc))
    if problems:
        return problems
    before = SchedulingState(
        CardState.NEW, review.step_before, review.stability_before, review.difficulty_before,
        review.due_before, review.last_review_before,
    )  # fmt: skip
    after = SchedulingState(
        CardState.NEW, review.step_after, review.stability_after, review.difficulty_after, review.due_after
    )
    return [*v.state_problems(before, "_before"), *v.state_problems(after, "_after")]


def column_problems(columns: dict[str, Any]) -> list[str]:
    """The exact stored values a backup brings (JSON restore): types and ranges."""
    problems: list[str] = []
    checks: dict[str, Callable[[Any], object]] = {
        "kind": lambda x: x in _KINDS or _fail("kind", f"{v.show(x)} is not a card kind"),
        "state": lambda x: _state(x, "state"),
        "queue": lambda x: x in _QUEUES or _fail("queue", f"{v.show(x)} is not a queue"),
        "step": lambda x: v.optional(x, "step", 0, v.MAX_STEPS, whole=True),
        "stability": lambda x: v.optional(x, "stability", v.MIN_STABILITY, v.MAX_STABILITY),
        "difficulty": lambda x: v.optional(x, "difficulty", v.MIN_DIFFICULTY, v.MAX_DIFFICULTY),
        "reps": lambda x: v.integer(x, "reps", 0, v.MAX_COUNT),
        "lapses": lambda x: v.integer(x, "lapses", 0, v.MAX_COUNT),
        "flag": lambda x: v.integer(x, "flag", 0, 7),
        "position": lambda x: v.integer(x, "position", v.INT64_MIN // 2, v.INT64_MAX // 2),
        "source": lambda x: v.text(x, "source"),
        "group_id": lambda x: v.text(x, "group_id", 1000),
        "content_hash": lambda x: v.text(x, "content_hash", 100),
    }
    for name in ("due", "last_review", "buried_until", "created_at", "modified_at"):
        checks[name] = partial(_time_ms, field=name)
    for name, value in columns.items():
        check = checks.get(name)
        if check is None:
            continue
        try:
            check(value)
        except v.Invalid as exc:
            problems.append(str(exc))
    if problems:
        return problems
    state = columns.get("state", 0)
    if state in (1, 2, 3) and columns.get("due") is None:
        problems.append("due: a card in learning or review needs a due time")
    if state in (1, 3) and columns.get("step") is None:
        problems.append("step: a learning card needs a step")
    return problems


def _time_ms(value: Any, field: str) -> object:
    return v.optional(value, field, _MS_LOW, _MS_HIGH, whole=True)


def _state(value: Any, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (0, 1, 2, 3):
        raise v.Invalid(field, f"{v.show(value)} is not a known state (0-3)")


def _fail(field: str, message: str) -> bool:
    raise v.Invalid(field, message)


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
