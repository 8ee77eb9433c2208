"""The customer book: one page of it, filtered and sorted, and finding
customers by name or account number.

Every query filters, sorts and pages in SQL, the flag filters included:
each is the same fact the Flags column shows, asked of the whole book in
one indexed subquery (store/book_flags.py). The per-row extras of a page
(next event, hours this month, past CCD, not-ready risk) are read for the
page's customers only, never for the whole book. Sorting by next activation
or hours joins in a grouped subquery (restricted to the filter's matches),
except for the first pages of "soonest next activation", which walk the
start index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import CTE, Engine, SQLColumnExpression, UnaryExpression, case, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ccm_tui.domain.book import (
    BookPage,
    BookQuery,
    BookRow,
    BookSort,
    CustomerHit,
    NextEvent,
)
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar, is_late_change
from ccm_tui.domain.ccd import is_past_ccd
from ccm_tui.domain.model import Region, StepKind, StepStatus
from ccm_tui.domain.search_text import query_text
from ccm_tui.store.book_flags import CLOSED_ORDERS, book_filter
from ccm_tui.store.checklist_readiness import OPEN_STEPS, customers_at_risk
from ccm_tui.store.convert import hours_from_minutes, to_naive_utc, to_utc
from ccm_tui.store.customer_detail import month_after, utc_today
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns, select_ids
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    CustomerRow,
    OrderRow,
    SiteRow,
    TimeEntryRow,
)

# The "next activation" walk (see _walk_upcoming): with fewer matches than
# this the grouped query is cheap anyway; a window beyond WALK_MAX_STEPS
# steps costs more than grouping.
WALK_MIN_MATCHES = 2000
WALK_FIRST_STEPS = 400
WALK_MAX_STEPS = 16000


def book_page(
    engine: Engine,
    query: BookQuery,
    now: datetime,
    month_start: date,
    business_hours: BusinessHours,
) -> BookPage:
    """One page of the book, filtered by `/` text, CCM and flags, and sorted; with its total.

    `past_ccd` compares CCDs with the UTC date of `now`.
    """
    now_naive = to_naive_utc(now)
    month_end = month_after(month_start)

    with read_session(engine) as session:
        matched = book_filter(session, query, now, month_start, business_hours)
        # one CTE: a query that filters twice (page and aggregate) scans once
        matching = None if matched is None else select(col(CustomerRow.id).label("id")).where(matched).cte("matching")
        count = select(func.count()).select_from(CustomerRow)
        if matched is not None:
            count = count.where(matched)
        total = session.exec(count).one()
        # "29 of 40": the whole book too, when filtered (a count of the primary key: about a ms at 50,000)
        book_total = None if matched is None else session.exec(select(func.count()).select_from(CustomerRow)).one()
        ids = _page_ids(session, query, matching, total, now_naive, month_start, month_end)
        if not ids:
            return BookPage(rows=(), total=total, offset=query.offset, book_total=book_total)
        found = {
            r[0]: r
            for r in session.exec(
                select_columns(
                    col(CustomerRow.id),
                    CustomerRow.name,
                    CustomerRow.account_number,
                    CustomerRow.region,
                    CustomerRow.ccm,
                    CustomerRow.hours_per_month_minutes,
                ).where(col(CustomerRow.id).in_(ids))
            ).all()
        }
        next_events = _next_events(session, ids, now_naive)
        used = _minutes_logged(session, ids, month_start, month_end)
        open_orders = _open_order_dates(session, ids)
        at_risk = customers_at_risk(session, ids, now, business_hours)

    today = utc_today(now)
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}
    rows = []
    for customer_id in ids:
        _, name, account, region, ccm, package_minutes = found[customer_id]
        nxt = next_events.get(customer_id)
        late = False
        if nxt is not None:
            key = (nxt.zone, nxt.country, nxt.subdivision)
            if key not in calendars:
                calendars[key] = SiteCalendar(nxt.zone, nxt.country, business_hours, nxt.subdivision)
            late = is_late_change(nxt.start, now, calendars[key])
        rows.append(
            BookRow(
                customer_id=customer_id,
                name=name,
                account_number=account,
                region=Region(region),
                ccm=ccm,
                next_event=nxt,
                hours_used=hours_from_minutes(used.get(customer_id, 0)),
                hours_package=hours_from_minutes(package_minutes),
                past_ccd=any(is_past_ccd(ccd, done, today) for ccd, done in open_orders.get(customer_id, ())),
                late_change_window=late,
                not_ready_risk=customer_id in at_risk,
            )
        )
    return BookPage(rows=tuple(rows), total=total, offset=query.offset, book_total=book_total)


def _page_ids(
    session: Session,
    query: BookQuery,
    matching: CTE | None,
    total: int,
    now_naive: datetime,
    month_start: date,
    month_end: date,
) -> list[int]:
    """The page's customer ids, in order."""
    if query.offset >= total or query.limit <= 0:
        return []
    if query.sort is BookSort.NEXT_ACTIVATION and not query.descending and total > WALK_MIN_MATCHES:
        walked = _walk_upcoming(session, matching, now_naive, query.offset + query.limit)
        if walked is not None:
            return walked[query.offset : query.offset + query.limit]
    return list(session.exec(_sorted_ids(query, matching, now_naive, month_start, month_end)).all())


