"""Readiness: how much of an activation's checklist is done, and the
"customer not ready" risk while there is still time to act.

The risk rule: an outstanding (open or blocked) customer-owned blocking
item whose due date has passed in the site's calendar, on a step that is
still on the calendar, is a not-ready risk. Were the customer not ready on
the day, the event would cost the not-ready fee per site, and billing
would run from the order's CCD whatever happens.

Overdue is monotone in the due offset (an item due earlier is overdue
sooner), so a store can ask SQL for the largest outstanding offset per
activation and compare it with one instant per offset: `overdue_before`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from ccm_tui.domain.calendar import SiteCalendar, add_business_days
from ccm_tui.domain.checklist import item_due_date
from ccm_tui.domain.fees import (
    EventSite,
    FeeSchedule,
    NoFeeSchedule,
    SiteFee,
    quote_not_ready,
)
from ccm_tui.domain.model import Money, Region, StepKind


@dataclass(frozen=True)
class Readiness:
    """`required` counts the items that apply (not "not applicable"), troubleshooting aside."""

    done: int
    required: int
    at_risk: bool
    risk_reason: str = ""

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down (100 only when all is done); 100 when nothing is required."""
        if self.required <= 0:
            return 100
        return min(100, self.done * 100 // self.required)


NO_CHECKLIST = Readiness(done=0, required=0, at_risk=False)


def is_overdue(event_start: datetime, due_business_days: int, now: datetime, cal: SiteCalendar) -> bool:
    """The item's due date has gone by: the site's date today is after it."""
    return cal.local(now).date() > item_due_date(event_start, due_business_days, cal)


@lru_cache(maxsize=4096)
def overdue_before(now: datetime, cal: SiteCalendar, due_business_days: int) -> datetime:
    """The instant (UTC) before which an event's items with this offset are overdue now.

    With X the `due_business_days`-th business day on or after the site's
    today, an item is overdue exactly when the event's local date is X or
    earlier, i.e. when the event starts before local midnight after X. For
    offset 0 (due on the day) that is midnight starting today.
    """
    if due_business_days < 0:
        raise ValueError(f"a due offset counts days before the event; got {due_business_days}")
    today = cal.local(now).date()
    if due_business_days == 0:
        last_overdue_day = today - timedelta(days=1)
    else:
        first = today if cal.is_business_day(today) else add_business_days(today, 1, cal)
        last_overdue_day = add_business_days(first, due_business_days - 1, cal)
    return _local_midnight(last_overdue_day + timedelta(days=1), cal)


def _local_midnight(day: date, cal: SiteCalendar) -> datetime:
    # fold=0: where midnight is skipped (a DST jump at 00:00) this is the
    # instant of the jump, which still separates the two local dates.
    return datetime.combine(day, time(0), tzinfo=cal.tz).astimezone(UTC)


def risk_reason(step: StepKind, overdue: int, first_text: str) -> str:
    """Why an activation is at risk, in a sentence: how many items, and the first."""
    tasks = "1 customer task is" if overdue == 1 else f"{overdue} customer tasks are"
    more = "" if overdue == 1 else f" (and {overdue - 1} more)"
    return f"{tasks} overdue for the {step.label.lower()}: {first_text}{more}"


# -- what the risk would cost ------------------------------------------------------------


@dataclass(frozen=True)
class RiskCost:
    """The not-ready fee per site (none when the region has no schedule), and the CCD."""

    fees: tuple[SiteFee, ...]
    no_fee_reason: str  # e.g. "no fee schedule for EMEA"; empty when `fees` is known
    ccd: date | None

    @property
    def total(self) -> Money | None:
        if not self.fees:
            return None
        total = self.fees[0].amount
        for fee in self.fees[1:]:
            total = total + fee.amount
        return total


def not_ready_cost(schedule: FeeSchedule, region: Region, sites: Sequence[EventSite], ccd: date | None) -> RiskCost:
    """What "customer not ready" on the day would cost: never a silent zero."""
    try:
        fees = quote_not_ready(schedule, region, sites)
    except NoFeeSchedule as missing:
        return RiskCost(fees=(), no_fee_reason=str(missing), ccd=ccd)
    return RiskCost(fees=fees, no_fee_reason="", ccd=ccd)
