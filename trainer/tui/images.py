"""A card's images drawn inline, where the terminal has an image protocol (kitty's graphics
protocol or sixel), through `textual-image`; elsewhere nothing is drawn and the card keeps its
literal `[image: NAME]` placeholder (`o` opens the file in the system viewer).

Only files the card lists in its media (what trainer resolved when it imported the card)
and that lie in the collection's media folder are drawn: nothing in a card's text is
interpreted. The protocol is chosen before the app starts, from the environment
(`TRAINER_IMAGES=auto|kitty|sixel|off`, default auto: kitty's graphics protocol in kitty,
sixel in terminals known to draw it), because textual-image asks the terminal what it
supports when it is imported, which cannot be done once Textual reads the keyboard. Without
the optional `textual-image` package (`pip install 'trainer[images]'`), or when the terminal
does not answer, images are simply not drawn.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"})
PROTOCOLS = ("kitty", "sixel")
SIXEL_TERMINALS = frozenset({"foot", "foot-extra", "mlterm", "yaft-256color", "contour"})
SIXEL_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "mintty"})

_protocol: str | None = None


def wanted_protocol(env: Mapping[str, str]) -> str | None:
    """The image protocol to use in the terminal `env` describes, or None (see the module)."""
    choice = env.get("TRAINER_IMAGES", "auto").strip().lower()
    if choice in PROTOCOLS:
        return choice
    if choice != "auto":
        return None  # off, or a value this version does not know
    if env.get("TMUX") or env.get("STY"):
        return None  # tmux and screen do not pass image data through by default
    term = env.get("TERM", "")
    if term == "xterm-kitty" or env.get("KITTY_WINDOW_ID"):
        return "kitty"
    if term in SIXEL_TERMINALS or "sixel" in term or env.get("TERM_PROGRAM", "") in SIXEL_PROGRAMS:
        return "sixel"
    if env.get("KONSOLE_VERSION") or env.get("WT_SESSION"):
        return "sixel"
    return None


def prepare(env: Mapping[str, str] | None = None) -> str | None:
    """Choose the protocol and load textual-image (call before the app starts); the protocol
    in use, or None when images are not drawn."""
    global _protocol
    _protocol = None
    protocol = wanted_protocol(os.environ if env is None else env)
    if protocol is None:
        return None
    try:
        import textual_image.widget  # noqa: F401  (asks the terminal once, on import)
    except Exception:  # not installed, no Pillow, a terminal that answers oddly: no images
        return None
    _protocol = protocol
    return protocol


def protocol() -> str | None:
    """The protocol chosen by `prepare`, or None."""
    return _protocol


def force(chosen: str | None) -> None:
    """Use `chosen` whatever the terminal (tests, and a learner's `TRAINER_IMAGES`)."""
    global _protocol
    if chosen is not None and chosen not in PROTOCOLS:
        raise ValueError(f"unknown image protocol {chosen!r} (use {', '.join(PROTOCOLS)})")
    _protocol = chosen


def image_files(folder: Path | None, media: Sequence[str]) -> list[Path]:
    """The card's image files that exist in the media folder (names never leave it)."""
    if folder is None:
        return []
    root = folder.resolve()
    found = []
    for name in media:
        path = (root / Path(name).name).resolve()
        if path.suffix.lower() in IMAGE_SUFFIXES and path.parent == root and path.is_file():
            found.append(path)
    return found


def image_widget(path: Path) -> Widget | None:
    """A widget drawing `path` with the chosen protocol, or None when images are not drawn."""
    if _protocol is None:
        return None
    try:
        from textual_image.widget import SixelImage, TGPImage

        widget: Widget = TGPImage(path) if _protocol == "kitty" else SixelImage(path)
    except Exception:  # an unreadable image: the placeholder and `o` remain
        return None
    widget.add_class("card-image")
    widget.tooltip = path.name
    return widget


def card_image_widgets(
    folder: Path | None, media: Sequence[str], question: str, *, answer_side: bool
) -> list[Widget]:
    """The image widgets of one side of a card: the question side draws the images whose
    `[image: NAME]` the question shows, the answer side all the others."""
    files = image_files(folder, media)
    asked = [f for f in files if f"[image: {f.name}]" in question]
    shown = [f for f in files if f not in asked] if answer_side else asked
    return [w for w in map(image_widget, shown) if w is not None]