def _sorted_ids(
    query: BookQuery,
    matching: CTE | None,
    now_naive: datetime,
    month_start: date,
    month_end: date,
) -> SelectOfScalar[int]:
    """The general page query: every sort, either direction, tie-broken on id."""
    cid = col(CustomerRow.id)

    def direction(expr: SQLColumnExpression[Any]) -> UnaryExpression[Any]:
        return expr.desc() if query.descending else expr.asc()

    stmt = select_ids(CustomerRow.id)
    if matching is not None:
        # Filter first, then sort the matches: walking a sort index and
        # testing each row costs up to 10x more when matches are rare.
        stmt = stmt.where(cid.in_(select(matching.c.id)))
    match query.sort:
        case BookSort.NAME:
            keys = [direction(col(CustomerRow.sort_name))]
        case BookSort.ACCOUNT:
            keys = [direction(col(CustomerRow.account_number))]
        case BookSort.REGION:
            keys = [direction(col(CustomerRow.region)), direction(col(CustomerRow.sort_name))]
        case BookSort.CCM:
            keys = [direction(col(CustomerRow.ccm)), direction(col(CustomerRow.sort_name))]
        case BookSort.NEXT_ACTIVATION:
            step = ActivationStepRow
            upcoming = select_columns(
                col(step.customer_id).label("customer_id"), func.min(step.start_at).label("next_start")
            ).where(col(step.start_at) >= now_naive, col(step.status).in_(OPEN_STEPS))
            if matching is not None:
                upcoming = upcoming.where(col(step.customer_id).in_(select(matching.c.id)))
            grouped = upcoming.group_by(col(step.customer_id)).subquery()
            stmt = stmt.outerjoin(grouped, grouped.c.customer_id == cid)
            # customers with nothing coming go last in either direction
            keys = [direction(grouped.c.next_start).nulls_last()]
        case BookSort.HOURS:
            entry = TimeEntryRow
            logged = select_columns(col(entry.customer_id).label("customer_id"), func.sum(entry.minutes).label("minutes")).where(
                col(entry.day) >= month_start, col(entry.day) < month_end
            )
            if matching is not None:
                logged = logged.where(col(entry.customer_id).in_(select(matching.c.id)))
            grouped = logged.group_by(col(entry.customer_id)).subquery()
            stmt = stmt.outerjoin(grouped, grouped.c.customer_id == cid)
            keys = [direction(func.coalesce(grouped.c.minutes, 0))]
    return stmt.order_by(*keys, direction(cid)).offset(query.offset).limit(query.limit)


