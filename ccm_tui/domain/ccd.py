"""The customer commitment date (CCD): billing starts then, ready or not.

When the customer's delay stops the installation, the monthly recurring
charge accrues from the CCD until the service is completed, prorated per day
of each calendar month, and appears on the first invoice.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

_CENT = Decimal("0.01")


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def accrued_charges(mrc: Decimal, ccd: date, completed_on: date | None, today: date) -> Decimal:
    """MRC accrued from the CCD (inclusive) to completion or today (exclusive).

    Each day adds mrc / (days in its calendar month). The sum is kept exact
    and rounded half-up to cents once, so long delays do not gather rounding
    drift. A completion date after `today` is not yet known to have happened,
    so accrual then runs to `today`.
    """
    end = min(completed_on, today) if completed_on is not None else today
    total = Fraction(0)
    day = ccd
    while day < end:
        month_start = day.replace(day=1)
        following = _next_month(day)
        days_in_month = (following - month_start).days
        days_here = (min(end, following) - day).days
        total += Fraction(mrc) * days_here / days_in_month
        day = min(end, following)
    return _to_cents(total)


def _to_cents(amount: Fraction) -> Decimal:
    """Round half-up (away from zero) to cents, exactly."""
    cents = math.floor(abs(amount) * 100 + Fraction(1, 2))
    sign = -1 if amount < 0 else 1
    return (Decimal(sign * cents) / 100).quantize(_CENT)


def is_past_ccd(ccd: date, completed_on: date | None, today: date) -> bool:
    """Not completed and the commitment date has gone by."""
    return completed_on is None and today > ccd


def is_ccd_at_risk(
    ccd: date,
    completed_on: date | None,
    planned_completion: date | None,
    today: date,
    horizon_days: int = 14,
) -> bool:
    """Not completed, not yet past, and likely to miss the CCD.

    Likely means the planned completion falls after the CCD, or nothing is
    planned while the CCD is within `horizon_days`.
    """
    if completed_on is not None or is_past_ccd(ccd, completed_on, today):
        return False
    if planned_completion is not None:
        return planned_completion > ccd
    return ccd - today <= timedelta(days=horizon_days)
