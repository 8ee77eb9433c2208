"""CalendarService: the activation calendar's door for the UI and the CLI.

It binds the CCM's zone (the calendar's days), the clock, the business
hours, the CCM's name (who each change is recorded as) and the fee schedule
(the user's copy in the config folder if there is one), so a screen asks
"this month, with this filter" or "cancel this event" and nothing more.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from ccm_tui import locations
from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.action_inputs import IpLetterInput, WindowInput
from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.fee_guard import FeeGuard, Initiator
from ccm_tui.domain.fees import FeeSchedule, FeeScheduleError
from ccm_tui.domain.model import Contact
from ccm_tui.domain.oncall import DEFAULT_HOURS
from ccm_tui.domain.reinstatement import ReinstatePlan
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import (
    ActivationDetail,
    CalendarEvent,
    CalendarFilter,
    DayEvents,
    MonthSummary,
    ReminderLine,
    StatusFilter,
    WaitingStep,
)
from ccm_tui.domain.status import Action
from ccm_tui.domain.views import BusinessDays
from ccm_tui.store import (
    activation_detail,
    activation_records,
    activations,
    calendar,
    calendar_events,
    calendar_flags,
    calendar_listing,
    calendar_reminders,
    event_changes,
    reinstate,
)
from ccm_tui.store.calendar import day_bounds, local_midnight

if TYPE_CHECKING:
    from ccm_tui.services import Services

AGENDA_DAYS = 62  # how far the agenda list reaches from its first day
AGENDA_LIMIT = 200


class CalendarService:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._derive_lock = threading.Lock()
        self._fee_warnings: tuple[str, ...] = ()

    # -- what the calendar is bound to ------------------------------------------------
    @property
    def zone(self) -> str:
        """The CCM's zone: the calendar's days and its second column of times."""
        return self._services.settings.time_zone

    def now(self) -> datetime:
        return self._services.now()

    def today(self) -> date:
        return self._services.today()

    @property
    def _actor(self) -> activations.Actor:
        person = self._services.actor
        return activations.Actor(who=person.author, now=self.now(), hours=self._services.business_hours, person=person)

    @cached_property
    def fee_schedule(self) -> FeeSchedule:
        """The user's fee schedule, or the shipped one (with a warning) if the user's is broken."""
        try:
            return load_fee_schedule(locations.config_dir() / "fees.toml")
        except FeeScheduleError as error:
            self._fee_warnings = (f"{error}; the shipped fee schedule is used",)
            return load_fee_schedule()

    @property
    def warnings(self) -> tuple[str, ...]:
        _ = self.fee_schedule
        return self._fee_warnings

    def _ready(self) -> None:
        """Derived step columns filled in (a no-op probe unless someone wrote steps without them)."""
        if self._services.access.read_only:
            return  # a read-only session reads the columns as they are: deriving them writes
        with self._derive_lock:
            calendar_flags.derive_missing(self._services.engine, self._services.business_hours)

    def prepare(self) -> int:
        """Derive what is missing now (rows done); the benchmark and `ccm seed` users call it once."""
        with self._derive_lock:
            return calendar_flags.derive_missing(self._services.engine, self._services.business_hours)

    # -- reading ----------------------------------------------------------------------
    def month(self, first: date, flt: CalendarFilter, *, with_late: bool = True) -> MonthSummary:
        """The month's per-day counts; `with_late=False` leaves the late-change counts to `month_late`."""
        self._ready()
        s = self._services
        return calendar.month_summary(s.engine, first, self.zone, flt, self.now(), s.business_hours, with_late=with_late)

    def month_late(self, summary: MonthSummary, flt: CalendarFilter) -> MonthSummary | None:
        """`summary` with its late-change counts, or None when the month can hold none (it is all past, or
        beyond the next few days): the grid paints the counts first, then the late markers."""
        s = self._services
        now = self.now()
        if not calendar.has_late(summary.first, self.zone, now):
            return None
        return calendar.month_late(s.engine, summary, self.zone, flt, now, s.business_hours)

    def day(self, day: date, flt: CalendarFilter, limit: int = calendar_events.DAY_LIMIT) -> DayEvents:
        self._ready()
        s = self._services
        start, end = day_bounds(day, 1, self.zone)
        return self._with_risk(calendar_events.events_between(s.engine, start, end, flt, self.now(), s.business_hours, limit))

    def week(self, first: date, flt: CalendarFilter, per_day: int) -> list[DayEvents]:
        self._ready()
        s = self._services
        days = calendar_events.events_by_day(s.engine, first, 7, self.zone, flt, self.now(), s.business_hours, per_day)
        return [self._with_risk(day) for day in days]

    def agenda(self, first: date, flt: CalendarFilter, limit: int = AGENDA_LIMIT, last: date | None = None) -> DayEvents:
        """Events from the start of `first` (the CCM's day) to the end of `last` (else two months), soonest first."""
        self._ready()
        s = self._services
        start = local_midnight(first, self.zone)
        end = local_midnight(last + timedelta(days=1) if last is not None else first + timedelta(days=AGENDA_DAYS), self.zone)
        return self._with_risk(calendar_events.events_between(s.engine, start, end, flt, self.now(), s.business_hours, limit))

    def on_call(
        self, hours: int = DEFAULT_HOURS, flt: CalendarFilter | None = None, *, contacts: bool = True
    ) -> list[CalendarEvent]:
        """The on-call list; `contacts=False` leaves each event's contacts empty, for `customer_contacts` to read
        once the list is shown (a fifth of the list's read goes to contacts, and the view shows one event's)."""
        self._ready()
        s = self._services
        return calendar_events.on_call(
            s.engine, flt or CalendarFilter(), self.now(), hours, s.business_hours, with_contacts=contacts
        )

    def customer_contacts(self, customer_ids: Iterable[int]) -> dict[int, tuple[Contact, ...]]:
        """The customers' contacts, designated first, then site technical, then the rest; by customer id."""
        return calendar_events.customer_contacts(self._services.engine, customer_ids)

    @cached_property
    def ccm_calendar(self) -> SiteCalendar:
        """The CCM's own business days: their zone, its country's holidays (tzdata's zone.tab), the book's hours."""
        return SiteCalendar(self.zone, _zone_country(self.zone), self._services.business_hours)

    def last_day(self, dates: BusinessDays) -> date:
        """The last day of a view's "next N business days", from today, in the CCM's calendar."""
        return dates.last_day(self.today(), self.ccm_calendar)

    def _with_risk(self, day: DayEvents) -> DayEvents:
        """Mark the events whose checklist says the customer is heading for "not ready"."""
        readiness = self._services.checklists.readiness_for(sorted({e.activation.id for e in day.events}))
        events = tuple(
            replace(e, facts=replace(e.facts, not_ready_risk=True))
            if (r := readiness.get(e.activation.id)) is not None and r.at_risk
            else e
            for e in day.events
        )
        return DayEvents(events, day.total)

    def reminders(self, flt: CalendarFilter | None = None, limit: int = 200) -> tuple[list[ReminderLine], int]:
        self._ready()
        s = self._services
        return calendar_reminders.reminders_due(s.engine, flt or CalendarFilter(), self.now(), s.business_hours, limit)

    def waiting(self, flt: CalendarFilter | None = None, limit: int = 200) -> tuple[list[WaitingStep], int]:
        """Steps with no window yet on open orders, soonest CCD first."""
        return calendar_events.waiting_steps(self._services.engine, flt or CalendarFilter(), self.now(), limit)

    def detail(self, activation_id: int) -> ActivationDetail:
        s = self._services
        return activation_detail.activation_detail(s.engine, activation_id, self.now(), s.business_hours)

    def ccm_names(self) -> list[str]:
        """The filter's CCM choices: the people's names and those customers name (BookService.ccm_choices)."""
        return self._services.book.ccm_choices()

    @property
    def oncall_phone(self) -> str:
        return self._services.settings.oncall_phone

    @property
    def repair_phone(self) -> str:
        return self._services.settings.repair_phone

    # -- acting -----------------------------------------------------------------------
    def quote(self, step_id: int, action: Action) -> tuple[FeeGuard, dict[int, int]]:
        """What `action` on the step's event would cost now, and the versions it was judged on."""
        return event_changes.quote(self._services.engine, step_id, action, self.fee_schedule, self._actor)

    def request(self, step_id: int, version: int, window: WindowInput) -> None:
        activations.move_step(
            self._services.engine,
            step_id,
            version,
            Action.REQUEST,
            self._actor,
            window=window,
            reason=window.reason,
            checklist_templates=self._services.checklists.templates,
        )

    def move(self, step_id: int, version: int, action: Action, reason: str = "", contact_id: int | None = None) -> None:
        """Confirm, validate, complete or mark a no-show."""
        activations.move_step(self._services.engine, step_id, version, action, self._actor, reason=reason, contact_id=contact_id)

    def change(
        self,
        step_id: int,
        versions: Mapping[int, int],
        action: Action,
        confirmed: FeeGuard | None,
        *,
        initiator: Initiator = Initiator.CUSTOMER,
        window: WindowInput | None = None,
        reason: str = "",
    ) -> FeeGuard | None:
        """Reschedule, cancel or mark "customer not ready" the step's whole event, recording its fee.

        Only the customer's late change is charged; a provider's change (`initiator`) needs a reason.
        """
        return event_changes.change_event(
            self._services.engine,
            step_id,
            versions,
            action,
            self.fee_schedule,
            confirmed,
            self._actor,
            initiator=initiator,
            window=window,
            reason=reason,
        )

    def reinstatement(self, step_id: int) -> ReinstatePlan:
        """What reinstating the cancelled step's event would restore (CannotReinstate if it cannot be)."""
        return reinstate.reinstatement_plan(self._services.engine, step_id, self.now())

    def reinstate(self, step_id: int, versions: Mapping[int, int]) -> ReinstatePlan:
        """Reinstate the cancelled event shown with `versions`, every site its cancellation cancelled."""
        return reinstate.reinstate(self._services.engine, step_id, versions, self._actor)

    def ip_letter(self, activation_id: int, version: int, data: IpLetterInput) -> None:
        activation_records.record_ip_letter(self._services.engine, activation_id, version, data, self._actor)

    def traffic(self, activation_id: int, version: int, passed_at: datetime) -> None:
        activation_records.record_traffic(self._services.engine, activation_id, version, passed_at, self._actor)

    def mark_reminder(self, step_id: int, version: int, kind: ReminderKind, contact_id: int | None) -> bool:
        return activation_records.mark_reminder(self._services.engine, step_id, version, kind, contact_id, self._actor)

    def listing(self, first: date, last: date, status: StatusFilter = StatusFilter.ACTIVE) -> Iterator[list[CalendarEvent]]:
        """Every event starting on `first`..`last` (the CCM's days) with a status `status` shows, soonest
        first, a batch at a time (`ccm events`); judged as the calendar's lists judge them."""
        self._ready()
        s = self._services
        start = local_midnight(first, self.zone)
        end = local_midnight(last + timedelta(days=1), self.zone)
        return calendar_listing.listing(s.engine, start, end, status.statuses, self.now(), s.business_hours)


def _zone_country(zone: str) -> str:
    """The country a zone is the main zone of (zone.tab: one country per zone); "" for UTC and the like
    (then Monday to Friday, with no holidays)."""
    from importlib import resources

    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return ""
    for line in text.splitlines():
        parts = line.split("\t")
        if not line.startswith("#") and len(parts) >= 3 and parts[2] == zone:
            return parts[0]
    return ""
