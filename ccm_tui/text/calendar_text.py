"""The calendar screen's words: the bar over the views and the title over a day's list."""

from __future__ import annotations

from datetime import date

from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.text.formatting import Formatter


def agenda_title(first: date, total: int, fmt: Formatter, whole: int | None = None, last: date | None = None) -> str:
    """`whole`: with a filter on, the events without it ("12 of 40 events"); `last`: the last day listed, if not two months on."""
    days = f"from {fmt.date(first)}" if last is None else f"{fmt.day_short(first)} to {fmt.day_short(last)}"
    return f"Agenda {days}: {_of(total, whole, fmt)} events"


def _of(total: int, whole: int | None, fmt: Formatter) -> str:
    return fmt.number(total, 0) if whole is None else f"{fmt.number(total, 0)} of {fmt.number(whole, 0)}"


def bar(title: str, flt: CalendarFilter, zone_name: str) -> str:
    """What the views show, under which filter, and the zone the CCM's own times are in."""
    return " · ".join(
        [title, "no filter" if flt.is_default else f"filter: {flt.describe()}", f"days and your times in {zone_name}"]
    )


def day_title(day: date, total: int, shown: int, fmt: Formatter, whole: int | None = None) -> str:
    """The day and its count (of `whole`, with a filter on); when the list holds only the first `shown`, it says so."""
    counted = whole if whole is not None else total
    text = f"{fmt.date_long(day)}: {_of(total, whole, fmt)} event{'s' if counted != 1 else ''}"
    if total > shown and shown:
        text += f" (first {shown} shown; f filters)"
    return text
