"""Browse queries in Anki's syntax (pure: parsing, and matching one card's facts).

    nerve deck:Denervation::* (tag:recovery OR tag:seddon) -is:suspended prop:ivl>=10

Terms next to each other must all match; `OR` (or `or`) between terms or groups lets
either match (AND binds tighter, as in Anki); parentheses group; a leading `-` negates a
term or a group. A bare word or "quoted phrase" matches the card's visible text (question,
answer, options, hint, note; not tags or field names), case-insensitively; `*` matches any
run of characters there and in deck and tag names. Fields:

- `deck:Name` (its subdecks too; `deck:Name::*` only the subdecks), `tag:topic` (also
  `topic::sub`), `kind:cloze`, `flag:0-7`
- `is:due|new|learn|review|suspended|buried|leech`
- `prop:ivl|due|reps|lapses|s|d` with `= != < <= > >=` and a number (days for ivl and due)
- `rated:N` / `rated:N:R` (answered in the last N days, with rating R), `added:N`

Anki searches trainer does not support (`nid:`, `re:`, `dupe:`, note fields...) raise a
`QueryError` that says so, instead of silently searching for the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from trainer.errors import InvalidInputError

Field = Literal["text", "deck", "tag", "is", "kind", "flag", "prop", "rated", "added"]
FIELDS: tuple[str, ...] = ("deck", "tag", "is", "kind", "flag", "prop", "rated", "added")
IS_VALUES: tuple[str, ...] = ("due", "new", "learn", "review", "suspended", "buried", "leech")
IS_ALIASES = {"learning": "learn"}
KIND_VALUES: tuple[str, ...] = ("basic", "reversed", "cloze", "typed", "choice")
PROPS: dict[str, str] = {"ivl": "ivl", "due": "due", "reps": "reps", "lapses": "lapses",
                         "s": "s", "stability": "s", "d": "d", "difficulty": "d"}  # fmt: skip
UNSUPPORTED = ("nid", "cid", "mid", "note", "card", "re", "dupe", "nc", "w", "edited", "introduced",
               "resched", "preset", "front", "back", "text", "sort", "did", "ord")  # fmt: skip

_TOKEN_RE = re.compile(r'\s*(?:(-?\()|(\))|(-?)(?:([A-Za-z_]+):)?(?:"((?:[^"\\]|\\.)*)"?|([^\s()"]+)))')
_PROP_RE = re.compile(r"^([a-z]+)(<=|>=|!=|=|<|>)(-?\d+(?:\.\d+)?)$")


class QueryError(InvalidInputError):
    """A query that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Term:
    """One condition."""

    field: Field
    value: str
    negated: bool = False


@dataclass(frozen=True)
class Group:
    """Conditions joined by AND or OR."""

    op: Literal["and", "or"]
    items: tuple[Node, ...]
    negated: bool = False


Node = Term | Group


