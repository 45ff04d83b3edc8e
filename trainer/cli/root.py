"""The `trainer` group: global options and the registry of commands.

Commands are imported when they run, not when the group is built: `trainer --help` lists
them from the table below (each summary is checked against the command's own docstring by
a test), so neither the help nor a command that needs no collection (`trainer build`)
pays for SQLAlchemy, the store or FSRS.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

import click

from trainer import __version__

if TYPE_CHECKING:
    from trainer.cli.context import Context

# name -> (module, attribute, the first paragraph of the command's help)
COMMAND_TABLE: dict[str, tuple[str, str, str]] = {
    "answer": ("trainer.cli.study", "answer", "Answer CARD_ID with RATING: again, hard, good, easy or 1-4."),
    "backup": (
        "trainer.cli.maintenance",
        "backup",
        "Back up the collection now (old backups are thinned like Anki's).",
    ),
    "backups": ("trainer.cli.maintenance", "backups", "List the collection's backups, newest first."),
    "browse": (
        "trainer.cli.tui",
        "browse",
        "Browse and edit cards matching QUERY (e.g. 'deck:Denervation is:due -tag:leech').",
    ),
    "build": ("trainer.cli.build", "build", "Turn plain-text or Markdown DOCS into a draft deck file OUT."),
    "check": (
        "trainer.cli.maintenance",
        "check",
        "Check the collection: integrity, foreign keys, schedules against the review log, presets.",
    ),
    "decks": ("trainer.cli.study", "decks", "List decks with new / learning / due-today / total counts."),
    "export": (
        "trainer.cli.io",
        "export_command",
        "Export cards as an Anki package, CSV/TSV, a TOML deck or JSON.",
    ),
    "import": (
        "trainer.cli.io",
        "import_command",
        "Import an Anki package (.apkg/.colpkg), CSV/TSV, JSON, TOML deck or Markdown file.",
    ),
    "import-revlog": (
        "trainer.cli.stats",
        "import_revlog",
        "Import a review-log CSV (card_id, review_time, review_rating, review_duration[, review_state]).",
    ),
    "load": (
        "trainer.cli.study",
        "load",
        "Load deck files or folders of them (a sync: edits keep progress).",
    ),
    "next": (
        "trainer.cli.study",
        "next_card",
        "Show the next card to study, with the four previewed outcomes.",
    ),
    "optimize": (
        "trainer.cli.stats",
        "optimize",
        "Fit FSRS parameters to your review history; saved only if they predict it better.",
    ),
    "preset": (
        "trainer.cli.stats",
        "preset",
        "Show presets, or show and change one (retention, limits, steps, day start).",
    ),
    "quiz": (
        "trainer.cli.tui",
        "quiz",
        "An exam-style quiz of N questions from DECK, due or not; answers are stored for statistics.",
    ),
    "reposition": (
        "trainer.cli.study",
        "reposition",
        "Set the order new cards are studied in, as Anki's Reposition (undo takes it back).",
    ),
    "restore": (
        "trainer.cli.maintenance",
        "restore",
        "Replace the collection with backup FILE (the current collection is kept first).",
    ),
    "simulate": (
        "trainer.cli.stats",
        "simulate",
        "Expected reviews per day and retention for a range of desired retentions.",
    ),
    "stats": (
        "trainer.cli.stats",
        "stats",
        "Progress statistics by Anki's definitions, with small text charts.",
    ),
    "study": ("trainer.cli.tui", "study", "Study DECK (all decks if omitted) in the app."),
    "undo": (
        "trainer.cli.study",
        "undo",
        "Take back the last answer or card action (suspend, bury, flag, edit, add, reposition).",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_TABLE, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = COMMAND_TABLE.get(cmd_name)
        if entry is None:
            return None
        command = getattr(importlib.import_module(entry[0]), entry[1])
        assert isinstance(command, click.Command)
        self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table (importing nothing)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            entry = COMMAND_TABLE.get(name)
            if entry is None or not entry[2]:  # no summary written down: ask the command itself
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(limit) if command is not None else ""
            else:
                summary = click.Command(name, help=entry[2]).get_short_help_str(limit)
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
    from trainer.cli.context import Context

    ctx.obj = Context(target)
    _tell_when_waiting()
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        _home(ctx.obj)


def _tell_when_waiting() -> None:
    """Say once, on stderr, when a write waits for another trainer (an import, a backup)."""
    from trainer.store import writequeue

    told: list[bool] = []

    def notice() -> None:
        if not told:
            told.append(True)
            click.echo("trainer: waiting for another trainer to finish writing...", err=True)

    writequeue.set_wait_notice(notice)


def _home(obj: Context) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from trainer.cli import study

        study.print_decks(obj, as_json=False)  # no terminal to draw the app in: print the decks
        return
    from trainer.tui.app import run_app

    run_app(obj.target)


def __getattr__(name: str) -> object:
    if name == "pass_context":  # kept for callers that took it from here
        from trainer.cli.context import pass_context

        return pass_context
    raise AttributeError(name)


__all__ = ["COMMAND_TABLE", "cli"]
