"""Study commands: decks, next, answer, undo, reposition, load."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.cli.common import clock, emit_json, local, relative, safe
from trainer.cli.context import Context, pass_context
from trainer.core.scheduling import Rating, format_interval
from trainer.errors import InvalidInputError
from trainer.views import SyncReport, UndoResult, plural

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")


def print_decks(obj: Context, *, as_json: bool) -> None:
    """The deck list with counts."""
    from trainer.core.decknames import deck_sort_key

    now = clock()
    decks = sorted(obj.collection.decks(now=now), key=lambda d: deck_sort_key(d.name))
    if as_json:
        emit_json({"decks": [d.to_dict() for d in decks]})
        return
    if not decks:
        click.echo("No decks yet. Load some with: trainer load PATH")
        return
    width = max(len("  " * d.depth + d.short_name) for d in decks)
    click.echo(f"{'Deck':<{width}}  {'New':>5} {'Learn':>5} {'Due':>5} {'Total':>6}  Next due")
    for d in decks:
        name = safe("  " * d.depth + d.short_name)
        counts = f"{d.new:>5} {d.learning:>5} {d.due:>5} {d.total:>6}"
        click.echo(f"{name:<{width}}  {counts}  {relative(d.next_due, now)}")


UNDO_IDS_SHOWN = 5  # an undo of many cards names the first few and counts the rest


@click.command()
@json_option
@pass_context
def decks(obj: Context, as_json: bool) -> None:
    """List decks with new / learning / due-today / total counts."""
    print_decks(obj, as_json=as_json)


@click.command(name="next")
@click.argument("deck", required=False)
@click.option("--reveal", is_flag=True, help="Also print the answer.")
@json_option
@pass_context
def next_card(obj: Context, deck: str | None, reveal: bool, as_json: bool) -> None:
    """Show the next card to study, with the four previewed outcomes."""
    from trainer.cli.tui import resolve_deck

    now = clock()
    col = obj.collection
    deck = resolve_deck(obj, deck) if deck is not None else None
    study = col.next_card(deck, now=now)
    if study is None:
        upcoming = col.next_due(deck)
        if as_json:
            emit_json({"card": None, "next_due": upcoming.isoformat() if upcoming else None})
        else:
            click.echo(f"Nothing to study now. Next card due: {local(upcoming)} ({relative(upcoming, now)}).")
        return
    if as_json:
        emit_json(study.to_dict())
        return
    card = study.card
    click.echo(f"Card {card.id} · {safe(card.deck_name)} · {card.state.state.name.lower()}")
    if card.content.group_title:
        click.echo(f"[{safe(card.content.group_title)}]")
    click.echo(f"Q: {safe(card.question)}")
    if card.content.kind.value == "choice":
        for number, option in enumerate(sorted((*card.content.distractors, card.content.back)), 1):
            click.echo(f"   {number}. {safe(option)}")
    if reveal:
        click.echo(f"A: {safe(card.answer)}")
    outcomes = "  ".join(
        f"{r.name.lower()} {format_interval(o.interval)}" for r, o in study.preview.outcomes.items()
    )
    click.echo(f"   {outcomes}")
    c = study.counts
    click.echo(f"Left today: {c.new} new · {c.learning} learning · {c.review} due")
    click.echo(f"Answer with: trainer answer {card.id} again|hard|good|easy")


@click.command()
@click.argument("card_id", type=click.IntRange(1, 2**63 - 1))
@click.argument("rating")
@click.option("--duration-ms", type=click.IntRange(0, 2**31 - 1), help="Time taken to answer.")
@json_option
@pass_context
def answer(obj: Context, card_id: int, rating: str, duration_ms: int | None, as_json: bool) -> None:
    """Answer CARD_ID with RATING: again, hard, good, easy or 1-4."""
    try:
        parsed = Rating.parse(rating)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="RATING") from None
    result = obj.collection.answer(card_id, parsed, duration_ms=duration_ms, now=clock())
    if as_json:
        emit_json(result.to_dict())
        return
    due = result.after.due
    click.echo(f"Card {card_id}: {parsed.label}. Next review {local(due)} ({relative(due, clock())}).")
    if result.leech:
        click.echo("This card is now a leech: it was tagged 'leech' and suspended.")


@click.command()
@json_option
@pass_context
def undo(obj: Context, as_json: bool) -> None:
    """Take back the last answer or card action (suspend, bury, flag, edit, add, reposition)."""
    result = obj.collection.undo(now=clock())
    if as_json:
        emit_json({"undone": result.to_dict() if result else None})
        return
    if result is None:
        click.echo("Nothing to undo.")
    elif isinstance(result, UndoResult):
        click.echo(f"Undid {result.rating.label} on card {result.card_id}.")
    else:
        ids = result.card_ids
        cards = ", ".join(str(i) for i in ids[:UNDO_IDS_SHOWN])
        if len(ids) > UNDO_IDS_SHOWN:
            cards += f", ... ({len(ids) - UNDO_IDS_SHOWN} more)"
        click.echo(f"Undid {result.label} on {plural(len(ids), 'card')} {cards}.")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--bundled", is_flag=True, help="Re-sync the decks shipped with trainer.")
@click.option("--check", is_flag=True, help="Validate and report only; change nothing.")
@json_option
@pass_context
def load(obj: Context, paths: tuple[Path, ...], bundled: bool, check: bool, as_json: bool) -> None:
    """Load deck files or folders of them (a sync: edits keep progress)."""
    from trainer.paths import bundled_decks_dir

    targets = list(paths) + ([bundled_decks_dir()] if bundled else [])
    if not targets:
        raise click.UsageError("give deck files or folders, or --bundled")
    report = obj.collection.load(targets, check=check, now=clock())
    if as_json:
        emit_json(report.to_dict())
    else:
        print_report(report)


def print_report(report: SyncReport) -> None:
    """A human summary of a sync."""
    prefix = "Check passed; loading would have: " if report.checked_only else ""
    click.echo(
        f"{prefix}{len(report.added)} added, {len(report.changed)} changed, "
        f"{report.unchanged} unchanged, {len(report.suspended)} suspended (gone from file), "
        f"{len(report.restored)} restored."
    )
    for name in report.decks_created:
        click.echo(f"  new deck: {safe(name)}")
    for external_id in report.changed:
        click.echo(f"  changed (progress kept): {safe(external_id)}")
    for external_id in report.suspended:
        click.echo(f"  suspended: {safe(external_id)}")
    if report.kept_edits:
        click.echo(f"  {plural(len(report.kept_edits), 'card')} keep the edits made in the app.")
    for external_id in report.conflicts:
        click.echo(f"  conflict (your edit in the app kept; the file's text differs): {safe(external_id)}")


@click.command()
@click.argument("card_ids", metavar="[CARD_ID]...", nargs=-1, type=click.IntRange(1, 2**63 - 1))
@click.option("--search", "query", metavar="QUERY", help="The cards matching an Anki search instead of ids.")
@click.option("--start", type=click.IntRange(0, 1_000_000_000), required=True, help="The first position.")
@click.option("--step", type=click.IntRange(1, 10_000), default=1, show_default=True, help="Between cards.")
@click.option("--random", "randomize", is_flag=True, help="Shuffle the cards instead of keeping their order.")
@click.option("--shift", is_flag=True, help="Move the other new cards from START on back to make room.")
@json_option
@pass_context
def reposition(
    obj: Context,
    card_ids: tuple[int, ...],
    query: str | None,
    start: int,
    step: int,
    randomize: bool,
    shift: bool,
    as_json: bool,
) -> None:
    """Set the order new cards are studied in, as Anki's Reposition (undo takes it back)."""
    col = obj.collection
    if query is not None and card_ids:
        raise click.UsageError("give card ids or --search, not both")
    if query is None and not card_ids:
        raise click.UsageError("no card to reposition: give CARD_ID... or a --search that matches")
    ids = list(card_ids) if query is None else [c.id for c in col.search(query, limit=1_000_000)]
    if not ids:
        raise InvalidInputError(f"no card matches the search '{safe(query or '')}': nothing repositioned")
    done = col.reposition(ids, start, step=step, randomize=randomize, shift=shift)
    if as_json:
        emit_json({"repositioned": list(done.moved), "not_new": done.skipped, "changed": len(done.before)})
        return
    shifted = len(done.before) - len(done.moved)
    line = f"Repositioned {plural(len(done.moved), 'new card')} from position {start}"
    line += f"; {plural(shifted, 'other card')} shifted back." if shift else "."
    if done.skipped:
        line += f" {plural(done.skipped, 'card')} not new, left alone."
    click.echo(line)


COMMANDS = [decks, next_card, answer, undo, reposition, load]
