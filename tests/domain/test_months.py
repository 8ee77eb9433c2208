"""Stepping the calendar a month at a time keeps the day of the month where it exists."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.months import add_months, month_first


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 20), 1, date(2026, 12, 20)),
        (date(2026, 12, 20), 1, date(2027, 1, 20)),  # over the year's end
        (date(2027, 1, 20), -1, date(2026, 12, 20)),  # and back
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31st: the month's last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 15), -17, date(2024, 12, 15)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize("day", [date(2026, 11, 1), date(2026, 11, 30), date(2024, 2, 29)])
def test_month_first(day: date) -> None:
    assert month_first(day) == date(day.year, day.month, 1)
