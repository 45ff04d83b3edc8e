"""An Anki card as trainer shows it: its templates rendered as Anki renders them, as plain text.

The kind is the most specific one that shows exactly what Anki shows: a cloze when the
question is one cloze field (trainer then hides and reveals it itself), a type-in card
when the answer starts with the typed field, else a basic card with Anki's rendered
question and answer (conditionals, static template text, several cloze fields, nested
clozes). A card Anki cannot render (a template problem, no cloze for it) keeps the fields
its template names, and the reason is reported. What a `{{hint:Field}}` shows becomes the
card's hint (trainer shows it on request, as Anki's hint link does), except in cloze note
types, whose cards keep it in their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from trainer.core.cards import CardContent, CardKind, render_cloze
from trainer.formats.anki_notes import as_choice
from trainer.formats.anki_template import (
    CardContext,
    TemplateError,
    cloze_texts,
    has_cloze,
    parse,
    render,
)
from trainer.formats.html_text import html_to_text

_REF_RE = re.compile(r"\{\{([^{}]+)\}\}")
_TYPE_RE = re.compile(r"\[\[type:([^\]]*)\]\]")
_ANSWER_RE = re.compile(r"<hr id=\"?answer\"?\s*/?>", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
_PLAIN_Q_RE = re.compile(r"\s*\{\{\s*([^#^/!{}:\s][^{}:]*?)\s*\}\}\s*")
_PLAIN_A_RE = re.compile(
    r"\s*\{\{\s*FrontSide\s*\}\}\s*<hr id=\"?answer\"?\s*/?>\s*\{\{\s*([^#^/!{}:\s][^{}:]*?)\s*\}\}\s*", re.I
)


@dataclass
class NoteType:
    """What matters of an Anki note type."""

    name: str
    cloze: bool
    fields: list[str]
    templates: dict[int, tuple[str, str]]  # ord -> (question format, answer format)
    names: dict[int, str] = field(default_factory=dict)  # ord -> template name

    @cached_property
    def cloze_field(self) -> str:
        """The first field a cloze note type's question hides parts of."""
        return next(iter(self.cloze_fields), "")

    @cached_property
    def cloze_fields(self) -> list[str]:
        """The fields the question template shows through the `cloze` filter."""
        qfmt = next(iter(self.templates.values()), ("", ""))[0]
        found: list[str] = []
        for ref in _REF_RE.findall(qfmt):
            parts = [p.strip() for p in ref.split(":")]
            if "cloze" in parts[:-1] and parts[-1] not in found:
                found.append(parts[-1])
        return found


@dataclass(frozen=True)
class Card:
    """The card's note and place: what its templates can show."""

    fields: list[str]  # raw field HTML in note type order
    ordinal: int
    tags: tuple[str, ...] = ()
    deck: str = ""
    flag: int = 0


