"""Textbook prose: "X is known as / called Y", "This process is called Y", "X is found in Y",
"X does Y because Z", "X depends on Y", and "X <verb>s Y" (English), with French forms.

Every card quotes the sentence's own words; a rule that cannot name its subject gives nothing.
"""

from __future__ import annotations

import re

from .clean import capitalise, decapitalise, drop_parentheticals, end_sentence, squash, words
from .guards import anaphoric, subject_problem, too_long
from .model import Candidate, RuleResult, Sentence
from .rules_definitions import make_card
from .verbs import VERBS, verb_form

_SUBJ = r"(?P<subj>[^,;:!?]{2,70}?)"
_CALLED_EN = re.compile(
    _SUBJ + r"\s+(?P<verb>is|are)\s+(?:often\s+|usually\s+|commonly\s+)?"
    r"(?:known as|called|termed|named|referred to as)\s+(?P<name>[^,;:()]{2,60})$"
)
_CALLED_FR = re.compile(
    _SUBJ + r"\s+(?P<verb>est|sont)\s+(?:souvent\s+)?"
    r"(?:appelée?s?|nommée?s?|dénommée?s?)\s+(?P<name>[^,;:()]{2,60})$"
)
_DEMONSTRATIVE = re.compile(
    r"^(?P<det>this|these|that|such a|ce|cet|cette|ces)\s+(?P<noun>[^\W\d_]+)\s+", re.IGNORECASE
)
_CEST = re.compile(
    r"^(?P<desc>.{15,200}?)\s*[:;,]\s*c['’]est\s+(?P<name>(?:le|la|l['’]|les)\s*[^,;:()]{2,50})$"
)
_FOUND_EN = re.compile(
    _SUBJ + r"\s+(?P<verb>is|are)\s+(?:mainly\s+|mostly\s+|usually\s+|only\s+|chiefly\s+)?"
    r"(?:found|located|situated|stored|produced|made)\s+(?P<where>(?:in|inside|on|along|at|near|between"
    r"|beneath|under|within|around)\s.{3,160})$"
)
_FOUND_FR = re.compile(
    _SUBJ + r"\s+(?:se trouvent|se trouve|sont située?s|est située?|sont localisée?s|est localisée?"
    r"|sont stockée?s|est stockée?|sont produite?s|est produite?)\s+"
    r"(?P<where>(?:dans|en|sur|sous|le long d[eu']|au|aux|entre|près d[eu']|à)\s?.{3,160})$"
)
_HAPPENS_EN = re.compile(
    _SUBJ + r"\s+(?P<verb>takes? place|occurs?|happens?)\s+(?:mainly\s+|mostly\s+|only\s+)?"
    r"(?P<where>(?:in|inside|within|on)\s.{3,160})$"
)
_HAPPENS_FR = re.compile(
    _SUBJ + r"\s+(?P<verb>se déroulent|se déroule|ont lieu|a lieu)\s+(?:surtout\s+|principalement\s+)?"
    r"(?P<where>(?:dans|en|sur|au|aux|à)\s.{3,160})$"
)
_BECOMES_EN = re.compile(
    _SUBJ + r"\s+(?P<verb>is|are)\s+(?:then\s+|later\s+|eventually\s+|mostly\s+)?"
    r"(?P<how>converted|turned|transformed|changed|made)\s+into\s+(?P<what>.{3,160})$"
)
_BECOMES_FR = re.compile(
    _SUBJ + r"\s+(?:est|sont)\s+(?:ensuite\s+|alors\s+|puis\s+|peu à peu\s+)?"
    r"(?P<pred>(?:transformée?s?|convertie?s?|changée?s?)\s+en\s+.{3,160})$"
)
_DEPENDS = re.compile(
    _SUBJ + r"\s+(?P<verb>depends?|relies|rely)\s+(?:mainly\s+|mostly\s+|largely\s+)?on\s+(?P<obj>.{3,160})$"
)
_WHERE_VERB = re.compile(
    r"^(?P<subj>(?:The |An? )?[A-Z]?[\w-]+(?:\s+[\w-]+){0,3}?)\s+(?P<verb>[a-z]{3,})\s+"
    r"(?P<where>(?:in|inside|within)\s+(?:the|a|an)\s.{3,120})$"
)
_BECAUSE = re.compile(r"^(?P<main>.{8,200}?),?\s+because\s+(?P<why>.{8,200})$")
_ADVERBS = frozenset(words("also mainly mostly usually often only typically generally normally always"))
_OBJECT_VERBS = frozenset(words("cause contain need produce release secrete store use"))
_SECOND_VERB = re.compile(r"\b(?:and|or)\s+[a-z]+s\b")
_QUANTIFIERS = frozenset(words("most many some several all few"))
_BE = frozenset(words("is are was were be been has have had can could will would may might must"))


