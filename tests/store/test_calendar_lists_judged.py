"""On-call and reminders on a seeded book give exactly what the domain's rules
give, judged step by step over every row: the partial on-call index, the
pre-judged flags and the shared judgements must not change a single event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.oncall import on_call_window, overlaps
from ccm_tui.domain.reminders import ReminderKind, reminder_due
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.domain.step_facts import CCD_WATCHED
from ccm_tui.store import calendar, calendar_events, calendar_reminders
from ccm_tui.store.activation_records import mark_reminder
from ccm_tui.store.activations import Actor
from ccm_tui.store.calendar_flags import ON_CALL, step_flags
from ccm_tui.store.calendar_reminders import reminders_sent_for
from ccm_tui.store.checklist_readiness import readiness_for
from ccm_tui.store.convert import to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.seed import seed_book
from ccm_tui.store.tables import ActivationRow, ActivationStepRow, OrderRow, SiteRow

HOURS = BusinessHours()
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # Friday 15:30 in New York

pytestmark = pytest.mark.own_database  # the seeder advances PostgreSQL's sequences


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    seed_book(engine, 400, 1_600, TODAY, hours=HOURS)
    return engine


def every_step(engine: Engine) -> list[tuple[ActivationStepRow, SiteCalendar, date]]:
    with read_session(engine) as session:
        rows = session.exec(
            select(ActivationStepRow, SiteRow, OrderRow.ccd)
            .join(ActivationRow, col(ActivationRow.id) == ActivationStepRow.activation_id)
            .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
            .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
            .where(col(ActivationStepRow.start_at).is_not(None))
        ).all()
        return [(step, SiteCalendar(site.timezone, site.country, HOURS, site.subdivision), ccd) for step, site, ccd in rows]


@pytest.mark.parametrize("hours_ahead", [72, 24 * 14])
def test_on_call_is_every_open_after_hours_step_overlapping_the_window(seeded: Engine, hours_ahead: int) -> None:
    window = on_call_window(NOW, hours_ahead)
    expected = sorted(
        (to_utc(step.start_at), step.id)
        for step, cal, ccd in every_step(seeded)
        if StepStatus(step.status).open
        and overlaps(to_utc(step.start_at), to_utc(step.end_at), window)
        and step_flags(to_utc(step.start_at), to_utc(step.end_at), cal, ccd) & ON_CALL
    )
    found = calendar_events.on_call(seeded, CalendarFilter(), NOW, hours_ahead, HOURS)
    assert len(expected) > 5
    assert [(e.step.start, e.step.id) for e in found] == expected
    assert all(e.facts.hours_flags for e in found)


def test_reminders_are_every_step_the_rule_says_is_due(seeded: Engine) -> None:
    expected = {}
    for step, cal, _ in every_step(seeded):
        due = reminder_due(to_utc(step.start_at), StepStatus(step.status), NOW, cal)
        if due is not None:
            expected[step.id] = due
    lines, total = calendar_reminders.reminders_due(seeded, CalendarFilter(), NOW, HOURS, limit=10_000)
    assert len(expected) > 20
    assert total == len(expected)
    assert {line.event.step.id: line.due for line in lines} == expected
    assert [line.event.step.start for line in lines] == sorted(line.event.step.start for line in lines)


def test_the_partial_indexes_predicates_say_what_the_store_means() -> None:
    """The indexes and the queries share literal predicates: a new flag or reminder kind must change them."""
    from ccm_tui.domain.reminders import ReminderKind
    from ccm_tui.store import tables

    assert f"(calendar_flags & {ON_CALL}) != 0" == tables.ON_CALL
    listed = tables.REMINDERS.split("(", 1)[1].rstrip(")").split(", ")
    assert sorted(listed) == sorted(f"'{k.value}'" for k in ReminderKind)


def test_reminders_already_sent_are_judged_again_and_the_page_is_the_first_of_the_total(seeded: Engine) -> None:
    """A reminder recorded for a start takes that step off the list; one of the other kind does not
    (the five-day one stays due with the one-day one sent); a short page counts them all."""
    before, _ = calendar_reminders.reminders_due(seeded, CalendarFilter(), NOW, HOURS, limit=10_000)
    five_days = [line for line in before if line.due.kind is ReminderKind.FIVE_DAYS]
    one_day = [line for line in before if line.due.kind is ReminderKind.ONE_DAY]
    assert len(five_days) >= 2 and len(one_day) >= 2
    actor = Actor("Alex Morgan", NOW, HOURS)
    for line, kind in [
        (five_days[0], ReminderKind.FIVE_DAYS),
        (one_day[0], ReminderKind.ONE_DAY),
        (five_days[1], ReminderKind.ONE_DAY),
    ]:
        assert mark_reminder(seeded, line.event.step.id, line.event.step.version, kind, None, actor)
    expected = {}
    with read_session(seeded) as session:
        for step, cal, _ in every_step(seeded):
            sent = reminders_sent_for(session, step.activation_id, StepKind(step.kind), to_utc(step.start_at))
            due = reminder_due(to_utc(step.start_at), StepStatus(step.status), NOW, cal, sent)
            if due is not None:
                expected[step.id] = due
    lines, total = calendar_reminders.reminders_due(seeded, CalendarFilter(), NOW, HOURS, limit=10_000)
    assert {line.event.step.id: line.due for line in lines} == expected
    assert total == len(before) - 2
    assert five_days[1].event.step.id in expected and five_days[0].event.step.id not in expected
    page, page_total = calendar_reminders.reminders_due(seeded, CalendarFilter(), NOW, HOURS, limit=5)
    assert page_total == total
    assert [line.event.step.id for line in page] == [line.event.step.id for line in lines[:5]]


def test_on_call_marks_the_not_ready_risk_as_the_full_readiness_says(seeded: Engine) -> None:
    found = calendar_events.on_call(seeded, CalendarFilter(), NOW, 24 * 14, HOURS)
    readiness = readiness_for(seeded, [e.activation.id for e in found], NOW, HOURS)
    assert any(r.at_risk for r in readiness.values()) and not all(r.at_risk for r in readiness.values())
    assert [e.facts.not_ready_risk for e in found] == [readiness[e.activation.id].at_risk for e in found]


def test_the_month_grid_counts_every_step_by_its_local_day(seeded: Engine) -> None:
    """The grid's counts (read as one text: store/calendar.py `_one_text`) are those of every step judged here."""
    first, zone, flt, today = date(2026, 11, 1), "America/New_York", CalendarFilter(), NOW.date()
    watched = {s.value for s in CCD_WATCHED}
    expected: dict[date, list[int]] = {}
    for step, cal, ccd in every_step(seeded):
        start = to_utc(step.start_at)
        day = start.astimezone(ZoneInfo(zone)).date()
        if (day.year, day.month) != (first.year, first.month) or StepStatus(step.status) not in flt.statuses:
            continue
        counts = expected.setdefault(day, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += bool(step_flags(start, to_utc(step.end_at), cal, ccd) & ON_CALL)
        counts[2] += step.status in watched and ccd < today
        counts[3] += step.status in watched and ccd >= today and cal.local(start).date() > ccd
    summary = calendar.month_summary(seeded, first, zone, flt, NOW, HOURS, with_late=False)
    found = {d.day: [d.events, d.on_call, d.past_ccd, d.ccd_at_risk] for d in summary.days if d.events}
    assert sum(counts[0] for counts in expected.values()) > 200  # a busy month: some hundreds of steps
    assert found == expected
    assert all(sum(counts[i] for counts in expected.values()) for i in range(4)), "each of the four counts is tested"
