"""trainer: a terminal flashcard and quiz trainer with FSRS spaced repetition.

>>> import trainer
>>> with trainer.open_collection("my.sqlite3") as col:
...     card = col.next_card()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Collection", "open_collection"]

if TYPE_CHECKING:
    from trainer.collection import Collection, open_collection


def __getattr__(name: str) -> Any:
    # Lazy, so `import trainer.core` stays free of SQLAlchemy.
    if name in __all__:
        from trainer import collection

        return getattr(collection, name)
    raise AttributeError(name)
