"""Lists: "causes include A, B and C", "three types: A, B and C", bulleted lists."""

from __future__ import annotations

import re

from . import wording
from .clean import capitalise, end_sentence, mend_parentheses, plain, squash, words
from .guards import MAX_LIST_SENTENCE, anaphoric, subject_problem, too_long
from .model import Candidate, RuleResult, Sentence
from .numbers_words import NUMBER_WORDS

_COUNT = r"(?P<count>\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_ADJ = r"(?P<adj>(?:main|major|principal|basic|key|common|principaux|principales|grands|grandes)\s+)?"
_COUNTED = re.compile(
    r"\b" + _COUNT + r"\s+" + _ADJ + r"(?P<noun>[^\W\d_]+)"
    r"(?:\s+(?P<prep>of|de|des|du|d['’])\s*(?P<of>[^:,;()]{1,50}?))?"
    r"\s*(?::|\s(?:are|include|sont|comprennent)\s*:?)\s+(?P<list>.+)$",
    re.IGNORECASE,
)
_INCLUDE = re.compile(r"^(?P<subj>[^,;:()]{1,60}?)\s+(?:include|comprennent|incluent)\s*:?\s+(?P<list>.+)$")
_INCLUDING = re.compile(r",\s+(?:including|notamment|dont)\s+(?P<list>.+)$")
_EXISTENTIAL = re.compile(r"^(?:there (?:are|is)|il (?:existe|y a)|on distingue)\b", re.IGNORECASE)
_ENUM = re.compile(r"(?:^|\s|,)\(?(?:\d{1,2}|[a-h])\)\s*")
_LAST = re.compile(r"^(?P<a>.+?),?\s+(?:and|or|et|ou)\s+(?P<b>[^,]+)$")
_CONNECTOR = re.compile(r"^(?:and|or|et|ou)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[\s,;]+(?:and|or|et|ou))?[\s,;]*$", re.IGNORECASE)
_BAD_START = frozenset(
    words(
        "such which that where who whom to as because for so while whether qui que dont où pour car"
        " comme afin lorsque"
    )
)
_ARTICLE = re.compile(r"^(?:the|a|an|le|la|les|l['’]|un|une|des|du)\s*(?<=['’\s])", re.IGNORECASE)


def split_items(text: str, offset: int, max_words: int) -> list[tuple[int, int]] | str:
    """Item spans (absolute offsets) of a list tail, or a reason it is not a clean list."""
    body = text.rstrip(" .;")
    pieces: list[tuple[int, int]] = []
    enum = list(_ENUM.finditer(body))
    if len(enum) >= 2 and enum[0].start() == 0:
        bounds = [m.end() for m in enum] + [len(body)]
        starts = [m.start() for m in enum[1:]] + [len(body)]
        pieces = [(bounds[i], starts[i]) for i in range(len(enum))]
    else:
        sep = ";" if ";" in body else ","
        cursor = 0
        for part in body.split(sep):
            pieces.append((cursor, cursor + len(part)))
            cursor += len(part) + 1
        lo, hi = pieces[-1]
        last = _LAST.match(body[lo:hi])
        if last:
            pieces[-1:] = [(lo + last.start("a"), lo + last.end("a")), (lo + last.start("b"), hi)]
    spans: list[tuple[int, int]] = []
    for lo, hi in pieces:
        segment = body[lo:hi]
        connector = _CONNECTOR.match(segment.strip())
        lead = len(segment) - len(segment.lstrip())
        if connector:
            lead += connector.end()
        trail = len(segment) - len(_TRAILING.sub("", segment))
        lo, hi = lo + lead, hi - trail
        item = body[lo:hi]
        if not item or len(item.split()) > max_words:
            return "list items too long for a clear card"
        if item.split()[0].lower() in _BAD_START:
            return f"not a clean list (item starts with '{item.split()[0]}')"
        spans.append((offset + lo, offset + hi))
    return spans


def deletion(number: int, text: str) -> str:
    """A cloze deletion `{{cN::text}}`."""
    return "{{c" + str(number) + "::" + text.replace("::", ":") + "}}"


def _cloze(text: str, spans: list[tuple[int, int]]) -> str:
    """Wrap each span in a numbered deletion, articles left outside."""
    out: list[str] = []
    cursor = 0
    for number, (lo, hi) in enumerate(spans, start=1):
        article = _ARTICLE.match(text[lo:hi])
        if article and article.end() < hi - lo:
            lo += article.end()
        out.append(text[cursor:lo])
        out.append(deletion(number, text[lo:hi]))
        cursor = hi
    out.append(text[cursor:])
    return "".join(out)


