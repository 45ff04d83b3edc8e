"""Our cards as Anki notes: which note type, which fields, which card template each card is.

Anki generates a note's cards from its templates, so a group of our cards can leave as one
note only when a note type reproduces every card of it exactly: a cloze note for the clozes
of one text, a "Basic (and reversed card)" note for a card and its reverse. Any other group
(a compare set, a note with three or more templates from Anki, a choice card beside basic
ones) becomes one note of a generic type with one template per card ("Card 1" shows
`Front 1` and answers `Back 1`, ...), so that every card shows its own question and answer
and siblings stay siblings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from trainer.core.cards import CLOZE_RE, CardContent, CardKind, render
from trainer.formats.model import CardRecord

BASIC, REVERSED, TYPED, CLOZE, MULTI = "basic", "reversed", "typed", "cloze", "multi"


@dataclass(frozen=True)
class NoteShape:
    """One Anki note: its type (`MULTI` types differ by which templates are type-in), fields, cards."""

    kind: str
    fields: list[str]  # plain card text, in the note type's field order
    cards: list[tuple[int, CardRecord]]  # (template ordinal, card)
    key: str  # the stable id the note's GUID derives from
    typed: tuple[bool, ...] = ()  # MULTI: which templates ask for a typed answer

    @property
    def notetype_key(self) -> tuple[str, tuple[bool, ...]]:
        """What identifies the note type this note needs."""
        return (self.kind, self.typed)


def anki_ordinal(record: CardRecord) -> int | None:
    """The card's template ordinal in Anki, when it came from Anki (`anki/<guid>/<ord>`)."""
    if record.external_id.startswith("anki/"):
        tail = record.external_id.rsplit("/", 1)[-1]
        if tail.isdigit():
            return int(tail)
    return None


def choice_question(c: CardContent) -> str:
    """A choice card's question as it leaves for Anki, which has no choice cards: the question, then
    every option on its own line ("A. ...", in alphabetical order: the right one is not always
    first); the answer side names the right option."""
    options = sorted({c.back, *c.distractors}, key=lambda o: (o.casefold(), o))
    listed = "\n".join(f"{chr(65 + i) if i < 26 else i + 1}. {o}" for i, o in enumerate(options))
    return f"{c.front}\n\n{listed}" if options else c.front


_OPTION_RE = re.compile(r"([A-Z])\. (.+)")


def as_choice(c: CardContent) -> CardContent:
    """A basic card from Anki that is a choice card as `choice_question` writes it (options
    lettered from A in that order, the answer exactly one of them, then the note) back as a
    choice card; any other card unchanged."""
    if c.kind is not CardKind.BASIC or "\n\n" not in c.front:
        return c
    question, _, listed = c.front.rpartition("\n\n")
    lines = listed.split("\n")
    matches = [_OPTION_RE.fullmatch(line) for line in lines]
    if len(lines) < 2 or len(lines) > 26 or not question.strip():
        return c
    options = []
    for i, match in enumerate(matches):
        if match is None or match.group(1) != chr(65 + i):
            return c
        options.append(match.group(2))
    if options != sorted(set(options), key=lambda o: (o.casefold(), o)):
        return c
    answer, _, note = c.back.partition("\n\n")
    if answer not in options:
        return c
    distractors = tuple(o for o in options if o != answer)
    return replace(c, kind=CardKind.CHOICE, front=question, back=answer, distractors=distractors, note=note)


def _shown(c: CardContent) -> tuple[str, str]:
    """The card's question and answer as trainer shows them (`render`, without its cost for plain cards);
    a choice card's question lists its options."""
    if c.kind is CardKind.CLOZE:
        shown = render(c)
        return shown.question, shown.answer
    if c.kind is CardKind.CHOICE:
        return choice_question(c), c.correct_answer
    return c.front, c.correct_answer


def _answer(record: CardRecord) -> str:
    """What the card answers, with its note (shown after the answer) below it."""
    c = record.content
    answer = _shown(c)[1]
    return f"{answer}\n\n{c.note}" if c.note else answer


