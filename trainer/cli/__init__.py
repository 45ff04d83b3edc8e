"""The `trainer` command line: thin commands over the Python API.

Errors print one line, `trainer: error: ...`, on stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import sys

import click

from trainer.cli.common import CliError, handled_errors
from trainer.cli.root import cli
from trainer.core.cards import clean_text


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        with handled_errors():
            cli.main(args=argv, prog_name="trainer", standalone_mode=False)
    except CliError as exc:
        click.echo(f"trainer: error: {clean_text(exc.message)}", err=True)  # may echo user input
        sys.exit(exc.code)


__all__ = ["cli", "main"]