def _flat(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


class CardBuilder:
    """Builds the content of cards; caches what depends only on a note type and template."""

    def __init__(self) -> None:
        self._layouts: dict[tuple[int, int], tuple[list[str], list[str], str]] = {}
        self._plain: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._note: list[str] | None = (
            None  # the fields `_texts` were made from (cards of a note are adjacent)
        )
        self._texts: list[tuple[str, list[str]]] = []

    def _plain_layout(self, notetype: NoteType, mid: int, ordinal: int) -> tuple[int, int] | None:
        """(question field, answer field) when a template shows one field and answers with another
        below the question (`{{Front}}` / `{{FrontSide}}<hr id=answer>{{Back}}`): then the card's
        text is the two fields' text, with no rendering."""
        key = (mid, ordinal)
        if key not in self._plain:
            layout = None
            qfmt, afmt = notetype.templates.get(ordinal, ("", ""))
            q, a = _PLAIN_Q_RE.fullmatch(qfmt), _PLAIN_A_RE.fullmatch(afmt)
            if (
                not notetype.cloze
                and q
                and a
                and q.group(1) in notetype.fields
                and a.group(1) in notetype.fields
            ):
                layout = (notetype.fields.index(q.group(1)), notetype.fields.index(a.group(1)))
            self._plain[key] = layout
        return self._plain[key]

    def _field_text(self, fields: list[str], index: int) -> tuple[str, list[str]]:
        if fields is not self._note:
            self._note = fields
            self._texts = [html_to_text(f) for f in fields]
        return self._texts[index] if index < len(self._texts) else ("", [])

    def content(self, notetype: NoteType, mid: int, card: Card) -> tuple[CardContent | None, str]:
        """The card's content and a problem to report ("" if none); None when it shows nothing. A
        choice card trainer exported (its options listed in the question) is a choice card again."""
        content, problem = self._content(notetype, mid, card)
        return (as_choice(content) if content is not None else None), problem

    def _content(self, notetype: NoteType, mid: int, card: Card) -> tuple[CardContent | None, str]:
        plain = self._plain_layout(notetype, mid, card.ordinal)
        if plain is not None:
            question, q_media = self._field_text(card.fields, plain[0])
            answer, a_media = self._field_text(card.fields, plain[1])
            media = tuple(dict.fromkeys(q_media + a_media)) if q_media or a_media else ()
            if not question and not media:
                return None, ""
            kind = CardKind.REVERSED if len(notetype.templates) == 2 else CardKind.BASIC
            return CardContent(kind=kind, front=question, back=answer, media=media), ""
        names = notetype.fields
        raw = {names[i] if i < len(names) else f"Field {i + 1}": v for i, v in enumerate(card.fields)}
        ordinal = card.ordinal
        try:
            qfmt, afmt = notetype.templates[0 if notetype.cloze else ordinal]
        except KeyError:
            return self._fallback(notetype, mid, raw, ordinal), f"no card template {ordinal + 1}"
        context = CardContext(
            raw, ordinal, notetype.cloze, " ".join(card.tags), notetype.name, card.deck,
            notetype.names.get(0 if notetype.cloze else ordinal, ""), card.flag,
            hints=None if notetype.cloze else [],
        )  # fmt: skip
        try:
            question = render(qfmt, context, question=True)
            if notetype.cloze and not any(
                has_cloze(raw.get(f, ""), ordinal + 1) for f in notetype.cloze_fields
            ):
                raise TemplateError(f"No cloze {ordinal + 1} found on card")
            context.front_side = question
            answer = render(afmt, context, question=False)
        except TemplateError as exc:
            content = self._fallback(notetype, mid, raw, ordinal)
            return content, f"Anki cannot show this card ({exc}); kept with the fields its template names"
        hint = "\n".join(html_to_text(h)[0] for h in context.hints or ())
        content = _from_rendered(notetype, raw, ordinal, question, answer, qfmt)
        if content is not None and hint:
            content = replace(content, hint=hint)
        return content, ""

    def _fallback(
        self, notetype: NoteType, mid: int, raw: dict[str, str], ordinal: int
    ) -> CardContent | None:
        """The fields a template names, joined (for a template Anki cannot render)."""
        values: dict[str, str] = {}
        found: list[str] = []
        for name, html in raw.items():
            values[name], refs = html_to_text(html)
            found += refs
        media = tuple(dict.fromkeys(found))
        if notetype.cloze:
            main = notetype.cloze_field if notetype.cloze_field in values else next(iter(values), "")
            rest = "\n".join([v for k, v in values.items() if k != main and v])
            text = values.get(main, "")
            if f"{{{{c{ordinal + 1}::" not in text:
                question = "\n".join(v for v in values.values() if v)
                return CardContent(kind=CardKind.BASIC, front=question, media=media) if question else None
            return CardContent(kind=CardKind.CLOZE, text=text, cloze_ord=ordinal + 1, note=rest, media=media)
        layout = self._layouts.get((mid, ordinal))
        if layout is None:
            qfmt, afmt = notetype.templates.get(ordinal, ("", ""))
            q_refs, typed = _refs(qfmt)
            a_refs, _ = _refs(afmt)
            layout = self._layouts[(mid, ordinal)] = (q_refs, [r for r in a_refs if r not in q_refs], typed)
        q_refs, answer_fields, _typed = layout
        question = "\n".join([values[r] for r in q_refs if values.get(r)])
        answer = "\n".join([values[r] for r in answer_fields if values.get(r)])
        if not question:  # the template names no field it has: the note's fields, first as question
            filled = [v for v in values.values() if v]
            question, answer = (filled[0], "\n".join(filled[1:])) if filled else ("", "")
        if not question:
            return None
        return CardContent(kind=CardKind.BASIC, front=question, back=answer, media=media)


def _typed_answer(spec: str, raw: dict[str, str], ordinal: int) -> str:
    """What Anki's reviewer expects in the `[[type:spec]]` box."""
    parts = spec.split(":")
    value = raw.get(parts[-1], "")
    if "cloze" in parts[:-1]:
        value = ", ".join(cloze_texts(value, ordinal + 1))
    return html_to_text(value)[0]


def _from_rendered(
    notetype: NoteType, raw: dict[str, str], ordinal: int, question_html: str, answer_html: str, qfmt: str
) -> CardContent | None:
    typed = _TYPE_RE.search(question_html)
    expected = _typed_answer(typed.group(1), raw, ordinal) if typed else ""
    question, q_media = html_to_text(_TYPE_RE.sub("", question_html))
    back_html = _ANSWER_RE.split(answer_html, maxsplit=1)[-1]
    back_html = _TYPE_RE.sub(lambda m: _typed_answer(m.group(1), raw, ordinal), back_html)
    answer, a_media = html_to_text(back_html)
    media = tuple(dict.fromkeys(q_media + a_media))
    if not question and not media:
        return None
    if notetype.cloze:
        cloze = _as_cloze(notetype, raw, ordinal, question, answer, media)
        if cloze is not None:
            return cloze
    rest = _rest_after(answer, _flat(expected)) if typed and expected else None
    if rest is not None:
        return CardContent(
            kind=CardKind.TYPED, front=question, back=expected, answers=(expected,), note=rest, media=media
        )
    kind = CardKind.REVERSED if len(notetype.templates) == 2 and not notetype.cloze else CardKind.BASIC
    return CardContent(kind=kind, front=question, back=answer, media=media)


def _as_cloze(
    notetype: NoteType, raw: dict[str, str], ordinal: int, question: str, answer: str, media: tuple[str, ...]
) -> CardContent | None:
    """A trainer cloze card when it shows exactly Anki's question and answer."""
    for name in notetype.cloze_fields:
        text = html_to_text(raw.get(name, ""))[0]
        if f"{{{{c{ordinal + 1}::" not in text:
            continue
        if _flat(render_cloze(text, ordinal + 1, reveal=False)) != _flat(question):
            return None
        note = _rest_after(answer, _flat(render_cloze(text, ordinal + 1, reveal=True)))
        if note is None:
            return None
        return CardContent(kind=CardKind.CLOZE, text=text, cloze_ord=ordinal + 1, note=note, media=media)
    return None


def _rest_after(answer: str, flat_prefix: str) -> str | None:
    """The answer after a prefix that matches its start with whitespace collapsed (None if it does not)."""
    i, end = 0, len(answer)
    while i < end and answer[i].isspace():
        i += 1
    for char in flat_prefix:
        if i >= end:
            return None
        if char == " ":
            if not answer[i].isspace():
                return None
            while i < end and answer[i].isspace():
                i += 1
        elif answer[i] == char:
            i += 1
        else:
            return None
    return answer[i:].strip()


def _refs(template: str) -> tuple[list[str], str]:
    """Field names a template shows, and the type-in field if any."""
    refs: list[str] = []
    typed = ""
    for ref in _REF_RE.findall(template):
        ref = ref.strip()
        if ref[:1] in "#/^!" or ref == "FrontSide":
            continue
        if ref.startswith("type:"):
            typed = ref.split(":")[-1].strip()
            continue
        name = ref.split(":")[-1].strip()
        if name and name not in refs:
            refs.append(name)
    return refs, typed


__all__ = ["Card", "CardBuilder", "NoteType", "TemplateError", "parse"]
