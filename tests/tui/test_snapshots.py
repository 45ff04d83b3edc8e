"""The look of every screen at 80x24 and 120x40 (pytest-textual-snapshot, reviewed SVGs).

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at
the SVGs in __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.tui.conftest import only_kind
from trainer.collection import Collection
from trainer.core.scheduling import Rating
from trainer.tui.app import Start, TrainerApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]


async def settle(pilot: Pilot[Any]) -> None:
    assert isinstance(pilot.app, TrainerApp)
    pilot.app.timer = lambda: 100.0  # answer times shown as 0:00
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    assert snap_compare(TrainerApp(demo), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_home_empty(snap_compare: Snap, col: Collection, size: tuple[int, int]) -> None:
    assert snap_compare(TrainerApp(col), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_review_question(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    only_kind(demo, "cloze")
    assert snap_compare(TrainerApp(demo, start=Start(screen="study")), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_review_answer(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    only_kind(demo, "basic")
    app = TrainerApp(demo, start=Start(screen="study"))
    assert snap_compare(app, press=["space"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_review_typed_verdict(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    only_kind(demo, "typed")
    app = TrainerApp(demo, start=Start(screen="study"))
    assert snap_compare(app, press=[*"entrapmnt neuropaty", "enter"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_review_choice(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    only_kind(demo, "choice")
    app = TrainerApp(demo, start=Start(screen="study"))
    assert snap_compare(app, press=["1"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_card_info(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    card_id = only_kind(demo, "basic")
    demo.answer(card_id, Rating.GOOD, duration_ms=4200)
    demo.clock.advance(hours=1)  # type: ignore[attr-defined]
    app = TrainerApp(demo, start=Start(screen="study"))
    assert snap_compare(app, press=["i"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_edit_dialog(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    only_kind(demo, "typed")
    app = TrainerApp(demo, start=Start(screen="study"))

    async def open_dialog(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "e")
        await pilot.pause()
        for area in pilot.app.screen.query(TextArea):  # the focused field's cursor, not blinking
            area.cursor_blink = False
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_dialog)


@pytest.mark.parametrize("size", SIZES)
def test_session_summary(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    only_kind(demo, "basic")
    app = TrainerApp(demo, start=Start(screen="study"))
    assert snap_compare(app, press=["space", "1", "escape"], terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_quiz(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    app = TrainerApp(demo, start=Start(screen="quiz", deck="Demo", quiz_n=3, quiz_mode="choice", seed=7))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_browse(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    app = TrainerApp(demo, start=Start(screen="browse", query="deck:Demo"))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_browse_reposition_dialog(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    async def open_dialog(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("space", "down", "space", "R")  # two cards marked, then Reposition
        await pilot.pause()
        for field in pilot.app.screen.query(Input):  # the focused field's cursor, not blinking
            field.cursor_blink = False
        await pilot.pause()

    app = TrainerApp(demo, start=Start(screen="browse", query="deck:Demo"))
    assert snap_compare(app, terminal_size=size, run_before=open_dialog)


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    async def charts_drawn(pilot: Pilot[Any]) -> None:  # the report comes from a thread worker
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    app = TrainerApp(demo, start=Start(screen="stats"))
    assert snap_compare(app, terminal_size=size, run_before=charts_drawn)


@pytest.mark.parametrize("size", SIZES)
def test_import_dialog(snap_compare: Snap, demo: Collection, size: tuple[int, int]) -> None:
    async def open_dialog(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        for field in pilot.app.screen.query(Input):  # the focused path's cursor, not blinking
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(TrainerApp(demo), terminal_size=size, run_before=open_dialog)


async def light(pilot: Pilot[Any]) -> None:
    pilot.app.theme = "textual-light"
    await settle(pilot)


def test_home_light_theme(snap_compare: Snap, demo: Collection) -> None:
    assert snap_compare(TrainerApp(demo), terminal_size=(80, 24), run_before=light)


def test_review_answer_light_theme(snap_compare: Snap, demo: Collection) -> None:
    only_kind(demo, "basic")
    app = TrainerApp(demo, start=Start(screen="study"))
    assert snap_compare(app, press=["space"], terminal_size=(80, 24), run_before=light)