def _items(text: str, spans: list[tuple[int, int]]) -> str:
    """The items as a plain-text answer."""
    return capitalise(end_sentence("; ".join(text[lo:hi] for lo, hi in spans)))


def list_cards(sentence: Sentence, lang: str) -> RuleResult:
    """A cloze card (and a list card where a question can be worded) for an inline list."""
    text = mend_parentheses(squash(sentence.text))
    vague = "" if _EXISTENTIAL.match(text) else anaphoric(text, lang)
    if too_long(text, MAX_LIST_SENTENCE) or vague:
        return RuleResult(reason=too_long(text, MAX_LIST_SENTENCE) or vague)
    counted = _COUNTED.search(text)
    include = _INCLUDE.match(text)
    including = _INCLUDING.search(text)
    match = counted or include or including
    if match is None:
        return RuleResult()
    spans = split_items(match.group("list"), match.start("list"), 8)
    if isinstance(spans, str):
        return RuleResult(reason=spans)
    expected = _count(counted.group("count")) if counted else 0
    if expected and expected != len(spans):
        return RuleResult(reason=f"list announces {expected} items but has {len(spans)}")
    if not 2 <= len(spans) <= 10 or (not counted and len(spans) < 3):
        return RuleResult(reason="not a clean list (too few or too many items)")
    if including and not (counted or include) and len(spans) > 6:
        return RuleResult(reason="too many examples for one card (the list is not exhaustive)")
    cards = [_candidate(sentence, "cloze", {"text": end_sentence(_cloze(text, spans))}, 0.7, "cloze")]
    front = ""
    if counted and counted.group("of"):
        parts = (
            counted.group("adj") or "",
            counted.group("noun"),
            counted.group("prep"),
            counted.group("of"),
        )
        what = " ".join(parts)
        front = wording.what_are_the(counted.group("count").lower(), squash(what), lang)
    elif include and not counted and not subject_problem(include.group("subj"), lang):
        subject = re.sub(r"^(?:the|les)\s+", "", include.group("subj"), flags=re.IGNORECASE)
        if subject.split()[0].lower().endswith(("s", "x")):
            front = wording.name_items(len(spans), subject, lang)
    if front:
        fields = {"front": front, "back": _items(text, spans)}
        cards.append(_candidate(sentence, "basic", fields, 0.75, "list"))
    return RuleResult(tuple(cards))


def _count(word: str) -> int:
    """The value of a count word or numeral."""
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower(), 0)


def _candidate(sentence: Sentence, kind: str, fields: dict[str, str], conf: float, tag: str) -> Candidate:
    """A list-rule candidate."""
    label = fields.get("front") or sentence.text
    return Candidate(
        kind=kind,
        fields=dict(fields),
        rule="list",
        confidence=conf,
        label=label[:60],
        basis=f"{tag} {sentence.text}",
        lines=sentence.lines,
    )


def bullet_cards(items: list[str], lines: tuple[int, int], context: str, lang: str) -> RuleResult:
    """A list card and a cloze card for a short bulleted list under a heading or lead-in."""
    texts = [end_sentence(plain(item)).rstrip(".") for item in items]
    if not context:
        return RuleResult(reason="list without a heading or lead-in")
    if not 2 <= len(texts) <= 12:
        return RuleResult(reason="list too short or too long for one card")
    if any(not t or len(t.split()) > 8 or len(t) > 80 for t in texts):
        return RuleResult(reason="list items too long (handled as sentences)")
    context = plain(context).rstrip(" :")
    front = context if context.endswith("?") else wording.list_under(len(texts), context, lang)
    back = capitalise(end_sentence("; ".join(texts)))
    stem = context.rstrip("?").rstrip() + (" :" if lang == "fr" else ":")
    body = "; ".join(deletion(n, t) for n, t in enumerate(texts, start=1))
    sentence = Sentence(f"{context} {' '.join(texts)}", lines, ())
    cloze = _candidate(sentence, "cloze", {"text": f"{stem} {body}."}, 0.7, "cloze")
    card = _candidate(sentence, "basic", {"front": front, "back": back}, 0.75, "list")
    return RuleResult((card, cloze))
