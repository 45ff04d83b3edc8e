"""Placeholder until the study app lands: prints the deck list."""

from __future__ import annotations


def run_app(target: str | None) -> None:
    """Open the study app on the collection at `target`."""
    from trainer.cli.common import clock
    from trainer.collection import open_collection

    with open_collection(target, clock=clock) as col:
        for deck in col.decks():
            print(
                f"{'  ' * deck.depth}{deck.short_name}: {deck.new} new, {deck.learning} learning"
            )
