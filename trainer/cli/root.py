"""The `trainer` group: global options and the registry of commands."""

from __future__ import annotations

import sys

import click

from trainer import __version__
from trainer.cli import build as build_commands  # area: build
from trainer.cli import io as io_commands  # area: io
from trainer.cli import maintenance as maintenance_commands  # area: maintenance
from trainer.cli import stats as stats_commands  # area: stats
from trainer.cli import study
from trainer.cli import tui as tui_commands  # area: tui
from trainer.cli.context import Context, pass_context


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "target",
    metavar="PATH_OR_URL",
    envvar="TRAINER_DB",
    help="Collection: a SQLite path or a SQLAlchemy URL (default: per-user data folder).",
)
@click.version_option(__version__, prog_name="trainer")
@click.pass_context
def cli(ctx: click.Context, target: str | None) -> None:
    """A terminal flashcard and quiz trainer with FSRS spaced repetition.

    Run with no command to open the study app.
    """
    ctx.obj = Context(target)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        _home(ctx.obj)


def _home(obj: Context) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        study.print_decks(obj, as_json=False)  # no terminal to draw the app in: print the decks
        return
    from trainer.tui.app import run_app

    run_app(obj.target)


for command in study.COMMANDS:
    cli.add_command(command)

for command in maintenance_commands.COMMANDS:  # area: maintenance
    cli.add_command(command)

for command in io_commands.COMMANDS:  # area: io
    cli.add_command(command)

for command in tui_commands.COMMANDS:  # area: tui
    cli.add_command(command)

for command in stats_commands.COMMANDS:  # area: stats
    cli.add_command(command)

for command in build_commands.COMMANDS:  # area: build
    cli.add_command(command)

__all__ = ["cli", "pass_context"]
