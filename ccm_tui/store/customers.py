"""The customer book: one page of it, one customer's detail, and edits.

Every query filters, sorts and pages in SQL. The per-row extras of a page
(next event, hours this month, past CCD, not-ready risk) are read for the
page's customers only, never for the whole book. Sorting by next activation
or hours joins in a grouped subquery (restricted to the filter's matches),
except for the first pages of "soonest next activation", which walk the
start index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import CTE, Engine, Select, and_, case, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ccm_tui.domain.book import (
    ActivationLine,
    BookPage,
    BookQuery,
    BookRow,
    BookSort,
    CustomerDetail,
    CustomerHit,
    NextEvent,
    OrderLine,
)
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar, is_late_change
from ccm_tui.domain.ccd import accrued_charges, is_ccd_at_risk, is_past_ccd
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Customer,
    OrderStatus,
    Region,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.validation import CustomerInput, InvalidInput
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    customer_from_row,
    hours_from_minutes,
    minutes,
    order_from_row,
    site_from_row,
    step_from_row,
    time_entry_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.checklists import customers_at_risk
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.domain.search_text import customer_search_text, fold, query_text
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
    TimeEntryRow,
)

# On the calendar: what the book's "next event" and a planned completion count.
_OPEN = tuple(s.value for s in StepStatus if s.open)
# Still to happen: open, or waiting for dates.
_PENDING = (StepStatus.UNSCHEDULED.value, *_OPEN)
_CLOSED_ORDERS = (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value)
DETAIL_ACTIVATIONS = 50  # coming, and again past, shown on a customer's detail
# The "next activation" walk (see _walk_upcoming): with fewer matches than
# this the grouped query is cheap anyway; a window beyond WALK_MAX_STEPS
# steps costs more than grouping.
WALK_MIN_MATCHES = 2000
WALK_FIRST_STEPS = 400
WALK_MAX_STEPS = 16000


def _month_after(month_start: date) -> date:
    """The first day of the month after the one `month_start` falls in."""
    return (month_start.replace(day=1) + timedelta(days=32)).replace(day=1)


def _utc_today(now: datetime) -> date:
    # CCDs are judged against the UTC date: one answer for every user of a
    # shared book, whatever their zone (off by a day at most near midnight).
    return now.astimezone(UTC).date()


# -- the book --------------------------------------------------------------


def _text_match(text: str) -> ColumnElement[bool] | None:
    """The `/` filter on the customer row; None when `text` is blank."""
    folded = query_text(text)
    if not folded:
        return None
    # autoescape: a typed % or _ is matched literally
    return col(CustomerRow.search_text).contains(folded, autoescape=True)


def book_page(
    engine: Engine,
    query: BookQuery,
    now: datetime,
    month_start: date,
    business_hours: BusinessHours,
) -> BookPage:
    """One page of the book, filtered by `/` text and sorted; with its total.

    `past_ccd` compares CCDs with the UTC date of `now`.
    """
    now_naive = to_naive_utc(now)
    month_end = _month_after(month_start)
    matched = _text_match(query.text)
    # one CTE: a query that filters twice (page and aggregate) scans once
    matching = None if matched is None else select(col(CustomerRow.id).label("id")).where(matched).cte("matching")
    count = select(func.count()).select_from(CustomerRow)
    if matched is not None:
        count = count.where(matched)

    with read_session(engine) as session:
        total = session.exec(count).one()
        ids = _page_ids(session, query, matching, total, now_naive, month_start, month_end)
        if not ids:
            return BookPage(rows=(), total=total, offset=query.offset)
        found = {
            r[0]: r
            for r in session.exec(
                select(
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

    today = _utc_today(now)
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
    return BookPage(rows=tuple(rows), total=total, offset=query.offset)


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
) -> Select[tuple[int]]:
    """The general page query: every sort, either direction, tie-broken on id."""
    cid = col(CustomerRow.id)

    def direction(expr):  # type: ignore[no-untyped-def]
        return expr.desc() if query.descending else expr.asc()

    stmt = select(cid)
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
            upcoming = select(
                col(step.customer_id).label("customer_id"), func.min(step.start_at).label("next_start")
            ).where(col(step.start_at) >= now_naive, col(step.status).in_(_OPEN))
            if matching is not None:
                upcoming = upcoming.where(col(step.customer_id).in_(select(matching.c.id)))
            grouped = upcoming.group_by(col(step.customer_id)).subquery()
            stmt = stmt.outerjoin(grouped, grouped.c.customer_id == cid)
            # customers with nothing coming go last in either direction
            keys = [direction(grouped.c.next_start).nulls_last()]
        case BookSort.HOURS:
            entry = TimeEntryRow
            logged = select(
                col(entry.customer_id).label("customer_id"), func.sum(entry.minutes).label("minutes")
            ).where(col(entry.day) >= month_start, col(entry.day) < month_end)
            if matching is not None:
                logged = logged.where(col(entry.customer_id).in_(select(matching.c.id)))
            grouped = logged.group_by(col(entry.customer_id)).subquery()
            stmt = stmt.outerjoin(grouped, grouped.c.customer_id == cid)
            keys = [direction(func.coalesce(grouped.c.minutes, 0))]
    return stmt.order_by(*keys, direction(cid)).offset(query.offset).limit(query.limit)


def _walk_upcoming(
    session: Session, matching: CTE | None, now_naive: datetime, need: int
) -> list[int] | None:
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
            select(step.customer_id, step.start_at)
            .where(col(step.start_at) >= now_naive, col(step.status).in_(_OPEN))
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
        select(
            col(step.customer_id).label("customer_id"),
            col(step.activation_id).label("activation_id"),
            col(step.kind).label("kind"),
            col(step.start_at).label("start_at"),
            col(step.status).label("status"),
            col(SiteRow.name).label("site_name"),
            col(SiteRow.timezone).label("zone"),
            col(SiteRow.country).label("country"),
            col(SiteRow.subdivision).label("subdivision"),
            func.row_number()
            .over(partition_by=step.customer_id, order_by=(col(step.start_at), col(step.id)))
            .label("rank"),
        )
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(col(step.customer_id).in_(ids), col(step.start_at) >= now_naive, col(step.status).in_(_OPEN))
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
    stmt = select(OrderRow.customer_id, OrderRow.ccd, OrderRow.completed_on).where(
        col(OrderRow.customer_id).in_(ids), col(OrderRow.status).not_in(_CLOSED_ORDERS)
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
    stmt = select(CustomerRow.id, CustomerRow.name, CustomerRow.account_number)
    if folded:
        stmt = stmt.where(
            or_(name.contains(folded, autoescape=True), account.contains(folded, autoescape=True))
        ).order_by(
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


# -- one customer ----------------------------------------------------------


def get_customer(engine: Engine, customer_id: int) -> Customer:
    with read_session(engine) as session:
        row = session.get(CustomerRow, customer_id)
        if row is None:
            raise NotFound("customer", customer_id)
        return customer_from_row(row)


def customer_detail(engine: Engine, customer_id: int, now: datetime, month_start: date) -> CustomerDetail:
    """Everything the customer screen shows, read in one session."""
    with read_session(engine) as session:
        row = session.get(CustomerRow, customer_id)
        if row is None:
            raise NotFound("customer", customer_id)
        contacts = session.exec(select(ContactRow).where(ContactRow.customer_id == customer_id)).all()
        sites = session.exec(select(SiteRow).where(SiteRow.customer_id == customer_id)).all()
        orders = order_lines(session, customer_id, now)
        activations = _activation_lines(session, customer_id)
        entries = session.exec(
            select(TimeEntryRow)
            .where(
                TimeEntryRow.customer_id == customer_id,
                col(TimeEntryRow.day) >= month_start,
                col(TimeEntryRow.day) < _month_after(month_start),
            )
            .order_by(col(TimeEntryRow.day).desc(), col(TimeEntryRow.id).desc())
        ).all()
        return CustomerDetail(
            customer=customer_from_row(row),
            contacts=tuple(sorted((contact_from_row(c) for c in contacts), key=lambda c: (fold(c.name), c.id))),
            sites=tuple(sorted((site_from_row(s) for s in sites), key=lambda s: (fold(s.name), s.id))),
            orders=orders,
            activations=activations,
            time_entries=tuple(time_entry_from_row(e) for e in entries),
        )


def order_lines(session: Session, customer_id: int, now: datetime) -> tuple[OrderLine, ...]:
    """A customer's orders, open first, then by CCD; with accrued billing and CCD flags (detail and agenda)."""
    today = _utc_today(now)
    rows = session.exec(
        select(OrderRow)
        .where(OrderRow.customer_id == customer_id)
        .order_by(
            case((col(OrderRow.status).in_(_CLOSED_ORDERS), 1), else_=0),
            col(OrderRow.ccd),
            col(OrderRow.number),
        )
    ).all()
    if not rows:
        return ()
    order_ids = [r.id for r in rows]
    services: dict[int, list[str]] = defaultdict(list)
    for order_id, kind in session.exec(
        select(OrderServiceRow.order_id, OrderServiceRow.kind)
        .where(col(OrderServiceRow.order_id).in_(order_ids))
        .order_by(col(OrderServiceRow.id))
    ).all():
        services[order_id].append(kind)
    # Planned completion: the latest open activation event, as a date at its site.
    planned: dict[int, date] = {}
    step = ActivationStepRow
    for order_id, start_at, zone in session.exec(
        select(ActivationRow.order_id, step.start_at, SiteRow.timezone)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(
            step.customer_id == customer_id,
            step.kind == StepKind.ACTIVATION.value,
            col(step.status).in_(_OPEN),
            col(step.start_at).is_not(None),
        )
    ).all():
        local_day = to_utc(start_at).astimezone(ZoneInfo(zone)).date()
        planned[order_id] = max(planned.get(order_id, local_day), local_day)

    lines = []
    for row in rows:
        order = order_from_row(row, services.get(row.id or 0, ()))
        if order.status is OrderStatus.CANCELLED:
            # a cancelled order bills nothing and is at no risk
            lines.append(OrderLine(order=order, accrued=Decimal("0.00"), past_ccd=False, at_risk=False))
            continue
        lines.append(
            OrderLine(
                order=order,
                accrued=accrued_charges(order.mrc, order.ccd, order.completed_on, today),
                past_ccd=is_past_ccd(order.ccd, order.completed_on, today),
                at_risk=is_ccd_at_risk(order.ccd, order.completed_on, planned.get(order.id), today),
            )
        )
    return tuple(lines)


