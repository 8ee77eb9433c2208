"""Service reviews: the facts an agenda is made from, drafts and their
edits, the "reviews due" list, and completing a review.

Completing is one transaction: the review is stamped completed, the
contacts its agenda listed are marked reviewed on the review date, the
customer's firewall and monitoring review dates move when those items were
discussed, and the last review's open actions not yet on this one are
carried in. A completed review is history: every write here refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, func, or_
from sqlmodel import Session, col, select

from ccm_tui.domain.agenda import TREND_MONTHS
from ccm_tui.domain.agenda_facts import CustomerFacts, FeeFact, ReviewRef, StepFact
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
from ccm_tui.domain.review_inputs import ActionInput, AgendaItemInput
from ccm_tui.domain.reviews import (
    ReviewCadence,
    ReviewDue,
    add_months,
    default_review_kind,
    due_cutoff,
    next_review_due,
    period_start,
)
from ccm_tui.domain.service_review import (
    ATTENDEE_SEPARATOR,
    FIREWALL_KEY,
    MONITORING_KEY,
    ActionItem,
    AgendaItem,
    CompletionPlan,
    NewAgendaItem,
    ReviewHeader,
    ReviewStatus,
    ServiceReview,
    completion_plan,
    split_attendees,
)
from ccm_tui.store.convert import contact_from_row, customer_from_row, from_cents, hours_from_minutes, to_naive_utc, to_utc
from ccm_tui.store.customers import order_lines
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.errors import NotFound, StaleEdit, StoreError
from ccm_tui.store.incidents import incident_from_row
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


class ReviewLocked(StoreError):
    """A completed review is history: it is not edited."""

    def __init__(self, held_on: date) -> None:
        super().__init__(f"the review of {held_on.isoformat()} is completed; past reviews are read-only")


class DuplicateReview(StoreError):
    def __init__(self, kind: str, held_on: date) -> None:
        super().__init__(f"a {kind} review on {held_on.isoformat()} already exists for this customer; open it instead")


# -- rows to domain -----------------------------------------------------------------


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def _item_from_row(row: AgendaItemRow) -> AgendaItem:
    assert row.id is not None
    return AgendaItem(
        id=row.id,
        review_id=row.review_id,
        position=row.position,
        section=row.section,
        text=row.text,
        details=tuple(line for line in row.details.splitlines() if line.strip()),
        minutes=row.minutes,
        key=row.key,
        contact_ids=_ids(row.contact_ids),
    )


def _action_from_row(row: ActionItemRow) -> ActionItem:
    assert row.id is not None
    return ActionItem(
        id=row.id,
        review_id=row.review_id,
        text=row.text,
        owner=row.owner,
        due=row.due,
        done=row.done,
        done_on=row.done_on,
        carried_from_id=row.carried_from_id,
    )


def _header_from_row(row: ServiceReviewRow) -> ReviewHeader:
    assert row.id is not None
    return ReviewHeader(
        id=row.id,
        customer_id=row.customer_id,
        kind=ReviewKind(row.kind),
        held_on=row.held_on,
        status=ReviewStatus(row.status),
        completed_at=to_utc(row.completed_at),
    )


# -- facts for an agenda --------------------------------------------------------------


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
        last = _last_completed(session, customer_id, review_date, exclude_review_id)
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
                _action_from_row(a)
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


def _last_completed(session: Session, customer_id: int, on_or_before: date, exclude: int | None) -> ReviewRef | None:
    stmt = select(ServiceReviewRow).where(
        ServiceReviewRow.customer_id == customer_id,
        ServiceReviewRow.status == _COMPLETED,
        col(ServiceReviewRow.held_on) <= on_or_before,
    )
    if exclude is not None:
        stmt = stmt.where(ServiceReviewRow.id != exclude)
    row = session.exec(stmt.order_by(col(ServiceReviewRow.held_on).desc(), col(ServiceReviewRow.id).desc()).limit(1)).first()
    return None if row is None or row.id is None else ReviewRef(row.id, ReviewKind(row.kind), row.held_on)


def _steps(session: Session, customer_id: int, since_naive: datetime) -> tuple[StepFact, ...]:
    """Steps that happened since the last review, and those still on the calendar."""
    step = ActivationStepRow
    rows = session.exec(
        select(step.activation_id, step.kind, step.status, step.start_at, ActivationRow.service, SiteRow.name, SiteRow.timezone, OrderRow.number)
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
        select(change.at, change.action, change.step_kind, change.fee_cents, change.fee_currency, change.reason, SiteRow.name, SiteRow.timezone)
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
        select(TimeEntryRow.day, TimeEntryRow.category, func.sum(TimeEntryRow.minutes))
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
    covered: dict[str, date] = {key: _as_date(day) for key, day in rows if day is not None}
    for key, day in ((FIREWALL_KEY, customer.firewall_reviewed_on), (MONITORING_KEY, customer.monitoring_reviewed_on)):
        if day is not None and (key not in covered or covered[key] < day):
            covered[key] = day
    return covered


def _as_date(value: date | str) -> date:
    # an aggregate over a date column comes back as text from some drivers
    return value if isinstance(value, date) else date.fromisoformat(value)


# -- reading reviews -----------------------------------------------------------------


def get_review(engine: Engine, review_id: int) -> ServiceReview:
    with read_session(engine) as session:
        return _review(session, review_id)


def _review(session: Session, review_id: int) -> ServiceReview:
    row = session.get(ServiceReviewRow, review_id)
    if row is None or row.id is None:
        raise NotFound("service review", review_id)
    customer = session.get(CustomerRow, row.customer_id)
    assert customer is not None
    items = session.exec(
        select(AgendaItemRow).where(AgendaItemRow.review_id == review_id).order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))
    ).all()
    actions = session.exec(
        select(ActionItemRow).where(ActionItemRow.review_id == review_id).order_by(col(ActionItemRow.id))
    ).all()
    return ServiceReview(
        id=row.id,
        customer_id=row.customer_id,
        customer_name=customer.name,
        account_number=customer.account_number,
        kind=ReviewKind(row.kind),
        held_on=row.held_on,
        status=ReviewStatus(row.status),
        attendees=split_attendees(row.attendees),
        items=tuple(_item_from_row(i) for i in items),
        actions=tuple(_action_from_row(a) for a in actions),
        version=row.version,
        completed_at=to_utc(row.completed_at),
    )


def reviews_for(engine: Engine, customer_id: int) -> list[ReviewHeader]:
    """A customer's reviews, newest first."""
    with read_session(engine) as session:
        rows = session.exec(
            select(ServiceReviewRow)
            .where(ServiceReviewRow.customer_id == customer_id)
            .order_by(col(ServiceReviewRow.held_on).desc(), col(ServiceReviewRow.id).desc())
        ).all()
        return [_header_from_row(r) for r in rows]


