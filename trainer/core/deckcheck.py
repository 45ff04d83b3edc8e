"""Checking a deck file's parsed TOML and expanding it into cards, every problem with its line.

`tomli` gives no positions, so `TableLines` finds the line of each table and key in the
text; `DeckValidator` walks the data, collects every problem as a `DeckError` and builds
the `DeckSpec` with the study cards the file generates.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from trainer.core.cards import CardContent, CardKind, clean_text, cloze_numbers
from trainer.core.compare import DIRECTIONS, CompareSet, expand
from trainer.core.deckspec import (
    CARD_KEYS,
    COMPARE_KEYS,
    DECK_KEYS,
    ID_RE,
    SOURCE_KEYS,
    CardSpec,
    DeckError,
    DeckFileError,
    DeckSpec,
    SourceSpec,
)
from trainer.core.limits import MAX_FIELD_CHARS, MAX_LIST_ITEMS, deck_name_problem

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?")
_KEY_RE = re.compile(r'^\s*(?:"([^"]*)"|([A-Za-z0-9_-]+))\s*=')


class TableLines:
    """Finds the line of each table and key, since tomllib gives no positions."""

    def __init__(self, text: str) -> None:
        # TOML lines end at \n only: str.splitlines() would also break at \x85, \u2028 and
        # other characters a string value may hold, and every line number after them would drift.
        self.lines = text.replace("\r\n", "\n").split("\n")
        self.headers: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            if "[" not in line:  # most lines are keys: skip the regular expression
                continue
            match = _HEADER_RE.match(line)
            if match:
                name = match.group(2).replace(" ", "")
                self.headers.setdefault(name, []).append(number)
        self._all = sorted(n for ns in self.headers.values() for n in ns)
        self._keys: dict[int, dict[str, int]] = {}

    def table(self, name: str, index: int) -> int:
        found = self.headers.get(name, [])
        return found[index] if index < len(found) else 1

    def subtable(self, parent_line: int, name: str, parent: str) -> int:
        """The line of sub-table `name` belonging to the parent table at `parent_line`."""
        next_parent = next((n for n in self.headers.get(parent, []) if n > parent_line), 10**9)
        found = [n for n in self.headers.get(name, []) if parent_line < n < next_parent]
        return found[0] if found else parent_line

    def key(self, table_line: int, key: str) -> int:
        """The line of `key = ...` inside the table starting at `table_line`."""
        keys = self._keys.get(table_line)
        if keys is None:
            keys = self._keys[table_line] = self._scan_keys(table_line)
        return keys.get(key, table_line)

    def _scan_keys(self, table_line: int) -> dict[str, int]:
        position = bisect.bisect_right(self._all, table_line)
        end = self._all[position] if position < len(self._all) else len(self.lines) + 1
        keys: dict[str, int] = {}
        for number in range(table_line + 1, end):
            match = _KEY_RE.match(self.lines[number - 1])
            if match:
                keys.setdefault(match.group(1) or match.group(2), number)
        return keys


class DeckValidator:
    """Checks the parsed TOML and expands it into cards, collecting every error."""

    def __init__(self, data: dict[str, Any], lines: TableLines, filename: str) -> None:
        self.data = data
        self.lines = lines
        self.file = filename
        self.errors: list[DeckError] = []
        self.seen_ids: dict[str, int] = {}
        self.source_titles: dict[str, str] = {}

    def error(self, line: int, message: str) -> None:
        self.errors.append(DeckError(self.file, line, message))

    def run(self) -> DeckSpec:
        deck = self._deck()
        for index, raw in enumerate(_table_list(self.data, "cards")):
            deck.cards.extend(self._card(raw, index))
        for index, raw in enumerate(_table_list(self.data, "compare")):
            deck.cards.extend(self._compare(raw, index))
        for key in self.data:
            if key not in {"deck", "cards", "compare"}:
                self.error(
                    1, f"unknown top-level key '{_short(key)}' (expected [deck], [[cards]], [[compare]])"
                )
        if not isinstance(self.data.get("cards", []), list):
            self.error(self.lines.table("cards", 0), "'cards' must be an array of tables [[cards]]")
        if not deck.cards and not self.errors:
            self.error(1, "the deck has no cards")
        if self.errors:
            self.errors.sort(key=lambda e: e.line)
            raise DeckFileError(self.errors)
        return deck

    def _deck(self) -> DeckSpec:
        raw = self.data.get("deck")
        line = self.lines.table("deck", 0)
        if not isinstance(raw, dict):
            self.error(1, "missing [deck] table")
            return DeckSpec(id="", name="", path=self.file)
        for key in raw:
            if key not in DECK_KEYS:
                self.error(self.lines.key(line, key), f"unknown key '{_short(key)}' in [deck]")
        deck_id = self._str(raw, "id", line, "[deck]", required=True)
        if deck_id and not ID_RE.match(deck_id):
            self.error(self.lines.key(line, "id"), f"deck id '{deck_id}' must match {ID_RE.pattern}")
        name = self._str(raw, "name", line, "[deck]", required=True)
        if name and any(not part.strip() for part in name.split("::")):
            self.error(self.lines.key(line, "name"), f"deck name '{_short(name)}' has an empty part")
        elif name and deck_name_problem(name):
            self.error(self.lines.key(line, "name"), str(deck_name_problem(name)))
        spec = DeckSpec(
            id=deck_id,
            name="::".join(part.strip() for part in name.split("::")),
            path=self.file,
            description=self._str(raw, "description", line, "[deck]"),
            language=self._str(raw, "language", line, "[deck]"),
            preset=self._str(raw, "preset", line, "[deck]"),
        )
        sources = raw.get("sources", [])
        if not isinstance(sources, list):
            self.error(line, "'deck.sources' must be an array of tables [[deck.sources]]")
            sources = []
        for index, source in enumerate(sources):
            sline = self.lines.table("deck.sources", index)
            if not isinstance(source, dict):
                self.error(sline, "each [[deck.sources]] entry must be a table")
                continue
            for key in source:
                if key not in SOURCE_KEYS:
                    self.error(self.lines.key(sline, key), f"unknown key '{_short(key)}' in [[deck.sources]]")
            sid = self._str(source, "id", sline, "[[deck.sources]]", required=True)
            title = self._str(source, "title", sline, "[[deck.sources]]", required=True)
            if sid in self.source_titles:
                self.error(self.lines.key(sline, "id"), f"duplicate source id '{sid}'")
            self.source_titles[sid] = title
            spec.sources.append(
                SourceSpec(
                    id=sid,
                    title=title,
                    file=self._str(source, "file", sline, "[[deck.sources]]"),
                    note=self._str(source, "note", sline, "[[deck.sources]]"),
                )
            )
        return spec

    def _str(self, raw: dict[str, Any], key: str, line: int, where: str, *, required: bool = False) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                self.error(line, f"{where} is missing '{key}'")
            return ""
        if not isinstance(value, str):
            self.error(self.lines.key(line, key), f"'{key}' must be a string")
            return ""
        if len(value) > MAX_FIELD_CHARS:
            self.error(self.lines.key(line, key), f"'{_short(key)}' is too long ({len(value)} characters)")
            return ""
        value = clean_text(value).strip()
        if required and not value:
            self.error(self.lines.key(line, key), f"'{key}' is empty")
        return value

    def _str_list(self, raw: dict[str, Any], key: str, line: int) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(self.lines.key(line, key), f"'{key}' must be a list of strings")
            return []
        if len(value) > MAX_LIST_ITEMS or any(len(v) > MAX_FIELD_CHARS for v in value):
            self.error(self.lines.key(line, key), f"'{key}' is too long")
            return []
        return [clean_text(v).strip() for v in value]

    def _register_id(self, raw: dict[str, Any], line: int, what: str) -> str:
        card_id = self._str(raw, "id", line, what, required=True)
        if not card_id:
            return ""
        if not ID_RE.match(card_id):
            self.error(self.lines.key(line, "id"), f"id '{card_id}' must match {ID_RE.pattern}")
        elif card_id in self.seen_ids:
            first = self.lines.key(self.seen_ids[card_id], "id")
            self.error(self.lines.key(line, "id"), f"duplicate id '{card_id}' (first used on line {first})")
        else:
            self.seen_ids[card_id] = line  # the table's line; key lines are found only for errors
        return card_id

    def _citation(self, raw: dict[str, Any], line: int) -> str:
        source = self._str(raw, "source", line, "")
        section = self._str(raw, "section", line, "")
        if source and source not in self.source_titles:
            self.error(
                self.lines.key(line, "source"),
                f"unknown source '{_short(source)}' (not in [[deck.sources]])",
            )
            return ""
        title = self.source_titles.get(source, "")
        return f"{title} ({section})" if title and section else title or section

    def _card(self, raw: Any, index: int) -> list[CardSpec]:
        line = self.lines.table("cards", index)
        if not isinstance(raw, dict):
            self.error(line, "each [[cards]] entry must be a table")
            return []
        for key in raw:
            if key not in CARD_KEYS:
                self.error(self.lines.key(line, key), f"unknown key '{_short(key)}' in [[cards]]")
        card_id = self._register_id(raw, line, "[[cards]]")
        kind_name = raw.get("kind", "basic")
        try:
            kind = CardKind(kind_name)
        except ValueError:
            kinds = ", ".join(k.value for k in CardKind)
            self.error(
                self.lines.key(line, "kind"),
                f"unknown kind '{_short(kind_name)}' (expected one of: {kinds})",
            )
            return []
        tags = tuple(self._str_list(raw, "tags", line))
        citation = self._citation(raw, line)
        hint = self._str(raw, "hint", line, "")
        note = self._str(raw, "note", line, "")
        base = self._deck_id() + "/" + card_id
        errors_before = len(self.errors)
        contents = self._contents(kind, raw, line, hint, note)
        if len(self.errors) > errors_before or not card_id:
            return []
        return [
            CardSpec(
                external_id=base + suffix,
                content=content,
                tags=tags,
                source=citation,
                group=base if len(contents) > 1 else "",
                line=line,
            )
            for suffix, content in contents
        ]

    def _contents(
        self, kind: CardKind, raw: dict[str, Any], line: int, hint: str, note: str
    ) -> list[tuple[str, CardContent]]:
        where = f"[[cards]] of kind '{kind.value}'"
        if kind is CardKind.CLOZE:
            text = self._str(raw, "text", line, where, required=True)
            numbers = cloze_numbers(text)
            if text and not numbers:
                self.error(self.lines.key(line, "text"), "cloze text has no {{c1::...}} deletion")
            for match in re.finditer(r"\{\{c\d+::\s*(::|\}\})", text):
                self.error(self.lines.key(line, "text"), f"empty cloze deletion '{match.group(0)}'")
            back = self._str(raw, "back", line, where)
            return [
                (f"#c{n}", CardContent(kind=kind, text=text, cloze_ord=n, note=note or back)) for n in numbers
            ]
        front = self._str(raw, "front", line, where, required=True)
        if kind is CardKind.TYPED:
            answers = self._str_list(raw, "answers", line)
            if not any(answers):
                self.error(self.lines.key(line, "answers"), "typed card needs a non-empty 'answers' list")
            back = self._str(raw, "back", line, where) or (answers[0] if answers else "")
            accepted = tuple(a for a in answers if a)
            typed = CardContent(kind=kind, front=front, back=back, answers=accepted, hint=hint, note=note)
            return [("", typed)]
        if kind is CardKind.CHOICE:
            answer = self._str(raw, "answer", line, where, required=True)
            distractors = [d for d in self._str_list(raw, "distractors", line) if d]
            if not distractors:
                self.error(
                    self.lines.key(line, "distractors"),
                    "choice card needs a non-empty 'distractors' list",
                )
            if answer and answer in distractors:
                self.error(self.lines.key(line, "distractors"), "a distractor equals the answer")
            if len(set(distractors)) != len(distractors):
                self.error(self.lines.key(line, "distractors"), "duplicate distractors")
            choice = CardContent(
                kind=kind, front=front, back=answer, distractors=tuple(distractors), hint=hint, note=note
            )
            return [("", choice)]
        back = self._str(raw, "back", line, where, required=True)
        forward = CardContent(kind=kind, front=front, back=back, hint=hint, note=note)
        if kind is CardKind.REVERSED:
            reverse = CardContent(kind=kind, front=back, back=front, note=note)
            return [("", forward), ("#rev", reverse)]
        return [("", forward)]

    def _deck_id(self) -> str:
        deck = self.data.get("deck")
        value = deck.get("id", "") if isinstance(deck, dict) else ""
        return value if isinstance(value, str) else ""

    def _compare(self, raw: Any, index: int) -> list[CardSpec]:
        line = self.lines.table("compare", index)
        if not isinstance(raw, dict):
            self.error(line, "each [[compare]] entry must be a table")
            return []
        for key in raw:
            if key not in COMPARE_KEYS:
                self.error(self.lines.key(line, key), f"unknown key '{_short(key)}' in [[compare]]")
        set_id = self._register_id(raw, line, "[[compare]]")
        title = self._str(raw, "title", line, "[[compare]]", required=True)
        items = self._str_list(raw, "items", line)
        if len(items) < 2 or not all(items):
            self.error(self.lines.key(line, "items"), "a compare set needs at least 2 non-empty items")
        if len(set(items)) != len(items):
            self.error(self.lines.key(line, "items"), "duplicate items in compare set")
        facets = raw.get("facets")
        facet_line = self.lines.subtable(line, "compare.facets", "compare")
        if not isinstance(facets, dict) or not facets:
            self.error(line, "a compare set needs a non-empty 'facets' table")
            facets = {}
        tags = tuple(self._str_list(raw, "tags", line))
        citation = self._citation(raw, line)
        table: dict[str, list[str]] = {}
        for facet, values in facets.items():
            key_line = self.lines.key(facet_line, facet)
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                self.error(key_line, f"facet '{facet}' must be a list of strings")
            elif len(values) != len(items):
                self.error(
                    key_line,
                    f"facet '{facet}' has {len(values)} values for {len(items)} items (ragged compare table)",
                )
            elif not all(v.strip() for v in values):
                self.error(key_line, f"facet '{facet}' has an empty value")
            else:
                table[clean_text(facet).strip()] = [clean_text(v).strip() for v in values]
        directions = self._directions(raw, line, [clean_text(str(f)).strip() for f in facets])
        if self.errors or not set_id:
            return []
        spec = CompareSet(f"{self._deck_id()}/{set_id}", title, items, table, directions)
        base = spec.base
        return [CardSpec(card_id, content, tags, citation, base, line) for card_id, content in expand(spec)]

    def _directions(self, raw: dict[str, Any], line: int, facets: list[str]) -> dict[str, str]:
        """The author's `directions`: one for the whole set (a string) or per facet (a table)."""
        value = raw.get("directions")
        if value is None:
            return {}
        choices = ", ".join(f"'{d}'" for d in DIRECTIONS)
        if isinstance(value, str):
            if value not in DIRECTIONS:
                self.error(
                    self.lines.key(line, "directions"), f"directions '{value}' must be one of {choices}"
                )
                return {}
            return dict.fromkeys(facets, value)
        if not isinstance(value, dict):
            self.error(self.lines.key(line, "directions"), "'directions' must be a string or a table")
            return {}
        table_line = self.lines.subtable(line, "compare.directions", "compare")
        chosen: dict[str, str] = {}
        for facet, direction in value.items():
            key_line = self.lines.key(table_line, facet)
            if clean_text(facet).strip() not in facets:
                self.error(key_line, f"directions name facet '{facet}', which the set does not have")
            elif direction not in DIRECTIONS:
                self.error(key_line, f"direction of facet '{facet}' must be one of {choices}")
            else:
                chosen[clean_text(facet).strip()] = direction
        return chosen


def _short(text: Any) -> str:
    """A key or value for a message: never the whole of a huge one."""
    shown = str(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _table_list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    return value if isinstance(value, list) else []
