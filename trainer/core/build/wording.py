"""Question wording in the document's language (English or French)."""

from __future__ import annotations

from .clean import decapitalise

_VOWELS = tuple("aeiouyhâàéèêëîïôöûüAEIOUYHÂÀÉÈÊËÎÏÔÖÛÜ")


def _que(term: str) -> str:
    """French "que" with elision before a vowel."""
    return f"qu'{term}" if term.startswith(_VOWELS) else f"que {term}"


def what_is(term: str, plural: bool, lang: str) -> str:
    """ "What is X?" / "Qu'est-ce que X ?" """
    term = decapitalise(term)
    if lang == "fr":
        return f"Qu'est-ce {_que(term)} ?"
    return f"What {'are' if plural else 'is'} {term}?"


def what_does_do(term: str, plural: bool) -> str:
    """ "What does the nucleus do?" / "What do ribosomes do?" (English)."""
    term = decapitalise(term)
    if plural:
        return f"What do {term} do?"
    article = "" if term[:1].isupper() or term.split()[0].lower() in ("a", "an", "the") else "the "
    return f"What does {article}{term} do?"


def when_occurs(term: str, plural: bool, lang: str) -> str:
    """ "When does X occur?" / "Dans quels cas survient X ?" """
    term = decapitalise(term)
    if lang == "fr":
        return f"Dans quels cas {'surviennent' if plural else 'survient'} {term} ?"
    return f"When {'do' if plural else 'does'} {term} occur?"


def stands_for(abbreviation: str, lang: str) -> str:
    """ "What does ABC stand for?" / "Que signifie le sigle ABC ?" """
    if lang == "fr":
        return f"Que signifie le sigle {abbreviation} ?"
    return f"What does {abbreviation} stand for?"


def other_name(term: str, lang: str) -> str:
    """ "What is another name for X?" / "Comment appelle-t-on aussi X ?" """
    term = decapitalise(term)
    if lang == "fr":
        return f"Comment appelle-t-on aussi {term} ?"
    return f"What is another name for {term}?"


def what_is_called(term: str, lang: str) -> str:
    """ "What is called X?" / "Qu'appelle-t-on X ?" """
    if lang == "fr":
        return f"Qu'appelle-t-on {term} ?"
    return f"What is called {term}?"


def what_causes(term: str, lang: str) -> str:
    """ "What causes X?" / "Qu'est-ce qui cause X ?" """
    term = decapitalise(term)
    if lang == "fr":
        return f"Qu'est-ce qui cause {term} ?"
    return f"What causes {term}?"


def what_can_result_from(term: str, lang: str) -> str:
    """ "What can X result from?" / "De quoi peut résulter X ?" """
    term = decapitalise(term)
    if lang == "fr":
        return f"De quoi peut résulter {term} ?"
    return f"What can {term} result from?"


def what_can_cause(term: str, plural: bool, lang: str) -> str:
    """ "What can X cause?" / "Que peut entraîner X ?" """
    term = decapitalise(term)
    if lang == "fr":
        return f"Que {'peuvent' if plural else 'peut'} entraîner {term} ?"
    return f"What can {term} cause?"


def name_items(count: int, what: str, lang: str) -> str:
    """ "Name 4 causes of X." / "Citez 4 causes de X." """
    what = decapitalise(what)
    if lang == "fr":
        return f"Citez {count} {what}."
    return f"Name {count} {what}."


def what_are_the(count_word: str, what: str, lang: str) -> str:
    """ "What are the three types of X?" / "Quels sont les trois types de X ?" """
    what = decapitalise(what)
    if lang == "fr":
        return f"Quels sont les {count_word} {what} ?"
    return f"What are the {count_word} {what}?"


def list_under(count: int, heading: str, lang: str) -> str:
    """ "Heading: name the 4 items listed." """
    if lang == "fr":
        return f"{heading} : citez les {count} éléments de la liste."
    return f"{heading}: name the {count} items listed."
