"""The build pipeline: documents in, draft cards, compare sets and skips out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePath

from trainer.errors import InvalidInputError

from .clauses import split_clauses
from .clean import capitalise, normalise, plain, short_hash, slugify, squash, strip_controls
from .dedupe import dedupe
from .entries import glossary_entry
from .guards import anaphoric, too_long
from .lang import SUPPORTED, UnsupportedLanguage, majority_language, resolve_language
from .model import (
    BuildInputError,
    BuildResult,
    Candidate,
    DraftCard,
    DraftCompare,
    DraftSource,
    FieldValue,
    Lines,
    RuleResult,
    Sentence,
    Skipped,
    SourceDoc,
)
from .propernames import document_names
from .rules_acronyms import acronym_cards
from .rules_action_fr import action_cards_fr
from .rules_called import called_cloze
from .rules_causes import cause_cards
from .rules_compare import CompareDraft, bullets_compare, table_compare
from .rules_definitions import definition_cards
from .rules_lists import bullet_cards, list_cards
from .rules_names import name_cards
from .rules_numbers import number_cards
from .rules_prose import called_cards, prose_cards
from .rules_qa import qa_card
from .segment import Block, segment, split_sentences
from .subjects import resolve_pronoun, subject_of


def section_of(path: tuple[str, ...], lines: Lines) -> str:
    """The heading path and line span, e.g. "Causes > lines 12-14"."""
    span = f"line {lines[0]}" if lines[0] == lines[1] else f"lines {lines[0]}-{lines[1]}"
    return " > ".join([*(plain(p) for p in path if plain(p)), span])


_REFERENCE = re.compile(
    r"^(?:This|These|Such|Ce|Cet|Cette|Ces|De tels|De telles)\s+([^\W\d_]+)\s+", re.UNICODE
)


def _stem(word: str) -> str:
    """A word without a plural -s/-x, lower-cased (mudflows -> mudflow)."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def resolve_reference(sentence: Sentence, previous: Candidate | None) -> Sentence:
    """Replace "This <noun>" by the term just defined as a <noun>."""
    match = _REFERENCE.match(sentence.text)
    if previous is None or match is None:
        return sentence
    back = {_stem(word) for word in normalise(str(previous.fields.get("back", ""))).split()[:6]}
    if _stem(match.group(1)) not in back:
        return sentence
    text = capitalise(previous.label) + " " + sentence.text[match.end() :]
    return Sentence(text, sentence.lines, sentence.path)


def sentence_rules(
    sentence: Sentence, lang: str, previous: Sentence | None = None
) -> tuple[list[Candidate], str]:
    """Run every sentence rule; return the candidates, or why none came out."""
    results: list[RuleResult] = [acronym_cards(sentence, lang)]
    definition = definition_cards(sentence, lang)
    results.append(definition)
    if definition.cards and glossary_entry(sentence.text):  # a glossary line is one fact
        return [card for result in results for card in result.cards], ""
    if not definition.cards:
        called = called_cards(sentence, lang, previous)
        results.append(called)
        names = name_cards(sentence, lang) if not called.cards else RuleResult()
        results.append(names)
        if not names.cards and not called.cards:
            results.append(cause_cards(sentence, lang))
    results.append(list_cards(sentence, lang))
    results.append(number_cards(sentence, lang))
    if not any(result.cards for result in results):
        results.append(prose_cards(sentence, lang))
    if not any(result.cards for result in results):
        results.append(action_cards_fr(sentence, lang))
    if not any(card.rule == "name" for result in results for card in result.cards):
        results.append(called_cloze(sentence, lang))  # a name given in passing ("projections called villi")
    cards = [card for result in results for card in result.cards]
    if cards:
        return cards, ""
    # The list and number rules' reasons are the most specific when they matched.
    reason = next((r.reason for r in reversed(results) if r.reason), "")
    text = sentence.text
    return [], reason or too_long(text) or anaphoric(text, lang) or "no card pattern"


_ANSWER_RULES = frozenset(("acronym", "definition", "name"))
"""Rules whose cards from a FAQ answer are facts of their own (the answer is on the Q card)."""


def _bare(term: str) -> str:
    """A term normalised, without a leading article ("A starter" -> "starter")."""
    return re.sub(r"^(?:a|an|the|le|la|les|l|un|une|des) ", "", normalise(term))


