"""The activation calendar's month: days in the CCM's zone, the filter's
terms, and a month's per-day counts.

Days are the CCM's own (settings.time_zone): their UTC boundaries are worked
out here, in Python, from the zone's local midnights (23 or 25 hours long
on DST days). The month is counted in SQL from `ix_activation_step_calendar`
alone (start, status, the derived flags, CCD, customer): no row of any
other table is read, so a month of a 200,000-activation book costs about
what it costs to walk that month's index entries. The filter's flags keep
to that (store/event_flags.py): CCD tests the index's own columns, LATE
narrows it to the next business day or so and the late steps' ids, judged
once per query.

Lists of events are `calendar_events`, reminders due `calendar_reminders`,
one activation's detail `activation_detail`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, String, and_, case, cast, func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import aggregate_strings
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar, is_late_change
from ccm_tui.domain.model import StepStatus
from ccm_tui.domain.schedule import CalendarFilter, DaySummary, MonthSummary
from ccm_tui.domain.step_facts import CCD_WATCHED
from ccm_tui.store.calendar_flags import AFTER_CCD, ON_CALL, on_call_term
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.event_flags import LATE_HORIZON, flag_terms
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import ActivationRow, ActivationStepRow, CustomerRow, SiteRow

_OPEN = tuple(s.value for s in StepStatus if s.open)
_CCD_WATCHED = tuple(sorted(s.value for s in CCD_WATCHED))


# -- days in the CCM's zone ------------------------------------------------------


def local_midnight(day: date, zone: str) -> datetime:
    """The UTC instant a local day starts (midnight, or the first instant after a skipped one)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def day_bounds(first: date, days: int, zone: str) -> list[datetime]:
    """UTC instants of `days + 1` local midnights from `first`: day i is [b[i], b[i+1])."""
    return [local_midnight(first + timedelta(days=i), zone) for i in range(days + 1)]


def month_days(first: date) -> int:
    following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    return (following - first.replace(day=1)).days


# -- filters ------------------------------------------------------------------------


def filter_terms(session: Session, flt: CalendarFilter, now: datetime, hours: BusinessHours) -> list[ColumnElement[bool]]:
    """What a step must meet to be shown under `flt` at `now` (the flags judge the clock and each site's calendar)."""
    step = ActivationStepRow
    terms: list[ColumnElement[bool]] = [col(step.status).in_(sorted(s.value for s in flt.statuses))]
    if flt.after_hours_only:
        terms.append(on_call_term())
    if flt.flags:
        terms += flag_terms(session, flt.flags, now, hours)
    return terms + customer_terms(flt)


def customer_terms(flt: CalendarFilter) -> list[ColumnElement[bool]]:
    """Region and CCM: the customer's, tested on the step's denormalised customer id."""
    customer_terms = []
    if flt.region is not None:
        customer_terms.append(col(CustomerRow.region) == flt.region.value)
    if flt.ccm:
        customer_terms.append(col(CustomerRow.ccm) == flt.ccm)
    if not customer_terms:
        return []
    # "+ 0": walk the start index and test each row, rather than start from
    # each matching customer and sort; bounded by the range's size either way.
    return [(col(ActivationStepRow.customer_id) + 0).in_(select(CustomerRow.id).where(*customer_terms))]


def ccm_names(engine: Engine) -> list[str]:
    """The CCMs owning customers, for the filter's choices."""
    with read_session(engine) as session:
        names = session.exec(select(CustomerRow.ccm).where(CustomerRow.ccm != "").distinct()).all()
    return sorted(names, key=str.casefold)


# -- the month grid ---------------------------------------------------------------


def month_summary(
    engine: Engine,
    first: date,
    zone: str,
    flt: CalendarFilter,
    now: datetime,
    hours: BusinessHours,
    *,
    with_late: bool = True,
) -> MonthSummary:
    """Per-day counts for the month starting `first`, days in `zone`.

    Counts, markers for after hours/weekend/holiday and the CCD come from
    the index in one query grouped by start instant: the index hands rows
    over in start order, so the grouping streams (no sort), and windows
    start on the hour or half hour, so a month is a few thousand groups,
    put into days here. The late-change marker depends on the clock and
    each site's business days, so it is judged in Python for the few days
    ahead that can hold such events (a week at most); `with_late=False`
    leaves it out (`month_late` adds it), so the grid can show the counts
    first.
    """
    first = first.replace(day=1)
    n = month_days(first)
    totals = [[0, 0, 0, 0] for _ in range(n)]
    late: dict[int, int] = {}
    with read_session(engine) as session:
        terms = filter_terms(session, flt, now, hours)
        stmt, bounds = month_statement(first, zone, terms, now)
        for group in _one_text(session, stmt):
            start_at, events, on_call_, past, at_risk = group.split("|")
            day = totals[_index(datetime.fromisoformat(start_at).replace(tzinfo=UTC), bounds)]
            day[0] += int(events)
            day[1] += int(on_call_ or 0)
            day[2] += int(past or 0)
            day[3] += int(at_risk or 0)
        if with_late:
            late = _late_counts(session, bounds, terms, now, hours)
    return MonthSummary(
        first=first,
        days=tuple(
            DaySummary(first + timedelta(days=i), events, on_call_, past, at_risk, late=late.get(i, 0))
            for i, (events, on_call_, past, at_risk) in enumerate(totals)
        ),
    )


