"""Browse queries: `nerve deck:Denervation tag:recovery is:due kind:cloze -"axon loss"` (pure).

Terms are ANDed. A bare word or a "quoted phrase" matches card text and tags; `field:value`
filters on deck (with subdecks), tag, state (`is:`) or kind; a leading `-` negates a term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from trainer.errors import InvalidInputError

Field = Literal["text", "deck", "tag", "is", "kind"]
FIELDS: tuple[str, ...] = ("deck", "tag", "is", "kind")
IS_VALUES: tuple[str, ...] = ("due", "new", "learning", "review", "suspended", "leech", "buried")
KIND_VALUES: tuple[str, ...] = ("basic", "reversed", "cloze", "typed", "choice")

_TOKEN_RE = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')


class QueryError(InvalidInputError):
    """A query that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Term:
    """One condition."""

    field: Field
    value: str
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """All conditions of a query (an empty query matches every card)."""

    terms: tuple[Term, ...] = ()

    def __str__(self) -> str:
        parts = []
        for t in self.terms:
            value = f'"{t.value}"' if " " in t.value or not t.value else t.value
            parts.append(("-" if t.negated else "") + ("" if t.field == "text" else f"{t.field}:") + value)
        return " ".join(parts)


def parse_query(text: str) -> Query:
    """Parse a browse query; raises `QueryError` for an unknown `is:` or `kind:` value."""
    terms: list[Term] = []
    for match in _TOKEN_RE.finditer(text.strip()):
        minus, name, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare or ""
        negated = minus == "-"
        if name is not None and name.lower() in FIELDS:
            terms.append(_field_term(name.lower(), value, negated))
            continue
        if name is None and value.endswith(":") and value[:-1].lower() in FIELDS:
            raise QueryError(f"'{value}' needs a value")
        if name is not None:  # `word:thing` that is no field: plain text
            value = f"{name}:{value}"
        if value:
            terms.append(Term("text", value, negated))
    return Query(tuple(terms))


def _field_term(name: str, value: str, negated: bool) -> Term:
    if not value:
        raise QueryError(f"'{name}:' needs a value")
    if name == "is":
        value = value.lower()
        if value not in IS_VALUES:
            raise QueryError(f"unknown 'is:{value}' (use {', '.join(IS_VALUES)})")
        return Term("is", value, negated)
    if name == "kind":
        value = value.lower()
        if value not in KIND_VALUES:
            raise QueryError(f"unknown 'kind:{value}' (use {', '.join(KIND_VALUES)})")
        return Term("kind", value, negated)
    if name == "deck":
        return Term("deck", value, negated)
    return Term("tag", value, negated)
