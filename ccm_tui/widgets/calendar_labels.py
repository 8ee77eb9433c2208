"""Calendar labels in the user's locale (babel, explicit Locale): the month's
title, weekday names in the locale's week order, short day labels.

The week starts on the locale's first day (Sunday for en_US, Monday for
en_GB and most of Europe).
"""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date, format_skeleton

from ccm_tui.text.formatting import Formatter


def first_weekday(fmt: Formatter) -> int:
    """0 is Monday, as in `date.weekday()`."""
    return int(fmt.locale.first_week_day)


def week_start(day: date, fmt: Formatter) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday(fmt)) % 7)


def weekday_names(fmt: Formatter) -> list[str]:
    """Abbreviated names in the locale's week order."""
    first = first_weekday(fmt)
    names = fmt.locale.days["format"]["abbreviated"]
    return [str(names[(first + i) % 7]) for i in range(7)]


def month_title(fmt: Formatter, first: date) -> str:
    return format_skeleton("yMMMM", first, locale=fmt.locale)


def day_label(fmt: Formatter, day: date) -> str:
    """'Fri 20': the locale's weekday name, then the day, for narrow columns."""
    return format_date(day, "EEE d", locale=fmt.locale)


def week_title(fmt: Formatter, first: date) -> str:
    """'Nov 15 – 21, 2026' style."""
    last = first + timedelta(days=6)
    return f"{format_skeleton('MMMd', first, locale=fmt.locale)} – {format_skeleton('yMMMd', last, locale=fmt.locale)}"
