"""The calendar filter's flags as SQL terms on `activation_step`: LATE and CCD.

Each is the fact the month grid marks, asked of the steps themselves, so the
grid's counts, the week, the agenda, on-call and reminders narrow alike:

- CCD (the grid's `!` and `?`): a step still standing between its order and
  completion whose order's CCD has gone by, or which lands after it. Both
  come from the derived columns (`ccd`, the AFTER_CCD bit), so the term
  reads `ix_activation_step_calendar` alone.
- LATE (the grid's `L`): a step still to happen whose start is inside its
  late-change window now. The window is counted in each site's business
  days, so per site calendar the late starts are a few ranges of instants
  (domain.late_window); the open steps of the next few days are judged
  against them once per query, and the term bounds the steps read to the
  start index from now to the last late start.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.late_window import late_start_ranges
from ccm_tui.domain.schedule import EventFlag
from ccm_tui.domain.step_facts import CCD_WATCHED
from ccm_tui.store.calendar_flags import AFTER_CCD
from ccm_tui.store.checklist_readiness import OPEN_STEPS, Calendars
from ccm_tui.store.convert import to_naive_utc, to_utc
from ccm_tui.store.sql_types import select_columns, select_ids
from ccm_tui.store.tables import ActivationRow, ActivationStepRow, SiteRow

CCD_WATCHED_VALUES = tuple(sorted(s.value for s in CCD_WATCHED))
# The late-change window reaches at most one business day ahead; with a long
# weekend and a holiday that is under a week.
LATE_HORIZON = timedelta(days=6)
# Late steps up to this many are bound into the term as ids; both engines take far more bound parameters.
MATERIALISE_MAX = 20000


def flag_terms(session: Session, flags: frozenset[EventFlag], now: datetime, hours: BusinessHours) -> list[ColumnElement[bool]]:
    """Terms a step must meet to show every flag in `flags` at `now`."""
    terms: list[ColumnElement[bool]] = []
    if EventFlag.CCD in flags:
        terms.append(ccd_term(now))
    if EventFlag.LATE in flags:
        terms.append(late_term(session, now, hours))
    return terms


def ccd_term(now: datetime) -> ColumnElement[bool]:
    """Past its order's CCD (compared with the UTC date of `now`, as the book does) or landing after it."""
    step = ActivationStepRow
    today = now.astimezone(UTC).date()
    return and_(
        col(step.status).in_(CCD_WATCHED_VALUES),
        or_(col(step.ccd) < today, col(step.calendar_flags).op("&")(AFTER_CCD) != 0),
    )


def late_term(session: Session, now: datetime, hours: BusinessHours) -> ColumnElement[bool]:
    """Open steps starting after `now` inside their late-change window.

    One light query reads the open steps of the next few days with their
    site calendars (a range of the start index); each calendar's late starts
    are judged once as ranges (domain.late_window), and the late steps' ids
    are bound into the term, so the queries that use it (a month's counts
    and its L markers, a week's seven days) do not judge them again.
    """
    step = ActivationStepRow
    after = to_naive_utc(now)
    upcoming = session.exec(
        select_columns(step.id, step.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(col(step.start_at) > after, col(step.start_at) < to_naive_utc(now + LATE_HORIZON), col(step.status).in_(OPEN_STEPS))
    ).all()
    calendars = Calendars(hours)
    ranges: LateRanges = {}
    late: list[int] = []
    last = after
    for step_id, start_at, zone, country, subdivision in upcoming:
        place = (zone, country, subdivision)
        found = ranges.get(place)
        if found is None:
            found = ranges[place] = late_start_ranges(now, calendars(*place))
        start = to_utc(start_at)
        if any(low <= start < high for low, high in found):
            late.append(step_id)
            last = max(last, start_at)
    if not late:
        return false()
    # The bounds too: a query using the term walks the start index from now to the last late start only.
    bounds = (col(step.start_at) > after, col(step.start_at) <= last, col(step.status).in_(OPEN_STEPS))
    if len(late) > MATERIALISE_MAX:
        return and_(*bounds, col(step.id).in_(_late_steps(ranges, after, last)))
    return and_(*bounds, col(step.id).in_(sorted(late)))


LateRanges = dict[tuple[str, str, str], tuple[tuple[datetime, datetime], ...]]


def starts_late_at_its_site(start: Any, ranges: LateRanges) -> ColumnElement[bool]:
    """`start` (a step's start column, SiteRow joined) inside its site calendar's late ranges."""
    return or_(
        *(
            and_(
                col(SiteRow.timezone) == zone,
                col(SiteRow.country) == country,
                col(SiteRow.subdivision) == subdivision,
                or_(*(and_(start >= to_naive_utc(low), start < to_naive_utc(high)) for low, high in found)),
            )
            for (zone, country, subdivision), found in ranges.items()
            if found
        )
    )


def _late_steps(ranges: LateRanges, after: datetime, last: datetime) -> SelectOfScalar[int]:
    """The late steps as a query (for a book with more than can be bound): each site calendar's ranges."""
    step = ActivationStepRow
    return (
        select_ids(step.id)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(
            col(step.start_at) > after,
            col(step.start_at) <= last,
            col(step.status).in_(OPEN_STEPS),
            starts_late_at_its_site(col(step.start_at), ranges),
        )
    )