def find_review(engine: Engine, customer_id: int, held_on: date, kind: ReviewKind | None = None) -> ReviewHeader | None:
    """The customer's review on `held_on` (of `kind`, if given); a draft before a completed one."""
    stmt = select(ServiceReviewRow).where(ServiceReviewRow.customer_id == customer_id, ServiceReviewRow.held_on == held_on)
    if kind is not None:
        stmt = stmt.where(ServiceReviewRow.kind == kind.value)
    with read_session(engine) as session:
        rows = session.exec(stmt.order_by(col(ServiceReviewRow.id).desc())).all()
    rows = sorted(rows, key=lambda r: r.status == _COMPLETED)
    return _header_from_row(rows[0]) if rows else None


def latest_draft(engine: Engine, customer_id: int) -> ReviewHeader | None:
    with read_session(engine) as session:
        row = session.exec(
            select(ServiceReviewRow)
            .where(ServiceReviewRow.customer_id == customer_id, ServiceReviewRow.status == ReviewStatus.DRAFT.value)
            .order_by(col(ServiceReviewRow.held_on).desc(), col(ServiceReviewRow.id).desc())
            .limit(1)
        ).first()
        return None if row is None else _header_from_row(row)


def suggested_kind(engine: Engine, customer_id: int, review_date: date) -> tuple[ReviewKind, ReviewCadence]:
    """The review type a customer's cadence calls for on `review_date`, and the cadence."""
    with read_session(engine) as session:
        row = session.get(CustomerRow, customer_id)
        if row is None:
            raise NotFound("customer", customer_id)
        cadence = ReviewCadence(row.review_cadence)
        last_quarterly = _last_quarterly(session, [customer_id], review_date).get(customer_id)
    return default_review_kind(cadence, last_quarterly, review_date), cadence


def _last_quarterly(session: Session, ids: Sequence[int], on_or_before: date) -> dict[int, date]:
    """The last completed quarterly or executive review per customer."""
    rows = session.exec(
        select(ServiceReviewRow.customer_id, func.max(ServiceReviewRow.held_on))
        .where(
            col(ServiceReviewRow.customer_id).in_(ids),
            ServiceReviewRow.status == _COMPLETED,
            col(ServiceReviewRow.kind).in_((ReviewKind.QUARTERLY.value, ReviewKind.EXECUTIVE.value)),
            col(ServiceReviewRow.held_on) <= on_or_before,
        )
        .group_by(col(ServiceReviewRow.customer_id))
    ).all()
    return {customer_id: _as_date(day) for customer_id, day in rows if day is not None}


