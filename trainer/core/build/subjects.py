"""The subject of a sentence, and pronouns resolved against the previous sentence's subject."""

from __future__ import annotations

import re

from .clean import capitalise, decapitalise, drop_parentheticals, squash, words
from .guards import subject_problem
from .model import Sentence
from .verbs import verb_form

_AUX = frozenset(words("is are was were has have can may will must also often"))
_SUBJECT_FR = re.compile(
    r"^(?P<subj>(?:(?:Le|La|Les|L['’]|Un|Une|Des)\s*)?[\wÀ-ÿ-]+(?:\s+[\wÀ-ÿ'’-]+){0,4}?)"
    r"(?:,\s+(?:aussi|également)\s+appelée?s?\s+[^,]+,)?"
    r"\s+(?:est|sont|a|ont|peut|peuvent|se\s+\w+|[a-zéè]+(?:e|ent))\b"
)
_PRONOUN_EN = re.compile(r"^(?P<pro>They|It|These|Such|This)(?P<noun>\s+[a-z]+)?\s+", re.UNICODE)
_PRONOUN_FR = re.compile(r"^(?P<pro>Ils|Elles|Il|Elle)\s+")


def subject_of(text: str, lang: str) -> str:
    """The noun phrase a sentence is about ("Composite volcanoes"), or ""."""
    text = squash(text)
    if lang == "fr":
        match = _SUBJECT_FR.match(text)
        subject = drop_parentheticals(match.group("subj")) if match else ""
    else:
        subject = _english_subject(text)
    if not subject or len(subject.split()) > 5:
        return ""
    if subject_problem(re.sub(r"^(?:Most|Many|Some|All)\s+", "", subject), lang, articles=True):
        return ""
    return subject


def _english_subject(text: str) -> str:
    """The words before the first verb ("is", "have", "can", or a known verb), an alias aside."""
    head = re.sub(r",\s+(?:also called|also known as|or)\s+[^,]+,", "", drop_parentheticals(text))
    tokens = head.split()
    for index, token in enumerate(tokens[:6]):
        if index and (token.lower() in _AUX or verb_form(token) is not None):
            subject = " ".join(tokens[:index])
            return subject if subject[:1].isupper() and "," not in subject else ""
    return ""


def _plural(subject: str, lang: str) -> bool:
    last = subject.split()[-1].lower()
    if lang == "fr":
        return subject.split()[0].lower() in ("les", "des") or last.endswith(("s", "x"))
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def resolve_pronoun(sentence: Sentence, subject: str, lang: str) -> Sentence:
    """ "They form ..." -> "<subject> form ..." when the previous subject agrees; else unchanged."""
    text = sentence.text
    if lang == "fr":
        match = _PRONOUN_FR.match(text)
        if not match:
            return sentence
        plural = match.group("pro") in ("Ils", "Elles")
        if plural != _plural(subject, lang):
            return sentence
        return Sentence(capitalise(subject) + " " + text[match.end() :], sentence.lines, sentence.path)
    possessive = _possessive(text, subject)
    if possessive:
        return Sentence(possessive, sentence.lines, sentence.path)
    match = _PRONOUN_EN.match(text)
    if not match:
        return sentence
    pro, noun = match.group("pro"), (match.group("noun") or "").strip()
    plural = _plural(subject, lang)
    agrees = bool(noun) and _stem(noun) in {_stem(w) for w in subject.split()}
    if pro in ("These", "Such", "This") and not agrees:
        return sentence
    if (pro == "They" and not plural) or (pro == "It" and plural):
        return sentence
    rest = text[match.end() :] if pro in ("These", "Such", "This") else text[len(pro) + 1 :]
    replaced = capitalise(decapitalise(subject)) if pro != "It" else capitalise(subject)
    return Sentence(f"{replaced} {rest}", sentence.lines, sentence.path)


def _possessive(text: str, subject: str) -> str:
    """ "Its walls release ..." -> "The walls of the stomach release ..." (English), or ""."""
    tokens = text.split()
    if not tokens or tokens[0] not in ("Its", "Their") or (tokens[0] == "Their") != _plural(subject, "en"):
        return ""
    for index, token in enumerate(tokens[2:5], start=2):
        if token.lower() in _AUX or verb_form(token) is not None:
            noun = " ".join(tokens[1:index])
            if not noun.replace(" ", "").replace("-", "").isalpha():
                return ""
            owner = decapitalise(subject) if subject.split()[0].lower() in ("the", "a", "an") else subject
            return f"The {noun} of {owner} " + " ".join(tokens[index:])
    return ""
