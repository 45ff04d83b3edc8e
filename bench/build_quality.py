"""Draft-card quality check on the seed documents.

Prints how many draft cards each seed document yields, then a seeded random sample of
30 cards (all of them if fewer) to judge by hand: would a careful teacher accept it
unedited?

    python bench/build_quality.py [SEED_DIR] [--sample N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.core.build import DraftCard, build_drafts, read_document  # noqa: E402


def show(card: DraftCard) -> str:
    """One card as readable text."""
    fields = card.fields
    if card.kind == "cloze":
        body = f"  {fields['text']}"
    elif card.kind == "typed":
        body = f"  Q: {fields['front']}\n  A: {' | '.join(fields['answers'])}"
    elif card.kind == "choice":
        body = f"  Q: {fields['front']}\n  A: {fields['answer']} (not: {', '.join(fields['distractors'])})"
    else:
        body = f"  Q: {fields['front']}\n  A: {fields['back']}"
    return f"[{card.source}] {card.rule}/{card.kind} conf={card.confidence:.2f} {card.section}\n{body}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", default=str(ROOT.parent / "shared" / "seeds"))
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = sorted(p for p in Path(args.seeds).glob("*") if p.is_file())
    docs = [read_document(p) for p in paths]
    result = build_drafts(docs)
    per_source = Counter(card.source for card in result.cards)
    print("Draft cards per seed document:")
    for source in result.sources:
        print(f"  {source.file}: {per_source[source.id]} cards")
    print(f"  total: {len(result.cards)} cards, {len(result.compares)} compare sets")
    reasons = Counter(s.reason.split(" (")[0].split(":")[0] for s in result.skipped)
    print(f"Skipped spans: {len(result.skipped)} " + ", ".join(f"{r}={n}" for r, n in reasons.most_common()))
    rules = Counter(card.rule for card in result.cards)
    print("By rule: " + ", ".join(f"{r}={n}" for r, n in sorted(rules.items())))
    sample = random.Random(args.seed).sample(result.cards, min(args.sample, len(result.cards)))
    print(f"\nSample of {len(sample)} (seed {args.seed}):")
    for number, card in enumerate(sample, start=1):
        print(f"\n{number:2}. {show(card)}")


if __name__ == "__main__":
    main()
