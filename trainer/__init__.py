"""trainer: a terminal flashcard and quiz trainer with FSRS spaced repetition.

>>> import trainer
>>> with trainer.open_collection("my.sqlite3") as col:
...     card = col.next_card()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trainer.errors import ImportRefusedError, InvalidInputError, NotFoundError, SchemaError, TrainerError

__version__ = "0.1.0"
__all__ = [
    "Collection",
    "ImportRefusedError",
    "InvalidInputError",
    "NotFoundError",
    "SchemaError",
    "TrainerError",
    "open_collection",
]
_LAZY = ("Collection", "open_collection")

if TYPE_CHECKING:
    from trainer.collection import Collection, open_collection


def __getattr__(name: str) -> Any:
    # Lazy, so `import trainer.core` stays free of SQLAlchemy.
    if name in _LAZY:
        from trainer import collection

        return getattr(collection, name)
    raise AttributeError(name)
