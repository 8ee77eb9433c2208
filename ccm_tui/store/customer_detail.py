"""One customer: the customer itself, and everything its screen shows
(contacts, sites, orders with their billing and CCD flags, activations
coming and past, this month's time), read in one session.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, case, func, or_
from sqlmodel import Session, col, select

from ccm_tui.domain.book import ActivationLine, CustomerDetail, OrderLine
from ccm_tui.domain.ccd import accrued_charges, is_ccd_at_risk, is_past_ccd
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Customer,
    OrderStatus,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.search_text import fold
from ccm_tui.errors import NotFound
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    customer_from_row,
    order_from_row,
    site_from_row,
    step_from_row,
    time_entry_from_row,
    to_utc,
)
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
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

# On the calendar: what a planned completion counts.
_OPEN = tuple(s.value for s in StepStatus if s.open)
# Still to happen: open, or waiting for dates.
_PENDING = (StepStatus.UNSCHEDULED.value, *_OPEN)
_CLOSED_ORDERS = (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value)
DETAIL_ACTIVATIONS = 50  # coming, and again past, shown on a customer's detail


def month_after(month_start: date) -> date:
    """The first day of the month after the one `month_start` falls in."""
    return (month_start.replace(day=1) + timedelta(days=32)).replace(day=1)


def utc_today(now: datetime) -> date:
    # CCDs are judged against the UTC date: one answer for every user of a
    # shared book, whatever their zone (off by a day at most near midnight).
    return now.astimezone(UTC).date()


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
                col(TimeEntryRow.day) < month_after(month_start),
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
    today = utc_today(now)
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
        # start_at is read as Any: the WHERE clause below rules out the column's None
        select_columns(ActivationRow.order_id, step.start_at, SiteRow.timezone)
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
        select_columns(
            col(ActivationRow.id).label("activation_id"),
            func.count(col(step.id)).label("steps"),
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