def _subject_ok(subject: str, lang: str) -> str:
    """A reason the subject cannot stand in a question, else ""."""
    tokens = subject.split()
    if tokens and tokens[0].lower() in _QUANTIFIERS and len(tokens) > 1:
        subject = " ".join(tokens[1:])
    return subject_problem(subject, lang, articles=True)


def _card(
    sentence: Sentence, front: str, back: str, term: str, conf: float, rule: str = "prose"
) -> Candidate:
    return make_card(sentence, rule, front, capitalise(end_sentence(back)), term, conf, "")


def called_cards(sentence: Sentence, lang: str, previous: Sentence | None) -> RuleResult:
    """ "X is known as Y" -> "What is X called?"; "This process is called Y" after a sentence
    describing it -> that sentence and "What is this process called?"."""
    text = squash(sentence.text).rstrip(" .")
    for clause in (text, *text.split(";")[:1]):
        clause = clause.strip()
        match = (_CALLED_FR if lang == "fr" else _CALLED_EN).match(clause)
        if not match:
            continue
        subject, name = drop_parentheticals(match.group("subj")), match.group("name").strip()
        name = re.sub(r"^(?:le|la|les|l['’])\s*", "", name) if lang == "fr" else name
        demonstrative = _DEMONSTRATIVE.match(subject + " ")
        if demonstrative and previous is not None and not anaphoric(previous.text, lang):
            noun = demonstrative.group("noun").lower()
            context = end_sentence(squash(previous.text))
            if lang == "fr":
                front = f"{context} Comment appelle-t-on ce {noun} ?"
            else:
                front = f"{context} What is this {noun} called?"
            return RuleResult((_card(sentence, front, name, name, 0.75, "name"),))
        if demonstrative or _subject_ok(" ".join(subject.split()[:6]), lang) or len(subject.split()) > 10:
            continue
        plural = match.group("verb") in ("are", "sont")
        if lang == "fr":
            front = f"Comment appelle-t-on {decapitalise(subject)} ?"
        else:
            front = f"What {'are' if plural else 'is'} {decapitalise(subject)} called?"
        return RuleResult((_card(sentence, front, name, name, 0.75, "name"),))
    for separator in (" : ", ": ", "; "):  # "<description>: this process is called Y"
        desc, _, tail = text.partition(separator)
        if tail and _DEMONSTRATIVE.match(tail) and len(desc.split()) >= 4:
            described = Sentence(desc, sentence.lines, sentence.path)
            inner = called_cards(Sentence(tail, sentence.lines, sentence.path), lang, described)
            if inner.cards:
                return inner
    cest = _CEST.match(text) if lang == "fr" else None
    if cest and not anaphoric(cest.group("desc"), lang):
        name = re.sub(r"^(?:le|la|les|l['’])\s*", "", cest.group("name"))
        front = f"{end_sentence(cest.group('desc'))} Comment appelle-t-on ce phénomène ?"
        return RuleResult((_card(sentence, front, name, name, 0.7, "name"),))
    return RuleResult()


def prose_cards(sentence: Sentence, lang: str) -> RuleResult:
    """Cards on where something is found, what it depends on, why and what it does."""
    text = squash(sentence.text).rstrip(" .")
    if too_long(text):
        return RuleResult()
    found = (_FOUND_FR if lang == "fr" else _FOUND_EN).match(text)
    if found and not _subject_ok(drop_parentheticals(found.group("subj")), lang):
        subject = drop_parentheticals(found.group("subj"))
        if lang == "fr":
            front = f"Où {'se trouvent' if _plural_fr(subject) else 'se trouve'} {decapitalise(subject)} ?"
        else:
            verb = found.group("verb")
            front = f"Where {verb} {decapitalise(subject)} found?"
        return RuleResult((_card(sentence, front, found.group("where"), subject, 0.7),))
    happens = (_HAPPENS_FR if lang == "fr" else _HAPPENS_EN).match(text)
    if happens and not _subject_ok(drop_parentheticals(happens.group("subj")), lang):
        subject = drop_parentheticals(happens.group("subj"))
        front = _where_happens(decapitalise(subject), happens.group("verb"), lang)
        return RuleResult((_card(sentence, front, happens.group("where"), subject, 0.7),))
    becomes = _becomes(sentence, text, lang)
    if becomes is not None:
        return becomes
    if lang != "en":
        return RuleResult()
    depends = _DEPENDS.match(text)
    if depends and not _subject_ok(drop_parentheticals(depends.group("subj")), lang):
        subject = decapitalise(drop_parentheticals(depends.group("subj")))
        aux = "does" if depends.group("verb") in ("depends", "relies") else "do"
        front = f"What {aux} {subject} depend on?"
        return RuleResult((_card(sentence, front, depends.group("obj"), subject, 0.7),))
    return _where_cards(sentence, text) or _action_cards(sentence, text, lang)