def _single(key: str, record: CardRecord) -> NoteShape:
    c = record.content
    if c.kind is CardKind.CLOZE and _has_cloze(c.text, c.cloze_ord):
        return NoteShape(CLOZE, [c.text, c.note], [(c.cloze_ord - 1, record)], key)
    if c.kind is CardKind.TYPED:
        return NoteShape(TYPED, [c.front, c.correct_answer, c.note], [(0, record)], key)
    if c.kind is CardKind.CLOZE:  # its number is not in its text: Anki would make no card
        shown = render(c)
        note = f"\n\n{c.note}" if c.note else ""
        return NoteShape(BASIC, [shown.question, shown.answer + note], [(0, record)], key)
    return NoteShape(BASIC, [_shown(c)[0], _answer(record)], [(0, record)], key)


def _has_cloze(text: str, number: int) -> bool:
    return number >= 1 and any(int(m.group(1)) == number for m in CLOZE_RE.finditer(text))


def _cloze_group(key: str, members: Sequence[CardRecord]) -> NoteShape | None:
    first = members[0].content
    ords: set[int] = set()
    for record in members:
        c = record.content
        if (
            c.kind is not CardKind.CLOZE
            or c.text != first.text
            or c.note != first.note
            or c.hint != first.hint
            or c.cloze_ord in ords
            or not _has_cloze(c.text, c.cloze_ord)
        ):
            return None
        ords.add(c.cloze_ord)
    return NoteShape(CLOZE, [first.text, first.note], [(r.content.cloze_ord - 1, r) for r in members], key)


def _reversed_pair(key: str, members: Sequence[CardRecord]) -> NoteShape | None:
    if len(members) != 2:
        return None
    a, b = members
    ca, cb = a.content, b.content
    if not (ca.kind is CardKind.REVERSED and cb.kind is CardKind.REVERSED):
        return None
    if ca.note or cb.note or ca.front != cb.back or ca.back != cb.front:
        return None
    if anki_ordinal(a) == 1 or a.external_id.endswith("#rev"):
        a, b = b, a
    return NoteShape(REVERSED, [a.content.front, a.content.back], [(0, a), (1, b)], key)


def _multi(key: str, members: Sequence[CardRecord]) -> NoteShape:
    ords = [anki_ordinal(r) for r in members]
    if None in ords or len(set(ords)) != len(ords):
        ords = list(range(len(members)))
    count = max(o for o in ords if o is not None) + 1
    fields = [""] * (2 * count)
    typed = [False] * count
    cards: list[tuple[int, CardRecord]] = []
    for ordinal, record in zip(ords, members, strict=True):
        assert ordinal is not None
        fields[2 * ordinal] = _shown(record.content)[0]
        typed[ordinal] = record.content.kind is CardKind.TYPED
        fields[2 * ordinal + 1] = record.content.correct_answer if typed[ordinal] else _answer(record)
        cards.append((ordinal, record))
    return NoteShape(MULTI, fields, cards, key, tuple(typed))


def _order(record: CardRecord) -> int:
    ordinal = anki_ordinal(record)
    if ordinal is not None:
        return ordinal
    if record.content.kind is CardKind.CLOZE:
        return record.content.cloze_ord
    return 1 if record.external_id.endswith("#rev") else 0


def shape_notes(records: Sequence[CardRecord]) -> list[NoteShape]:
    """The notes that show exactly these cards, in the order of their first card."""
    groups: dict[str, list[CardRecord]] = {}
    for record in records:
        groups.setdefault(record.group or record.external_id, []).append(record)
    notes: list[NoteShape] = []
    for key, members in groups.items():
        if len(members) == 1:
            notes.append(_single(key, members[0]))
            continue
        members = sorted(members, key=_order)
        shape = _cloze_group(key, members) or _reversed_pair(key, members) or _multi(key, members)
        notes.append(shape)
    return notes
