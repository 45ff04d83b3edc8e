"""Checks that keep weak sentences out: anaphora, vague subjects, length."""

from __future__ import annotations

import re

from .clean import words

MAX_SENTENCE = 320
"""Sentences longer than this make no card (lists allow `MAX_LIST_SENTENCE`)."""
MAX_LIST_SENTENCE = 420

_ANAPHORA = {
    "en": frozenset(
        words(
            "it its this that these those they them their he she his her we you your i there"
            " here such both either neither another other others one some many most several"
            " each all however thus therefore hence also"
        )
    ),
    "fr": frozenset(
        words(
            "il elle ils elles ce cet cette ces cela ça celui celle ceux celles certains"
            " certaines plusieurs y lui leur leurs on nous vous je tu son sa ses cependant"
            " ainsi donc aussi"
        )
    ),
}
_NOT_SUBJECT = {
    "en": frozenset(
        words(
            "a an if when while where what which who whom whose why how in on at for with"
            " after before during since because although though as by from to of into but"
            " and or so then even according not no only just"
        )
    ),
    "fr": frozenset(
        words(
            "si quand lorsque lorsqu où que qui quoi pourquoi comment dans chez sur sous pour"
            " avec après avant pendant depuis parce puisque bien selon par de d à au aux mais"
            " et ou ni car or même ne pas non seulement un une des"
        )
    ),
}
_INNER_PRONOUNS = frozenset(
    words("it them they this these those its their eux elles ceux celles ce cet cette ces")
)
_CLAUSE_WORDS = frozenset(
    words(
        "when if that which who whom where while because although there can could may might"
        " will would should must does do did has have had occurs occur is are was were been"
        " quand si lorsque qui que dont où peut peuvent doit est sont était"
    )
)
_COUNTED = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|deux|trois|quatre|cinq|sept|huit"
    r"|neuf|dix)\s+(?:main\s+|principa\w+\s+)?[^\W\d_]+s\b",
    re.IGNORECASE,
)
_GENERIC = frozenset(
    words(
        "disease procedure process cause condition method technique patient patients study"
        " studies result effect problem syndrome approach system case cases maladie procédure"
        " processus méthode étude résultat effet problème système cas technique traitement"
        " treatment"
    )
)
_COMPLEMENT = frozenset(words("of for du de des d pour"))
_ARTICLES = frozenset(words("the le la les l"))
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def first_word(text: str) -> str:
    """The first word of `text`, lower-cased, apostrophes split (l'homme -> l)."""
    match = _TOKEN.search(text)
    if not match:
        return ""
    return re.split(r"['’]", match.group(0).lower())[0]


_QUANTIFIERS = frozenset(words("most many some several all each both few"))
_NOT_NOUN = frozenset(
    words(
        "of are is was were have has had can could will would may might must do did does never also"
        " not still only just the these those them they it its their this that which who"
    )
)


def _noun_like(token: str) -> bool:
    """Whether the word after "Most"/"Some"/... can head a noun phrase ("Most volcanoes")."""
    return token.isalpha() and token not in _NOT_NOUN and not token.endswith("ly")


def anaphoric(text: str, lang: str) -> str:
    """A reason when the sentence leans on earlier text, else ""."""
    word = first_word(text)
    tokens = [t.lower() for t in _TOKEN.findall(text)[:3]]
    quantified = word in _QUANTIFIERS and len(tokens) > 1 and _noun_like(tokens[1])
    if (word in _ANAPHORA.get(lang, _ANAPHORA["en"]) or word in _ANAPHORA["en"]) and not quantified:
        return f"vague: starts with '{word}' (refers to earlier text)"
    complemented = len(tokens) > 2 and re.split(r"['’]", tokens[2])[0] in _COMPLEMENT
    if len(tokens) >= 2 and tokens[0] in _ARTICLES and tokens[1] in _GENERIC and not complemented:
        return f"vague: '{tokens[0]} {tokens[1]}' refers to earlier text"
    if tokens and re.match(r"l['’]", tokens[0]) and tokens[0][2:] in _GENERIC:
        return f"vague: '{tokens[0]}' refers to earlier text"
    return ""


def subject_problem(subject: str, lang: str, *, articles: bool = False) -> str:
    """A reason why `subject` cannot be a card's term, else "".

    With `articles`, a short generic subject such as "A neuroma" is allowed.
    """
    if not subject:
        return "no subject"
    tokens = subject.split()
    if _COUNTED.search(subject):
        return "subject announces a list"
    if articles and len(tokens) <= 4 and tokens[0].lower() in ("a", "an", "un", "une"):
        subject = " ".join(tokens[1:])
        tokens = tokens[1:]
        if not tokens:
            return "no subject"
    if len(tokens) > 6:
        return "subject too long for a clear question"
    if any(ch in subject for ch in ',;:"“”«»[]'):
        return "subject is not a simple term"
    lowered = [t.lower() for t in tokens]
    if {"and", "or", "et", "ou"} & set(lowered):
        return "subject joins several terms"
    pronouns = set(lowered[1:]) & _INNER_PRONOUNS
    if pronouns:
        return f"vague: the subject refers to earlier text ('{sorted(pronouns)[0]}')"
    inner = set(lowered[1:]) & _CLAUSE_WORDS
    if inner:
        return f"no clear subject (contains '{sorted(inner)[0]}')"
    word = first_word(subject)
    if word in _NOT_SUBJECT.get(lang, _NOT_SUBJECT["en"]) or word in _NOT_SUBJECT["en"]:
        return f"no clear subject (starts with '{word}')"
    reason = anaphoric(subject, lang)
    if reason:
        return reason
    if not any(ch.isalpha() for ch in subject):
        return "subject has no words"
    return ""


def too_long(text: str, limit: int = MAX_SENTENCE) -> str:
    """A reason when the sentence is too long for one clear card, else ""."""
    return f"too long ({len(text)} characters)" if len(text) > limit else ""
