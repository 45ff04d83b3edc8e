"""Readable in the light and the dark theme: every letter and digit the app draws has contrast.

The check reads the composed screen (each segment's final foreground and background,
as the terminal receives them) and computes the WCAG contrast ratio. The bar is 3:1,
WCAG's minimum for large text and user-interface components; the footer's key hints
belong to Textual and are left out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from rich.color import Color
from textual.pilot import Pilot

from tests.tui.conftest import drive, only_kind
from trainer.collection import Collection
from trainer.tui.app import Start, TrainerApp

THEMES = ["textual-dark", "textual-light"]
MINIMUM = 3.0


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def faint_text(app: TrainerApp) -> list[tuple[float, int, str]]:
    """(ratio, row, text) of every segment with letters or digits below the bar, footer excluded."""
    strips = app.screen._compositor.render_strips()
    found = []
    for row, strip in enumerate(strips[:-1]):
        for segment in strip:
            style = segment.style
            if style is None or not any(ch.isalnum() for ch in segment.text):
                continue
            fg, bg = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)
            assert fg is not None and bg is not None, segment
            ratio = contrast(fg, bg)
            if style.dim or ratio < MINIMUM:
                found.append((round(ratio, 2), row, segment.text.strip()))
    return found


def check(app: TrainerApp, theme: str, steps: Callable[[Pilot[None]], Awaitable[None]]) -> None:
    seen: list[tuple[float, int, str]] = []

    async def script(pilot: Pilot[None]) -> None:
        pilot.app.theme = theme
        await pilot.pause()
        await steps(pilot)
        await pilot.pause()
        seen.extend(faint_text(app))

    drive(app, script)
    assert seen == []


async def nothing(pilot: Pilot[Any]) -> None:
    return None


async def reveal(pilot: Pilot[Any]) -> None:
    await pilot.press("space")


@pytest.mark.parametrize("theme", THEMES)
def test_home_is_readable(demo: Collection, theme: str) -> None:
    check(TrainerApp(demo), theme, nothing)


@pytest.mark.parametrize("theme", THEMES)
def test_review_is_readable(demo: Collection, theme: str) -> None:
    only_kind(demo, "basic")
    check(TrainerApp(demo, start=Start(screen="study")), theme, reveal)


@pytest.mark.parametrize("theme", THEMES)
def test_browse_is_readable(demo: Collection, theme: str) -> None:
    check(TrainerApp(demo, start=Start(screen="browse")), theme, nothing)


@pytest.mark.parametrize("theme", THEMES)
def test_quiz_is_readable(demo: Collection, theme: str) -> None:
    check(TrainerApp(demo, start=Start(screen="quiz", seed=3)), theme, nothing)
