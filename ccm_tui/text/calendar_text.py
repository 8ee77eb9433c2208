"""The calendar screen's words: the bar over the views and the title over a day's list."""

from __future__ import annotations

from datetime import date

from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.text.formatting import Formatter


def agenda_title(first: date, total: int, fmt: Formatter) -> str:
    return f"Agenda from {fmt.date(first)}: {fmt.number(total, 0)} events"


def bar(title: str, flt: CalendarFilter, zone_name: str) -> str:
    """What the views show, under which filter, and the zone the CCM's own times are in."""
    return " · ".join(
        [title, "no filter" if flt.is_default else f"filter: {flt.describe()}", f"days and your times in {zone_name}"]
    )


def day_title(day: date, total: int, shown: int, fmt: Formatter) -> str:
    """The day and its count; when the list holds only the first `shown`, it says so."""
    text = f"{fmt.date_long(day)}: {fmt.number(total, 0)} event{'s' if total != 1 else ''}"
    if total > shown and shown:
        text += f" (first {shown} shown; f filters)"
    return text