def _one_text(session: Session, grouped: Select[*tuple[Any, ...]]) -> list[str]:
    """The rows of `grouped` (its columns' text joined by "|"), read as one row of text.

    A month is some 800 groups of 65,000 index entries. Read as rows, each
    row's hand-over takes the GIL back from the screen painting meanwhile in
    the main thread, and waits for it; read as one text, the whole read runs
    in the database with the GIL free, alongside the painting.
    """
    # each column as text, a NULL as "" (one NULL would make the whole line NULL, and the group be left out)
    parts = [func.coalesce(cast(c, String), "") for c in grouped.selected_columns]
    line: ColumnElement[str] = parts[0]
    for part in parts[1:]:
        line = line + "|" + part
    inner = grouped.with_only_columns(line.label("line")).subquery()
    text = session.exec(select(aggregate_strings(inner.c.line, ";"))).one()
    return text.split(";") if text else []


def has_late(first: date, zone: str, now: datetime) -> bool:
    """Whether the month starting `first` can hold events inside their late-change window at `now`."""
    bounds = day_bounds(first.replace(day=1), month_days(first), zone)
    return max(bounds[0], now) < min(bounds[-1], now + LATE_HORIZON)


def month_late(
    engine: Engine, summary: MonthSummary, zone: str, flt: CalendarFilter, now: datetime, hours: BusinessHours
) -> MonthSummary:
    """`summary` (read `with_late=False`) with its days' late-change counts."""
    bounds = day_bounds(summary.first, len(summary.days), zone)
    with read_session(engine) as session:
        late = _late_counts(session, bounds, filter_terms(session, flt, now, hours), now, hours)
    return replace(summary, days=tuple(replace(d, late=late.get(i, 0)) for i, d in enumerate(summary.days)))


def month_statement(
    first: date, zone: str, terms: Sequence[ColumnElement[bool]], now: datetime
) -> tuple[Select[*tuple[Any, ...]], list[datetime]]:
    """The month's grouped query (per start instant) under the filter's `terms`, and its local-midnight bounds."""
    bounds = day_bounds(first, month_days(first), zone)
    step = ActivationStepRow
    today = now.astimezone(UTC).date()
    watched = col(step.status).in_(_CCD_WATCHED)
    flags = col(step.calendar_flags)
    stmt = (
        select_columns(
            step.start_at,
            func.count(),
            func.sum(case((flags.op("&")(ON_CALL) != 0, 1), else_=0)),
            func.sum(case((and_(watched, col(step.ccd) < today), 1), else_=0)),
            func.sum(case((and_(watched, col(step.ccd) >= today, flags.op("&")(AFTER_CCD) != 0), 1), else_=0)),
        )
        .where(
            col(step.start_at) >= to_naive_utc(bounds[0]),
            col(step.start_at) < to_naive_utc(bounds[-1]),
            *terms,
        )
        .group_by(col(step.start_at))
    )
    return stmt, bounds


def _late_counts(
    session: Session, bounds: Sequence[datetime], terms: Sequence[ColumnElement[bool]], now: datetime, hours: BusinessHours
) -> dict[int, int]:
    """Per day index: open events starting from now, inside their late-change window."""
    lo, hi = max(bounds[0], now), min(bounds[-1], now + LATE_HORIZON)
    if lo >= hi:
        return {}
    step = ActivationStepRow
    # Grouped by start and site calendar: windows start on the hour or half
    # hour, so a busy week is a few thousand groups, each judged once.
    rows = session.exec(
        select_columns(step.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision, func.count())
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(
            col(step.start_at) > to_naive_utc(lo),
            col(step.start_at) < to_naive_utc(hi),
            col(step.status).in_(_OPEN),
            *terms,
        )
        .group_by(col(step.start_at), SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
    ).all()
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}
    counts: dict[int, int] = defaultdict(int)
    for start_at, zone, country, subdivision, n in rows:
        cal = calendars.get((zone, country, subdivision))
        if cal is None:
            cal = calendars[zone, country, subdivision] = SiteCalendar(zone, country, hours, subdivision)
        start = to_utc(start_at)
        if is_late_change(start, now, cal):
            counts[_index(start, bounds)] += n
    return counts


def _index(instant: datetime, bounds: Sequence[datetime]) -> int:
    return bisect_right(bounds, instant) - 1
