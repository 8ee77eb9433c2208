"""This month's hours burn-down: projected at the current pace, levels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.hours import (
    MIN_DAYS_TO_PROJECT,
    HoursLevel,
    burn_down,
    days_in_month,
    hours_usage,
    projected_hours,
)
from ccm_tui.domain.model import TaskCategory, TimeEntry

NOVEMBER = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("used", "today", "month", "expected"),
    [
        ("3", date(2026, 11, 1), NOVEMBER, "90.00"),  # one day in: 3 h a day for 30 days
        ("10", date(2026, 11, 20), NOVEMBER, "15.00"),
        ("12", date(2026, 11, 30), NOVEMBER, "12.00"),  # the last day: what was used
        ("12", date(2026, 12, 5), NOVEMBER, "12.00"),  # a month already over
        ("0", date(2026, 10, 31), NOVEMBER, "0"),  # a month not started
        ("7", date(2028, 2, 14), date(2028, 2, 1), "14.50"),  # leap February: 29 days
        ("1", date(2026, 11, 3), NOVEMBER, "10.00"),
    ],
    ids=["first-day", "mid-month", "last-day", "month-over", "not-started", "leap-february", "thirds-round"],
)
def test_projected_hours(used: str, today: date, month: date, expected: str) -> None:
    assert projected_hours(Decimal(used), today, month) == Decimal(expected)


@pytest.mark.parametrize(
    ("day", "days"), [(date(2026, 2, 10), 28), (date(2028, 2, 10), 29), (date(2026, 12, 31), 31), (date(2026, 4, 1), 30)]
)
def test_days_in_month(day: date, days: int) -> None:
    assert days_in_month(day) == days


def _usage(hours: str, package: str = "12"):  # type: ignore[no-untyped-def]
    entry = TimeEntry(0, 1, date(2026, 11, 2), Decimal(hours), TaskCategory.RELATIONSHIP)
    return hours_usage([entry], Decimal(package), NOVEMBER)


@pytest.mark.parametrize(
    ("used", "today", "level", "projected_level"),
    [
        ("4", date(2026, 11, 20), HoursLevel.OK, HoursLevel.OK),  # 6 h by the end
        ("7", date(2026, 11, 20), HoursLevel.OK, HoursLevel.NEAR),  # 10.5 of 12
        ("9", date(2026, 11, 15), HoursLevel.OK, HoursLevel.OVER),  # 18 of 12: warn before it happens
        ("13", date(2026, 11, 28), HoursLevel.OVER, HoursLevel.OVER),
    ],
    ids=["comfortable", "heading-near", "heading-over", "already-over"],
)
def test_burn_down_levels(used: str, today: date, level: HoursLevel, projected_level: HoursLevel) -> None:
    burn = burn_down(_usage(used), today)
    assert (burn.usage.level, burn.projected_level) == (level, projected_level)
    assert burn.days_in_month == 30 and burn.elapsed_days == today.day


def test_projected_over_by() -> None:
    burn = burn_down(_usage("9"), date(2026, 11, 15))
    assert burn.projected == Decimal("18.00") and burn.projected_over_by == Decimal("6.00")
    assert burn_down(_usage("1"), date(2026, 11, 15)).projected_over_by == 0


def _month_usage(hours: str, month: date, package: str = "12"):  # type: ignore[no-untyped-def]
    entry = TimeEntry(0, 1, month, Decimal(hours), TaskCategory.RELATIONSHIP)
    return hours_usage([entry], Decimal(package), month)


DECEMBER, AUGUST, FEBRUARY, LEAP_FEBRUARY = date(2026, 12, 1), date(2026, 8, 1), date(2026, 2, 1), date(2028, 2, 1)


@pytest.mark.parametrize(
    ("used", "month", "today", "projected", "too_early"),
    [
        # the case: 11.25 h logged on the 1st "projected" 348.75 h OVER
        ("11.25", DECEMBER, date(2026, 12, 1), None, True),
        ("3", NOVEMBER, date(2026, 11, 6), None, True),  # day 6: still less than a week
        ("3", NOVEMBER, date(2026, 11, 7), "12.86", False),  # day 7: a whole week, judged
        # August 2026 starts on a Saturday: its 7th (a Friday) still holds one weekend and five weekdays
        ("2", AUGUST, date(2026, 8, 2), None, True),
        ("5", AUGUST, date(2026, 8, 7), "22.14", False),
        ("3", FEBRUARY, date(2026, 2, 6), None, True),  # February, 28 days: day 7 is a quarter of it
        ("7", FEBRUARY, date(2026, 2, 7), "28.00", False),
        ("7", LEAP_FEBRUARY, date(2028, 2, 14), "14.50", False),  # 29 days
        ("10", NOVEMBER, date(2026, 11, 29), "10.34", False),  # the day before the last: still a pace
        ("12", NOVEMBER, date(2026, 11, 30), None, False),  # the last day: what was used is the month's
        ("12", NOVEMBER, date(2026, 12, 5), None, False),  # a month already over
        ("0", NOVEMBER, date(2026, 10, 31), None, True),  # a month not started
    ],
    ids=[
        "first-of-month",
        "day-6",
        "day-7",
        "starts-saturday-day-2",
        "starts-saturday-day-7",
        "february-day-6",
        "february-day-7",
        "leap-february",
        "day-before-last",
        "last-day",
        "month-over",
        "not-started",
    ],
)
def test_projected_only_once_a_week_has_passed(
    used: str, month: date, today: date, projected: str | None, too_early: bool
) -> None:
    burn = burn_down(_month_usage(used, month), today)
    assert burn.projected == (None if projected is None else Decimal(projected))
    assert burn.too_early is too_early


def test_without_a_projection_the_level_is_the_usages() -> None:
    """On the 1st, 11.25 of 12 h is near the limit (a fact); the pace's 348.75 h is not said."""
    burn = burn_down(_month_usage("11.25", date(2026, 12, 1)), date(2026, 12, 1))
    assert (burn.projected, burn.projected_level, burn.projected_over_by) == (None, HoursLevel.NEAR, 0)
    assert burn.elapsed_days == 1 < MIN_DAYS_TO_PROJECT