def _activation_lines(session: Session, customer_id: int) -> tuple[ActivationLine, ...]:
    """Coming activations (a step still pending) by soonest start, then past ones, latest first.

    "Coming" goes by status, not the clock: a step still open after its
    window has passed waits for its outcome, so it leads the list.
    """
    step = ActivationStepRow
    pending = col(step.status).in_(_PENDING)
    summary = (
        select(
            col(ActivationRow.id).label("activation_id"),
            func.count(step.id).label("steps"),
            func.sum(case((pending, 1), else_=0)).label("pending"),
            func.min(case((pending, step.start_at))).label("next_start"),
            func.max(step.start_at).label("last_start"),
        )
        .select_from(ActivationRow)
        .outerjoin(step, col(step.activation_id) == ActivationRow.id)
        .where(ActivationRow.customer_id == customer_id)
        .group_by(col(ActivationRow.id))
        .subquery()
    )
    coming = session.exec(
        select(summary.c.activation_id)
        .where(or_(summary.c.pending > 0, summary.c.steps == 0))
        .order_by(summary.c.next_start.asc().nulls_last(), summary.c.activation_id)
        .limit(DETAIL_ACTIVATIONS)
    ).all()
    past = session.exec(
        select(summary.c.activation_id)
        .where(and_(summary.c.pending == 0, summary.c.steps > 0))
        .order_by(summary.c.last_start.desc().nulls_last(), summary.c.activation_id.desc())
        .limit(DETAIL_ACTIVATIONS)
    ).all()
    ids = [*coming, *past]
    if not ids:
        return ()
    steps: dict[int, list[ActivationStep]] = defaultdict(list)
    for step_row in session.exec(select(step).where(col(step.activation_id).in_(ids))).all():
        steps[step_row.activation_id].append(step_from_row(step_row))
    found: dict[int, ActivationLine] = {}
    for activation_row, site_row, number in session.exec(
        select(ActivationRow, SiteRow, OrderRow.number)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .where(col(ActivationRow.id).in_(ids))
    ).all():
        activation: Activation = activation_from_row(activation_row, steps.get(activation_row.id or 0, ()))
        found[activation.id] = ActivationLine(activation=activation, site=site_from_row(site_row), order_number=number)
    return tuple(found[i] for i in ids if i in found)


