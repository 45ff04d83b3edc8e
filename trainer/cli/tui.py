"""Commands that open the study app on a screen: study, quiz, browse."""

from __future__ import annotations

import sys

import click

from trainer.cli.context import Context, pass_context


def resolve_deck(obj: Context, name: str) -> str:
    """The full name of the deck `name` means (a unique short name resolves); an unknown
    name is a one-line error naming the closest decks."""
    from trainer.core.decknames import resolve_deck_name

    return resolve_deck_name(name, [d.name for d in obj.collection.decks()])


def _run(obj: Context, **start: object) -> None:
    from trainer.tui.app import Start, run_app

    if start.get("deck") is not None:
        start["deck"] = resolve_deck(obj, str(start["deck"]))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # escape codes into a pipe, waiting forever
        raise click.ClickException(
            f"'trainer {start['screen']}' needs a terminal (in scripts: 'trainer next', 'trainer answer')"
        )
    obj.close()  # the app opens the collection itself, in a worker thread
    run_app(obj.target, Start(**start))  # type: ignore[arg-type]


@click.command()
@click.argument("deck", required=False)
@pass_context
def study(obj: Context, deck: str | None) -> None:
    """Study DECK (all decks if omitted) in the app."""
    _run(obj, screen="study", deck=deck)


@click.command()
@click.argument("deck", required=False)
@click.option("-n", "count", type=click.IntRange(1, 1000), default=20, show_default=True, help="Questions.")
@click.option("--mode", type=click.Choice(["mixed", "choice", "typed"]), default="mixed", show_default=True)
@click.option("--schedule", is_flag=True, help="Let the answers change the schedule (Again/Good).")
@pass_context
def quiz(obj: Context, deck: str | None, count: int, mode: str, schedule: bool) -> None:
    """An exam-style quiz of N questions from DECK, due or not; answers are stored for statistics."""
    _run(obj, screen="quiz", deck=deck, quiz_n=count, quiz_mode=mode, schedule=schedule)


@click.command()
@click.argument("query", required=False, default="")
@pass_context
def browse(obj: Context, query: str) -> None:
    """Browse and edit cards matching QUERY (e.g. 'deck:Denervation is:due -tag:leech')."""
    _run(obj, screen="browse", query=query)


COMMANDS = [study, quiz, browse]
