"""The errors trainer raises for its users: one root, a few kinds.

Everything a learner can cause (a missing deck, a bad value, a file that cannot be imported,
a collection this version cannot open) raises a `TrainerError`. The CLI prints its message
on one line and exits 1; the TUI shows it as a notification. Any other exception is a bug.

The kinds also derive from the built-in exception they refine (`LookupError`,
`ValueError`), so code written against those keeps working. This module imports nothing
from trainer, so every layer (core included) can use it.
"""

from __future__ import annotations


class TrainerError(Exception):
    """Something the user can be told in one line; `str(error)` is that line."""


class NotFoundError(TrainerError, LookupError):
    """A card, deck, preset or file that does not exist."""

    def __str__(self) -> str:
        # LookupError quotes its argument (KeyError style); a user wants the plain message.
        return str(self.args[0]) if self.args else ""


class CollectionBusyError(TrainerError):
    """The collection stayed locked for writing by another program past the busy timeout (the
    write did not happen; trying again later works)."""


class InvalidInputError(TrainerError, ValueError):
    """A value, argument or setting that trainer cannot use."""


class ImportRefusedError(InvalidInputError):
    """A file that cannot be imported; the message names the file and the place in it."""


class SchemaError(TrainerError):
    """The collection cannot be opened by this version of trainer."""


__all__ = ["ImportRefusedError", "InvalidInputError", "NotFoundError", "SchemaError", "TrainerError"]
