"""Reminders on the activation calendar: the confirmed events that need one
today, each judged in its site's calendar, and those already sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, func, or_, text
from sqlmodel import Session, col, select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.reminders import (
    LOOKAHEAD_DAYS,
    REMINDED_STATUSES,
    ReminderKind,
    reminder_due,
    reminder_due_on,
)
from ccm_tui.domain.schedule import CalendarFilter, ReminderLine
from ccm_tui.store.calendar import filter_terms, local_midnight
from ccm_tui.store.calendar_events import EventContext, event_rows, event_select, events_from_rows
from ccm_tui.store.checklist_readiness import Calendars
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    REMINDERS,
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    SiteRow,
)

_IN_CHUNK = 900  # ids per IN list (SQLite's bound-parameter limit is far above)


def reminders_due(
    engine: Engine, flt: CalendarFilter, now: datetime, hours: BusinessHours, limit: int = 200
) -> tuple[list[ReminderLine], int]:
    """Confirmed events that need a reminder today (each in its site's calendar),
    not yet sent for this date: the first `limit`, soonest event first, and how many in all.

    Whether a reminder is due depends on the site's calendar and the start's
    local date only: each calendar's days are judged once, and the days due
    become ranges of starts per calendar in SQL, so the book counts the due
    and returns the page alone. The few starts with a reminder already sent
    are judged again knowing it, and left out when nothing more is due.
    """
    step = ActivationStepRow
    calendars = Calendars(hours)
    with read_session(engine) as session:
        due_days = _due_days(session, now, calendars)
        if due_days is None:
            return [], 0
        where = [
            col(step.start_at) > to_naive_utc(now),
            col(step.start_at) < to_naive_utc(now + timedelta(days=LOOKAHEAD_DAYS)),
            col(step.status).in_(sorted(s.value for s in REMINDED_STATUSES)),
            due_days,
            *filter_terms(session, flt, now, hours),
        ]
        sent = _reminders_sent_between(session, now, now + timedelta(days=LOOKAHEAD_DAYS))
        done = _sent_already(session, where, sent, now, calendars) if sent else []
        if done:
            where.append(col(step.id).not_in(done))
        total = session.exec(
            select(func.count())
            .select_from(step)
            .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
            .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
            .where(*where)
        ).one()
        rows = event_rows(session, event_select().where(*where).order_by(col(step.start_at), col(step.id)).limit(limit))
        shown = {}
        for step_row, _, site_row, *_ in rows:
            cal = calendars(site_row.timezone, site_row.country, site_row.subdivision)
            already = sent.get((step_row.activation_id, step_row.kind, step_row.start_at), ())
            found = reminder_due(to_utc(step_row.start_at), StepStatus(step_row.status), now, cal, already)
            assert found is not None, "a step on a day due, with nothing more sent, has a reminder due"
            shown[step_row.id] = found
        ctx = EventContext(now, hours, now.astimezone(UTC).date())
        lines = []
        for event in events_from_rows(session, rows, ctx):
            due_now = shown[event.step.id]
            lines.append(ReminderLine(event=replace(event, facts=replace(event.facts, reminder=due_now)), due=due_now))
    return lines, total


def _due_days(session: Session, now: datetime, calendars: Calendars) -> ColumnElement[bool] | None:
    """Starts on a site's local days that have a reminder due now (none sent yet), per site calendar;
    None when no calendar has one.

    With none sent, a day has no reminder due only when its five-day one is
    still to come, and every later day's comes later still: the days due run
    from the site's today to the first day without one, a single range of
    starts per calendar (the earlier end of the `LOOKAHEAD_DAYS` bounds it).
    """
    places = session.connection().execute(select_columns(SiteRow.timezone, SiteRow.country, SiteRow.subdivision).distinct())
    starts = col(ActivationStepRow.start_at)
    terms, latest = [], None
    for zone, country, subdivision in places:
        cal = calendars(zone, country, subdivision)
        day, last = cal.local(now).date(), cal.local(now + timedelta(days=LOOKAHEAD_DAYS)).date()
        while day <= last and reminder_due_on(day, now, cal) is not None:
            day += timedelta(days=1)
        if day == cal.local(now).date():
            continue
        before = local_midnight(day, zone)
        latest = before if latest is None else max(latest, before)
        place = (col(SiteRow.timezone) == zone, col(SiteRow.country) == country, col(SiteRow.subdivision) == subdivision)
        terms.append(and_(*place, starts < to_naive_utc(before)))
    # the latest end first, on its own: it bounds the range of starts the book reads
    return and_(starts < to_naive_utc(latest), or_(*terms)) if latest is not None else None


def _sent_already(
    session: Session,
    where: Sequence[ColumnElement[bool]],
    sent: Mapping[tuple[int, str, datetime | None], set[ReminderKind]],
    now: datetime,
    calendars: Calendars,
) -> list[int]:
    """Of the steps on days due whose start has a reminder recorded, those with nothing more due."""
    step = ActivationStepRow
    rows = session.exec(
        select_columns(
            step.id,
            step.activation_id,
            step.kind,
            step.start_at,
            step.status,
            SiteRow.timezone,
            SiteRow.country,
            SiteRow.subdivision,
        )
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(*where, col(step.activation_id).in_(sorted({a for a, _, _ in sent})))
    ).all()
    done = []
    for step_id, activation_id, kind, start_at, status, zone, country, subdivision in rows:
        already = sent.get((activation_id, kind, start_at))
        cal = calendars(zone, country, subdivision)
        if already and reminder_due(to_utc(start_at), StepStatus(status), now, cal, already) is None:
            done.append(step_id)
    return done


def _reminders_sent_between(
    session: Session, after: datetime, before: datetime
) -> dict[tuple[int, str, datetime | None], set[ReminderKind]]:
    """Reminders recorded for starts in (after, before), per (activation, step kind, start): a few rows,
    read from the partial index, however many events are due."""
    change = ActivationChangeRow
    found: dict[tuple[int, str, datetime | None], set[ReminderKind]] = defaultdict(set)
    rows = session.exec(
        select(change.activation_id, change.step_kind, change.to_start, change.action).where(
            # word for word the predicate of the partial index ix_activation_change_reminders (migration 0010)
            text(REMINDERS),
            col(change.to_start) > to_naive_utc(after),
            col(change.to_start) < to_naive_utc(before),
        )
    ).all()
    for activation_id, kind, to_start, action in rows:
        found[activation_id, kind, to_start].add(ReminderKind(action))
    return found


def _reminders_sent(
    session: Session, steps: Sequence[tuple[int, str, datetime | None]]
) -> dict[tuple[int, str, datetime | None], set[ReminderKind]]:
    """Reminders recorded per (activation, step kind, start they were sent for)."""
    if not steps:
        return {}
    change = ActivationChangeRow
    wanted = {(a, k, s) for a, k, s in steps}
    found: dict[tuple[int, str, datetime | None], set[ReminderKind]] = defaultdict(set)
    ids = sorted({a for a, _, _ in steps})
    for chunk in range(0, len(ids), _IN_CHUNK):
        rows = session.exec(
            select(change.activation_id, change.step_kind, change.to_start, change.action).where(
                col(change.activation_id).in_(ids[chunk : chunk + _IN_CHUNK]),
                col(change.action).in_([k.value for k in ReminderKind]),
            )
        ).all()
        for activation_id, kind, to_start, action in rows:
            key = (activation_id, kind, to_start)
            if key in wanted:
                found[key].add(ReminderKind(action))
    return found


def reminders_sent_for(session: Session, activation_id: int, kind: StepKind, start: datetime | None) -> set[ReminderKind]:
    found = _reminders_sent(session, [(activation_id, kind.value, to_naive_utc(start))])
    return found.get((activation_id, kind.value, to_naive_utc(start)), set())
