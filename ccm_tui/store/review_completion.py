"""Completing a service review, and the preview the CCM confirms first.

Completing is one transaction: the review is stamped completed, the
contacts its agenda listed are marked reviewed on the review date, the
customer's firewall and monitoring review dates move when those items were
discussed, and the last review's open actions not yet on this one are
carried in. A completed review is history: it is not completed twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

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
from ccm_tui.store.convert import to_naive_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.review_drafts import ReviewLocked, carry_in
from ccm_tui.store.reviews import action_from_row, last_completed, review_in
from ccm_tui.store.tables import (
    ActionItemRow,
    ContactRow,
    CustomerRow,
    ServiceReviewRow,
)

_COMPLETED = ReviewStatus.COMPLETED.value


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
            select(ContactRow.id, ContactRow.name).where(
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
        review = review_in(session, review_id)
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
        carry_in(session, row)
        row.status = _COMPLETED
        row.completed_at = to_naive_utc(now)
        row.version += 1
        session.add(row)
        session.flush()
        return review_in(session, review_id)
