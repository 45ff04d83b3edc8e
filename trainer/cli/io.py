"""`trainer import` and `trainer export`."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.cli.common import clock, emit_json, safe
from trainer.cli.context import Context, pass_context

FORMATS = click.Choice(["apkg", "csv", "tsv", "toml", "json", "markdown"])


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--deck", help="Put the cards in this deck (Anki decks nest below it).")
@click.option("--no-scheduling", is_flag=True, help="Start fresh: ignore scheduling and review history.")
@click.option("--format", "fmt", type=FORMATS, help="Override the format chosen by extension.")
@click.option(
    "--replace-presets", is_flag=True, help="Let the file's presets overwrite same-named ones (JSON restore)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@pass_context
def import_command(
    obj: Context,
    file: Path,
    deck: str | None,
    no_scheduling: bool,
    fmt: str | None,
    replace_presets: bool,
    as_json: bool,
) -> None:
    """Import an Anki package (.apkg/.colpkg), CSV/TSV, JSON, TOML deck or Markdown file."""
    report = obj.collection.import_file(
        file, deck=deck, scheduling=not no_scheduling, fmt=fmt, now=clock(), replace_presets=replace_presets
    )
    if as_json:
        emit_json(report.to_dict())
        return
    click.echo(
        f"{safe(str(file))}: {len(report.added)} added, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped, {report.reviews} reviews, "
        f"{len(report.media)} media files."
    )
    for name in report.decks_created:
        click.echo(f"  new deck: {safe(name)}")
    for name in report.presets_created:
        click.echo(f"  new preset (deck options): {safe(name)}")
    if report.restored:
        click.echo(
            f"  progress restored from the file (cards never studied here): {len(report.restored)} cards"
        )
    if report.kept:
        click.echo(f"  progress kept (studied here and in the file): {len(report.kept)} cards")
    for external_id in report.updated[:50]:
        click.echo(f"  updated (progress kept): {safe(external_id)}")
    for where, why in report.skipped[:50]:
        click.echo(f"  skipped {safe(where)}: {safe(why)}")
    if len(report.skipped) > 50:
        click.echo(f"  ... and {len(report.skipped) - 50} more skipped")
    for where, what in report.notices[:50]:
        click.echo(f"  {safe(where)}: {safe(what)}")
    if len(report.notices) > 50:
        click.echo(f"  ... and {len(report.notices) - 50} more notes")
    if report.backup:
        click.echo(f"  backup before import: {safe(report.backup)}")


@click.command(name="export")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--deck", help="Export only this deck and its subdecks.")
@click.option("--format", "fmt", type=click.Choice(["apkg", "csv", "tsv", "toml", "json"]))
@click.option("--no-scheduling", is_flag=True, help="Leave out scheduling and review history.")
@click.option("--split", is_flag=True, help="TOML: one deck file per deck (FILE's name + deck id).")
@click.option(
    "--spreadsheet-safe",
    is_flag=True,
    help="CSV/TSV: put ' before cells starting with = + - @ (for spreadsheets; Anki keeps the ').",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@pass_context
def export_command(
    obj: Context,
    file: Path,
    deck: str | None,
    fmt: str | None,
    no_scheduling: bool,
    split: bool,
    spreadsheet_safe: bool,
    as_json: bool,
) -> None:
    """Export cards as an Anki package, CSV/TSV, a TOML deck or JSON.

    TOML: one file (a collection file of [[decks]] when there are several); --split writes one
    deck file per deck.
    """
    report = obj.collection.export_file(
        file, deck=deck, fmt=fmt, scheduling=not no_scheduling, now=clock(), split=split,
        spreadsheet_safe=spreadsheet_safe,
    )  # fmt: skip
    if as_json:
        emit_json(report.to_dict())
        return
    files = report.files if len(report.files) > 1 else [str(file)]
    click.echo(
        f"Wrote {safe(', '.join(files))} ({report.format}): {report.cards} cards, {report.notes} notes, "
        f"{report.reviews} reviews, {report.media} media files."
    )


COMMANDS = [import_command, export_command]