class _DocBuilder:
    """Extraction state for one document."""

    def __init__(self, doc: SourceDoc, source: DraftSource, lang: str) -> None:
        self.doc = doc
        self.source = source
        self.lang = lang
        self.candidates: list[tuple[Candidate, tuple[str, ...]]] = []
        self.compares: list[tuple[CompareDraft, Lines, tuple[str, ...]]] = []
        self.skipped: list[Skipped] = []

    def skip(self, path: tuple[str, ...], lines: Lines, text: str, reason: str) -> None:
        """Record a span that gave no card."""
        excerpt = squash(text)
        excerpt = excerpt if len(excerpt) <= 160 else excerpt[:157] + "..."
        self.skipped.append(Skipped(self.source.id, section_of(path, lines), lines, excerpt, reason))

    def sentences(self, sentences: list[Sentence], *, record: bool = True) -> None:
        """Apply the sentence rules; a sentence leaning on the one before ("This procedure",
        "They", "Such flows", "Il") is resolved against that sentence's subject."""
        previous: Candidate | None = None
        before: Sentence | None = None
        subject = ""
        for sentence in [clause for whole in sentences for clause in split_clauses(whole)]:
            original = sentence
            sentence = resolve_reference(sentence, previous)
            if sentence is original and subject:
                sentence = resolve_pronoun(sentence, subject, self.lang)
            cards, reason = sentence_rules(sentence, self.lang, before)
            previous = next((c for c in cards if c.rule == "definition" and c.kind == "basic"), None)
            subject = subject_of(sentence.text, self.lang) or (subject if sentence is not original else "")
            before = sentence
            self.candidates.extend((card, sentence.path) for card in cards)
            if reason and record:
                self.skip(sentence.path, sentence.lines, sentence.text, reason)

    def block(self, block: Block, intro: str) -> None:
        """Extract from one block."""
        if block.kind == "question":
            result = qa_card(block.text, split_sentences(block.answer, block.path), block.lines)
            self.candidates.extend((card, block.path) for card in result.cards)
            if result.reason:
                self.skip(block.path, block.lines, block.text, result.reason)
            whole = bool(result.cards) and not result.cards[0].note
            if not whole:  # what the card's back leaves out may still hold facts
                for paragraph in block.paragraphs[1:] if result.cards else block.paragraphs:
                    self.sentences(split_sentences(paragraph, block.path))
            else:  # the answer is on the card; only the terms it defines or names are new facts
                before = len(self.candidates)
                self.sentences(split_sentences(block.answer, block.path), record=False)
                asked = normalise(block.text)
                self.candidates[before:] = [
                    (card, path)
                    for card, path in self.candidates[before:]
                    if card.rule in _ANSWER_RULES and _bare(card.label) not in asked
                ]
        elif block.kind == "para":
            self.sentences(split_sentences(block.parts, block.path))
        elif block.kind == "table":
            title = block.path[-1] if block.path else ""
            draft = table_compare([row for _, _, row in block.parts], title)
            if isinstance(draft, str):
                self.skip(block.path, block.lines, block.parts[0][2], draft)
            else:
                self.compares.append((draft, block.lines, block.path))
        elif block.kind == "bullets":
            self.bullets(block, intro)

    def extract(self, blocks: Sequence[Block]) -> None:
        """Extract from every block; a paragraph ending in ":" introduces the list after it."""
        intro = ""
        for block in blocks:
            self.block(block, intro if block.kind == "bullets" else "")
            last = block.parts[-1][2].strip() if block.kind == "para" and block.parts else ""
            intro = last if last.endswith(":") else ""

    def bullets(self, block: Block, intro: str) -> None:
        """Compare set, list cards, or sentences, for a bulleted list."""
        items = [text for _, _, text in block.parts]
        heading = block.path[-1] if block.path else ""
        draft = bullets_compare(items, heading or intro.rstrip(" :"))
        if not isinstance(draft, str):
            self.compares.append((draft, block.lines, block.path))
            return
        glossary = sum(1 for item in items if glossary_entry(item)) * 2 >= len(items)
        if not glossary:
            result = bullet_cards(items, block.lines, intro or heading, self.lang)
            if result.cards:
                self.candidates.extend((card, block.path) for card in result.cards)
                return
        for start, end, text in block.parts:
            first = len(self.candidates)
            self.sentences(split_sentences(((start, end, text),), block.path))
            if len(block.path) > 1:  # a note's cloze gets its section heading as context
                heading, added = block.path[-1], self.candidates[first:]
                self.candidates[first:] = [_with_heading(c, p, heading, self.lang) for c, p in added]