# -- the "reviews due" list ----------------------------------------------------------


def reviews_due(engine: Engine, today: date, horizon_days: int, limit: int = 200) -> tuple[list[ReviewDue], int]:
    """Customers whose next review is due by `today + horizon_days`, soonest due first; and how many in all.

    Per cadence, one range of ix_customer_review_due (cadence, last review)
    gives the customers due, in due order; the two lists are merged.
    """
    by = today + timedelta(days=horizon_days)
    review = ServiceReviewRow
    last_on = col(CustomerRow.last_review_on)
    found: list[ReviewDue] = []
    total = 0
    with read_session(engine) as session:
        for cadence in ReviewCadence:
            where = and_(CustomerRow.review_cadence == cadence.value, or_(last_on.is_(None), last_on <= due_cutoff(cadence, by)))
            total += session.exec(select(func.count()).select_from(CustomerRow).where(where)).one()
            rows = session.exec(
                select(CustomerRow.id, CustomerRow.name, CustomerRow.account_number, CustomerRow.ccm, last_on)
                .where(where)
                .order_by(last_on.asc().nulls_first(), col(CustomerRow.id))
                .limit(limit)
            ).all()
            for customer_id, name, account, ccm, held in rows:
                found.append(
                    ReviewDue(
                        customer_id=customer_id,
                        name=name,
                        account_number=account,
                        ccm=ccm,
                        cadence=cadence,
                        last_held=held,
                        last_kind=None,
                        due=next_review_due(held, cadence, today),
                        kind=ReviewKind.MONTHLY,
                    )
                )
        found.sort(key=lambda r: (r.due, r.name.casefold(), r.customer_id))
        found = found[:limit]
        ids = [r.customer_id for r in found]
        quarterly = _last_quarterly(session, ids, today)
        drafts = {
            customer_id: draft_id
            for customer_id, draft_id in session.exec(
                select(review.customer_id, func.max(review.id))
                .where(col(review.customer_id).in_(ids), review.status == ReviewStatus.DRAFT.value)
                .group_by(col(review.customer_id))
            ).all()
        }
        kinds = {
            (customer_id, _as_date(held)): kind
            for customer_id, held, kind in session.exec(
                select(review.customer_id, review.held_on, review.kind).where(
                    col(review.customer_id).in_(ids), review.status == _COMPLETED
                )
            ).all()
        }
    out = [
        replace(
            r,
            last_kind=ReviewKind(kinds[(r.customer_id, r.last_held)]) if r.last_held else None,
            kind=default_review_kind(r.cadence, quarterly.get(r.customer_id), max(r.due, today)),
            draft_id=drafts.get(r.customer_id),
        )
        for r in found
    ]
    return out, total


def set_cadence(engine: Engine, customer_id: int, cadence: ReviewCadence) -> None:
    with write_session(engine) as session:
        row = session.get(CustomerRow, customer_id, with_for_update=True)
        if row is None:
            raise NotFound("customer", customer_id)
        row.review_cadence = cadence.value
        session.add(row)


# -- drafts ----------------------------------------------------------------------------


