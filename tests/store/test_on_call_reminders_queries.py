"""The on-call and reminders lists' queries: the partial indexes they are written for, the reminders due
bounded per site calendar, and the book's site calendars read a seek at a time (migration 0012)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlmodel import col

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderKind, reminder_due
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.store import calendar_events, calendar_reminders
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.calendar_flags import derive_missing, on_call_term
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.event_flags import starts_late_at_its_site
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import ActivationRow, ActivationStepRow, ChecklistItemRow, SiteRow
from tests.store.calendar_book import HOURS, NOW, Book, local
from tests.store.calendar_book import event as add_event

# Sites in the book's calendars, several to a zone and country: (zone, country, subdivision)
PLACES = [
    ("America/New_York", "US", "US-NY"),
    ("America/New_York", "US", "US-GA"),
    ("America/New_York", "US", ""),
    ("America/Toronto", "CA", "CA-ON"),
    ("Europe/London", "GB", "GB-ENG"),
    ("Europe/London", "GB", "GB-SCT"),
    ("Europe/Berlin", "DE", "DE-BE"),
    ("Asia/Tokyo", "JP", ""),
]


@pytest.fixture
def book(engine: Engine) -> Book:
    return Book(engine)


def place_event(book: Book, name: str, start: datetime, place: tuple[str, str, str], ccm: str = "Alex Morgan") -> int:
    """A confirmed event at a site in `place`; its step id."""
    zone, country, subdivision = place
    _, step_id = add_event(book, start, StepStatus.CONFIRMED, name=name, zone=zone, country=country, ccm=ccm)
    with write_session(book.engine) as session:
        step = session.get(ActivationStepRow, step_id)
        activation = session.get(ActivationRow, step.activation_id) if step else None
        site = session.get(SiteRow, activation.site_id) if activation else None
        assert site is not None
        site.subdivision = subdivision
        session.add(site)
    return step_id


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and their parameters) the engine runs meanwhile."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def plans(engine: Engine, call: Callable[[], object], wanted: str) -> list[str]:
    """SQLite's plans of the statements `call` runs whose text holds `wanted`."""
    with statements(engine) as seen:
        call()
    found = []
    with engine.connect() as connection:
        for statement, parameters in seen:
            if wanted in statement:
                rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                found.append(" ".join(str(row[-1]) for row in rows))
    assert found, f"no statement with {wanted!r} ran"
    return found


@pytest.mark.sqlite_only  # SQLite's query plan
def test_on_call_walks_the_on_call_index(book: Book) -> None:
    customer = book.customer("Acme")
    steps = [
        (StepKind.INSTALLATION, local("America/New_York", "2026-12-15T10:00"), StepStatus.CONFIRMED),
        (StepKind.ACTIVATION, local("America/New_York", "2026-11-21T10:00"), StepStatus.CONFIRMED),  # a Saturday
    ]
    activation, _ = book.activation(customer, book.order(customer, date(2026, 12, 31)), book.site(customer, "HQ"), steps=steps)
    with write_session(book.engine) as session:  # outstanding before the installation: its step is read too
        session.add(
            ChecklistItemRow(activation_id=activation, phase="before_installation", text="Rack", owner="customer", blocking=True)
        )
        session.flush()
        refresh_blocking_offsets(session.connection(), [activation])  # as every writer of items does
    derive_missing(book.engine, HOURS)
    # typed Boolean, the term was written "... != 0 = 1" on SQLite, which no partial index matches
    assert str(on_call_term().compile(book.engine)) == "(calendar_flags & 7) != 0"
    call = lambda: calendar_events.on_call(book.engine, CalendarFilter(), NOW, 72, HOURS)  # noqa: E731
    [events] = plans(book.engine, call, "AS step_id")
    assert "USING INDEX ix_activation_step_on_call" in events
    [others] = plans(book.engine, call, "SELECT activation_step.activation_id, activation_step.start_at")
    assert "ix_activation_step_open" in others  # the listed steps' other steps, by activation


@pytest.mark.sqlite_only  # SQLite's query plan
def test_reminders_count_from_the_reminded_index_and_read_the_calendars_by_seeks(book: Book) -> None:
    for n, place in enumerate(PLACES):
        place_event(book, f"Customer {n}", local(place[0], "2026-11-30T09:00"), place)
    call = lambda: calendar_reminders.reminders_due(book.engine, CalendarFilter(), NOW, HOURS)  # noqa: E731
    early, late = plans(book.engine, call, "SELECT count(*)")
    assert "COVERING INDEX ix_activation_step_reminded" in early and "JOIN" not in early
    assert late.startswith("SEARCH activation_step USING COVERING INDEX ix_activation_step_reminded")
    for plan in plans(book.engine, call, "site.timezone != ''"):
        assert "SCAN site USING COVERING INDEX ix_site_place" in plan or "SEARCH site USING COVERING INDEX ix_site_place" in plan
        assert "TEMP B-TREE" not in plan


