"""The import boundary: every `Package` a reader yields is checked here before anything is stored.

One refusal names the file, the card (note, row, member) and the field:
`deck.apkg: note 17: stability: nan is not a finite number`. What passes can be studied,
answered, undone, exported and checked without an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from trainer.core import validate as v
from trainer.core import validate_bulk as bulk
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
    clean = _all_clean(package.cards, package.has_scheduling)
    for card in package.cards:
        if card.deck not in seen_decks:
            _deck(file, _where(card), card.deck, prefix)
            seen_decks.add(card.deck)
        if clean and not (card.columns and package.has_scheduling):
            continue  # the columns of a backup's card are checked one by one
        checks = column_problems(card.columns) if clean else _card_problems(card, package.has_scheduling)
        problem = v.first_problem(checks)
        if problem:
            raise ImportFormatError(file, _where(card), problem)


def _where(card: CardRecord) -> str:
    return card.where or f"card {_short(card.external_id)}"


_STATES = frozenset(int(state) for state in CardState)
_TEXT_FIELDS = ("front", "back", "text", "hint", "note", "group_title")
_LIST_FIELDS = ("answers", "distractors", "media")


def _all_clean(cards: list[CardRecord], scheduling: bool) -> bool:
    """True when every card surely passes `_card_problems` but for its `columns` (checked apart):
    the same checks column by column, without a Python call per value (see `validate_bulk`).
    False sends the import through the per-card checks, which find and word the first problem."""

    def column(name: str, items: Sequence[Any] = cards) -> list[Any]:
        return list(map(attrgetter(name), items))

    if not cards:
        return True
    contents = column("content")
    if not (
        bulk.texts(column("external_id"), 1000)
        and bulk.integers(column("position"), v.INT64_MIN // 2, v.INT64_MAX // 2)
        and bulk.integers(column("flag"), 0, 7)
        and bulk.texts(column("group"), 1000)
        and bulk.texts(column("source"), v.MAX_FIELD_CHARS)
        and bulk.text_lists(column("tags"), v.MAX_LIST_ITEMS, 1000)
        and set(map(type, column("kind", contents))) == {CardKind}
        and all(bulk.texts(column(name, contents), v.MAX_FIELD_CHARS) for name in _TEXT_FIELDS)
        and all(
            bulk.text_lists(column(name, contents), v.MAX_LIST_ITEMS, v.MAX_FIELD_CHARS)
            for name in _LIST_FIELDS
        )
        and bulk.integers(column("cloze_ord", contents), 0, v.MAX_CARDS_PER_NOTE)
    ):
        return False
    if not scheduling:
        return True
    states = [card.scheduling for card in cards if card.scheduling is not None]
    reviews = list(chain.from_iterable(column("reviews")))
    return _states_clean(states) and _reviews_clean(reviews)


def _states_clean(states: list[SchedulingState]) -> bool:
    """`v.state_problems` finds nothing in any of `states`."""

    def column(name: str) -> list[Any]:
        return list(map(attrgetter(name), states))

    kinds = column("state")
    if not (
        set(map(type, kinds)) <= {CardState}
        and bulk.optional_numbers(column("step"), 0, v.MAX_STEPS, whole=True)
        and bulk.optional_numbers(column("stability"), v.MIN_STABILITY, v.MAX_STABILITY)
        and bulk.optional_numbers(column("difficulty"), v.MIN_DIFFICULTY, v.MAX_DIFFICULTY)
        and bulk.optional_moments(column("due"))
        and bulk.optional_moments(column("last_review"))
        and bulk.integers(column("reps"), 0, v.MAX_COUNT)
        and bulk.integers(column("lapses"), 0, v.MAX_COUNT)
    ):
        return False
    learning = (CardState.LEARNING, CardState.RELEARNING)
    return not any(
        (s.state in learning and s.step is None)
        or (
            s.state is not CardState.NEW
            and s.last_review is not None
            and (s.stability is None or s.difficulty is None)
        )
        for s in states
    )


def _reviews_clean(reviews: list[ReviewRecord]) -> bool:
    """`review_problems` finds nothing in any of `reviews`."""
    if not reviews:
        return True

    def column(name: str) -> list[Any]:
        return list(map(attrgetter(name), reviews))

    kinds, ratings, times = column("kind"), column("rating"), column("reviewed_at")
    manual = [rating for kind, rating in zip(kinds, ratings, strict=True) if kind == "manual"]
    answered = [rating for kind, rating in zip(kinds, ratings, strict=True) if kind != "manual"]
    if not (
        None not in times
        and bulk.optional_moments(times)
        and bulk.integers(manual, 0, 4)
        and bulk.integers(answered, 1, 4)
        and bulk.integers(column("duration_ms"), 0, v.MAX_COUNT)
        and _state_column(column("state_before"))
        and _state_column(column("state_after"))
        and bulk.texts(kinds, 20)
        and bulk.optional_moments(column("last_review_before"))
    ):
        return False
    return all(
        bulk.optional_numbers(column(f"step{side}"), 0, v.MAX_STEPS, whole=True)
        and bulk.optional_numbers(column(f"stability{side}"), v.MIN_STABILITY, v.MAX_STABILITY)
        and bulk.optional_numbers(column(f"difficulty{side}"), v.MIN_DIFFICULTY, v.MAX_DIFFICULTY)
        and bulk.optional_moments(column(f"due{side}"))
        for side in ("_before", "_after")
    )


def _state_column(values: list[Any]) -> bool:
    """Every value a known state as `_state` accepts it (an int or CardState, not a bool)."""
    return set(map(type, values)) <= {CardState, int} and set(values) <= _STATES


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