@dataclass(frozen=True)
class Query:
    """A parsed query (an empty one matches every card)."""

    root: Node | None = None

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms of a query that is a plain AND of terms (no OR, no groups)."""
        if self.root is None:
            return ()
        if isinstance(self.root, Term):
            return (self.root,)
        if (
            self.root.op == "and"
            and not self.root.negated
            and all(isinstance(i, Term) for i in self.root.items)
        ):
            return tuple(i for i in self.root.items if isinstance(i, Term))
        raise ValueError("the query has OR or groups: use .root")

    def __str__(self) -> str:
        return "" if self.root is None else _text(self.root, top=True)


def _text(node: Node, *, top: bool = False) -> str:
    sign = "-" if node.negated else ""
    if isinstance(node, Term):
        value = f'"{node.value}"' if " " in node.value or not node.value else node.value
        return sign + ("" if node.field == "text" else f"{node.field}:") + value
    inner = (" OR " if node.op == "or" else " ").join(_text(i) for i in node.items)
    return inner if top and not node.negated else f"{sign}({inner})"


# -- parsing -----------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, object]]:
    """("open", negated) / ("close", None) / ("or", None) / ("and", None) / ("term", Term)."""
    found: list[tuple[str, object]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None or match.end() == position:
            raise QueryError(f"cannot read the query from '{text[position:]}'")
        position = match.end()
        opening, closing, minus, name, quoted, bare = match.groups()
        if opening:
            found.append(("open", opening.startswith("-")))
        elif closing:
            found.append(("close", None))
        elif name is None and quoted is None and not minus and bare in ("OR", "or"):
            found.append(("or", None))
        elif name is None and quoted is None and not minus and bare in ("AND", "and"):
            found.append(("and", None))
        else:
            value = quoted.replace('\\"', '"') if quoted is not None else bare or ""
            term = _term(name, value, minus == "-")
            if term is not None:
                found.append(("term", term))
    return found


def _term(name: str | None, value: str, negated: bool) -> Term | None:
    if name is None:
        if value.endswith(":") and value[:-1].lower() in FIELDS:
            raise QueryError(f"'{value}' needs a value")
        return Term("text", value, negated) if value else None
    key = name.lower()
    if key in FIELDS:
        return _field_term(key, value, negated)
    if key in UNSUPPORTED:
        raise QueryError(f"'{name}:' searches are not supported (see the help: ? in the browser)")
    return Term("text", f"{name}:{value}", negated)  # `10:30`, `http://x`: plain text


def _field_term(name: str, value: str, negated: bool) -> Term:
    if not value:
        raise QueryError(f"'{name}:' needs a value")
    if name == "is":
        value = IS_ALIASES.get(value.lower(), value.lower())
        if value not in IS_VALUES:
            raise QueryError(f"unknown 'is:{value}' (use {', '.join(IS_VALUES)})")
    elif name == "kind":
        value = value.lower()
        if value not in KIND_VALUES:
            raise QueryError(f"unknown 'kind:{value}' (use {', '.join(KIND_VALUES)})")
    elif name == "flag":
        if not (value.isdigit() and 0 <= int(value) <= 7):
            raise QueryError(f"'flag:{value}': use a number from 0 (no flag) to 7")
    elif name == "prop":
        parsed = _PROP_RE.match(value.lower())
        if parsed is None or parsed.group(1) not in PROPS:
            raise QueryError(
                f"'prop:{value}': use prop:ivl, due, reps, lapses, s or d, then = != < <= > >= and a number"
            )
    elif name in ("rated", "added"):
        parts = value.split(":")
        if not parts[0].isdigit() or int(parts[0]) < 1 or len(parts) > (2 if name == "rated" else 1):
            raise QueryError(f"'{name}:{value}': use {name}:N with N days (1 = today)" + (
                ", or rated:N:R with R a rating 1-4" if name == "rated" else ""))  # fmt: skip
        if len(parts) == 2 and parts[1] not in ("1", "2", "3", "4"):
            raise QueryError(f"'rated:{value}': the rating must be 1-4")
    return Term(name, value, negated)  # type: ignore[arg-type]


def parse_query(text: str) -> Query:
    """Parse a browse query; raises `QueryError` saying what is wrong."""
    tokens = _tokens(text)
    if not tokens:
        return Query()
    node, rest = _parse_or(tokens, 0)
    if rest < len(tokens):
        raise QueryError("a ')' without its '('")
    return Query(node)


def _parse_or(tokens: list[tuple[str, object]], index: int) -> tuple[Node, int]:
    items: list[Node] = []
    node, index = _parse_and(tokens, index)
    items.append(node)
    while index < len(tokens) and tokens[index][0] == "or":
        node, index = _parse_and(tokens, index + 1)
        items.append(node)
    return (items[0] if len(items) == 1 else Group("or", tuple(items))), index


def _parse_and(tokens: list[tuple[str, object]], index: int) -> tuple[Node, int]:
    items: list[Node] = []
    while index < len(tokens):
        kind, payload = tokens[index]
        if kind == "and":
            index += 1
            continue
        if kind in ("or", "close"):
            break
        if kind == "open":
            inner, index = _parse_or(tokens, index + 1)
            if index >= len(tokens) or tokens[index][0] != "close":
                raise QueryError("a '(' without its ')'")
            index += 1
            if payload:  # -( ... )
                inner = Group(inner.op, inner.items, True) if isinstance(inner, Group) else _negate(inner)
            items.append(inner)
            continue
        assert isinstance(payload, Term)
        items.append(payload)
        index += 1
    if not items:
        raise QueryError(
            "OR needs a search on each side" if index < len(tokens) else "the query ends too early"
        )
    return (items[0] if len(items) == 1 else Group("and", tuple(items))), index


def _negate(term: Term) -> Term:
    return Term(term.field, term.value, not term.negated)


# -- matching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardFacts:
    """What a query can ask about one card (computed by the browse service)."""

    text: str  # the visible fields, one a line
    tags: tuple[str, ...]
    deck: str
    kind: str
    queue: int  # 0 new, 1 learning, 2 review, 3 relearning, -1 suspended, -2 buried
    due_today: bool  # learning or review, due before the next day starts
    due_in_days: int | None  # study days from today to the due day (negative: overdue)
    interval_days: int | None
    flag: int
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None
    added_days_ago: int  # 0 = today
    rated: tuple[tuple[int, int], ...] = ()  # (days ago, rating) of answers in the window asked


def glob_regex(pattern: str) -> re.Pattern[str]:
    """`*` as any run of characters, everything else literal, case-insensitive."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.IGNORECASE | re.DOTALL)


