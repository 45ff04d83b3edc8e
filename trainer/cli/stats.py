"""Statistics and optimiser commands: stats, optimize, simulate, preset, import-revlog."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.cli.common import clock, emit_json, safe
from trainer.cli.context import Context, pass_context
from trainer.core.stats import bar, sparkline
from trainer.core.stats.report import CLASS_NAMES, StatsReport

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _minutes(ms: int) -> str:
    return f"{ms / 60000:.1f} min"


def render_report(r: StatsReport) -> list[str]:
    """The text report: numbers and small charts, card text never interpreted."""
    scope = safe(r.deck) if r.deck else "whole collection"
    t = r.today
    c = r.card_counts
    lines = [
        f"Statistics · {scope} · {r.today_date.isoformat()} · last {r.days} days",
        "",
        f"Today: {t.cards} cards, {t.reviews} answers in {_minutes(t.time_ms)}; again {t.again},"
        f" correct {_pct(t.correct)}; learn {t.learn} · review {t.review} · relearn {t.relearn}",
        f"Cards: {c.total} total · new {c.new} · learning {c.learning} · relearning {c.relearning}"
        f" · young {c.young} · mature {c.mature} · suspended {c.suspended} · buried {c.buried}",
        f"Future due (30 d): {sum(r.future_due[:30])} · {sparkline(r.future_due[:30])}",
        f"  90 d: {sum(r.future_due[:90])} · 365 d: {sum(r.future_due)} · daily load {r.daily_load:.1f}",
        f"Calendar (365 d): {sum(r.calendar)} reviews on {sum(1 for x in r.calendar if x)} days"
        f" · streak {r.streak_current} d (longest {r.streak_longest} d)",
        f"  last 12 weeks {sparkline(r.calendar[-84:])}",
        "",
        "Reviews per day (learning / young / mature / relearning):",
    ]
    totals = [sum(d.counts[i] for d in r.reviews) for i in range(4)]
    time_total = sum(sum(d.time_ms) for d in r.reviews)
    lines.append(f"  {sparkline([d.total for d in r.reviews])}  {sum(totals)} in {_minutes(time_total)}")
    lines.append("  " + " · ".join(f"{name} {n}" for name, n in zip(CLASS_NAMES, totals, strict=True)))
    lines += [
        "",
        f"True retention (desired {_pct(r.desired_retention)}):",
        "  period      young     mature    all",
    ]
    for name, counts in r.retention.items():
        n = counts.young_passed + counts.young_failed + counts.mature_passed + counts.mature_failed
        lines.append(
            f"  {name:<10} {_pct(counts.young):>7}  {_pct(counts.mature):>8}  {_pct(counts.total):>7}  ({n})"
        )
    lines += [
        "",
        f"Knowledge: {r.knowledge:.1f} cards remembered now of {r.studied} studied"
        f" (average retrievability {_pct(r.average_retrievability)})",
    ]
    for label, hist in (("Intervals (d)", r.intervals), ("Retrievability", r.retrievability)):
        lines.append(f"{label}: {sparkline(hist.counts)}")
    lines.append("Answer buttons (Again Hard Good Easy):")
    for name, buttons in r.buttons.items():
        total = sum(buttons)
        correct = (total - buttons[0]) / total if total else None
        lines.append(f"  {name:<9} {' '.join(f'{x:>5}' for x in buttons)}  correct {_pct(correct)}")
    top = max((h[0] for h in r.hours), default=0)
    lines.append("Hours (reviews · success):")
    for hour, (count, passed) in enumerate(r.hours):
        if count:
            lines.append(f"  {hour:02d}h {bar(count, top, 20):<20} {count:>5} · {_pct(passed / count)}")
    lines.append(f"Cards added: {sum(r.added)} · {sparkline(r.added)}")
    if r.mastery:
        lines += ["", "Mastery (weakest first):"]
        for m in r.mastery:
            name = m.name
            if m.kind == "set" and m.weakest and m.weakest[0].question:
                name = m.weakest[0].question  # a note or set is named by its text, not its id (a GUID)
            lines.append(
                f"  {m.kind:<4} {one_line(name)[:40]:<40} {m.studied:>5}/{m.cards:<5}"
                f" R {_pct(m.average_retrievability):>6} · retention {_pct(m.retention):>6}"
            )
            for weak in m.weakest[:3]:
                lines.append(f"       {_pct(weak.retrievability):>6}  {one_line(weak.question)[:60]}")
    if r.confusion:
        lines += ["", "Confusions (expected <- chosen instead):"]
        for item in r.confusion[:15]:
            lines.append(
                f"  {safe(item.group_id)[:30]}: {safe(item.expected)} <- {safe(item.given)} ×{item.count}"
            )
    return lines


def one_line(text: str) -> str:
    """Card text on one line (a multi-line question keeps the table readable)."""
    return " ".join(safe(text).split())


@click.command()
@click.option("--deck", help="Only this deck (with its subdecks).")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3650), help="The period.")
@json_option
@pass_context
def stats(obj: Context, deck: str | None, days: int, as_json: bool) -> None:
    """Progress statistics by Anki's definitions, with small text charts."""
    report = obj.collection.stats_report(deck, days, now=clock())
    if as_json:
        emit_json(report.to_dict())
        return
    for line in render_report(report):
        click.echo(line)


