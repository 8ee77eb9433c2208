"""The book's filters as SQL: the `/` text, the CCM, and the flags (LATE, CCD,
NR, hours over).

Each flag is the same fact the Flags column shows (store/book_page.py reads
it per row of a page), asked of the whole book in one indexed subquery; a
flag's customers, when few enough, are read once and bound as a list.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, exists, false, func, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ccm_tui.domain.book import BookFlag, BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.late_window import late_start_ranges, latest_late_start
from ccm_tui.domain.model import OrderStatus
from ccm_tui.domain.search_text import query_text
from ccm_tui.store.checklist_readiness import OPEN_STEPS, Calendars
from ccm_tui.store.checklist_upcoming import risky_steps
from ccm_tui.store.convert import to_naive_utc
from ccm_tui.store.customer_detail import month_after, utc_today
from ccm_tui.store.event_flags import starts_late_at_its_site
from ccm_tui.store.sql_types import select_ids
from ccm_tui.store.tables import ActivationRow, ActivationStepRow, CustomerRow, OrderRow, SiteRow, TimeEntryRow

CLOSED_ORDERS = (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value)
# Flagged customers up to this many are read once and bound as a list (see _materialised);
# both engines take far more bound parameters than this.
MATERIALISE_MAX = 20000


def book_filter(
    session: Session, query: BookQuery, now: datetime, month_start: date, business_hours: BusinessHours
) -> ColumnElement[bool] | None:
    """The `/` text, the CCM and the flag filters on the customer row, all must hold; None when none is set."""
    terms: list[ColumnElement[bool]] = []
    if folded := query_text(query.text):
        # autoescape: a typed % or _ is matched literally
        terms.append(col(CustomerRow.search_text).contains(folded, autoescape=True))
    if query.ccm is not None:
        terms.append(col(CustomerRow.ccm).in_(query.ccm.spellings))  # exact: ix_customer_ccm serves it
    terms += [_flag_term(session, flag, now, month_start, business_hours) for flag in sorted(query.flags)]
    return and_(*terms) if terms else None


def _materialised(session: Session, customers: SelectOfScalar[int]) -> ColumnElement[bool]:
    """`customer.id IN (...)` with the ids read once, when they are few enough to bind.

    The page and the count each repeat the filter, and a page sorted by next
    event repeats it per window: a flag's subquery (a join over days of
    steps) is read once here instead of each time.
    """
    ids = session.exec(customers.distinct().limit(MATERIALISE_MAX + 1)).all()
    if len(ids) > MATERIALISE_MAX:
        return col(CustomerRow.id).in_(customers)
    return col(CustomerRow.id).in_(sorted(ids)) if ids else false()


def _flag_term(
    session: Session, flag: BookFlag, now: datetime, month_start: date, business_hours: BusinessHours
) -> ColumnElement[bool]:
    """The customers showing `flag`, by the same facts as the Flags column (see book_page)."""
    cid = col(CustomerRow.id)
    match flag:
        case BookFlag.CCD:
            past = select(OrderRow.customer_id).where(
                col(OrderRow.ccd) < utc_today(now),
                col(OrderRow.completed_on).is_(None),
                col(OrderRow.status).not_in(CLOSED_ORDERS),
            )
            return _materialised(session, past)
        case BookFlag.HOURS_OVER:
            entry = TimeEntryRow
            # per customer, a range of ix_time_entry_customer_day (covering): cheaper than grouping every entry
            used = (
                select(func.coalesce(func.sum(entry.minutes), 0))
                .where(col(entry.customer_id) == cid, col(entry.day) >= month_start, col(entry.day) < month_after(month_start))
                .scalar_subquery()
            )
            # a package of 0 hours: any time logged is over
            return _materialised(session, select_ids(CustomerRow.id).where(used > col(CustomerRow.hours_per_month_minutes)))
        case BookFlag.NOT_READY:
            risky = risky_steps(session, now, Calendars(business_hours), ActivationStepRow.customer_id)
            return false() if risky is None else _materialised(session, risky)
        case BookFlag.LATE:
            late = _late_next_events(session, now, business_hours)
            return false() if late is None else _materialised(session, late)


def _late_next_events(session: Session, now: datetime, business_hours: BusinessHours) -> SelectOfScalar[int] | None:
    """The customers whose next event is inside its late-change window: a query of their ids.

    Per site calendar, the starts that are late now are a few ranges of
    instants (domain.late_window), which bound the steps read to the next
    business day or so of the start index; a step counts when no open step
    of its customer comes before it (the book's "next event").
    """
    calendars = Calendars(business_hours)
    places = session.exec(select(SiteRow.timezone, SiteRow.country, SiteRow.subdivision).distinct()).all()
    ranges = {place: late_start_ranges(now, calendars(*place)) for place in places}
    until = latest_late_start(r for found in ranges.values() for r in found)
    if until is None:
        return None
    step, earlier = aliased(ActivationStepRow), aliased(ActivationStepRow)
    now_naive = to_naive_utc(now)
    late_here = starts_late_at_its_site(col(step.start_at), ranges)
    before = exists().where(
        col(earlier.customer_id) == step.customer_id,
        col(earlier.status).in_(OPEN_STEPS),
        col(earlier.start_at) >= now_naive,
        or_(col(earlier.start_at) < step.start_at, and_(col(earlier.start_at) == step.start_at, col(earlier.id) < step.id)),
    )
    return (
        select(step.customer_id)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(
            col(step.start_at) >= now_naive,
            col(step.start_at) < to_naive_utc(until),
            col(step.status).in_(OPEN_STEPS),
            late_here,
            ~before,
        )
    )