def deck_matches(pattern: str, deck: str) -> bool:
    """`deck:pattern`: the deck or one of its parents matches (so subdecks are included)."""
    regex = glob_regex(pattern)
    parts = deck.split("::")
    return any(regex.fullmatch("::".join(parts[:n])) for n in range(1, len(parts) + 1))


def tag_matches(pattern: str, tags: tuple[str, ...]) -> bool:
    """`tag:pattern`: a tag or one of its parents (`topic` for `topic::sub`) matches."""
    regex = glob_regex(pattern)
    for tag in tags:
        parts = tag.split("::")
        if any(regex.fullmatch("::".join(parts[:n])) for n in range(1, len(parts) + 1)):
            return True
    return False


def _compare(value: float | None, op: str, wanted: float) -> bool:
    if value is None:
        return False
    return {"=": value == wanted, "!=": value != wanted, "<": value < wanted, "<=": value <= wanted,
            ">": value > wanted, ">=": value >= wanted}[op]  # fmt: skip


def _term_matches(term: Term, card: CardFacts) -> bool:
    field, value = term.field, term.value
    if field == "text":
        return glob_regex(value).search(card.text) is not None
    if field == "deck":
        return deck_matches(value, card.deck)
    if field == "tag":
        return tag_matches(value, card.tags)
    if field == "kind":
        return card.kind == value
    if field == "flag":
        return card.flag == int(value)
    if field == "is":
        return {
            "due": card.due_today, "new": card.queue == 0, "learn": card.queue in (1, 3),
            "review": card.queue == 2 or (card.queue in (-1, -2) and card.interval_days is not None),
            "suspended": card.queue == -1, "buried": card.queue == -2, "leech": "leech" in card.tags,
        }[value]  # fmt: skip
    if field == "prop":
        parsed = _PROP_RE.match(value.lower())
        assert parsed is not None
        name, op, number = PROPS[parsed.group(1)], parsed.group(2), float(parsed.group(3))
        actual = {"ivl": card.interval_days, "due": card.due_in_days, "reps": card.reps,
                  "lapses": card.lapses, "s": card.stability, "d": card.difficulty}[name]  # fmt: skip
        return _compare(actual, op, number)
    if field == "added":
        return card.added_days_ago < int(value)
    parts = value.split(":")  # rated
    days, rating = int(parts[0]), (int(parts[1]) if len(parts) > 1 else None)
    return any(ago < days and (rating is None or r == rating) for ago, r in card.rated)


def matches(node: Node | None, card: CardFacts) -> bool:
    """Whether `card` matches the query node."""
    if node is None:
        return True
    if isinstance(node, Term):
        found = _term_matches(node, card)
    elif node.op == "and":
        found = all(matches(item, card) for item in node.items)
    else:
        found = any(matches(item, card) for item in node.items)
    return found != node.negated


def rated_window(node: Node | None) -> int:
    """The most days any `rated:` term of the query looks back (0 when none)."""
    if node is None:
        return 0
    if isinstance(node, Term):
        return int(node.value.split(":")[0]) if node.field == "rated" else 0
    return max((rated_window(item) for item in node.items), default=0)
