"""The calendar's labels in the user's locale: week order, weekday names, titles (functions, no widget)."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.calendar_labels import (
    day_label,
    first_weekday,
    month_title,
    week_start,
    week_title,
    weekday_names,
)

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("locale", "first", "names", "start"),
    [
        ("en_US", 6, ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], date(2026, 11, 15)),
        ("en_GB", 0, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], date(2026, 11, 16)),
        ("fr_FR", 0, ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."], date(2026, 11, 16)),
    ],
)
def test_the_week_starts_on_the_locales_first_day(locale: str, first: int, names: list[str], start: date) -> None:
    fmt = Formatter(locale)
    assert first_weekday(fmt) == first
    assert weekday_names(fmt) == names
    assert week_start(FRIDAY, fmt) == start
    assert week_start(start, fmt) == start


@pytest.mark.parametrize(
    ("locale", "month", "day", "week"),
    [
        ("en_US", "November 2026", "Fri 20", "Nov 15 – Nov 21, 2026"),
        ("en_GB", "November 2026", "Fri 20", "15 Nov – 21 Nov 2026"),
    ],
)
def test_titles_and_day_labels(locale: str, month: str, day: str, week: str) -> None:
    fmt = Formatter(locale)
    assert month_title(fmt, FRIDAY.replace(day=1)) == month
    assert day_label(fmt, FRIDAY) == day
    assert week_title(fmt, date(2026, 11, 15)) == week
