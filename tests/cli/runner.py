"""The one way tests run the `trainer` command line.

In-process through Click's runner by default (fast: no interpreter start per call), through
the real entry point `trainer.cli.main`, so errors go through the same handler and exit codes
as for a user. `process=True` starts a real `python -m trainer` where the process itself is
the point (bytes reaching a real stdout, signals, start-up imports).
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import click
from click.testing import CliRunner

from trainer.cli import main

DEFAULT_NOW = "2026-03-02T12:00:00+00:00"


@dataclass(frozen=True)
class CliResult:
    """What a command printed and how it ended (the fields of `subprocess.CompletedProcess`)."""

    returncode: int
    stdout: str
    stderr: str


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx: click.Context) -> None:
    main(list(ctx.args))


def run_trainer(
    tmp_path: Path | None,
    *args: str,
    now: str | None = DEFAULT_NOW,
    db_name: str = "cli.sqlite3",
    env: dict[str, str] | None = None,
    process: bool = False,
    timeout: float = 120,
) -> CliResult:
    """Run `trainer ARGS` on the collection `tmp_path/db_name` at the fixed time `now`.

    With `tmp_path=None` no collection is chosen: the arguments name it (`--db`).
    """
    variables = {}
    if tmp_path is not None:
        variables = {"TRAINER_DB": str(tmp_path / db_name), "XDG_DATA_HOME": str(tmp_path / "data")}
    if now is not None:
        variables["TRAINER_NOW"] = now
    variables.update(env or {})
    if process:
        done = subprocess.run(
            [sys.executable, "-m", "trainer", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **variables},
            timeout=timeout,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)
    result = CliRunner().invoke(_entry, list(args), env=variables)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # What a real process would print for a bug: the traceback on stderr, exit 1.
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return CliResult(result.exit_code, result.stdout, stderr)
