"""Maintenance commands: check, backup, backups, restore."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.cli.common import CliError, clock, emit_json, local, safe
from trainer.cli.context import Context, pass_context
from trainer.core.days import local_zone

if TYPE_CHECKING:
    from trainer.services.maintenance import CheckReport

EXAMPLES = 3  # problems of one kind shown before a count (`check --verbose` shows all)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")


@click.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed (review history is never removed).")
@click.option(
    "--verbose", "-v", is_flag=True, help=f"List every problem (else {EXAMPLES} of each kind, then a count)."
)
@json_option
@pass_context
def check(obj: Context, repair: bool, verbose: bool, as_json: bool) -> None:
    """Check the collection: integrity, foreign keys, schedules against the review log, presets.

    A damaged file is diagnosed without opening it; `--repair` then recovers what SQLite can
    read into a new file (the damaged one is kept in backups/).
    """
    from trainer.services import maintenance

    path = obj.sqlite_file()
    report = maintenance.CheckReport(repair=repair)
    if path is not None and path.is_file():
        report = maintenance.check_file(path, clock(), repair=repair)
        if report.problems and not repair:
            _print_report(report, as_json, verbose)
            raise CliError(
                f"{path} is damaged: run 'trainer check --repair' to recover what SQLite can read"
                " (the damaged file is kept), or 'trainer restore BACKUP' (see 'trainer backups')"
            )
    report.problems += maintenance.check(
        obj.collection.db, clock(), repair=repair, integrity=path is None, zone=obj.collection.zone
    ).problems
    _print_report(report, as_json, verbose)
    if not report.ok:
        left = sum(not p.repaired for p in report.problems)
        raise CliError(f"{left} problem(s) left in {obj.collection.location}")


def _print_report(report: CheckReport, as_json: bool, verbose: bool = False) -> None:
    if as_json:
        emit_json(report.to_dict())
        return
    kinds: dict[tuple[bool, str, str], list[str]] = {}  # (repaired, code, message shape) -> messages
    for problem in report.problems:
        shape = re.sub(r"\d+", "N", problem.message)  # "review 12 belongs to no card" -> one kind
        kinds.setdefault((problem.repaired, problem.code, shape), []).append(problem.message)
    for (repaired, code, _shape), messages in kinds.items():
        mark = "repaired" if repaired else "problem"
        shown = messages if verbose else messages[:EXAMPLES]
        for message in shown:
            click.echo(f"{mark}: [{code}] {message}")
        if len(messages) > len(shown):
            click.echo(
                f"{mark}: [{code}] ... and {len(messages) - len(shown)} more like these (--verbose lists all)"
            )
    fixed = sum(p.repaired for p in report.problems)
    left = len(report.problems) - fixed
    if not report.problems:
        click.echo("No problems found.")
    else:
        click.echo(f"{len(report.problems)} problem(s) found, {fixed} repaired, {left} left.")
        if left and not report.repair:
            click.echo("Run 'trainer check --repair' to fix them.")


@click.command()
@pass_context
def backup(obj: Context) -> None:
    """Back up the collection now (old backups are thinned like Anki's)."""
    path = obj.collection.maintenance.backup("manual", now=clock())
    click.echo(f"Backed up to {path}")


@click.command()
@json_option
@pass_context
def backups(obj: Context, as_json: bool) -> None:
    """List the collection's backups, newest first."""
    found = obj.collection.maintenance.backups()
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
    """Replace the collection with backup FILE (the current collection is kept first).

    Works on a collection that no longer opens: a damaged one is kept as a copy in backups/.
    Only trainer's own tables are restored (triggers, views and other tables are left out).
    """
    from trainer.services import maintenance

    if not file.is_file():
        raise CliError(f"{file}: no such backup file")
    path = obj.sqlite_file()
    if path is None:
        raise CliError("restore is for SQLite collections; restore a PostgreSQL server with pg_restore")
    if not yes:
        click.confirm(f"Replace {path} with {file}?", abort=True)
    obj.close()
    result = maintenance.restore_path(path, file, clock(), local_zone())
    for dropped in result.dropped:
        click.echo(f"left out {dropped.type} '{safe(dropped.name)}' (not part of trainer's schema)")
    click.echo(f"Restored {file}: {result.cards} cards, {result.reviews} reviews.")
    if result.damaged:
        click.echo(f"The previous collection was damaged; it is kept as {result.previous}")
    elif result.previous is not None:
        click.echo(f"The previous collection was backed up to {result.previous}")


COMMANDS = [check, backup, backups, restore]
