"""The fee guard: what a reschedule, a cancellation or "customer not ready"
will cost, worked out before anything is saved.

An *event* is the steps of the same kind (installation or activation call)
for the same order starting at the same instant, across the order's sites:
a customer who moves "the cut-over on the 24th" moves every site in it, and
the fee is per site. Each site is judged late or not in its own calendar.

A region without a fee schedule is never a silent zero: the guard says
"no fee schedule for EMEA" and the change may still go ahead, recorded
without a fee and with that sentence in its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ccm_tui.domain.calendar import SiteCalendar, is_late_change, late_change_cutoff
from ccm_tui.domain.fees import FeeSchedule, NoFeeSchedule, RegionFees, SiteFee, quote_change, quote_not_ready
from ccm_tui.domain.model import Money, Region
from ccm_tui.domain.status import Action

GUARDED_ACTIONS = frozenset({Action.RESCHEDULE, Action.CANCEL, Action.NOT_READY})


class FeeChanged(ValueError):
    """The fee is no longer the one the CCM confirmed (a cut-off passed meanwhile); `guard` is the new one."""

    def __init__(self, guard: FeeGuard, message: str) -> None:
        super().__init__(message)
        self.guard = guard


@dataclass(frozen=True, slots=True)
class GuardSite:
    """One site scheduled in the event."""

    site_id: int
    site_name: str
    calendar: SiteCalendar
    field_dispatch: bool
    late: bool = False  # this site's change is late (always True for "not ready")
    cutoff: datetime | None = None  # this site's cut-off (UTC); None for "not ready"


@dataclass(frozen=True, slots=True)
class FeeGuard:
    action: Action
    region: Region
    start: datetime  # the event's start as it stands (UTC)
    sites: tuple[GuardSite, ...]
    fees: tuple[SiteFee, ...]  # per charged site; empty when nothing is charged
    region_fees: RegionFees | None  # the region's schedule, for the "with/without dispatch" line
    no_schedule: str | None = None  # "no fee schedule for EMEA" when a fee is due but cannot be priced
    cutoff: datetime | None = None  # the earliest site cut-off; None for "not ready"
    time_left: timedelta | None = None  # to that cut-off; negative once it has passed

    @property
    def late(self) -> bool:
        return any(site.late for site in self.sites)

    @property
    def charged(self) -> bool:
        """A fee applies (whether or not the region has a schedule to price it)."""
        return self.late

    @property
    def total(self) -> Money | None:
        if not self.fees:
            return None
        total = self.fees[0].amount
        for fee in self.fees[1:]:
            total = total + fee.amount
        return total

    def fee_for(self, site_id: int) -> Money | None:
        return next((fee.amount for fee in self.fees if fee.site_id == site_id), None)

    def reason_note(self) -> str:
        """What the history row's reason adds about the fee."""
        if not self.charged:
            return "" if self.action is Action.NOT_READY else "in good time: no fee"
        if self.no_schedule is not None:
            return f"{self.no_schedule}: recorded without a fee"
        return ""


def fee_guard(
    schedule: FeeSchedule,
    action: Action,
    region: Region,
    sites: Sequence[GuardSite],
    start: datetime,
    now: datetime,
) -> FeeGuard:
    """The guard for `action` on the event starting at `start` at `sites`, as of `now`."""
    if action not in GUARDED_ACTIONS:
        raise ValueError(f"{action.verb} carries no fee")
    if not sites:
        raise ValueError("an event has at least one site")
    region_fees = schedule.regions.get(region)
    event_sites = [(s.site_id, s.site_name, s.calendar, s.field_dispatch) for s in sites]
    if action is Action.NOT_READY:
        judged = tuple(_with(s, late=True, cutoff=None) for s in sites)
        try:
            fees = quote_not_ready(schedule, region, event_sites)
        except NoFeeSchedule as missing:
            return FeeGuard(action, region, start, judged, (), region_fees, str(missing))
        return FeeGuard(action, region, start, judged, fees, region_fees)

    judged = tuple(
        _with(s, late=is_late_change(start, now, s.calendar), cutoff=late_change_cutoff(start, s.calendar)) for s in sites
    )
    cutoff = min(s.cutoff for s in judged if s.cutoff is not None)
    left = cutoff - now
    try:
        quote = quote_change(schedule, region, event_sites, start, now)
    except NoFeeSchedule as missing:
        return FeeGuard(action, region, start, judged, (), region_fees, str(missing), cutoff, left)
    return FeeGuard(action, region, start, judged, quote.fees, region_fees, None, cutoff, left)


def _with(site: GuardSite, *, late: bool, cutoff: datetime | None) -> GuardSite:
    return GuardSite(site.site_id, site.site_name, site.calendar, site.field_dispatch, late, cutoff)
