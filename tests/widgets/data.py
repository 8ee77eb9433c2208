"""In-memory domain objects for widget tests, as the services would hand them to a screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ccm_tui.domain.book import BookRow, NextEvent
from ccm_tui.domain.checklist import ChecklistItem, ItemState, Owner, Phase
from ccm_tui.domain.checklist_views import (
    ActivationChecklist,
    ChecklistLine,
    UpcomingRow,
)
from ccm_tui.domain.fees import SiteFee
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Money,
    Region,
    ServiceKind,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.readiness import Readiness, RiskCost
from ccm_tui.domain.schedule import (
    CalendarEvent,
    CcdState,
    DayEvents,
    DaySummary,
    MonthSummary,
    StepFacts,
)
from ccm_tui.text.formatting import Formatter

FMT = Formatter("en_US")
ZONE = "America/New_York"  # the CCM's
FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)


def month(first: date, **days: DaySummary) -> MonthSummary:
    """Every day of `first`'s month, empty unless given (by "d23" = the 23rd)."""
    following = (first + timedelta(days=32)).replace(day=1)
    span = [first + timedelta(days=i) for i in range((following - first).days)]
    return MonthSummary(first, tuple(days.get(f"d{d.day}", DaySummary(d)) for d in span))


def event(step_id: int, start: datetime, customer: str = "Harbor Logistics", *, late: bool = False) -> CalendarEvent:
    site = Site(step_id, step_id, "Main office", "1 Harbor Way", "Boston", "US", "America/New_York")
    step = ActivationStep(step_id, step_id, StepKind.INSTALLATION, start, start + timedelta(hours=2), StepStatus.CONFIRMED)
    activation = Activation(step_id, step_id, step_id, site.id, ServiceKind.INTERNET, True, (step,))
    return CalendarEvent(
        step=step,
        activation=activation,
        customer_id=step_id,
        customer_name=customer,
        account_number=f"AC-{step_id:04}",
        region=Region.NORTH_AMERICA,
        ccm="Alex Morgan",
        site=site,
        order_number=f"ORD-{step_id}",
        ccd=start.date() + timedelta(days=30),
        ccd_state=CcdState.ON_TRACK,
        accrued=None,
        facts=StepFacts(late=late),
    )


def day_events(day: date, *events: CalendarEvent) -> DayEvents:
    return DayEvents(tuple(events), len(events))


def at(day: date, hour: int) -> datetime:
    """`hour` o'clock in New York (EST in November) on `day`, in UTC."""
    return datetime(day.year, day.month, day.day, hour + 5, tzinfo=UTC)


def book_row(customer_id: int, name: str = "", *, past_ccd: bool = False, late: bool = False, not_ready: bool = False) -> BookRow:
    nxt = NextEvent(
        customer_id, StepKind.INSTALLATION, at(MONDAY, 9), "Main office", "America/New_York", "US", StepStatus.CONFIRMED
    )
    return BookRow(
        customer_id=customer_id,
        name=name or f"Customer {customer_id:03}",
        account_number=f"AC-{customer_id:04}",
        region=Region.NORTH_AMERICA,
        ccm="Alex Morgan",
        next_event=nxt,
        hours_used=Decimal("4.5"),
        hours_package=Decimal(10),
        past_ccd=past_ccd,
        late_change_window=late,
        not_ready_risk=not_ready,
    )


def upcoming_row(activation_id: int, *, at_risk: bool = False, fee: str | None = None) -> UpcomingRow:
    cost = None
    if at_risk:
        fees = (SiteFee(1, "Main office", Money(Decimal(fee), "USD")),) if fee else ()
        cost = RiskCost(fees, "" if fee else "no fee schedule for EMEA", None)
    return UpcomingRow(
        activation_id=activation_id,
        customer_id=activation_id,
        customer_name=f"Customer {activation_id:03}",
        account_number=f"AC-{activation_id:04}",
        region=Region.NORTH_AMERICA,
        site_name="Main office",
        city="Boston",
        zone="America/New_York",
        service=ServiceKind.INTERNET,
        step=StepKind.INSTALLATION,
        start=at(MONDAY, 9),
        status=StepStatus.CONFIRMED,
        readiness=Readiness(done=2, required=5, at_risk=at_risk),
        cost=cost,
    )


def item(item_id: int, phase: Phase, text: str, state: ItemState = ItemState.OPEN, *, blocking: bool = False) -> ChecklistItem:
    return ChecklistItem(item_id, 1, phase, item_id, text, Owner.CUSTOMER, 3, blocking, state)


def checklist(*items: ChecklistItem, overdue: frozenset[int] = frozenset()) -> ActivationChecklist:
    start = at(MONDAY, 9)
    step = ActivationStep(1, 1, StepKind.INSTALLATION, start, start + timedelta(hours=2), StepStatus.CONFIRMED)
    site = Site(1, 1, "Main office", "1 Harbor Way", "Boston", "US", "America/New_York")
    lines = tuple(ChecklistLine(i, MONDAY - timedelta(days=3), i.id in overdue) for i in items)
    phases = tuple(p for p in Phase if any(i.phase is p for i in items))
    return ActivationChecklist(
        activation=Activation(1, 1, 1, 1, ServiceKind.INTERNET, True, (step,)),
        customer_name="Harbor Logistics",
        account_number="AC-0001",
        region=Region.NORTH_AMERICA,
        site=site,
        order_number="ORD-1",
        ccd=MONDAY + timedelta(days=30),
        ip_letter_contact=None,
        technical_contact=None,
        lines=lines,
        phases=phases,
        readiness=Readiness(done=0, required=len(items), at_risk=False),
        cost=None,
    )
