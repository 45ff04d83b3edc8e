"""Building frozen dataclass instances on the study path without their generated __init__.

A frozen dataclass's __init__ sets each field with its own `object.__setattr__` call. For
every card shown, the study path builds a card view, its content and scheduling state and
four previewed outcomes: those assignments were a good share of the time Anki's
backend was compared against (docs/PERFORMANCE.md). `build` gives the instance its field
dict in one step instead. The result is the same instance - fields, equality, hash, repr -
for a dataclass without `__slots__` or `__post_init__`, given every field
(tests/core/test_frozen.py checks each class built this way).
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")

_new = object.__new__
_set = object.__setattr__


def build(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the frozen dataclass `cls` holding `fields` (every field, by name)."""
    made: T = _new(cls)
    _set(made, "__dict__", fields)
    return made