# -- edits -----------------------------------------------------------------


def refresh_search_text(session: Session, customer_id: int) -> None:
    """Rebuild the customer's `/` text and sort name from its rows, in the caller's transaction."""
    customer = session.get(CustomerRow, customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    names = session.exec(
        select(ContactRow.name).where(ContactRow.customer_id == customer_id).order_by(col(ContactRow.id))
    ).all()
    cities = session.exec(
        select(SiteRow.city).where(SiteRow.customer_id == customer_id).order_by(col(SiteRow.id))
    ).all()
    unique_cities = list(dict.fromkeys(fold(c) for c in cities if c.strip()))
    customer.sort_name = fold(customer.name)
    customer.search_text = customer_search_text(customer.name, customer.account_number, names, unique_cities)
    session.add(customer)


def _account_holder(session: Session, account_number: str, other_than: int | None) -> tuple[str, str] | None:
    """(number, name) of a customer already holding `account_number`, in any case.

    NA-1 and na-1 are one account to a CCM, though the column's unique
    constraint only sees exact duplicates.
    """
    stmt = select(CustomerRow.account_number, CustomerRow.name).where(
        func.lower(col(CustomerRow.account_number)) == account_number.lower()
    )
    if other_than is not None:
        stmt = stmt.where(CustomerRow.id != other_than)
    found = session.exec(stmt).first()
    return None if found is None else (found[0], found[1])


def _refuse_taken_account(session: Session, account_number: str, other_than: int | None) -> None:
    holder = _account_holder(session, account_number, other_than)
    if holder is not None:
        number, name = holder
        raise InvalidInput({"account_number": f"account number {number} is already used by {name}"})


def _explain_integrity_error(engine: Engine, account_number: str, other_than: int | None) -> None:
    """After an IntegrityError (a writer took the number between check and insert): say so."""
    with read_session(engine) as session:
        _refuse_taken_account(session, account_number, other_than)


def add_customer(engine: Engine, data: CustomerInput, now: datetime) -> Customer:
    stamp = to_naive_utc(now)
    try:
        with write_session(engine) as session:
            _refuse_taken_account(session, data.account_number, None)
            row = CustomerRow(
                account_number=data.account_number,
                name=data.name,
                sort_name=fold(data.name),
                region=data.region.value,
                ccm=data.ccm,
                hours_per_month_minutes=minutes(data.hours_per_month),
                notes=data.notes,
                search_text=customer_search_text(data.name, data.account_number, (), ()),
                created_at=stamp,
                updated_at=stamp,
            )
            session.add(row)
            session.flush()
            customer = customer_from_row(row)
    except IntegrityError:
        _explain_integrity_error(engine, data.account_number, None)
        raise
    return customer


def update_customer(
    engine: Engine, customer_id: int, expected_version: int, data: CustomerInput, now: datetime
) -> Customer:
    """Save an edit made on version `expected_version`; StaleEdit if it moved on."""
    try:
        with write_session(engine) as session:
            row = session.get(CustomerRow, customer_id, with_for_update=True)
            if row is None:
                raise NotFound("customer", customer_id)
            if row.version != expected_version:
                raise StaleEdit("customer", customer_id)
            _refuse_taken_account(session, data.account_number, customer_id)
            renamed = (row.name, row.account_number) != (data.name, data.account_number)
            row.name = data.name
            row.account_number = data.account_number
            row.region = data.region.value
            row.ccm = data.ccm
            row.hours_per_month_minutes = minutes(data.hours_per_month)
            row.notes = data.notes
            row.version += 1
            row.updated_at = to_naive_utc(now)
            session.add(row)
            if renamed:
                refresh_search_text(session, customer_id)
            session.flush()
            customer = customer_from_row(row)
    except IntegrityError:
        _explain_integrity_error(engine, data.account_number, customer_id)
        raise
    return customer
