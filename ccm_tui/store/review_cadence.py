"""When service reviews are due: the kind a customer's cadence calls for,
the "reviews due" list, and setting a customer's cadence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, and_, func, or_
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CHANGED, Entity
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.people import Person
from ccm_tui.domain.reviews import (
    ReviewCadence,
    ReviewDue,
    default_review_kind,
    due_cutoff,
    next_review_due,
)
from ccm_tui.domain.service_review import ReviewStatus
from ccm_tui.errors import NotFound
from ccm_tui.store import change_log
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.reviews import as_date
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import CustomerRow, ServiceReviewRow

_COMPLETED = ReviewStatus.COMPLETED.value


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
    return {customer_id: as_date(day) for customer_id, day in rows}


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
            where = and_(
                col(CustomerRow.review_cadence) == cadence.value, or_(last_on.is_(None), last_on <= due_cutoff(cadence, by))
            )
            total += session.exec(select(func.count()).select_from(CustomerRow).where(where)).one()
            rows = session.exec(
                select_columns(CustomerRow.id, CustomerRow.name, CustomerRow.account_number, CustomerRow.ccm, last_on)
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
            (customer_id, as_date(held)): kind
            for customer_id, held, kind in session.exec(
                select_columns(review.customer_id, review.held_on, review.kind).where(
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


def set_cadence(engine: Engine, customer_id: int, cadence: ReviewCadence, *, actor: Person, now: datetime) -> None:
    """The customer's review cadence (chosen when a review is prepared), logged as a change to the customer."""
    with write_session(engine) as session:
        row = session.get(CustomerRow, customer_id, with_for_update=True)
        if row is None:
            raise NotFound("customer", customer_id)
        before = row.review_cadence
        row.review_cadence = cadence.value
        session.add(row)
        change_log.record(
            session,
            actor,
            now,
            Entity.CUSTOMER,
            customer_id,
            customer_id,
            CHANGED,
            {"review_cadence": before},
            {"review_cadence": cadence.value},
        )
