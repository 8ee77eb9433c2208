"""Service reviews read back: rows to domain objects, one review with its
agenda and actions, a customer's reviews, and the last completed one.

Drafts and their edits are in `review_drafts` and `review_actions`,
completing in `review_completion`, the facts an agenda is made from in
`review_facts`, and cadence and the "reviews due" list in `review_cadence`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.agenda_facts import ReviewRef
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.service_review import (
    ActionItem,
    AgendaItem,
    ReviewHeader,
    ReviewStatus,
    ServiceReview,
    split_attendees,
)
from ccm_tui.errors import NotFound
from ccm_tui.store.convert import to_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import (
    ActionItemRow,
    AgendaItemRow,
    CustomerRow,
    ServiceReviewRow,
)

_COMPLETED = ReviewStatus.COMPLETED.value


# -- rows to domain -----------------------------------------------------------------


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def item_from_row(row: AgendaItemRow) -> AgendaItem:
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


def action_from_row(row: ActionItemRow) -> ActionItem:
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


# -- reading reviews -----------------------------------------------------------------


def get_review(engine: Engine, review_id: int) -> ServiceReview:
    with read_session(engine) as session:
        return review_in(session, review_id)


def review_in(session: Session, review_id: int) -> ServiceReview:
    row = session.get(ServiceReviewRow, review_id)
    if row is None or row.id is None:
        raise NotFound("service review", review_id)
    customer = session.get(CustomerRow, row.customer_id)
    assert customer is not None
    items = session.exec(
        select(AgendaItemRow)
        .where(AgendaItemRow.review_id == review_id)
        .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))
    ).all()
    actions = session.exec(select(ActionItemRow).where(ActionItemRow.review_id == review_id).order_by(col(ActionItemRow.id))).all()
    return ServiceReview(
        id=row.id,
        customer_id=row.customer_id,
        customer_name=customer.name,
        account_number=customer.account_number,
        kind=ReviewKind(row.kind),
        held_on=row.held_on,
        status=ReviewStatus(row.status),
        attendees=split_attendees(row.attendees),
        items=tuple(item_from_row(i) for i in items),
        actions=tuple(action_from_row(a) for a in actions),
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


def last_completed(session: Session, customer_id: int, on_or_before: date, exclude: int | None) -> ReviewRef | None:
    stmt = select(ServiceReviewRow).where(
        ServiceReviewRow.customer_id == customer_id,
        ServiceReviewRow.status == _COMPLETED,
        col(ServiceReviewRow.held_on) <= on_or_before,
    )
    if exclude is not None:
        stmt = stmt.where(ServiceReviewRow.id != exclude)
    row = session.exec(stmt.order_by(col(ServiceReviewRow.held_on).desc(), col(ServiceReviewRow.id).desc()).limit(1)).first()
    return None if row is None or row.id is None else ReviewRef(row.id, ReviewKind(row.kind), row.held_on)


def as_date(value: date | str) -> date:
    # an aggregate over a date column comes back as text from some drivers
    return value if isinstance(value, date) else date.fromisoformat(value)
