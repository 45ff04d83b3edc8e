"""Images inline where the terminal has an image protocol; elsewhere the literal placeholder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from textual.containers import Vertical
from textual.pilot import Pilot

from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.tui import images
from trainer.tui.app import Start, TrainerApp

pytest.importorskip("textual_image", reason="textual-image (with Pillow) comes with the test extra")
PIL = pytest.importorskip("PIL.Image")


@pytest.fixture(autouse=True)
def no_protocol() -> Iterator[None]:
    images.force(None)
    yield
    images.force(None)


def with_images(col: Collection) -> int:
    """The basic demo card, showing `heart.png` in its question and listing `scan.png` and a
    name that tries to leave the media folder."""
    card_id = only_kind(col, "basic")
    folder = col.media_folder()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    for name, colour in (("heart.png", (200, 30, 30)), ("scan.png", (30, 30, 200))):
        PIL.new("RGB", (32, 16), colour).save(folder / name)
    (folder.parent / "secret.png").write_bytes((folder / "scan.png").read_bytes())
    card = col.card(card_id)
    content = replace(
        card.content,
        front="Which organ? [image: heart.png] [image: ghost.png]",
        media=("heart.png", "scan.png", "../secret.png"),
    )
    col.edit_card(card_id, content)
    return card_id


def image_names(app: TrainerApp, box: str) -> list[str]:
    return [str(w.tooltip) for w in app.screen.query_one(box, Vertical).children]


def test_without_a_protocol_the_placeholder_stays_and_nothing_is_drawn(demo: Collection) -> None:
    with_images(demo)
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "[image: heart.png] [image: ghost.png]" in text
        assert "o opens heart.png, scan.png, ../secret.png" in text
        assert image_names(app, "#question-images") == image_names(app, "#answer-images") == []

    drive(app, script, size=(100, 40))


@pytest.mark.parametrize("protocol", ["sixel", "kitty"])
def test_a_protocol_draws_the_card_images_inline(demo: Collection, protocol: str) -> None:
    from textual_image.widget import SixelImage, TGPImage

    with_images(demo)
    images.force(protocol)
    app = TrainerApp(demo, start=Start(screen="study"))
    kind = TGPImage if protocol == "kitty" else SixelImage

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert image_names(app, "#question-images") == ["heart.png"]  # where the question shows it
        assert image_names(app, "#answer-images") == []
        await pilot.press("space")
        await pilot.pause()
        assert image_names(app, "#answer-images") == ["scan.png"]  # never ../secret.png, nor ghost.png
        assert all(isinstance(w, kind) for w in app.screen.query(".card-image"))
        assert "[image: heart.png]" in screen_text(app)  # the card's text stays as it is
        await pilot.press("3")  # the card comes back within the learn-ahead: its question side only
        await pilot.pause()
        assert image_names(app, "#question-images") == ["heart.png"]
        assert image_names(app, "#answer-images") == []

    drive(app, script, size=(100, 40))


def test_the_protocol_follows_the_terminal() -> None:
    assert images.wanted_protocol({"TERM": "xterm-kitty"}) == "kitty"
    assert images.wanted_protocol({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}) == "sixel"
    assert images.wanted_protocol({"TERM": "foot"}) == "sixel"
    assert images.wanted_protocol({"TERM": "xterm-256color"}) is None
    assert images.wanted_protocol({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux"}) is None
    assert images.wanted_protocol({"TERM": "xterm-kitty", "TRAINER_IMAGES": "off"}) is None
    assert images.wanted_protocol({"TERM": "dumb", "TRAINER_IMAGES": "sixel"}) == "sixel"
    assert images.prepare({"TERM": "xterm-256color"}) is None and images.protocol() is None
    with pytest.raises(ValueError, match="unknown image protocol"):
        images.force("ascii-art")