def _where_cards(sentence: Sentence, text: str) -> RuleResult | None:
    """ "T cells mature in the thymus" -> "Where do T cells mature?" / "In the thymus"."""
    match = _WHERE_VERB.match(text)
    if not match or match.group("verb").lower() in _BE or match.group("verb").endswith(("ly", "ed")):
        return None
    subject, verb = match.group("subj"), match.group("verb")
    if _subject_ok(subject, "en") or any(verb_form(t) or t.lower() in _BE for t in subject.split()[1:]):
        return None
    last = subject.split()[-1].lower()
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    if plural == verb.endswith("s"):
        return None  # no agreement: the verb is not where we think it is
    base = verb if plural else re.sub(r"(sh|ch|ss|x|z)es$|s$", r"\1", verb)
    front = f"Where {'do' if plural else 'does'} {decapitalise(subject)} {base}?"
    return RuleResult((_card(sentence, front, match.group("where"), subject, 0.65),))


def _action_cards(sentence: Sentence, text: str, lang: str) -> RuleResult:
    """ "X <verb>s Y because Z" -> "Why does X <verb> Y?"; "X <verb>s Y" -> "What does X do?"."""
    tokens = text.split()
    for index in range(1, min(6, len(tokens) - 1)):
        verb = verb_form(tokens[index])
        following = tokens[index + 1].lower()
        if verb is None or verb_form(following) is not None or following in _BE:  # "Active transport moves"
            continue
        subject_tokens = tokens[:index]
        while subject_tokens and subject_tokens[-1].lower() in _ADVERBS:
            subject_tokens = subject_tokens[:-1]
        subject = " ".join(subject_tokens)
        if not subject or _subject_ok(subject, lang) or not subject[0].isupper():
            return RuleResult()
        if any(t.lower() in VERBS or t.lower() in ("is", "are", "was", "were") for t in subject_tokens[1:]):
            return RuleResult()
        base, singular = verb
        head = [t.lower() for t in subject_tokens]
        last = head[head.index("of") - 1] if "of" in head[1:] else head[-1]  # "the walls of the stomach"
        plural_subject = last.endswith("s") and not last.endswith(("ss", "us", "is"))
        if singular == plural_subject:  # "Timely repair is ...": no verb agrees with the subject
            return RuleResult()
        aux = "does" if singular else "do"
        rest = " ".join(tokens[index + 1 :])
        why = _BECAUSE.match(" ".join(tokens[index:]))
        term = decapitalise(subject)
        if why and len(rest.split()) >= 2:
            obj = squash(why.group("main").split(None, 1)[1]) if " " in why.group("main") else ""
            front = f"Why {aux} {term} {base} {obj}?".replace(" ?", "?")
            return RuleResult((_card(sentence, front, "Because " + why.group("why"), subject, 0.7),))
        if len(rest.split()) < 2:
            return RuleResult()
        if base == "have" and rest.split()[0].lower() == "no":
            front, answer = f"What {aux} {term} lack?", rest.split(None, 1)[1]
        elif base == "have":
            front, answer = f"What {aux} {term} have?", rest
        elif base in _OBJECT_VERBS and not _SECOND_VERB.search(rest):
            front, answer = f"What {aux} {term} {base}?", rest
        else:
            front, answer = f"What {aux} {term} do?", " ".join(tokens[index:])
        return RuleResult((_card(sentence, front, answer, subject, 0.65),))
    return RuleResult()


def _becomes(sentence: Sentence, text: str, lang: str) -> RuleResult | None:
    """ "Glucose is converted into starch" -> "What is glucose converted into?";
    "Le glucose est transformé en amidon" -> "Que devient le glucose ?"."""
    match = (_BECOMES_FR if lang == "fr" else _BECOMES_EN).match(text)
    if not match:
        return None
    subject = drop_parentheticals(match.group("subj"))
    if _subject_ok(subject, lang):
        return None
    if lang == "fr":
        front, answer = (
            f"Que {'deviennent' if _plural_fr(subject) else 'devient'} {decapitalise(subject)} ?",
            match.group("pred"),
        )
    else:
        front = f"What {match.group('verb')} {decapitalise(subject)} {match.group('how')} into?"
        answer = match.group("what")
    return RuleResult((_card(sentence, front, answer, subject, 0.7),))


def _where_happens(subject: str, verb: str, lang: str) -> str:
    """ "Where does X take place?" / "Où se déroule X ?" from the sentence's own verb."""
    if lang == "fr":
        return f"Où {verb} {subject} ?"
    base = {"takes place": "take place", "occurs": "occur", "happens": "happen"}.get(verb, verb)
    aux = "does" if base != verb else "do"
    return f"Where {aux} {subject} {base}?"


def _plural_fr(subject: str) -> bool:
    """Whether a French subject is plural (by its article)."""
    first = subject.split()[0].lower() if subject.split() else ""
    return first in ("les", "des", "ces", "certains", "certaines", "plusieurs")
