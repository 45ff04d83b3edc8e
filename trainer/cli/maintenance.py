"""Maintenance commands: check, backup, backups, restore."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.cli.common import CliError, clock, emit_json, local
from trainer.cli.context import Context, pass_context

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")


@click.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed (review history is never removed).")
@json_option
@pass_context
def check(obj: Context, repair: bool, as_json: bool) -> None:
    """Check the collection: integrity, foreign keys, schedules against the review log, presets."""
    report = obj.collection.check(repair=repair, now=clock())
    if as_json:
        emit_json(report.to_dict())
    else:
        for problem in report.problems:
            mark = "repaired" if problem.repaired else "problem"
            click.echo(f"{mark}: [{problem.code}] {problem.message}")
        fixed = sum(p.repaired for p in report.problems)
        left = len(report.problems) - fixed
        if not report.problems:
            click.echo("No problems found.")
        else:
            click.echo(f"{len(report.problems)} problem(s) found, {fixed} repaired, {left} left.")
            if left and not repair:
                click.echo("Run 'trainer check --repair' to fix them.")
    if not report.ok:
        left = sum(not p.repaired for p in report.problems)
        raise CliError(f"{left} problem(s) left in {obj.collection.location}")


@click.command()
@pass_context
def backup(obj: Context) -> None:
    """Back up the collection now (old backups are thinned like Anki's)."""
    path = obj.collection.backup("manual", now=clock())
    click.echo(f"Backed up to {path}")


@click.command()
@json_option
@pass_context
def backups(obj: Context, as_json: bool) -> None:
    """List the collection's backups, newest first."""
    found = obj.collection.backups()
    if as_json:
        rows = [{"path": str(b.path), "created": b.created.isoformat(), "reason": b.reason, "size": b.size}
                for b in found]  # fmt: skip
        emit_json({"backups": rows})
        return
    if not found:
        click.echo("No backups yet. Make one with: trainer backup")
        return
    for b in found:
        click.echo(f"{local(b.created)}  {b.reason:<24} {b.size / 1e6:8.1f} MB  {b.path}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def restore(obj: Context, file: Path, yes: bool) -> None:
    """Replace the collection with backup FILE (the current collection is backed up first)."""
    if not file.is_file():
        raise CliError(f"{file}: no such backup file")
    if not yes:
        click.confirm(f"Replace {obj.collection.location} with {file}?", abort=True)
    safety = obj.collection.restore(file, now=clock())
    click.echo(f"Restored {file}. The previous collection was backed up to {safety}")


COMMANDS = [check, backup, backups, restore]
