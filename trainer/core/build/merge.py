"""Re-running `build` on a deck file the learner already corrected: merge, never overwrite.

A build file records every draft id it was ever given in `# drafted:` comment lines. On a
re-run, cards already in the file are kept verbatim (edited or not), drafts that were once
written but are gone from it (rejected in triage, or deleted by hand) stay out, and only
drafts never seen before are appended.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from trainer.errors import InvalidInputError

from .model import BuildResult
from .render import drafted_lines, render_blocks

_DRAFTED_LINE = re.compile(r"^# drafted: (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class MergeOutcome:
    """The merged file text and what happened to the drafts."""

    text: str
    added: int
    kept: int
    left_out: int


def merge_into(existing: str, result: BuildResult, rejected: Iterable[str] = ()) -> MergeOutcome:
    """Merge a new build into the text of an existing deck file (InvalidInputError if unreadable)."""
    try:
        data = tomllib.loads(existing)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(
            f"it is not a deck file ({exc}); move it away or choose another output"
        ) from None
    present = {
        str(t.get("id")) for key in ("cards", "compare") for t in data.get(key, []) if isinstance(t, dict)
    }
    recorded = {ident for line in _DRAFTED_LINE.findall(existing) for ident in line.split()}
    seen = recorded | present
    deck = data.get("deck", {})
    sources = {str(s.get("id")) for s in deck.get("sources", []) if isinstance(s, dict)}
    cards = [c for c in result.cards if c.id not in seen]
    compares = [c for c in result.compares if c.id not in seen]
    used = {c.source for c in cards} | {c.source for c in compares}
    new_sources = [s for s in result.sources if s.id not in sources and s.id in used]
    body = _DRAFTED_LINE.sub("", existing).rstrip("\n")
    blocks = render_blocks(new_sources, cards, compares)
    every = seen | {c.id for c in result.cards} | {c.id for c in result.compares} | set(rejected)
    text = "\n".join([body, *blocks, "", *drafted_lines(every)]) + "\n"
    drafted_now = [c.id for c in result.cards] + [c.id for c in result.compares]
    kept = sum(1 for ident in drafted_now if ident in present)
    left_out = sum(1 for ident in drafted_now if ident in recorded and ident not in present)
    return MergeOutcome(text, len(cards) + len(compares), kept, left_out)
