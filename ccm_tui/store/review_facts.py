"""The facts a service review's agenda is made from, read in one session:
steps and fees since the last review, open orders, hours by month, contacts,
incidents, the last review's open actions, and when each catalogue item was
last discussed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, or_
from sqlmodel import Session, col, select

from ccm_tui.domain.agenda import TREND_MONTHS
from ccm_tui.domain.agenda_facts import CustomerFacts, FeeFact, StepFact
from ccm_tui.domain.hours import HoursUsage, hours_usage, month_start
from ccm_tui.domain.model import (
    Money,
    OrderStatus,
    ReviewKind,
    ServiceKind,
    StepKind,
    StepStatus,
    TaskCategory,
    TimeEntry,
)
from ccm_tui.domain.months import add_months
from ccm_tui.domain.reviews import period_start
from ccm_tui.domain.service_review import (
    FIREWALL_KEY,
    MONITORING_KEY,
    ActionItem,
    ReviewStatus,
)
from ccm_tui.errors import NotFound
from ccm_tui.store.convert import (
    contact_from_row,
    customer_from_row,
    from_cents,
    hours_from_minutes,
    to_utc,
)
from ccm_tui.store.customer_detail import order_lines
from ccm_tui.store.engine import read_session
from ccm_tui.store.incidents import incident_from_row
from ccm_tui.store.reviews import action_from_row, as_date, last_completed
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActionItemRow,
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    AgendaItemRow,
    ContactRow,
    CustomerRow,
    IncidentRow,
    OrderRow,
    ServiceReviewRow,
    SiteRow,
    TimeEntryRow,
)

_HAPPENED = (StepStatus.COMPLETED.value, StepStatus.NOT_READY.value, StepStatus.NO_SHOW.value, StepStatus.CANCELLED.value)
_OPEN = tuple(s.value for s in StepStatus if s.open)
_CLOSED_ORDERS = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)
MAX_STEPS = 200  # per agenda: more is counted in the list's "and N more" only up to here
_COMPLETED = ReviewStatus.COMPLETED.value


def gather_facts(
    engine: Engine,
    customer_id: int,
    kind: ReviewKind,
    review_date: date,
    *,
    now: datetime,
    today: date,
    zone: str,
    warning_ratio: float = 0.8,
    exclude_review_id: int | None = None,
) -> CustomerFacts:
    """Everything the agenda generator needs about one customer, read in one session."""
    local = ZoneInfo(zone)

    def utc_midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), local).astimezone(UTC).replace(tzinfo=None)

    with read_session(engine) as session:
        row = session.get(CustomerRow, customer_id)
        if row is None:
            raise NotFound("customer", customer_id)
        customer = customer_from_row(row)
        last = last_completed(session, customer_id, review_date, exclude_review_id)
        since = period_start(last.held_on if last else None, review_date, kind)
        since_naive = utc_midnight(since)
        as_of = min(review_date, today)
        trend_from = add_months(month_start(as_of), -(TREND_MONTHS - 1))
        contacts = session.exec(select(ContactRow).where(ContactRow.customer_id == customer_id)).all()
        incidents = session.exec(
            select(IncidentRow).where(
                IncidentRow.customer_id == customer_id,
                or_(col(IncidentRow.opened_at) >= utc_midnight(min(trend_from, since)), col(IncidentRow.closed_at).is_(None)),
            )
        ).all()
        open_actions: tuple[ActionItem, ...] = ()
        if last is not None:
            open_actions = tuple(
                action_from_row(a)
                for a in session.exec(
                    select(ActionItemRow)
                    .where(ActionItemRow.review_id == last.id, col(ActionItemRow.done).is_(False))
                    .order_by(col(ActionItemRow.id))
                ).all()
            )
        return CustomerFacts(
            customer=customer,
            as_of=as_of,
            zone=zone,
            since=since,
            last_review=last,
            activations=_steps(session, customer_id, since_naive),
            fees=_fees(session, customer_id, since_naive),
            orders=tuple(line for line in order_lines(session, customer_id, now) if line.order.status not in _CLOSED_ORDERS),
            hours=_hours(session, customer_id, as_of, customer.hours_per_month, warning_ratio),
            contacts=tuple(sorted((contact_from_row(c) for c in contacts), key=lambda c: (c.name.casefold(), c.id))),
            incidents=tuple(incident_from_row(i) for i in incidents),
            open_actions=open_actions,
            last_covered=_last_covered(session, row),
            warning_ratio=warning_ratio,
        )


def _steps(session: Session, customer_id: int, since_naive: datetime) -> tuple[StepFact, ...]:
    """Steps that happened since the last review, and those still on the calendar."""
    step = ActivationStepRow
    rows = session.exec(
        select_columns(
            step.activation_id,
            step.kind,
            step.status,
            step.start_at,
            ActivationRow.service,
            SiteRow.name,
            SiteRow.timezone,
            OrderRow.number,
        )
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .where(step.customer_id == customer_id, col(step.start_at) >= since_naive, col(step.status).in_(_HAPPENED + _OPEN))
        .order_by(col(step.start_at), col(step.id))
        .limit(MAX_STEPS)
    ).all()
    return tuple(
        StepFact(
            activation_id=activation_id,
            kind=StepKind(kind),
            service=ServiceKind(service),
            status=StepStatus(status),
            start=to_utc(start_at),
            site_name=site_name,
            zone=zone,
            order_number=number,
        )
        for activation_id, kind, status, start_at, service, site_name, zone, number in rows
    )


def _fees(session: Session, customer_id: int, since_naive: datetime) -> tuple[FeeFact, ...]:
    change = ActivationChangeRow
    rows = session.exec(
        select_columns(
            change.at,
            change.action,
            change.step_kind,
            change.fee_cents,
            change.fee_currency,
            change.reason,
            SiteRow.name,
            SiteRow.timezone,
        )
        .join(ActivationRow, col(ActivationRow.id) == change.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(ActivationRow.customer_id == customer_id, col(change.fee_cents).is_not(None), col(change.at) >= since_naive)
        .order_by(col(change.at), col(change.id))
    ).all()
    return tuple(
        FeeFact(
            at=to_utc(at),
            action=action,
            step_kind=StepKind(step_kind),
            site_name=site_name,
            zone=zone,
            fee=Money(from_cents(fee_cents), fee_currency or "USD"),
            reason=reason,
        )
        for at, action, step_kind, fee_cents, fee_currency, reason, site_name, zone in rows
    )


def _hours(session: Session, customer_id: int, as_of: date, package: Decimal, warning_ratio: float) -> tuple[HoursUsage, ...]:
    """The month of `as_of` and the three before, most recent first."""
    months = [month_start(as_of)]
    for _ in range(3):
        months.append(add_months(months[-1], -1))
    end = add_months(months[0], 1)
    rows = session.exec(
        select_columns(TimeEntryRow.day, TimeEntryRow.category, func.sum(TimeEntryRow.minutes))
        .where(TimeEntryRow.customer_id == customer_id, col(TimeEntryRow.day) >= months[-1], col(TimeEntryRow.day) < end)
        .group_by(col(TimeEntryRow.day), col(TimeEntryRow.category))
    ).all()
    entries = [
        TimeEntry(id=0, customer_id=customer_id, day=day, hours=hours_from_minutes(int(total)), category=TaskCategory(category))
        for day, category, total in rows
    ]
    return tuple(hours_usage(entries, package, month, warning_ratio) for month in months)


def hours_by_month(engine: Engine, customer_id: int, as_of: date, warning_ratio: float = 0.8) -> tuple[HoursUsage, ...]:
    """The customer's hours in the month of `as_of` and the three before, most recent first."""
    with read_session(engine) as session:
        row = session.get(CustomerRow, customer_id)
        if row is None:
            raise NotFound("customer", customer_id)
        return _hours(session, customer_id, as_of, hours_from_minutes(row.hours_per_month_minutes), warning_ratio)


def _last_covered(session: Session, customer: CustomerRow) -> dict[str, date]:
    """Per catalogue key, the last completed review that discussed it (and the customer's own dates)."""
    rows = session.exec(
        select(AgendaItemRow.key, func.max(ServiceReviewRow.held_on))
        .join(ServiceReviewRow, col(ServiceReviewRow.id) == AgendaItemRow.review_id)
        .where(ServiceReviewRow.customer_id == customer.id, ServiceReviewRow.status == _COMPLETED, AgendaItemRow.key != "")
        .group_by(col(AgendaItemRow.key))
    ).all()
    covered: dict[str, date] = {key: as_date(day) for key, day in rows}
    for key, day in ((FIREWALL_KEY, customer.firewall_reviewed_on), (MONITORING_KEY, customer.monitoring_reviewed_on)):
        if day is not None and (key not in covered or covered[key] < day):
            covered[key] = day
    return covered
