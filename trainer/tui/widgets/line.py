"""A one-line status widget whose updates repaint it without laying the screen out again."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class Line(Widget):
    """One line of literal text (`Text`, never markup) at a fixed height of 1.

    `Static.update` asks for a new layout of the whole screen on every change; a line of
    fixed height only needs itself repainted, which keeps the answer-to-next-card path short.
    """

    DEFAULT_CSS = "Line { height: 1; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()

    @property
    def text(self) -> Text:
        """What the line shows."""
        return self._text

    def show(self, text: Text) -> None:
        """Show `text`; repaint only when it changed."""
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text
