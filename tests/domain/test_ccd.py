"""Charges accrued from the customer commitment date, and CCD risk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.ccd import accrued_charges, is_ccd_at_risk, is_past_ccd


@pytest.mark.parametrize(
    ("mrc", "ccd", "completed_on", "today", "expected"),
    [
        ("310", date(2026, 1, 10), None, date(2026, 1, 5), "0.00"),
        ("310", date(2026, 1, 10), None, date(2026, 1, 10), "0.00"),
        ("310", date(2026, 1, 1), None, date(2026, 1, 2), "10.00"),
        ("100", date(2026, 1, 30), None, date(2026, 2, 2), "10.02"),
        ("280", date(2026, 2, 27), None, date(2026, 3, 2), "29.03"),
        ("123.45", date(2026, 2, 1), None, date(2026, 3, 1), "123.45"),
        ("290", date(2028, 2, 28), None, date(2028, 3, 1), "20.00"),
        ("290", date(2028, 2, 29), None, date(2028, 3, 2), "19.35"),
        ("100", date(2028, 1, 1), None, date(2029, 1, 1), "1200.00"),
        ("100", date(2026, 12, 31), None, date(2027, 1, 1), "3.23"),
        ("310", date(2026, 1, 1), date(2026, 1, 11), date(2026, 6, 1), "100.00"),
        ("310", date(2026, 1, 10), date(2026, 1, 5), date(2026, 6, 1), "0.00"),
        ("310", date(2026, 1, 1), date(2026, 1, 1), date(2026, 6, 1), "0.00"),
        ("310", date(2026, 1, 1), date(2026, 3, 1), date(2026, 1, 3), "20.00"),
        ("3.875", date(2026, 1, 1), None, date(2026, 1, 2), "0.13"),
        ("0", date(2026, 1, 1), None, date(2026, 6, 1), "0.00"),
    ],
    ids=[
        "before-ccd",
        "on-ccd",
        "one-day-of-january",
        "across-january-end",
        "across-february-end",
        "whole-february-is-one-mrc",
        "leap-february-28-29",
        "from-leap-day",
        "whole-leap-year",
        "across-year-end",
        "completion-stops-accrual",
        "completed-before-ccd",
        "completed-on-ccd",
        "completion-after-today-runs-to-today",
        "rounds-half-up",
        "zero-mrc",
    ],
)
def test_accrued_charges(mrc: str, ccd: date, completed_on: date | None, today: date, expected: str) -> None:
    accrued = accrued_charges(Decimal(mrc), ccd, completed_on, today)
    assert accrued == Decimal(expected)
    assert accrued.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("ccd", "completed_on", "today", "expected"),
    [
        (date(2026, 6, 1), None, date(2026, 6, 2), True),
        (date(2026, 6, 1), None, date(2026, 6, 1), False),
        (date(2026, 6, 1), None, date(2026, 5, 1), False),
        (date(2026, 6, 1), date(2026, 6, 20), date(2026, 7, 1), False),
    ],
    ids=["day-after", "on-the-day", "before", "completed-late"],
)
def test_is_past_ccd(ccd: date, completed_on: date | None, today: date, expected: bool) -> None:
    assert is_past_ccd(ccd, completed_on, today) is expected


CCD = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("completed_on", "planned", "today", "horizon", "expected"),
    [
        (None, date(2026, 7, 2), date(2026, 5, 1), 14, True),
        (None, date(2026, 6, 30), date(2026, 6, 29), 14, False),
        (None, None, date(2026, 6, 16), 14, True),
        (None, None, date(2026, 6, 15), 14, False),
        (None, None, date(2026, 6, 30), 14, True),
        (None, None, date(2026, 7, 1), 14, False),
        (None, date(2026, 7, 2), date(2026, 7, 1), 14, False),
        (date(2026, 6, 1), date(2026, 7, 2), date(2026, 6, 20), 14, False),
        (None, None, date(2026, 6, 1), 30, True),
    ],
    ids=[
        "planned-after-ccd",
        "planned-on-ccd",
        "unplanned-within-horizon",
        "unplanned-beyond-horizon",
        "unplanned-on-ccd",
        "already-past-is-not-at-risk",
        "past-even-if-planned-late",
        "completed",
        "wider-horizon",
    ],
)
def test_is_ccd_at_risk(completed_on: date | None, planned: date | None, today: date, horizon: int, expected: bool) -> None:
    assert is_ccd_at_risk(CCD, completed_on, planned, today, horizon) is expected
