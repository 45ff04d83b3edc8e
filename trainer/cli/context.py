"""The per-invocation context: the collection, opened on first use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trainer.cli.common import clock

if TYPE_CHECKING:
    from trainer.collection import Collection

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """Holds `--db` and the open collection."""

    def __init__(self, target: str | None) -> None:
        self.target = target
        self._collection: Collection | None = None

    @property
    def collection(self) -> Collection:
        """The collection, opened (and created or upgraded) on first use."""
        if self._collection is None:
            from trainer.collection import open_collection

            self._collection = open_collection(self.target, clock=clock)
            for warning in self._collection.maintenance.startup_warnings():
                click.echo(f"trainer: warning: {warning}", err=True)
        return self._collection

    def sqlite_file(self) -> Path | None:
        """The SQLite collection file `--db` names (without opening it); None for a server URL."""
        from trainer.paths import default_collection

        text = str(self.target) if self.target is not None else str(default_collection())
        if "://" in text:
            return None
        try:
            return Path(text).expanduser()
        except RuntimeError:  # `~nouser/...`: opening the collection says so
            self.collection  # noqa: B018
            raise

    def close(self) -> None:
        """Close the collection if it was opened."""
        if self._collection is not None:
            self._collection.close()
            self._collection = None


pass_context = click.make_pass_decorator(Context)