def create_review(
    engine: Engine,
    customer_id: int,
    kind: ReviewKind,
    held_on: date,
    items: Sequence[NewAgendaItem],
    attendees: Sequence[str] = (),
) -> ServiceReview:
    """A new draft with its agenda, and the last review's open actions carried onto it."""
    with write_session(engine) as session:
        if session.get(CustomerRow, customer_id) is None:
            raise NotFound("customer", customer_id)
        clash = session.exec(
            select(ServiceReviewRow.id).where(
                ServiceReviewRow.customer_id == customer_id,
                ServiceReviewRow.kind == kind.value,
                ServiceReviewRow.held_on == held_on,
            )
        ).first()
        if clash is not None:
            raise DuplicateReview(kind.value, held_on)
        row = ServiceReviewRow(
            customer_id=customer_id,
            kind=kind.value,
            held_on=held_on,
            status=ReviewStatus.DRAFT.value,
            attendees=ATTENDEE_SEPARATOR.join(attendees),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        for position, item in enumerate(items, start=1):
            session.add(
                AgendaItemRow(
                    review_id=row.id,
                    position=position,
                    section=item.section,
                    text=item.text,
                    details="\n".join(item.details),
                    key=item.key,
                    contact_ids=",".join(str(i) for i in item.contact_ids),
                )
            )
        _carry_in(session, row)
        session.flush()
        return _review(session, row.id)


def _carry_in(session: Session, row: ServiceReviewRow) -> int:
    """Copy the last completed review's open actions not yet on `row`; how many were added."""
    last = _last_completed(session, row.customer_id, row.held_on, row.id)
    if last is None:
        return 0
    already = set(
        session.exec(
            select(ActionItemRow.carried_from_id).where(
                ActionItemRow.review_id == row.id, col(ActionItemRow.carried_from_id).is_not(None)
            )
        ).all()
    )
    added = 0
    for action in session.exec(
        select(ActionItemRow)
        .where(ActionItemRow.review_id == last.id, col(ActionItemRow.done).is_(False))
        .order_by(col(ActionItemRow.id))
    ).all():
        if action.id in already:
            continue
        session.add(
            ActionItemRow(review_id=row.id, text=action.text, owner=action.owner, due=action.due, carried_from_id=action.id)
        )
        added += 1
    return added


def _draft(session: Session, review_id: int) -> ServiceReviewRow:
    """The review, locked for this write, if it is still a draft; its version moves on."""
    row = session.get(ServiceReviewRow, review_id, with_for_update=True)
    if row is None:
        raise NotFound("service review", review_id)
    if row.status == _COMPLETED:
        raise ReviewLocked(row.held_on)
    row.version += 1
    session.add(row)
    return row


def _ordered_items(session: Session, review_id: int) -> list[AgendaItemRow]:
    return list(
        session.exec(
            select(AgendaItemRow).where(AgendaItemRow.review_id == review_id).order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))
        ).all()
    )