@click.command()
@click.option("--deck", help="Optimise the preset this deck uses.")
@click.option("--preset", "preset_name", help="Optimise this preset (default: Default).")
@click.option("--dry-run", is_flag=True, help="Evaluate only; save nothing.")
@json_option
@pass_context
def optimize(obj: Context, deck: str | None, preset_name: str | None, dry_run: bool, as_json: bool) -> None:
    """Fit FSRS parameters to your review history; saved only if they predict it better."""
    if deck and preset_name:
        raise click.UsageError("give --deck or --preset, not both")
    result = obj.collection.optimizer.optimize(deck, preset_name, dry_run=dry_run, now=clock())
    if as_json:
        emit_json(result.to_dict())
        return
    click.echo(f"Preset {safe(result.preset)}: {result.reviews} reviews, {result.items} training items.")
    if result.refused:
        click.echo(f"Not optimised: {result.refused}.")
        return
    assert result.current_eval and result.new_eval and result.split_eval
    click.echo(f"Current parameters: log loss {result.current_eval.log_loss:.4f}, "
               f"RMSE(bins) {result.current_eval.rmse_bins:.4f}")  # fmt: skip
    click.echo(f"New parameters:     log loss {result.new_eval.log_loss:.4f}, "
               f"RMSE(bins) {result.new_eval.rmse_bins:.4f}")  # fmt: skip
    click.echo(f"Time-series split:  log loss {result.split_eval.log_loss:.4f}, "
               f"RMSE(bins) {result.split_eval.rmse_bins:.4f}")  # fmt: skip
    if result.saved:
        click.echo(f"Saved. Memory states recomputed for {result.cards_updated} cards; daily load "
                   f"{result.load_before:.1f} -> {result.load_after:.1f} reviews/day.")  # fmt: skip
    elif dry_run:
        click.echo("Dry run: nothing saved.")
    else:
        click.echo("The new parameters are not better; the current ones are kept.")


@click.command()
@click.option("--deck", help="Simulate this deck's preset and size.")
@click.option("--days", default=365, show_default=True, type=click.IntRange(30, 3650))
@json_option
@pass_context
def simulate(obj: Context, deck: str | None, days: int, as_json: bool) -> None:
    """Expected reviews per day and retention for a range of desired retentions."""
    rows = obj.collection.optimizer.simulate(deck, days=days)
    if as_json:
        emit_json([row.__dict__ for row in rows])
        return
    click.echo(f"Desired  reviews/day  memorised  retention   (simulated over {days} days)")
    for row in rows:
        click.echo(f"  {_pct(row.desired_retention):>6}  {row.reviews_per_day:>10.1f}  "
                   f"{row.memorized:>9.0f}  {_pct(row.retention):>9}")  # fmt: skip


@click.command()
@click.argument("name", required=False)
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help="Change a setting.")
@click.option("--reschedule", is_flag=True, help="Move review cards' due dates to the new settings.")
@json_option
@pass_context
def preset(
    obj: Context, name: str | None, assignments: tuple[str, ...], reschedule: bool, as_json: bool
) -> None:
    """Show presets, or show and change one (retention, limits, steps, day start).

    Steps are written as in Anki: `--set "learning_steps=1m 10m"` (units s, m, h, d)."""
    from trainer.core.scheduling import DEFAULT_PARAMETERS
    from trainer.core.validate import format_steps

    service = obj.collection.presets
    if name is None:
        if assignments or reschedule:
            raise click.UsageError("name the preset to change")
        infos = service.all()
    elif assignments or reschedule:
        infos = [service.set_options(name, list(assignments), reschedule=reschedule, now=clock())]
    else:
        infos = [service.get(name)]
    if as_json:
        emit_json([info.to_dict() for info in infos])
        return
    for info in infos:
        p = info.preset
        click.echo(f"{safe(p.name)}: retention {p.desired_retention:.2f} · new/day {p.new_per_day}"
                   f" · reviews/day {p.reviews_per_day} · steps {format_steps(p.learning_steps)}"
                   f" · relearn {format_steps(p.relearning_steps)} · max {p.maximum_interval} d"
                   f" · day starts {p.day_start_hour}:00")  # fmt: skip
        click.echo(f"  decks: {', '.join(safe(d) for d in info.decks) or '-'}")
        defaults = " (the FSRS defaults)" if p.parameters == DEFAULT_PARAMETERS else ""
        click.echo(f"  parameters{defaults}: {' '.join(f'{v:.4f}' for v in p.parameters)}")
        for assignment in assignments:
            key, _, value = assignment.partition("=")
            if key.strip().replace("-", "_") == "parameters":
                given = len(value.replace(",", " ").split())
                if not given:
                    click.echo("  parameters reset to the FSRS defaults")
                elif given != len(p.parameters):
                    click.echo(f"  {given} parameters filled to {len(p.parameters)} as Anki fills them")
        if info.recomputed:
            click.echo(f"  memory states recomputed for the new parameters: {info.recomputed} cards")
        if reschedule:
            click.echo(f"  rescheduled {info.rescheduled} cards")


@click.command(name="import-revlog")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--deck", default="Imported review log", show_default=True)
@json_option
@pass_context
def import_revlog(obj: Context, file: Path, deck: str, as_json: bool) -> None:
    """Import a review-log CSV (card_id, review_time, review_rating, review_duration[, review_state])."""
    summary = obj.collection.optimizer.import_review_log(file, deck=deck, now=clock())
    if as_json:
        emit_json(summary.__dict__)
        return
    click.echo(f"Imported {summary.reviews} reviews of {summary.cards} cards into '{safe(summary.deck)}'"
               f" ({summary.skipped_cards} already imported).")  # fmt: skip


COMMANDS = [stats, optimize, simulate, preset, import_revlog]
