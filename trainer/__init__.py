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
    "Rating",
    "SchemaError",
    "TrainerError",
    "open_collection",
]
_LAZY = {
    "Collection": "trainer.collection",
    "open_collection": "trainer.collection",
    "Rating": "trainer.core.scheduling",
}

if TYPE_CHECKING:
    from trainer.collection import Collection, open_collection
    from trainer.core.scheduling import Rating


def __getattr__(name: str) -> Any:
    # Lazy, so `import trainer.core` stays free of SQLAlchemy (and `import trainer` of FSRS).
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
