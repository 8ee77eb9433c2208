"""Reminders on the activation calendar: the confirmed events that need one
today, each judged in its site's calendar, and those already sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.reminders import (
    LOOKAHEAD_DAYS,
    REMINDED_STATUSES,
    ReminderDue,
    ReminderKind,
    reminder_due,
)
from ccm_tui.domain.schedule import CalendarFilter, ReminderLine
from ccm_tui.store.calendar import filter_terms
from ccm_tui.store.calendar_events import EventContext, event_rows, event_select, events_from_rows
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

    The rule is judged on light rows, once per site calendar and local date;
    full events are read for the lines returned only.
    """
    step = ActivationStepRow
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}
    local_dates: dict[tuple[str, datetime], date] = {}
    zones: dict[str, ZoneInfo] = {}
    judged: dict[tuple[tuple[str, str, str], date], ReminderDue | None] = {}

    def judge(start_at: datetime, status: str, place: tuple[str, str, str]) -> ReminderDue | None:
        """The reminder due with none sent: it depends on the site and the start's local date only
        (every row read starts after now, in a reminded status), so it is judged once per pair."""
        cal = calendars.get(place)
        if cal is None:
            cal = calendars[place] = SiteCalendar(place[0], place[1], hours, place[2])
        local_date = local_dates.get((place[0], start_at))
        if local_date is None:
            zone = zones.get(place[0])
            if zone is None:
                zone = zones[place[0]] = ZoneInfo(place[0])
            local_date = local_dates[place[0], start_at] = to_utc(start_at).astimezone(zone).date()
        key = (place, local_date)
        if key not in judged:
            judged[key] = reminder_due(to_utc(start_at), StepStatus(status), now, cal)
        return judged[key]

    with read_session(engine) as session:
        where = [
            col(step.start_at) > to_naive_utc(now),
            col(step.start_at) < to_naive_utc(now + timedelta(days=LOOKAHEAD_DAYS)),
            col(step.status).in_(sorted(s.value for s in REMINDED_STATUSES)),
            *filter_terms(session, flt, now, hours),
        ]
        light = session.exec(
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
            .where(*where)
            .order_by(col(step.start_at), col(step.id))
        ).all()
        candidates = []
        for step_id, activation_id, kind, start_at, status, zone, country, subdivision in light:
            place = (zone, country, subdivision)
            found = judge(start_at, status, place)
            if found is not None:
                candidates.append((step_id, activation_id, kind, start_at, status, place, found))
        sent = _reminders_sent_between(session, now, now + timedelta(days=LOOKAHEAD_DAYS)) if candidates else {}
        due: list[tuple[int, ReminderDue]] = []
        for step_id, activation_id, kind, start_at, status, place, found in candidates:
            already = sent.get((activation_id, kind, start_at))
            if already:  # judged again knowing what was sent (a rare case: most reminders are still to send)
                again = reminder_due(to_utc(start_at), StepStatus(status), now, calendars[place], already)
                if again is not None:
                    due.append((step_id, again))
            else:
                due.append((step_id, found))
        shown = dict(due[:limit])
        ctx = EventContext(now, hours, now.astimezone(UTC).date())
        rows = event_rows(session, event_select().where(col(step.id).in_(list(shown))).order_by(col(step.start_at), col(step.id)))
        lines = []
        for event in events_from_rows(session, rows, ctx):
            due_now = shown[event.step.id]
            lines.append(ReminderLine(event=replace(event, facts=replace(event.facts, reminder=due_now)), due=due_now))
    return lines, len(due)


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
