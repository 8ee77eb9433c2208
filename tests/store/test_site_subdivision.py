"""A site's subdivision in the store: saved, read back, and used by every reader's calendar.

The case that matters: a Sydney event on Tuesday 6 October 2026. Monday 5 is
NSW Labour Day (not a national holiday), so for a site in AU-NSW the business
day before the event is Friday 2 October; for a site known only as "AU" it is
Monday 5. On Saturday 3 October a change is therefore late in NSW and free
without the subdivision, and every reader must agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select, update

from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.checklist import Owner, Phase
from ccm_tui.domain.checklist_input import AdhocItemInput
from ccm_tui.domain.checklist_views import UpcomingQuery
from ccm_tui.domain.model import Region, StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.domain.status import Action
from ccm_tui.domain.validation import SiteInput, validate_site
from ccm_tui.store import (
    activation_checklist,
    activation_detail,
    calendar,
    calendar_events,
    calendar_reminders,
    checklist_readiness,
    checklist_upcoming,
    checklists,
)
from ccm_tui.store.activations import Actor
from ccm_tui.store.book_page import book_page
from ccm_tui.store.calendar_flags import derive_missing
from ccm_tui.store.customer_detail import customer_detail
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.event_changes import quote
from ccm_tui.store.sites import add_site, update_site
from ccm_tui.store.tables import ActivationStepRow, SiteRow
from tests.actors import ACTOR, AT
from tests.store.calendar_book import HOURS, Book, local

SYDNEY = "Australia/Sydney"
EVENT = local(SYDNEY, "2026-10-06T10:00")  # Tuesday; Monday 5 is NSW Labour Day
SATURDAY = local(SYDNEY, "2026-10-03T12:00")  # after the NSW cut-off (Fri 2 10:00), before the national one (Mon 5 10:00)
SCHEDULE = load_fee_schedule()


def sydney(subdivision: str = "AU-NSW", name: str = "Sydney office") -> SiteInput:
    return SiteInput(name, "1 George Street", "Sydney", "AU", SYDNEY, subdivision)


@dataclass(frozen=True)
class SydneyEvent:
    engine: Engine
    customer: int
    site: int
    activation: int
    step: int


def sydney_event(engine: Engine, subdivision: str, *, blocking_item: bool = False) -> SydneyEvent:
    """A confirmed activation call at 10:00 on Tuesday 6 October in Sydney, its site added through the store."""
    book = Book(engine)
    customer = book.customer("Harbour Networks", Region.ASIA_PACIFIC)
    site = add_site(engine, customer, sydney(subdivision), actor=ACTOR, now=AT)
    order = book.order(customer, date(2026, 12, 31))
    activation, steps = book.activation(customer, order, site.id, steps=[(StepKind.ACTIVATION, EVENT, StepStatus.CONFIRMED)])
    if blocking_item:  # due one business day before the event: Friday 2 in NSW, Monday 5 without it
        item = AdhocItemInput("Confirm the router is racked", Owner.CUSTOMER, Phase.BEFORE_ACTIVATION, 1, True)
        checklists.add_item(engine, activation, item, SATURDAY - timedelta(days=10), ACTOR)
    return SydneyEvent(engine, customer, site.id, activation, steps[StepKind.ACTIVATION])


# -- saved and read back ------------------------------------------------------------------


def test_a_subdivision_round_trips(engine: Engine) -> None:
    customer = Book(engine).customer("Harbour Networks", Region.ASIA_PACIFIC)
    made = add_site(engine, customer, sydney("AU-NSW"), actor=ACTOR, now=AT)
    assert made.subdivision == "AU-NSW"
    assert customer_detail(engine, customer, SATURDAY, date(2026, 10, 1)).sites[0].subdivision == "AU-NSW"
    moved = update_site(engine, made.id, made.version, sydney("AU-VIC"), actor=ACTOR, now=AT)
    assert moved.subdivision == "AU-VIC"
    cleared = update_site(engine, made.id, moved.version, sydney(""), actor=ACTOR, now=AT)
    with read_session(engine) as session:
        assert session.get(SiteRow, made.id).subdivision == ""  # type: ignore[union-attr]
    assert cleared.subdivision == ""


def test_the_form_text_is_stored_as_the_full_code(engine: Engine) -> None:
    values = {"name": "Sydney office", "city": "Sydney", "country": "au", "subdivision": "nsw", "timezone": SYDNEY}
    customer = Book(engine).customer("Harbour Networks", Region.ASIA_PACIFIC)
    made = add_site(engine, customer, validate_site(values), actor=ACTOR, now=AT)
    with read_session(engine) as session:
        assert session.get(SiteRow, made.id).subdivision == "AU-NSW"  # type: ignore[union-attr]


def _stored_flags(engine: Engine, step_id: int) -> int | None:
    with read_session(engine) as session:
        return session.scalar(select(ActivationStepRow.calendar_flags).where(ActivationStepRow.id == step_id))


@pytest.mark.parametrize(
    ("change", "judged_again"),
    [
        (sydney("AU-VIC"), True),
        (sydney(""), True),
        (SiteInput("Sydney office", "1 George Street", "Sydney", "AU", "Australia/Melbourne", "AU-NSW"), True),
        (sydney("AU-NSW", name="Sydney head office"), False),
    ],
    ids=["another-subdivision", "subdivision-cleared", "another-zone", "renamed-only"],
)
def test_a_change_of_subdivision_judges_the_sites_steps_again(engine: Engine, change: SiteInput, judged_again: bool) -> None:
    event = sydney_event(engine, "AU-NSW")
    derive_missing(engine, HOURS)  # as a calendar read leaves them
    assert _stored_flags(engine, event.step) is not None
    update_site(engine, event.site, 1, change, actor=ACTOR, now=AT)
    assert (_stored_flags(engine, event.step) is None) is judged_again


def test_stored_flags_use_the_subdivisions_holidays(engine: Engine) -> None:
    event = sydney_event(engine, "AU-NSW")
    with write_session(engine) as session:  # move the call onto NSW Labour Day itself
        session.execute(
            update(ActivationStepRow)
            .where(ActivationStepRow.id == event.step)  # type: ignore[arg-type]
            .values(start_at=(EVENT - timedelta(days=1)).replace(tzinfo=None), end_at=None)
        )
    found = activation_detail.activation_detail(engine, event.activation, SATURDAY, HOURS)
    assert "holiday" in {flag.value for flag in found.facts[StepKind.ACTIVATION].hours_flags}


# -- every reader judges the event in the site's own calendar ---------------------------------


def _quote(e: SydneyEvent) -> bool:
    guard, _ = quote(e.engine, e.step, Action.CANCEL, SCHEDULE, Actor("Alex Morgan", SATURDAY, HOURS))
    return guard.late


def _day_list(e: SydneyEvent) -> bool:
    found = calendar_events.events_between(
        e.engine, EVENT - timedelta(hours=1), EVENT + timedelta(hours=1), CalendarFilter(), SATURDAY, HOURS
    )
    return found.events[0].facts.late


def _detail(e: SydneyEvent) -> bool:
    return activation_detail.activation_detail(e.engine, e.activation, SATURDAY, HOURS).facts[StepKind.ACTIVATION].late


def _month(e: SydneyEvent) -> bool:
    month = calendar.month_summary(e.engine, date(2026, 10, 1), SYDNEY, CalendarFilter(), SATURDAY, HOURS)
    return month.days[5].late > 0  # 6 October


def _book(e: SydneyEvent) -> bool:
    return book_page(e.engine, BookQuery(), SATURDAY, date(2026, 10, 1), HOURS).rows[0].late_change_window


def _one_day_reminder(e: SydneyEvent) -> bool:
    lines, _ = calendar_reminders.reminders_due(e.engine, CalendarFilter(), SATURDAY, HOURS)
    return lines[0].due.kind is ReminderKind.ONE_DAY  # else the five-day one


LATE_READERS: dict[str, Callable[[SydneyEvent], bool]] = {
    "fee-quote": _quote,
    "day-list": _day_list,
    "activation-detail": _detail,
    "month-late-marker": _month,
    "book-late-window": _book,
    "one-day-reminder": _one_day_reminder,
}


@pytest.mark.parametrize("reader", list(LATE_READERS))
@pytest.mark.parametrize(("subdivision", "late"), [("AU-NSW", True), ("", False)], ids=["nsw", "country-only"])
def test_nsw_labour_day_moves_the_cutoff_to_friday(engine: Engine, reader: str, subdivision: str, late: bool) -> None:
    assert LATE_READERS[reader](sydney_event(engine, subdivision)) is late


def test_the_quote_names_friday_as_the_cutoff(engine: Engine) -> None:
    event = sydney_event(engine, "AU-NSW")
    guard, _ = quote(engine, event.step, Action.RESCHEDULE, SCHEDULE, Actor("Alex Morgan", SATURDAY, HOURS))
    assert guard.cutoff == local(SYDNEY, "2026-10-02T10:00")


def _readiness(e: SydneyEvent) -> bool:
    return checklist_readiness.readiness_for(e.engine, [e.activation], SATURDAY, HOURS)[e.activation].at_risk


def _checklist_line(e: SydneyEvent) -> bool:
    found = activation_checklist.activation_checklist(e.engine, e.activation, SATURDAY, HOURS, SCHEDULE)
    return found.lines[0].overdue


def _upcoming(e: SydneyEvent) -> bool:
    return checklist_upcoming.upcoming_page(e.engine, UpcomingQuery(), SATURDAY, HOURS, SCHEDULE).at_risk == 1


def _book_risk(e: SydneyEvent) -> bool:
    return book_page(e.engine, BookQuery(), SATURDAY, date(2026, 10, 1), HOURS).rows[0].not_ready_risk


OVERDUE_READERS: dict[str, Callable[[SydneyEvent], bool]] = {
    "readiness": _readiness,
    "checklist-line": _checklist_line,
    "upcoming-risks": _upcoming,
    "book-risk": _book_risk,
}


@pytest.mark.parametrize("reader", list(OVERDUE_READERS))
@pytest.mark.parametrize(("subdivision", "overdue"), [("AU-NSW", True), ("", False)], ids=["nsw", "country-only"])
def test_an_item_due_the_business_day_before_is_overdue_on_saturday_in_nsw(
    engine: Engine, reader: str, subdivision: str, overdue: bool
) -> None:
    assert OVERDUE_READERS[reader](sydney_event(engine, subdivision, blocking_item=True)) is overdue


def test_the_checklist_due_date_skips_nsw_labour_day(engine: Engine) -> None:
    event = sydney_event(engine, "AU-NSW", blocking_item=True)
    found = activation_checklist.activation_checklist(engine, event.activation, SATURDAY, HOURS, SCHEDULE)
    assert found.lines[0].due == date(2026, 10, 2)
