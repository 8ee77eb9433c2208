"""Completing a service review, and the preview the CCM confirms first.

Completing is one transaction: the review is stamped completed, the
contacts its agenda listed are marked reviewed on the review date, the
customer's firewall and monitoring review dates move when those items were
discussed, and the last review's open actions not yet on this one are
carried in. A completed review is history: it is not completed twice.

`rolled_up` is the one rule for the customer's review dates: completing a
review, the seeder and the demo all write them through it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CHANGED, Entity
from ccm_tui.domain.people import Person
from ccm_tui.domain.service_review import (
    FIREWALL_KEY,
    MONITORING_KEY,
    ActionItem,
    CompletionPlan,
    ReviewStatus,
    ServiceReview,
    completion_plan,
)
from ccm_tui.errors import NotFound, StaleEdit, StoreError
from ccm_tui.store import change_log
from ccm_tui.store.convert import to_naive_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.review_drafts import ReviewLocked, carry_in
from ccm_tui.store.reviews import action_from_row, last_completed, review_in
from ccm_tui.store.sql_types import id_of, select_columns
from ccm_tui.store.tables import (
    ActionItemRow,
    ContactRow,
    CustomerRow,
    ServiceReviewRow,
)

_COMPLETED = ReviewStatus.COMPLETED.value


@dataclass(frozen=True)
class ReviewDates:
    """A customer's review roll-up: the last review's day, and the last firewall and monitoring reviews."""

    last_review_on: date | None = None
    firewall_reviewed_on: date | None = None
    monitoring_reviewed_on: date | None = None


def rolled_up(dates: ReviewDates, held_on: date, keys: Collection[str]) -> ReviewDates:
    """The dates once a review held on `held_on`, whose agenda discussed `keys`, is completed.

    A date only moves forward: completing an older review never undoes a later one.
    """
    return ReviewDates(
        last_review_on=_later(dates.last_review_on, held_on),
        firewall_reviewed_on=_later(dates.firewall_reviewed_on, held_on) if FIREWALL_KEY in keys else dates.firewall_reviewed_on,
        monitoring_reviewed_on=(
            _later(dates.monitoring_reviewed_on, held_on) if MONITORING_KEY in keys else dates.monitoring_reviewed_on
        ),
    )


def _later(day: date | None, held_on: date) -> date:
    return held_on if day is None or day < held_on else day


def completion_preview(engine: Engine, review_id: int) -> CompletionPlan:
    """What `complete_review` would record, for the CCM to confirm."""
    with read_session(engine) as session:
        review = review_in(session, review_id)
        return _plan(session, review)


def _plan(session: Session, review: ServiceReview) -> CompletionPlan:
    listed = {cid for item in review.items for cid in item.contact_ids}
    names = {
        contact_id: name
        for contact_id, name in session.exec(
            select_columns(ContactRow.id, ContactRow.name).where(
                col(ContactRow.id).in_(listed), ContactRow.customer_id == review.customer_id
            )
        ).all()
    }
    last = last_completed(session, review.customer_id, review.held_on, review.id)
    last_open: tuple[ActionItem, ...] = ()
    if last is not None:
        last_open = tuple(
            action_from_row(a)
            for a in session.exec(
                select(ActionItemRow).where(ActionItemRow.review_id == last.id, col(ActionItemRow.done).is_(False))
            ).all()
        )
    return completion_plan(review, names, last_open)


def complete_review(
    engine: Engine, review_id: int, expected_version: int, now: datetime, today: date, *, actor: Person
) -> ServiceReview:
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
        review = review_in(session, review_id)
        held_on = row.held_on
        listed = {cid for item in review.items for cid in item.contact_ids}
        # Locked as read (contact before customer, as every edit takes them): on PostgreSQL a contact
        # edit committed between this read and our write would otherwise swallow the version bump below.
        for contact in session.exec(
            select(ContactRow)
            .where(col(ContactRow.id).in_(listed), ContactRow.customer_id == row.customer_id)
            .order_by(col(ContactRow.id))
            .with_for_update()
        ).all():
            if contact.last_reviewed != _later(contact.last_reviewed, held_on):
                change_log.record(
                    session,
                    actor,
                    now,
                    Entity.CONTACT,
                    id_of(contact),
                    row.customer_id,
                    "reviewed",
                    {"last_reviewed": contact.last_reviewed},
                    {"last_reviewed": held_on},
                    "service review",
                )
                contact.last_reviewed = held_on
                contact.version += 1  # an edit form opened before this must not undo it
                session.add(contact)
        customer = session.get(CustomerRow, row.customer_id, with_for_update=True)
        assert customer is not None
        customer_before = change_log.fields_of(customer)
        dates = rolled_up(
            ReviewDates(customer.last_review_on, customer.firewall_reviewed_on, customer.monitoring_reviewed_on),
            held_on,
            {item.key for item in review.items},
        )
        customer.last_review_on = dates.last_review_on
        customer.firewall_reviewed_on = dates.firewall_reviewed_on
        customer.monitoring_reviewed_on = dates.monitoring_reviewed_on
        session.add(customer)
        change_log.record(
            session,
            actor,
            now,
            Entity.CUSTOMER,
            row.customer_id,
            row.customer_id,
            CHANGED,
            customer_before,
            change_log.fields_of(customer),
        )
        carry_in(session, row)
        status_before = row.status
        row.status = _COMPLETED
        row.completed_at = to_naive_utc(now)
        row.version += 1
        session.add(row)
        change_log.record(
            session,
            actor,
            now,
            Entity.REVIEW,
            review_id,
            row.customer_id,
            "completed",
            {"status": status_before},
            {"status": row.status},
        )
        session.flush()
        return review_in(session, review_id)
