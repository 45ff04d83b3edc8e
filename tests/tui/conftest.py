"""A small collection with every card kind, and a helper to drive the app."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import write_deck
from trainer.collection import Collection

DECK = """
[deck]
id = "tui.demo"
name = "Demo"

[[deck.sources]]
id = "book"
title = "A small book"

[[cards]]
id = "basic"
front = "How fast do axons regrow?"
back = "About 1 mm per day."
source = "book"

[[cards]]
id = "typed"
kind = "typed"
front = "Term for a squeezed nerve in a narrow passage?"
answers = ["entrapment neuropathy", "entrapment"]

[[cards]]
id = "choice"
kind = "choice"
front = "Which cell myelinates peripheral axons?"
answer = "Schwann cell"
distractors = ["Oligodendrocyte", "Astrocyte"]

[[cards]]
id = "cloze"
kind = "cloze"
text = "Denervated muscle shows {{c1::fibrillation::a potential}} on EMG."

[[cards]]
id = "rev"
kind = "reversed"
front = "Neurapraxia"
back = "Conduction block without axon loss"

[[compare]]
id = "seddon"
title = "Seddon classes"
items = ["Neurapraxia", "Axonotmesis", "Neurotmesis"]
[compare.facets]
"Recovery" = ["Complete, weeks", "Slow regrowth", "Only after repair"]
"""


@pytest.fixture
def demo(col: Collection, tmp_path: Path) -> Collection:
    """`col` with the demo deck loaded."""
    col.load([write_deck(tmp_path / "demo.toml", DECK)])
    return col


def only_kind(col: Collection, kind: str) -> int:
    """Suspend every card but the first of `kind`; return its id."""
    cards = col.search("")
    keep = next(c.id for c in cards if c.content.kind.value == kind)
    col.set_suspended([c.id for c in cards if c.id != keep], True)
    return keep


def drive(
    app: object, script: Callable[[Pilot[None]], Awaitable[None]], size: tuple[int, int] = (80, 24)
) -> None:
    """Run `script` against `app` in a headless terminal of `size`."""
    from trainer.tui.app import TrainerApp

    assert isinstance(app, TrainerApp)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await script(pilot)

    asyncio.run(main())


def screen_text(app: object) -> str:
    """The characters on the terminal screen, line by line (what the learner reads)."""
    from textual.app import App

    assert isinstance(app, App)
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)
