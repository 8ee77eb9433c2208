"""The fee guard: what a reschedule, a cancellation or "customer not ready"
will cost, worked out before anything is saved.

An *event* is the steps of the same kind (installation or activation call)
for the same order starting at the same instant, across the order's sites:
a customer who moves "the cut-over on the 24th" moves every site in it, and
the fee is per site. Each site is judged late or not in its own calendar.

The fee is the customer's: it applies only to a change the customer asked
for, of an event still on the calendar (requested, confirmed, validated).
A change the provider makes (the scheduling team, a field resource, the
CCM) costs nothing but needs a reason; an event already marked "customer
not ready" (whose fee was recorded then) or a provider no-show is never
charged again when it is moved or cancelled.

A region without a fee schedule is never a silent zero: the guard says
"no fee schedule for EMEA" and the change may still go ahead, recorded
without a fee and with that sentence in its reason.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ccm_tui.domain.calendar import SiteCalendar, is_late_change, late_change_cutoff
from ccm_tui.domain.fees import FeeSchedule, NoFeeSchedule, RegionFees, SiteFee
from ccm_tui.domain.model import Money, Region, StepStatus
from ccm_tui.domain.status import Action

GUARDED_ACTIONS = frozenset({Action.RESCHEDULE, Action.CANCEL, Action.NOT_READY})
# An event still on the calendar: only a change to one of these can be a late change.
ON_CALENDAR = frozenset({StepStatus.REQUESTED, StepStatus.CONFIRMED, StepStatus.VALIDATED})


class Initiator(enum.StrEnum):
    """Who asked for a reschedule or cancellation."""

    CUSTOMER = "customer"
    SCHEDULING = "scheduling"  # the provider's scheduling team
    FIELD = "field"  # a field resource (technician, vendor)
    CCM = "ccm"  # the customer care manager

    @property
    def label(self) -> str:
        return {
            Initiator.CUSTOMER: "the customer",
            Initiator.SCHEDULING: "the scheduling team",
            Initiator.FIELD: "a field resource",
            Initiator.CCM: "the CCM",
        }[self]

    @property
    def provider(self) -> bool:
        return self is not Initiator.CUSTOMER


class ProviderReasonMissing(ValueError):
    """A change the provider makes costs the customer nothing, so it must say why."""

    def __init__(self, initiator: Initiator) -> None:
        super().__init__(f"a change asked for by {initiator.label} costs no fee and needs a reason: say why")
        self.initiator = initiator


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
    status: StepStatus = StepStatus.VALIDATED  # the site's step as it stands
    charged: bool = False  # a fee is due at this site (late, the customer's change, on the calendar)


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
    initiator: Initiator = Initiator.CUSTOMER
    waived: str | None = None  # why a late change costs nothing ("asked for by the scheduling team")

    @property
    def late(self) -> bool:
        """The change comes after a site's cut-off (a fact of timing, charged or not)."""
        return any(site.late for site in self.sites)

    @property
    def charged(self) -> bool:
        """A fee applies (whether or not the region has a schedule to price it)."""
        return any(site.charged for site in self.sites)

    def asked_by(self, initiator: Initiator) -> FeeGuard:
        """This guard for a change asked for by `initiator`: a provider's change is never charged.

        Call it on the customer's guard (what `fee_guard` returns by default):
        the dialog shows the cost as the CCM picks who asked.
        """
        if self.action is Action.NOT_READY:
            raise ValueError("customer not ready is the customer's by definition")
        if not initiator.provider:
            return self
        waived = "a provider change costs the customer nothing" if self.late else None
        sites = tuple(replace(site, charged=False) for site in self.sites)
        return replace(self, sites=sites, fees=(), no_schedule=None, initiator=initiator, waived=waived)

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
        if self.waived is not None:
            return f"no fee: {self.waived}"
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
    initiator: Initiator = Initiator.CUSTOMER,
) -> FeeGuard:
    """The guard for `action` on the event starting at `start` at `sites`, as of `now`, asked for by `initiator`."""
    if action not in GUARDED_ACTIONS:
        raise ValueError(f"{action.verb} carries no fee")
    if not sites:
        raise ValueError("an event has at least one site")
    region_fees = schedule.regions.get(region)
    if action is Action.NOT_READY:
        if initiator.provider:
            raise ValueError("customer not ready is the customer's by definition")
        judged = tuple(replace(s, late=True, cutoff=None, charged=True) for s in sites)
        return _priced(schedule, action, region, start, judged, region_fees)

    judged = tuple(_judged(s, start, now) for s in sites)
    cutoff = min(s.cutoff for s in judged if s.cutoff is not None)
    guard = _priced(schedule, action, region, start, judged, region_fees, cutoff, cutoff - now)
    late_but_off_calendar = [s for s in judged if s.late and not s.charged]
    if late_but_off_calendar and not guard.charged:
        guard = replace(guard, waived=_off_calendar(late_but_off_calendar[0].status))
    return guard.asked_by(initiator)


def _judged(site: GuardSite, start: datetime, now: datetime) -> GuardSite:
    late = is_late_change(start, now, site.calendar)
    return replace(
        site,
        late=late,
        cutoff=late_change_cutoff(start, site.calendar),
        charged=late and site.status in ON_CALENDAR,
    )


def _priced(
    schedule: FeeSchedule,
    action: Action,
    region: Region,
    start: datetime,
    sites: tuple[GuardSite, ...],
    region_fees: RegionFees | None,
    cutoff: datetime | None = None,
    left: timedelta | None = None,
) -> FeeGuard:
    """The fees of the charged sites; a region without a schedule says so instead of a silent zero."""
    charged = [s for s in sites if s.charged]
    try:
        fees = tuple(SiteFee(s.site_id, s.site_name, schedule.fee(region, s.field_dispatch)) for s in charged)
    except NoFeeSchedule as missing:
        return FeeGuard(action, region, start, sites, (), region_fees, str(missing), cutoff, left)
    return FeeGuard(action, region, start, sites, fees, region_fees, None, cutoff, left)


def _off_calendar(status: StepStatus) -> str:
    if status is StepStatus.NOT_READY:
        return "the event was already marked customer not ready and charged then, never charged twice"
    if status is StepStatus.NO_SHOW:
        return "the provider did not show, so the customer is not charged"
    return f"the event is {status.value.replace('_', ' ')}, no longer on the calendar"
