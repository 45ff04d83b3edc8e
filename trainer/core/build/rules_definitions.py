"""Definitions: "X is/are/refers to/means Y", "X, also called Y,", "X: Y" and French forms."""

from __future__ import annotations

import re

from . import wording
from .clean import capitalise, drop_parentheticals, end_sentence, normalise, squash, words
from .entries import glossary_entry
from .guards import first_word, subject_problem, too_long
from .model import Candidate, RuleResult, Sentence
from .verbs import verb_form

_SUBJ = r"(?P<subj>[^,;:!?]{1,80}?)"
_IS = re.compile(_SUBJ + r"\s+(?P<verb>is|are|was|were)\s+(?P<pred>.+)$")
_MEANS = re.compile(
    _SUBJ + r"\s+(?P<verb>refers? to|means?|is defined as|are defined as|denotes?)\s+(?P<pred>.+)$"
)
_EST = re.compile(_SUBJ + r"\s+(?P<verb>est|sont)\s+(?P<pred>.+)$")
_DESIGNE = re.compile(
    _SUBJ + r"\s+(?P<verb>désignent|désigne|correspondent à|correspond à|se définit comme"
    r"|se définissent comme|est définie? comme|sont définie?s comme)\s+(?P<pred>.+)$"
)
_ON_APPELLE = re.compile(
    r"^On appelle\s+(?P<subj>[^,;:]{1,60}?)\s+(?P<pred>(?:un|une|le|la|les|l['’]|des|tout|toute)\b.+)$"
)
_OCCURS = re.compile(
    _SUBJ + r"\s+(?P<verb>occurs?|happens?|arises?|survient|surviennent|se produit|se produisent)"
    r"\s+(?:when|lorsqu['’]|lorsque|quand)\s*(?P<pred>.+)$"
)
_DETERMINERS = frozenset(
    words("a an the any one each every un une le la les l des du tout toute tous toutes ce cet cette")
)
_NOT_PREDICATE = frozenset(
    words(
        "also often usually not typically generally sometimes rarely frequently commonly mostly"
        " then now still very more less most least being able likely unlikely responsible due"
        " known called used seen found present absent associated linked related important"
        " essential necessary possible common rare available in on at by for with from to of"
        " that what why how where when there here so too as like aussi souvent parfois pas"
        " built made known seen given taken held kept born grown shown written broken chosen"
        " brought sent left lost led put set thought caught worn driven"
        " plus moins très alors"
    )
)
_ADJECTIVE_ENDINGS = tuple(
    words("ive ous ful ble al ic ent ant ary less ed ing ly if ique eux euse elle aire")
)
_VAGUE_HEADS = frozenset(
    words(
        "cause causes example examples factor factors part sign signs symptom symptoms"
        " consequence consequences result results way ways category categories type types kind"
        " kinds form forms source sources reason reasons feature features aspect problem issue"
        " step steps component components thing things option options one exemple facteur"
        " partie signe symptôme conséquence résultat façon catégorie forme raison problème étape"
    )
)
_LIST_NOUN = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|deux|trois|quatre|cinq|six|sept"
    r"|huit|neuf|dix)\s+\w+",
    re.IGNORECASE,
)


_LABELS = frozenset(
    words(
        "note notes tip tips remember example examples eg warning important exam nb ps see source"
        " sources date answer question reminder hint caution attention remarque exemple rappel"
        " astuce voir important réponse conseil definition définition summary résumé"
    )
)


def _is_alias(alias: str) -> bool:
    """An alias worth showing with the term: an abbreviation or another name, not a citation."""
    if not alias or any(ch.isdigit() for ch in alias):
        return False
    return alias.isupper() or alias[:1].islower()


def _plural(term: str) -> bool:
    """Whether a glossary term reads as an English plural ("Lysosomes", not "Osmosis")."""
    last = term.split()[-1] if term.split() else ""
    return (
        len(last) > 3
        and last.endswith("s")
        and not last.endswith(("ss", "us", "is", "ics", "ys", "as"))
        and not last.isupper()
    )


_COMPARATIVES = frozenset(
    words(
        "bigger better greater smaller larger higher lower more less worse older younger faster"
        " slower stronger weaker other latter former"
    )
)


def _predicate_problem(pred: str, needs_determiner: bool, lang: str) -> str:
    """A reason why `pred` does not define the subject, else ""."""
    first = first_word(pred)
    tokens = pred.lower().split()
    if len(tokens) > 1 and tokens[0] in ("the", "a", "an") and tokens[1] in _COMPARATIVES:
        return "vague: a comparison with something said before"
    if not pred[:1].isalnum():
        return "not a definition (no words after the verb)"
    if first in _NOT_PREDICATE or first.endswith("ly"):
        return "not a definition (qualified or passive predicate)"
    if (
        needs_determiner
        and first not in _DETERMINERS
        and (lang == "fr" or len(pred.split()) < 5 or first.endswith(_ADJECTIVE_ENDINGS))
    ):
        return "not a definition (no noun phrase after the verb)"
    if not needs_determiner and (first.endswith("ed") or first.endswith("ing")):
        return "not a definition (passive or progressive predicate)"
    head = pred.split(",", 1)[0].split()
    if len(pred.split()) < (3 if needs_determiner or first in _DETERMINERS else 5):
        return "vague: definition too short"
    if head and len(head) <= 4 and head[-1].lower().strip(".") in _VAGUE_HEADS:
        return f"vague: '{' '.join(head)}' is not a definition"
    return ""


