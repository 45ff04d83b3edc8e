"""Applying a reviewer's triage decisions to a build result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .model import BuildResult, DraftCard, DraftCompare, TriageAction, TriageDecision


def _action(decision: TriageDecision | TriageAction | None) -> TriageAction | None:
    """The action of a decision given as an object or a bare word."""
    if decision is None or isinstance(decision, str):
        return decision
    return decision.action


def apply_triage(
    result: BuildResult,
    decisions: Mapping[str, TriageDecision | TriageAction],
    *,
    keep_undecided: bool = False,
) -> BuildResult:
    """Keep accepted and edited cards and compare sets; undecided ones only with `keep_undecided`."""
    cards: list[DraftCard] = []
    for card in result.cards:
        decision = decisions.get(card.id)
        action = _action(decision)
        if action == "accept" or (action is None and keep_undecided):
            cards.append(card)
        elif action == "edit" and isinstance(decision, TriageDecision):
            fields = {**card.fields, **(decision.fields or {})}
            note = card.note if decision.note is None else decision.note
            cards.append(replace(card, fields=fields, note=note, confidence=1.0))
        elif action == "edit":
            cards.append(replace(card, confidence=1.0))
    kept = ("accept", "edit", None) if keep_undecided else ("accept", "edit")
    compares: list[DraftCompare] = [
        compare for compare in result.compares if _action(decisions.get(compare.id)) in kept
    ]
    return replace(result, cards=cards, compares=compares)