def _with_heading(
    candidate: Candidate, path: tuple[str, ...], heading: str, lang: str
) -> tuple[Candidate, tuple[str, ...]]:
    """A cloze from a list item, prefixed by its heading unless the item names it already."""
    heading = plain(heading).rstrip(" :")
    text = str(candidate.fields.get("text", ""))
    if candidate.kind != "cloze" or not heading or normalise(heading) in normalise(text):
        return candidate, path
    colon = " :" if lang == "fr" else ":"
    return replace(candidate, fields={**candidate.fields, "text": f"{heading}{colon} {text}"}), path


def _sources(docs: Sequence[SourceDoc]) -> list[DraftSource]:
    """One source per document, with unique ids."""
    sources: list[DraftSource] = []
    seen: set[str] = set()
    for doc in docs:
        base = slugify(PurePath(doc.name).stem or doc.name) or "doc"
        source_id, n = base, 2
        while source_id in seen:
            source_id, n = f"{base}-{n}", n + 1
        seen.add(source_id)
        sources.append(DraftSource(source_id, "", plain(doc.name) or source_id))
    return sources


def _unique(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is free."""
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def _fields(fields: dict[str, FieldValue], kind: str) -> dict[str, FieldValue]:
    """Final plain-text sanitising of card fields."""
    out: dict[str, FieldValue] = {}
    for key, value in fields.items():
        if isinstance(value, list):
            out[key] = [plain(v) for v in value if plain(v)]
        elif kind == "cloze" and key == "text":
            out[key] = squash(strip_controls(value))
        else:
            out[key] = plain(value)
    return out


def build_drafts(docs: Sequence[SourceDoc], *, lang: str = "auto") -> BuildResult:
    """Extract a draft deck from documents; deterministic for the same input."""
    if lang != "auto" and lang not in SUPPORTED:
        raise InvalidInputError(f"unsupported language {lang!r} (use auto, en or fr)")
    sources = _sources(docs)
    used: set[str] = set()
    cards: list[DraftCard] = []
    compares: list[DraftCompare] = []
    skipped: list[Skipped] = []
    languages: list[tuple[str, int]] = []
    final_sources: list[DraftSource] = []
    for doc, source in zip(docs, sources, strict=True):
        try:
            doc_lang = resolve_language(lang, doc.text)
        except UnsupportedLanguage as exc:
            raise BuildInputError(f"{doc.name}: {exc}") from None
        languages.append((doc_lang, len(doc.text)))
        document = segment(doc.text, PurePath(doc.name).stem or source.id)
        source = DraftSource(source.id, plain(document.title) or source.id, source.file)
        final_sources.append(source)
        builder = _DocBuilder(doc, source, doc_lang)
        with document_names(doc.text):
            builder.extract(document.blocks)
        for candidate, path in builder.candidates:
            digest = short_hash(
                doc.name,
                candidate.rule,
                candidate.kind,
                normalise(candidate.basis),
                normalise(candidate.label),
            )
            card_id = _unique(f"{slugify(candidate.label, 40) or candidate.rule}-{digest}", used)
            cards.append(
                DraftCard(
                    id=card_id,
                    kind=candidate.kind,
                    fields=_fields(candidate.fields, candidate.kind),
                    tags=["draft", candidate.rule],
                    source=source.id,
                    section=section_of(path, candidate.lines),
                    lines=candidate.lines,
                    confidence=round(candidate.confidence, 2),
                    note=plain(candidate.note),
                    rule=candidate.rule,
                )
            )
        for draft, lines, path in builder.compares:
            digest = short_hash(doc.name, "compare", normalise(draft.title), normalise(" ".join(draft.items)))
            compare_id = _unique(f"{slugify(draft.title, 40) or 'compare'}-{digest}", used)
            compares.append(
                DraftCompare(
                    compare_id,
                    plain(draft.title),
                    [plain(i) for i in draft.items],
                    {plain(k): [plain(v) for v in vs] for k, vs in draft.facets.items()},
                    ["draft", "compare"],
                    source.id,
                    section_of(path, lines),
                    lines,
                    0.8,
                )
            )
        skipped.extend(builder.skipped)
    kept, duplicates = dedupe(cards)
    return BuildResult(kept, skipped + duplicates, majority_language(languages), final_sources, compares)
