"""Reminders on the activation calendar: the confirmed events that need one
today, each judged in its site's calendar, and those already sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, String, and_, bindparam, case, func, literal, text, union_all
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.reminders import (
    LOOKAHEAD_DAYS,
    REMINDED_STATUSES,
    ReminderDue,
    ReminderKind,
    first_day_not_due,
    reminder_due,
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
_REMINDED = tuple(sorted(s.value for s in REMINDED_STATUSES))


def reminders_due(
    engine: Engine, flt: CalendarFilter, now: datetime, hours: BusinessHours, limit: int = 200
) -> tuple[list[ReminderLine], int]:
    """Confirmed events that need a reminder today (each in its site's calendar),
    not yet sent for this date: the first `limit`, soonest event first, and how many in all.

    Whether a reminder is due depends on the site's calendar and the start's
    local date only: each calendar's days are judged once, and the days due
    become a range of starts per calendar in SQL (`_DueDays`), so the book
    counts the due and returns the page alone. The few starts with a reminder
    already sent are judged again knowing it, and left out when nothing more
    is due.
    """
    step = ActivationStepRow
    places = Calendars(hours)
    with read_session(engine) as session:
        due = _due_days(session, now, places)
        if due is None:
            return [], 0
        where = [
            col(step.start_at) > to_naive_utc(now),
            col(step.start_at) < to_naive_utc(min(due.latest, now + timedelta(days=LOOKAHEAD_DAYS))),
            reminded_step(),
            *filter_terms(session, flt, now, hours),
        ]
        sent = _reminders_sent_between(session, now, now + timedelta(days=LOOKAHEAD_DAYS))
        done = _sent_already(session, [*where, due.term], sent, now, places) if sent else []
        if done:
            where.append(col(step.id).not_in(done))
        total = _count(session, where, due)
        stmt = event_select().where(*where, due.term).order_by(col(step.start_at), col(step.id)).limit(limit)
        rows = event_rows(session, stmt)
        shown: dict[int, ReminderDue] = {}
        judged: dict[tuple[Any, ...], ReminderDue | None] = {}  # by site calendar and start, for those with none sent
        for row in rows:
            already = sent.get((row.step_activation_id, row.step_kind, row.step_start_at), ())
            key = (row.site_timezone, row.site_country, row.site_subdivision, row.step_start_at, row.step_status)
            found = judged.get(key) if not already else None
            if found is None:
                cal = places(row.site_timezone, row.site_country, row.site_subdivision)
                found = reminder_due(to_utc(row.step_start_at), StepStatus(row.step_status), now, cal, already)
                if not already:
                    judged[key] = found
            assert found is not None, "a step on a day due, with nothing more sent, has a reminder due"
            shown[row.step_id] = found
        ctx = EventContext(now, hours, now.astimezone(UTC).date())
        events = events_from_rows(session, rows, ctx, places=places, reminders=shown)
    return [ReminderLine(event=event, due=shown[event.step.id]) for event in events], total


def reminded_step() -> ColumnElement[bool]:
    """A step whose date is reminded (confirmed or validated), the statuses written out as literals: the
    predicate of ix_activation_step_reminded (migration 0012), which SQLite and PostgreSQL can only prove
    from the same words (bound parameters would hide them)."""
    return col(ActivationStepRow.status).in_(bindparam("reminded", _REMINDED, expanding=True, literal_execute=True))


@dataclass(frozen=True, slots=True)
class _DueDays:
    """The starts on the days that have a reminder due now (none sent yet), per site calendar.

    Every calendar's days due run from its today to some local midnight
    after it (`first_day_not_due`): `term` holds each calendar's, as the
    bound its site's starts must be under; every start before `earliest`
    is on a day due wherever its site is, so those are counted with no
    join; none is due from `latest` on.
    """

    term: ColumnElement[bool]
    earliest: datetime
    latest: datetime


def _due_days(session: Session, now: datetime, places: Calendars) -> _DueDays | None:
    """The days due now at each site calendar of the book; None when no calendar has one."""
    bounds = {}
    for zone, country, subdivision in _book_places(session):
        cal = places(zone, country, subdivision)
        today, last = cal.local(now).date(), cal.local(now + timedelta(days=LOOKAHEAD_DAYS)).date()
        bounds[zone, country, subdivision] = local_midnight(first_day_not_due(today, last, cal), zone)
    earliest, latest = min(bounds.values(), default=now), max(bounds.values(), default=now)
    if latest <= now:
        return None
    # Per site calendar, the bound its starts must be under: the site's columns are compared in a CASE, not
    # as a test per calendar, so no plan starts from the sites of a calendar rather than the range of starts.
    place = (col(SiteRow.timezone), col(SiteRow.country), col(SiteRow.subdivision))
    bound = case(
        *((and_(*(c == v for c, v in zip(place, key, strict=True))), to_naive_utc(before)) for key, before in bounds.items()),
        else_=None,
    )
    return _DueDays(col(ActivationStepRow.start_at) < bound, max(earliest, now), latest)


def _book_places(session: Session) -> list[tuple[str, str, str]]:
    """The site calendars of the book's sites (zone, country, subdivision), in order: each the next after the
    last found, a few seeks of ix_site_place (its partial term written word for word), not a read of every site."""
    connection = session.connection()
    found: list[tuple[str, str, str]] = []
    row = connection.execute(_FIRST_PLACE).first()
    while row is not None:
        found.append((row[0], row[1], row[2]))
        after = dict(zip(("zone", "country", "subdivision"), found[-1], strict=True))
        # the first branch that found one (the book's collation orders them; Python's order of strings may not)
        row = min(connection.execute(_NEXT_PLACE, after), key=lambda r: r[3], default=None)
    return found


def _places_after(*terms: ColumnElement[bool], order: int) -> Select[*tuple[Any, ...]]:
    """The first site calendar meeting `terms`, ordered by its last `order` columns (the others are fixed)."""
    place = (col(SiteRow.timezone), col(SiteRow.country), col(SiteRow.subdivision))
    zoned = place[0] != bindparam("no_zone", "", literal_execute=True)  # ix_site_place's predicate (migration 0012)
    return select_columns(*place, literal(order - 1).label("branch")).where(zoned, *terms).order_by(*place[3 - order :]).limit(1)


_ZONE, _COUNTRY, _SUBDIVISION = (bindparam(name, type_=String()) for name in ("zone", "country", "subdivision"))
_FIRST_PLACE = _places_after(order=3)
# The calendar after (zone, country, subdivision): a later subdivision of its country and zone, a later
# country of its zone, or a later zone; each branch a seek (SQLite walks a whole zone for a row-value `>`).
_NEXT_PLACE = union_all(
    *(
        select(branch.subquery())
        for branch in (
            _places_after(
                col(SiteRow.timezone) == _ZONE, col(SiteRow.country) == _COUNTRY, col(SiteRow.subdivision) > _SUBDIVISION, order=1
            ),
            _places_after(col(SiteRow.timezone) == _ZONE, col(SiteRow.country) > _COUNTRY, order=2),
            _places_after(col(SiteRow.timezone) > _ZONE, order=3),
        )
    )
)


def _count(session: Session, where: Sequence[ColumnElement[bool]], due: _DueDays) -> int:
    """How many steps meeting `where` start on a day due: those before `due.earliest` from the start
    index alone, the others joined to their site to compare their start with its calendar's bound."""
    step = ActivationStepRow
    early = session.exec(
        select(func.count()).select_from(step).where(*where, col(step.start_at) < to_naive_utc(due.earliest))
    ).one()
    late = session.exec(
        select(func.count())
        .select_from(step)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(*where, col(step.start_at) >= to_naive_utc(due.earliest), due.term)
    ).one()
    return int(early) + int(late)


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