def _renumber(session: Session, items: list[AgendaItemRow]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            session.add(item)


def _place_in_section(items: list[AgendaItemRow], item: AgendaItemRow) -> list[AgendaItemRow]:
    """`items` with `item` last in its section (a new section goes at the end)."""
    others = [i for i in items if i is not item]
    last_of_section = max((n for n, i in enumerate(others) if i.section == item.section), default=len(others) - 1)
    return [*others[: last_of_section + 1], item, *others[last_of_section + 1 :]]


def _item(session: Session, item_id: int) -> AgendaItemRow:
    item = session.get(AgendaItemRow, item_id, with_for_update=True)
    if item is None:
        raise NotFound("agenda item", item_id)
    _draft(session, item.review_id)
    return item


def add_item(engine: Engine, review_id: int, data: AgendaItemInput) -> AgendaItem:
    """A CCM's own item, last in its section."""
    with write_session(engine) as session:
        _draft(session, review_id)
        row = AgendaItemRow(review_id=review_id, section=data.section, text=data.text, details="\n".join(data.details))
        session.add(row)
        _renumber(session, _place_in_section(_ordered_items(session, review_id), row))
        session.flush()
        return _item_from_row(row)


def update_item(engine: Engine, item_id: int, data: AgendaItemInput) -> AgendaItem:
    """Reword an item; a new section moves it to the end of that section."""
    with write_session(engine) as session:
        row = _item(session, item_id)
        moved = row.section != data.section
        row.section, row.text, row.details = data.section, data.text, "\n".join(data.details)
        session.add(row)
        if moved:
            _renumber(session, _place_in_section(_ordered_items(session, row.review_id), row))
        session.flush()
        return _item_from_row(row)


def remove_item(engine: Engine, item_id: int) -> None:
    with write_session(engine) as session:
        row = _item(session, item_id)
        review_id = row.review_id
        session.delete(row)
        session.flush()
        _renumber(session, _ordered_items(session, review_id))


def move_item(engine: Engine, item_id: int, step: int) -> bool:
    """Swap the item with its neighbour in the same section (-1 up, +1 down); False at the section's edge."""
    with write_session(engine) as session:
        row = _item(session, item_id)
        items = _ordered_items(session, row.review_id)
        index = next(n for n, i in enumerate(items) if i.id == row.id)
        other = index + step
        if not 0 <= other < len(items) or items[other].section != row.section:
            return False
        items[index], items[other] = items[other], items[index]
        _renumber(session, items)
        return True


def set_minutes(engine: Engine, item_id: int, minutes: str) -> AgendaItem:
    with write_session(engine) as session:
        row = _item(session, item_id)
        row.minutes = minutes
        session.add(row)
        session.flush()
        return _item_from_row(row)


def set_attendees(engine: Engine, review_id: int, attendees: Sequence[str]) -> None:
    with write_session(engine) as session:
        row = _draft(session, review_id)
        row.attendees = ATTENDEE_SEPARATOR.join(attendees)


def add_action(engine: Engine, review_id: int, data: ActionInput) -> ActionItem:
    with write_session(engine) as session:
        _draft(session, review_id)
        row = ActionItemRow(review_id=review_id, text=data.text, owner=data.owner, due=data.due)
        session.add(row)
        session.flush()
        return _action_from_row(row)


def _action(session: Session, action_id: int) -> ActionItemRow:
    row = session.get(ActionItemRow, action_id, with_for_update=True)
    if row is None:
        raise NotFound("action item", action_id)
    _draft(session, row.review_id)
    return row


def update_action(engine: Engine, action_id: int, data: ActionInput) -> ActionItem:
    with write_session(engine) as session:
        row = _action(session, action_id)
        row.text, row.owner, row.due = data.text, data.owner, data.due
        session.add(row)
        session.flush()
        return _action_from_row(row)


def set_action_done(engine: Engine, action_id: int, done: bool, day: date) -> ActionItem:
    with write_session(engine) as session:
        row = _action(session, action_id)
        row.done = done
        row.done_on = day if done else None
        session.add(row)
        session.flush()
        return _action_from_row(row)


def remove_action(engine: Engine, action_id: int) -> None:
    """Remove an action added on this draft; one carried from a past review is marked done instead."""
    with write_session(engine) as session:
        row = _action(session, action_id)
        if row.carried_from_id is not None:
            raise StoreError("this action was carried from an earlier review; mark it done (space) rather than remove it")
        session.delete(row)


# -- completing ---------------------------------------------------------------------


def completion_preview(engine: Engine, review_id: int) -> CompletionPlan:
    """What `complete_review` would record, for the CCM to confirm."""
    with read_session(engine) as session:
        review = _review(session, review_id)
        return _plan(session, review)


def _plan(session: Session, review: ServiceReview) -> CompletionPlan:
    listed = {cid for item in review.items for cid in item.contact_ids}
    names = {
        contact_id: name
        for contact_id, name in session.exec(
            select(ContactRow.id, ContactRow.name).where(
                col(ContactRow.id).in_(listed), ContactRow.customer_id == review.customer_id
            )
        ).all()
    }
    last = _last_completed(session, review.customer_id, review.held_on, review.id)
    last_open: tuple[ActionItem, ...] = ()
    if last is not None:
        last_open = tuple(
            _action_from_row(a)
            for a in session.exec(
                select(ActionItemRow).where(ActionItemRow.review_id == last.id, col(ActionItemRow.done).is_(False))
            ).all()
        )
    return completion_plan(review, names, last_open)


def complete_review(engine: Engine, review_id: int, expected_version: int, now: datetime, today: date) -> ServiceReview:
    """Store the review as held, in one transaction (see the module's docstring)."""
    with write_session(engine) as session:
        row = session.get(ServiceReviewRow, review_id, with_for_update=True)
        if row is None or row.id is None:
            raise NotFound("service review", review_id)
        if row.status == _COMPLETED:
            raise ReviewLocked(row.held_on)
        if row.version != expected_version:
            raise StaleEdit("service review", review_id)
        if row.held_on > today:
            raise StoreError(f"the review is dated {row.held_on.isoformat()}, after today; it can be completed once held")
        review = _review(session, review_id)
        held_on = row.held_on
        listed = {cid for item in review.items for cid in item.contact_ids}
        for contact in session.exec(
            select(ContactRow).where(col(ContactRow.id).in_(listed), ContactRow.customer_id == row.customer_id)
        ).all():
            if contact.last_reviewed is None or contact.last_reviewed < held_on:
                contact.last_reviewed = held_on
                contact.version += 1  # an edit form opened before this must not undo it
                session.add(contact)
        keys = {item.key for item in review.items}
        customer = session.get(CustomerRow, row.customer_id, with_for_update=True)
        assert customer is not None
        if FIREWALL_KEY in keys and (customer.firewall_reviewed_on is None or customer.firewall_reviewed_on < held_on):
            customer.firewall_reviewed_on = held_on
        if MONITORING_KEY in keys and (customer.monitoring_reviewed_on is None or customer.monitoring_reviewed_on < held_on):
            customer.monitoring_reviewed_on = held_on
        if customer.last_review_on is None or customer.last_review_on < held_on:
            customer.last_review_on = held_on
        session.add(customer)
        _carry_in(session, row)
        row.status = _COMPLETED
        row.completed_at = to_naive_utc(now)
        row.version += 1
        session.add(row)
        session.flush()
        return _review(session, review_id)
