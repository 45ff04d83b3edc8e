"""The `trainer` command line: thin commands over the Python API.

Errors print one line, `trainer: error: ...`, on stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _bare_target(args: list[str]) -> str | bool | None:
    """For `trainer` or `trainer --db X` (the study app): the target; otherwise False."""
    if not args:
        return os.environ.get("TRAINER_DB")
    if len(args) == 2 and args[0] == "--db":
        return args[1]
    if len(args) == 1 and args[0].startswith("--db="):
        return args[0].split("=", 1)[1]
    return False


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else argv
    target = _bare_target(args)
    if target is not False and sys.stdin.isatty() and sys.stdout.isatty():
        # The study app draws its first frame before the heavy CLI and database imports.
        from trainer.tui.app import run_app

        run_app(target if isinstance(target, str) else None)
        return
    import click

    from trainer.cli.common import CliError, handled_errors
    from trainer.cli.root import cli
    from trainer.core.cards import clean_text

    try:
        with handled_errors():
            cli.main(args=args, prog_name="trainer", standalone_mode=False)
    except CliError as exc:
        click.echo(f"trainer: error: {clean_text(exc.message)}", err=True)  # may echo user input
        sys.exit(exc.code)


def __getattr__(name: str) -> Any:
    if name == "cli":  # imported lazily: `trainer` alone should not pay for every command
        from trainer.cli.root import cli

        return cli
    raise AttributeError(name)


__all__ = ["cli", "main"]
