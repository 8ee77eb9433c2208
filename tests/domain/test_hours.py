"""Hours used in a month against the customer's package."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.hours import HoursLevel, hours_level, hours_usage, month_start
from ccm_tui.domain.model import TaskCategory, TimeEntry


@pytest.mark.parametrize(
    ("used", "package", "ratio", "expected"),
    [
        ("0", "10", 0.8, HoursLevel.OK),
        ("7.9", "10", 0.8, HoursLevel.OK),
        ("8", "10", 0.8, HoursLevel.NEAR),
        ("10", "10", 0.8, HoursLevel.NEAR),
        ("10.1", "10", 0.8, HoursLevel.OVER),
        ("79", "100", 0.8, HoursLevel.OK),
        ("80", "100", 0.8, HoursLevel.NEAR),
        ("100", "100", 0.8, HoursLevel.NEAR),
        ("101", "100", 0.8, HoursLevel.OVER),
        ("0", "0", 0.8, HoursLevel.OK),
        ("0.25", "0", 0.8, HoursLevel.OVER),
        ("85", "100", 0.9, HoursLevel.OK),
        ("90", "100", 0.9, HoursLevel.NEAR),
    ],
    ids=[
        "nothing-used",
        "79-percent",
        "80-percent",
        "100-percent",
        "101-percent",
        "79-of-100",
        "80-of-100",
        "100-of-100",
        "101-of-100",
        "empty-package-unused",
        "empty-package-used",
        "custom-ratio-below",
        "custom-ratio-at",
    ],
)
def test_hours_level(used: str, package: str, ratio: float, expected: HoursLevel) -> None:
    assert hours_level(Decimal(used), Decimal(package), ratio) is expected


def _entry(day: date, hours: str, category: TaskCategory) -> TimeEntry:
    return TimeEntry(id=0, customer_id=1, day=day, hours=Decimal(hours), category=category)


ENTRIES = [
    _entry(date(2026, 5, 31), "5", TaskCategory.RELATIONSHIP),  # previous month
    _entry(date(2026, 6, 1), "2.5", TaskCategory.FINANCE),
    _entry(date(2026, 6, 15), "3", TaskCategory.RELATIONSHIP),
    _entry(date(2026, 6, 30), "1.25", TaskCategory.FINANCE),
    _entry(date(2026, 7, 1), "4", TaskCategory.INCIDENTS),  # next month
]


@pytest.mark.parametrize(
    ("package", "month", "used", "left", "level", "by_category"),
    [
        (
            "10",
            date(2026, 6, 18),
            "6.75",
            "3.25",
            HoursLevel.OK,
            {TaskCategory.RELATIONSHIP: Decimal(3), TaskCategory.FINANCE: Decimal("3.75")},
        ),
        ("8", date(2026, 6, 1), "6.75", "1.25", HoursLevel.NEAR, None),
        ("6", date(2026, 6, 1), "6.75", "-0.75", HoursLevel.OVER, None),
        ("10", date(2026, 8, 1), "0", "10", HoursLevel.OK, {}),
        ("10", date(2026, 7, 31), "4", "6", HoursLevel.OK, {TaskCategory.INCIDENTS: Decimal(4)}),
    ],
    ids=["mid-month", "near-limit", "overrun-leaves-negative", "empty-month", "other-month"],
)
def test_hours_usage(package: str, month: date, used: str, left: str, level: HoursLevel, by_category: dict | None) -> None:
    usage = hours_usage(ENTRIES, Decimal(package), month)
    assert usage.month == month_start(month)
    assert usage.used == Decimal(used)
    assert usage.left == Decimal(left)
    assert usage.level is level
    if by_category is not None:
        assert dict(usage.by_category) == by_category


def test_by_category_follows_catalogue_order() -> None:
    usage = hours_usage(ENTRIES, Decimal(10), date(2026, 6, 1))
    assert list(usage.by_category) == [TaskCategory.RELATIONSHIP, TaskCategory.FINANCE]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 6, 18), date(2026, 6, 1)), (date(2028, 2, 29), date(2028, 2, 1)), (date(2026, 1, 1), date(2026, 1, 1))],
    ids=["mid-month", "leap-day", "first-day"],
)
def test_month_start(day: date, expected: date) -> None:
    assert month_start(day) == expected
