"""French "what does X do": "La sève brute transporte l'eau" -> "Que transporte la sève brute ?".

The verb must be one of the transitive verbs common in teaching text, conjugated in the
present (third person), right after a subject with its article; the answer is the object,
quoted from the sentence. With a second verb ("produit du glucose et rejette du dioxygène")
the question asks what the subject does and the answer is the whole predicate.
"""

from __future__ import annotations

import re

from .clean import capitalise, decapitalise, end_sentence, squash, words
from .guards import anaphoric, subject_problem, too_long
from .model import RuleResult, Sentence
from .rules_definitions import make_card

# (singular, plural) present forms of transitive verbs teaching text uses to say what a thing does.
_VERBS_FR: dict[str, tuple[str, str]] = {
    base: (sg, pl)
    for base, sg, pl in (
        tuple(entry.split("/"))
        for entry in words(
            "absorber/absorbe/absorbent apporter/apporte/apportent assurer/assure/assurent"
            " capter/capte/captent contenir/contient/contiennent contrôler/contrôle/contrôlent"
            " détruire/détruit/détruisent digérer/digère/digèrent éliminer/élimine/éliminent"
            " entourer/entoure/entourent évacuer/évacue/évacuent fabriquer/fabrique/fabriquent"
            " fournir/fournit/fournissent libérer/libère/libèrent former/forme/forment"
            " produire/produit/produisent protéger/protège/protègent recevoir/reçoit/reçoivent"
            " régler/règle/règlent rejeter/rejette/rejettent relier/relie/relient"
            " sécréter/sécrète/sécrètent stocker/stocke/stockent transformer/transforme/transforment"
            " transmettre/transmet/transmettent transporter/transporte/transportent"
            " utiliser/utilise/utilisent"
        )
    )
}
_FORMS = {form: plural for sg, pl in _VERBS_FR.values() for form, plural in ((sg, False), (pl, True))}
_FORM_PATTERN = "|".join(sorted(_FORMS, key=len, reverse=True))
_ACTION = re.compile(
    r"^(?P<subj>(?:Le|La|Les|L['’])\s*[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,3}?)"
    r"\s+(?P<verb>" + _FORM_PATTERN + r")\s+(?P<obj>.{3,160})$"
)
_SECOND_VERB = re.compile(r"\bet\s+(?:" + _FORM_PATTERN + r")\b")


def action_cards_fr(sentence: Sentence, lang: str) -> RuleResult:
    """ "X <verbe> Y" -> "Que <verbe> X ?" / "Y"."""
    if lang != "fr":
        return RuleResult()
    text = squash(sentence.text).rstrip(" .")
    if too_long(text) or anaphoric(text, lang):
        return RuleResult()
    match = _ACTION.match(text)
    if not match:
        return RuleResult()
    subject, verb, obj = match.group("subj"), match.group("verb"), match.group("obj")
    plural = _FORMS[verb]
    if subject_problem(subject, lang, articles=True) or (subject.lower().startswith("les ") != plural):
        return RuleResult()
    term = decapitalise(subject)
    if _SECOND_VERB.search(obj):
        front, answer = f"Que {'font' if plural else 'fait'} {term} ?", f"{verb} {obj}"
    else:
        front, answer = f"Que {verb} {term} ?", obj
    card = make_card(sentence, "prose", front, capitalise(end_sentence(answer)), subject, 0.65, "")
    return RuleResult((card,))