def _walk_upcoming(session: Session, matching: CTE | None, now_naive: datetime, need: int) -> list[int] | None:
    """The first `need` customers by soonest upcoming open step, or None if not found cheaply.

    Walks open steps in start order on ix_activation_step_start_status,
    reading a window of steps at a time (growing), instead of grouping
    every upcoming step of the book: the first page of "what is next" costs
    a few hundred index entries. A customer first seen in the window has its
    true next start there. Only customers seen strictly before the window's
    last start are certain to be in order (an unseen one may tie with it),
    unless the window ran out of steps. When the page reaches customers with
    nothing coming, or the window would grow past WALK_MAX_STEPS, the
    caller uses the grouped query instead.
    """
    step = ActivationStepRow
    window = max(WALK_FIRST_STEPS, 4 * need)
    while True:
        stmt = (
            select_columns(step.customer_id, step.start_at)
            .where(col(step.start_at) >= now_naive, col(step.status).in_(OPEN_STEPS))
            .order_by(col(step.start_at), col(step.id))
            .limit(window)
        )
        if matching is not None:
            # "+ 0": the walk must drive from the start index; SQLite would
            # otherwise start from each matching customer and sort.
            stmt = stmt.where((col(step.customer_id) + 0).in_(select(matching.c.id)))
        rows = session.exec(stmt).all()
        exhausted = len(rows) < window
        boundary = None if exhausted else rows[-1][1]
        first_start: dict[int, datetime] = {}
        for customer_id, start_at in rows:
            if boundary is not None and start_at >= boundary:
                break
            first_start.setdefault(customer_id, start_at)
        if len(first_start) >= need:
            ordered = sorted(first_start.items(), key=lambda item: (item[1], item[0]))
            return [customer_id for customer_id, _ in ordered[:need]]
        if exhausted or window >= WALK_MAX_STEPS:
            return None
        window = min(window * 4, WALK_MAX_STEPS)


def _next_events(session: Session, ids: Sequence[int], now_naive: datetime) -> dict[int, NextEvent]:
    """Each customer's earliest open step from now on, with its site."""
    step = ActivationStepRow
    ranked = (
        select_columns(
            col(step.customer_id).label("customer_id"),
            col(step.activation_id).label("activation_id"),
            col(step.kind).label("kind"),
            col(step.start_at).label("start_at"),
            col(step.status).label("status"),
            col(SiteRow.name).label("site_name"),
            col(SiteRow.timezone).label("zone"),
            col(SiteRow.country).label("country"),
            col(SiteRow.subdivision).label("subdivision"),
            func.row_number().over(partition_by=col(step.customer_id), order_by=(col(step.start_at), col(step.id))).label("rank"),
        )
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(col(step.customer_id).in_(ids), col(step.start_at) >= now_naive, col(step.status).in_(OPEN_STEPS))
        .subquery()
    )
    rows = session.exec(select(*ranked.c).where(ranked.c.rank == 1)).all()
    return {
        r.customer_id: NextEvent(
            activation_id=r.activation_id,
            kind=StepKind(r.kind),
            start=to_utc(r.start_at),
            site_name=r.site_name,
            zone=r.zone,
            country=r.country,
            status=StepStatus(r.status),
            subdivision=r.subdivision,
        )
        for r in rows
    }


def _minutes_logged(session: Session, ids: Sequence[int], start: date, end: date) -> dict[int, int]:
    entry = TimeEntryRow
    stmt = (
        select(entry.customer_id, func.sum(entry.minutes))
        .where(col(entry.customer_id).in_(ids), col(entry.day) >= start, col(entry.day) < end)
        .group_by(col(entry.customer_id))
    )
    return {customer_id: int(total) for customer_id, total in session.exec(stmt).all()}


def _open_order_dates(session: Session, ids: Sequence[int]) -> dict[int, list[tuple[date, date | None]]]:
    """(CCD, completed on) of each customer's orders not completed or cancelled."""
    stmt = select_columns(OrderRow.customer_id, OrderRow.ccd, OrderRow.completed_on).where(
        col(OrderRow.customer_id).in_(ids), col(OrderRow.status).not_in(CLOSED_ORDERS)
    )
    found: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for customer_id, ccd, completed_on in session.exec(stmt).all():
        found[customer_id].append((ccd, completed_on))
    return found


def find_customers(engine: Engine, text: str, limit: int = 20) -> list[CustomerHit]:
    """Customers whose name or account number holds `text`; name-prefix matches first."""
    folded = query_text(text)
    account = func.lower(col(CustomerRow.account_number))
    name = col(CustomerRow.sort_name)
    stmt = select_columns(CustomerRow.id, CustomerRow.name, CustomerRow.account_number)
    if folded:
        stmt = stmt.where(or_(name.contains(folded, autoescape=True), account.contains(folded, autoescape=True))).order_by(
            case(
                (name.startswith(folded, autoescape=True), 0),
                (account.startswith(folded, autoescape=True), 1),
                else_=2,
            )
        )
    stmt = stmt.order_by(name, col(CustomerRow.id)).limit(limit)
    with read_session(engine) as session:
        rows = session.exec(stmt).all()
    return [CustomerHit(customer_id=i, name=n, account_number=a) for i, n, a in rows]