@pytest.mark.sqlite_only  # SQLite's query plan
def test_steps_tested_against_each_site_calendar_are_not_read_from_the_sites(book: Book) -> None:
    """ix_site_place is partial on a term only the calendars' own query writes: a query testing each site's
    calendar as equalities (the book flags' late query) keeps walking the range of starts, as it would with
    no such index; SQLite, without statistics, would otherwise start from each calendar's sites."""
    ranges = {place: ((NOW, NOW + timedelta(days=1)),) for place in PLACES}
    step = ActivationStepRow
    stmt = (
        select_columns(step.id)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(
            col(step.start_at) > NOW.replace(tzinfo=None),
            col(step.start_at) < (NOW + timedelta(days=1)).replace(tzinfo=None),
            starts_late_at_its_site(col(step.start_at), ranges),
        )
    )
    sql = str(stmt.compile(book.engine, compile_kwargs={"literal_binds": True}))
    with book.engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "ix_site_place" not in plan and plan.startswith("SEARCH activation_step")


def test_the_book_places_are_every_site_calendar_once(book: Book) -> None:
    for n, place in enumerate(PLACES * 2):  # two sites in each
        place_event(book, f"Customer {n}", local(place[0], "2026-11-30T09:00"), place)
    with read_session(book.engine) as session:
        found = calendar_reminders._book_places(session)
        every = set(session.exec(select(SiteRow.timezone, SiteRow.country, SiteRow.subdivision).distinct()).all())
    assert len(found) == len(set(found)) == len(PLACES)
    assert set(found) == every == set(PLACES)


def test_the_reminders_due_are_bounded_by_each_site_calendar(book: Book) -> None:
    """Friday Nov 20: a Monday Nov 30 event's five-day reminder is due today in New York (Thanksgiving on
    the 26th) but not until Monday 23rd in London; Tuesday 24th's is due everywhere. Both calendars'
    days are counted, the early ones from the start index alone, the others at their sites."""
    steps = {}
    for place in PLACES:
        for day in ("2026-11-24", "2026-11-30", "2026-12-07"):
            steps[place, day] = place_event(book, f"{place} {day}", local(place[0], f"{day}T09:00"), place, ccm=place[1])
    expected = {}
    with read_session(book.engine) as session:
        rows = session.exec(
            select(ActivationStepRow.id, ActivationStepRow.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
            .join(ActivationRow, col(ActivationRow.id) == ActivationStepRow.activation_id)
            .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        ).all()
    for step_id, start_at, zone, country, subdivision in rows:
        cal = SiteCalendar(zone, country, HOURS, subdivision)
        due = reminder_due(start_at.replace(tzinfo=UTC), StepStatus.CONFIRMED, NOW, cal)
        if due is not None:
            expected[step_id] = due
    assert steps[PLACES[0], "2026-11-30"] in expected and steps[PLACES[4], "2026-11-30"] not in expected
    assert expected[steps[PLACES[0], "2026-11-30"]].kind is ReminderKind.FIVE_DAYS
    assert all(steps[place, "2026-11-24"] in expected for place in PLACES)
    assert not any(steps[place, "2026-12-07"] in expected for place in PLACES)
    lines, total = calendar_reminders.reminders_due(book.engine, CalendarFilter(), NOW, HOURS, limit=1000)
    assert total == len(expected) and {line.event.step.id: line.due for line in lines} == expected
    assert [line.event.step.start for line in lines] == sorted(line.event.step.start for line in lines)
    page, page_total = calendar_reminders.reminders_due(book.engine, CalendarFilter(), NOW, HOURS, limit=3)
    assert page_total == total and [line.event.step.id for line in page] == [line.event.step.id for line in lines[:3]]
    mine, mine_total = calendar_reminders.reminders_due(book.engine, CalendarFilter(ccm="US"), NOW, HOURS, limit=1000)
    assert {line.event.step.id for line in mine} == {s for s in expected if s in {steps[p, d] for p, d in steps if p[1] == "US"}}
    assert mine_total == len(mine)


@pytest.mark.postgresql_only  # PostgreSQL's extended statistics
def test_postgresql_keeps_statistics_of_the_on_call_term(engine: Engine) -> None:
    """Without them the planner takes nearly every step for an on-call one, and reads every activation."""
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxname = 'st_activation_step_on_call'"
        ).scalar_one()
    assert "(calendar_flags & 7)" in found and "activation_step" in found
