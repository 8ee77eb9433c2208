"""Read models of the activation calendar: what a day, an event and an
activation's detail hold. The store fills them; the screens show them.

An *event* on the calendar is one step (an equipment installation or an
activation call) at one site. A multi-site event, for fees, is the steps of
the same kind for the same order starting at the same instant (see
`domain.fee_guard`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ccm_tui.domain.after_hours import HoursFlag
from ccm_tui.domain.event_filters import EventFlag as EventFlag  # their home: the saved views need no more
from ccm_tui.domain.event_filters import StatusFilter as StatusFilter
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Contact,
    Customer,
    Money,
    Order,
    Region,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.reminders import ReminderDue
from ccm_tui.domain.routing import TroubleRoute


@dataclass(frozen=True, slots=True)
class CalendarFilter:
    region: Region | None = None
    status: StatusFilter = StatusFilter.ACTIVE
    ccm: str | None = None
    after_hours_only: bool = False  # after hours, weekend or public holiday at the site
    flags: frozenset[EventFlag] = frozenset()  # only events showing every one of these

    @property
    def statuses(self) -> frozenset[StepStatus]:
        return self.status.statuses

    @property
    def is_default(self) -> bool:
        return self == CalendarFilter()

    def describe(self) -> str:
        """A short line for the status bar: what is being shown."""
        parts = []
        if self.region is not None:
            parts.append(self.region.label)
        if self.ccm:
            parts.append(f"CCM {self.ccm}")
        if self.status is not StatusFilter.ACTIVE:
            parts.append(self.status.value.replace("_", " "))
        parts += [flag.label for flag in EventFlag if flag in self.flags]
        if self.after_hours_only:
            parts.append("after hours only")
        return ", ".join(parts) if parts else "no filter"


class CcdState(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"  # this event lands after the order's commitment date
    PAST = "past"  # the commitment date has gone by: billing is accruing

    @property
    def label(self) -> str:
        return {CcdState.ON_TRACK: "", CcdState.AT_RISK: "CCD at risk", CcdState.PAST: "past CCD"}[self]


@dataclass(frozen=True, slots=True)
class DaySummary:
    """One day of the month grid, in the CCM's own zone."""

    day: date
    events: int = 0
    on_call: int = 0  # after hours, weekend or public holiday at the site
    past_ccd: int = 0
    ccd_at_risk: int = 0
    late: int = 0  # still to happen, inside the late-change window


@dataclass(frozen=True, slots=True)
class MonthSummary:
    first: date  # the first day of the month
    days: tuple[DaySummary, ...]  # every day of the month, in order

    def day(self, day: date) -> DaySummary:
        index = (day - self.first).days
        if 0 <= index < len(self.days):
            return self.days[index]
        return DaySummary(day)

    @property
    def events(self) -> int:
        return sum(d.events for d in self.days)


@dataclass(frozen=True, slots=True)
class StepFacts:
    """What the rules say about a step now: flags, late-change window, routing."""

    hours_flags: frozenset[HoursFlag] = frozenset()
    late: bool = False  # still to happen and past its late-change cut-off
    cutoff: datetime | None = None  # UTC
    countdown: timedelta | None = None  # time to the cut-off, for events in the next two business days
    route: TroubleRoute | None = None  # activated events: who takes trouble now
    reminder: ReminderDue | None = None  # a reminder to send today
    not_ready_risk: bool = False  # an open customer-owned blocking checklist item is overdue

    @property
    def on_call(self) -> bool:
        return bool(self.hours_flags)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One step on the calendar, with everything a list row shows."""

    step: ActivationStep
    activation: Activation
    customer_id: int
    customer_name: str
    account_number: str
    region: Region
    ccm: str
    site: Site
    order_number: str
    ccd: date
    ccd_state: CcdState
    accrued: Money | None  # past CCD: billing accrued so far
    facts: StepFacts
    contacts: tuple[Contact, ...] = ()  # designated and technical contacts first

    @property
    def start(self) -> datetime:
        assert self.step.start is not None
        return self.step.start


@dataclass(frozen=True, slots=True)
class DayEvents:
    """Events of one or more days, in start order; `total` may exceed the rows."""

    events: tuple[CalendarEvent, ...]
    total: int


@dataclass(frozen=True, slots=True)
class HistoryLine:
    at: datetime
    who: str
    step_kind: StepKind
    action: str
    from_status: StepStatus | None
    to_status: StepStatus
    from_start: datetime | None
    to_start: datetime | None
    reason: str
    fee: Money | None
    contact_name: str = ""
    initiator: Initiator | None = None  # who asked for a reschedule or cancellation


@dataclass(frozen=True, slots=True)
class ActivationDetail:
    activation: Activation
    customer: Customer
    site: Site
    order: Order
    contacts: tuple[Contact, ...]
    facts: dict[StepKind, StepFacts]
    ccd_state: CcdState
    accrued: Money | None
    history: tuple[HistoryLine, ...]  # newest first
    ip_letter_contact: Contact | None = None
    siblings: dict[StepKind, int] = field(default_factory=dict)  # other sites in the same event

    def step(self, kind: StepKind) -> ActivationStep | None:
        return self.activation.step(kind)


@dataclass(frozen=True, slots=True)
class ReminderLine:
    """An event that needs a reminder sent today."""

    event: CalendarEvent
    due: ReminderDue


@dataclass(frozen=True, slots=True)
class ExportEvent:
    """One step as the iCalendar export writes it."""

    step: ActivationStep
    activation_id: int
    service: str
    customer_name: str
    account_number: str
    site: Site
    order_number: str
    contacts: tuple[Contact, ...]
    sequence: int  # changes to its window or status since it was requested (its creation)
    on_call: bool  # after hours, weekend or public holiday at the site


@dataclass(frozen=True, slots=True)
class WaitingStep:
    """A step with no window yet: the CCM agrees dates and requests one."""

    step: ActivationStep
    activation: Activation
    customer_name: str
    account_number: str
    region: Region
    site: Site
    order_number: str
    order_status: str
    ccd: date
    past_ccd: bool