def _past_problem(term: str, pred: str) -> str:
    """A past-tense definition needs a plain subject and an article-led noun ("The Senate was a
    council ..."); "Usually the dough was under-proofed" is a narration, not a definition."""
    if first_word(term).endswith("ly") or first_word(pred) not in ("a", "an", "the"):
        return "not a definition (a past event, not what the term was)"
    return ""


def _back(pred: str) -> tuple[str, bool]:
    """The definition as an answer, and whether it was shortened."""
    text = drop_parentheticals(pred).rstrip(" .")
    shortened = text != pred.rstrip(" .")
    if len(text) > 180:
        cut = text.rfind(", ", 40, 180)
        if cut > 0:
            text, shortened = text[:cut], True
    return capitalise(end_sentence(text)), shortened


def make_card(
    sentence: Sentence, rule: str, front: str, back: str, term: str, conf: float, note: str
) -> Candidate:
    """A basic draft card."""
    return Candidate(
        kind="basic",
        fields={"front": front, "back": back},
        rule=rule,
        confidence=conf,
        label=term,
        basis=sentence.text,
        lines=sentence.lines,
        note=note,
    )


def definition_cards(sentence: Sentence, lang: str) -> RuleResult:
    """Cards for a definition stated in the sentence."""
    text = squash(sentence.text).rstrip(" .")
    if too_long(sentence.text):
        return RuleResult(reason=too_long(sentence.text))
    appelle = _ON_APPELLE.match(text) if lang == "fr" else None
    if appelle:
        back, short = _back(appelle.group("pred"))
        front = wording.what_is_called(appelle.group("subj"), lang)
        note = sentence.text if short else ""
        return RuleResult((make_card(sentence, "definition", front, back, appelle.group("subj"), 0.8, note),))
    reason = ""
    patterns: list[tuple[re.Pattern[str], bool, float]]
    if lang == "fr":
        patterns = [(_DESIGNE, False, 0.85), (_EST, True, 0.8)]
    else:
        patterns = [(_MEANS, False, 0.85), (_IS, True, 0.8)]
    for pattern, strict, conf in patterns:
        match = pattern.match(text)
        if not match:
            continue
        verb = match.group("verb")
        term = drop_parentheticals(match.group("subj"))
        pred = match.group("pred")
        quantified = first_word(term) in ("all", "most", "many", "some", "several", "few", "each", "both")
        problem = "not a definition (a quantified subject)" if quantified else ""
        problem = (
            problem
            or subject_problem(term, lang, articles=True)
            or _predicate_problem(pred, strict and verb in ("is", "was", "est", "sont"), lang)
        )
        if not problem and verb in ("was", "were"):
            problem = _past_problem(term, pred)
        if problem:
            reason = reason or problem
            continue
        plural = verb in ("are", "were", "sont", "désignent", "correspondent à") or verb.startswith("are ")
        back, short = _back(pred)
        front = wording.what_is(term, plural, lang)
        if verb in ("was", "were"):  # a definition in the past: "What were the patricians?"
            front = front.replace("What is ", "What was ", 1).replace("What are ", "What were ", 1)
        note = sentence.text if short else ""
        return RuleResult((make_card(sentence, "definition", front, back, term, conf, note),))
    return _colon_or_occurs(sentence, text, lang, reason)


def _colon_or_occurs(sentence: Sentence, text: str, lang: str, reason: str) -> RuleResult:
    """ "Term: definition" and "X occurs when Y" sentences."""
    entry = glossary_entry(text)
    if entry:
        term, pred = entry.term, entry.definition
        problem = subject_problem(term, lang)
        if _LIST_NOUN.search(term) or pred[:1].isdigit():
            problem = problem or "not a definition (colon introduces a list)"
        if normalise(term) in _LABELS:
            problem = problem or f"'{term}:' labels a remark, it is not a term"
        if re.search(r"[$\\]|[=^]", pred):
            problem = problem or "a formula, not a definition"
        if not problem:
            back, short = _back(pred)
            shown = f"{term} ({entry.alias})" if _is_alias(entry.alias) else term
            front = wording.what_is(shown, _plural(term), lang)
            first = pred.split()[0].rstrip(",;:") if pred.split() else ""
            action = verb_form(first) if lang == "en" and first[:1].islower() else None
            if action is not None:  # "Nucleus: holds the DNA" says what it does
                front = wording.what_does_do(shown, _plural(term))
            note = sentence.text if short else ""
            return RuleResult((make_card(sentence, "definition", front, back, term, 0.7, note),))
        reason = reason or problem
    occurs = _OCCURS.match(text)
    if occurs:
        term = drop_parentheticals(occurs.group("subj"))
        problem = subject_problem(term, lang, articles=True)
        if not problem:
            plural = occurs.group("verb") in ("occur", "happen", "arise", "surviennent", "se produisent")
            pred, short = _back(occurs.group("pred"))
            when = "Lorsque" if lang == "fr" else "When"
            back = f"{when} {pred[:1].lower()}{pred[1:]}"
            front = wording.when_occurs(term, plural, lang)
            return RuleResult((make_card(sentence, "definition", front, back, term, 0.65, ""),))
        reason = reason or problem
    return RuleResult(reason=reason)
