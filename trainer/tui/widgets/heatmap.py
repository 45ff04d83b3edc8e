"""A calendar heatmap of reviews per day: weeks as columns, weekdays as rows (as Anki draws it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.text import Text

SHADES = ("#0e4429", "#006d32", "#26a641", "#39d353")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def heatmap(counts: Sequence[int], last_day: date, weeks: int = 26) -> Text:
    """`counts` (one a day, oldest first, ending on `last_day`) as a grid of shaded cells."""
    days = list(counts)[-weeks * 7 :]
    first = last_day - timedelta(days=len(days) - 1)
    start = first - timedelta(days=first.weekday())  # the Monday of the first week
    by_day = {first + timedelta(days=i): n for i, n in enumerate(days)}
    top = max(days, default=0)
    columns = (last_day - start).days // 7 + 1
    result = Text()
    row = [" "] * (4 + 2 * columns + 2)
    previous = None
    for week in range(columns):
        monday = start + timedelta(weeks=week)
        if monday.month != previous:
            previous = monday.month
            at = 4 + 2 * week
            if all(c == " " for c in row[at - 1 : at + 3]):
                row[at : at + 3] = list(monday.strftime("%b"))
    months = Text("".join(row).rstrip(), style="dim")
    result.append_text(months)
    result.append("\n")
    for weekday in range(7):
        result.append(f"{WEEKDAYS[weekday]:<4}", style="dim")
        for week in range(columns):
            day = start + timedelta(weeks=week, days=weekday)
            count = by_day.get(day)
            if count is None:
                result.append("  ")
            elif count == 0:
                result.append("· ", style="dim")
            else:
                level = min(len(SHADES) - 1, (count * len(SHADES) - 1) // max(top, 1))
                result.append("■ ", style=SHADES[level])
        result.append("\n")
    result.append("    less ", style="dim")
    for shade in SHADES:
        result.append("■ ", style=shade)
    result.append(f"more   (most in a day: {top})", style="dim")
    return result
