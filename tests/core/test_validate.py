"""The boundary checks: finite numbers, 64-bit integers, sensible preset bounds, Anki step units."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from trainer.core import validate as v
from trainer.core.scheduling import DEFAULT_PARAMETERS, CardState, Preset, SchedulingState, preview
from trainer.errors import InvalidInputError
from trainer.services.presets import parse_setting

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (math.nan, "not a finite number"),
        (math.inf, "not a finite number"),
        (1e300, "out of range"),
        (2**64, "out of range"),
        ("3", "not a number"),
        (None, "not a number"),
        (True, "not a number"),
        (2.5, "not a whole number"),
    ],
)
def test_numbers_are_finite_whole_and_in_range(value: object, fragment: str) -> None:
    with pytest.raises(v.Invalid, match=fragment) as caught:
        v.integer(value, "field", 0, 100)
    assert str(caught.value).startswith("field: ")
    assert len(str(caught.value)) < 120  # never the whole of a huge value


def test_a_whole_float_counts_as_an_integer() -> None:
    assert v.integer(3.0, "x", 0, 5) == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"learning_steps": (60 * 10**12,)},
        {"learning_steps": (2**40,)},
        {"relearning_steps": (0,)},
        {"parameters": (math.nan, *DEFAULT_PARAMETERS[1:])},
        {"parameters": (math.inf, *DEFAULT_PARAMETERS[1:])},
        {"parameters": (0.0, *DEFAULT_PARAMETERS[1:])},
        {"parameters": (-1.0, *DEFAULT_PARAMETERS[1:])},
        {"parameters": (*DEFAULT_PARAMETERS[:20], 99.0)},
        {"maximum_interval": 10**20},
        {"maximum_interval": 36_501},
        {"desired_retention": math.nan},
        {"day_start_hour": 99},
        {"new_per_day": -1},
        {"leech_threshold": 0},
    ],
)
def test_presets_that_would_poison_scheduling_are_invalid(changes: dict[str, object]) -> None:
    assert replace(Preset(), **changes).validate() != []  # type: ignore[arg-type]


def test_the_largest_valid_preset_schedules() -> None:
    preset = Preset(
        learning_steps=(v.MAX_STEP_SECONDS,) * 3, relearning_steps=(v.MAX_STEP_SECONDS,),
        maximum_interval=v.MAX_INTERVAL_DAYS,
    )  # fmt: skip
    assert preset.validate() == []
    new = preview(SchedulingState(), preset, NOW, zone=UTC)
    assert all(outcome.state.due is not None for outcome in new.outcomes.values())
    old = SchedulingState(CardState.REVIEW, None, v.MAX_STABILITY, v.MAX_DIFFICULTY, NOW, NOW, 5, 1)
    assert v.state_problems(old) == []
    again = preview(old, preset, NOW, zone=UTC, draw=0.99)
    assert all(outcome.state.due is not None for outcome in again.outcomes.values())
    low = SchedulingState(CardState.RELEARNING, v.MAX_STEPS, v.MIN_STABILITY, v.MIN_DIFFICULTY, NOW, NOW)
    assert all(o.state.due is not None for o in preview(low, preset, NOW, zone=UTC).outcomes.values())


@pytest.mark.parametrize(
    ("state", "fragment"),
    [
        (SchedulingState(CardState.REVIEW, None, -5.0, 5.0, NOW, NOW), "stability"),
        (SchedulingState(CardState.REVIEW, None, math.nan, 5.0, NOW, NOW), "stability"),
        (SchedulingState(CardState.REVIEW, None, math.inf, 5.0, NOW, NOW), "stability"),
        (SchedulingState(CardState.REVIEW, None, 3.0, 50.0, NOW, NOW), "difficulty"),
        (SchedulingState(CardState.LEARNING, None, 3.0, 5.0, NOW, NOW), "step"),
        (SchedulingState(CardState.REVIEW, None, 3.0, 5.0, datetime(9999, 1, 1, tzinfo=UTC), NOW), "due"),
        (SchedulingState(99, None, 3.0, 5.0, NOW, NOW), "state"),  # type: ignore[arg-type]
    ],
)
def test_card_states_that_would_break_an_answer_are_invalid(state: SchedulingState, fragment: str) -> None:
    problems = v.state_problems(state)
    assert problems and problems[0].startswith(fragment)


@pytest.mark.parametrize(
    ("assignment", "steps"),
    [
        ("learning_steps=1m 10m", (60, 600)),
        ("learning_steps=1m,10m,1h,1d", (60, 600, 3600, 86400)),
        ("learning_steps=30s 1.5m", (30, 90)),
        ("relearning_steps=", ()),
    ],
)
def test_steps_take_ankis_units(assignment: str, steps: tuple[int, ...]) -> None:
    key = assignment.split("=")[0]
    assert getattr(parse_setting(Preset(), assignment), key) == steps


def test_steps_are_shown_in_ankis_units() -> None:
    assert v.format_steps((60, 600, 3600, 86400, 90, 100)) == "1m 10m 1h 1d 1.5m 100s"
    assert v.format_steps(()) == "none"
    assert v.parse_steps(v.format_steps((60, 600, 5400))) == (60, 600, 5400)


@pytest.mark.parametrize(
    ("assignment", "fragment"),
    [
        ("learning_steps=60 600", "needs a unit"),  # was one step of 60600 seconds
        ("learning_steps=1 10", "needs a unit"),  # was one step of 110 seconds
        ("learning_steps=1e12m", "is not a step"),
        ("learning_steps=99999999999999999999m", "longer than 10 years"),
        ("learning_steps=0.001s", "shorter than one second"),
        ("maximum_interval=99999999999999999999", "maximum_interval: 1e+20 is out of range"),
        ("maximum_interval=36501", "out of range"),
        ("desired_retention=nan", "not a finite number"),
        ("new_per_day=1e3", "not a valid value"),
        ("parameters=" + " ".join(["nan"] * 21), "parameters[0]: nan is not a finite number"),
        ("day_start_hour=" + "9" * 5000, "not a valid value"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_preset_set_refuses_with_the_field_and_the_format(assignment: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment.replace("[", r"\[").replace("+", r"\+")) as caught:
        parse_setting(Preset(), assignment)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("::".join(["a"] * 4000), "nested too deep"), ("x" * 5000, "too long"), ("a::" + "b" * 300, "part")],
    ids=["deep", "long", "long-part"],
)
def test_deck_names_are_capped(name: str, fragment: str) -> None:
    problem = v.deck_name_problem(name)
    assert problem is not None and fragment in problem
    assert v.deck_name_problem("A::B::C") is None
