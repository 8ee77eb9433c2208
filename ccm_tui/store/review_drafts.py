"""Service review drafts: creating one with its agenda (the last review's
open actions carried in), its attendees, and editing its agenda items.

A completed review is history: every write here refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CHANGED, CREATED, REMOVED, Entity
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.people import Person
from ccm_tui.domain.review_inputs import AgendaItemInput
from ccm_tui.domain.service_review import (
    ATTENDEE_SEPARATOR,
    AgendaItem,
    NewAgendaItem,
    ReviewStatus,
    ServiceReview,
)
from ccm_tui.errors import NotFound, StoreError
from ccm_tui.store import change_log
from ccm_tui.store.engine import write_session
from ccm_tui.store.reviews import item_from_row, last_completed, review_in
from ccm_tui.store.sql_types import id_of
from ccm_tui.store.tables import (
    ActionItemRow,
    AgendaItemRow,
    CustomerRow,
    ServiceReviewRow,
)

_COMPLETED = ReviewStatus.COMPLETED.value


class ReviewLocked(StoreError):
    """A completed review is history: it is not edited."""

    def __init__(self, held_on: date) -> None:
        super().__init__(f"the review of {held_on.isoformat()} is completed; past reviews are read-only")


class DuplicateReview(StoreError):
    def __init__(self, kind: str, held_on: date) -> None:
        super().__init__(f"a {kind} review on {held_on.isoformat()} already exists for this customer; open it instead")


# -- drafts ----------------------------------------------------------------------------


def create_review(
    engine: Engine,
    customer_id: int,
    kind: ReviewKind,
    held_on: date,
    items: Sequence[NewAgendaItem],
    attendees: Sequence[str] = (),
    *,
    actor: Person,
    now: datetime,
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
        carry_in(session, row)
        session.flush()
        change_log.record(session, actor, now, Entity.REVIEW, row.id, customer_id, CREATED, {}, change_log.fields_of(row))
        return review_in(session, row.id)


def carry_in(session: Session, row: ServiceReviewRow) -> int:
    """Copy the last completed review's open actions not yet on `row`; how many were added."""
    last = last_completed(session, row.customer_id, row.held_on, row.id)
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
            ActionItemRow(review_id=id_of(row), text=action.text, owner=action.owner, due=action.due, carried_from_id=action.id)
        )
        added += 1
    return added


def lock_draft(session: Session, review_id: int) -> ServiceReviewRow:
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
            select(AgendaItemRow)
            .where(AgendaItemRow.review_id == review_id)
            .order_by(col(AgendaItemRow.position), col(AgendaItemRow.id))
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


def _item(session: Session, item_id: int) -> tuple[AgendaItemRow, int]:
    """The item and its review's customer, the draft locked."""
    item = session.get(AgendaItemRow, item_id, with_for_update=True)
    if item is None:
        raise NotFound("agenda item", item_id)
    return item, lock_draft(session, item.review_id).customer_id


# An item's place is bookkeeping: the log reports what it says.
_NOT_LOGGED = frozenset({"position"})


def add_item(engine: Engine, review_id: int, data: AgendaItemInput, *, actor: Person, now: datetime) -> AgendaItem:
    """A CCM's own item, last in its section."""
    with write_session(engine) as session:
        customer_id = lock_draft(session, review_id).customer_id
        row = AgendaItemRow(review_id=review_id, section=data.section, text=data.text, details="\n".join(data.details))
        session.add(row)
        _renumber(session, _place_in_section(_ordered_items(session, review_id), row))
        session.flush()
        after = change_log.fields_of(row, _NOT_LOGGED)
        change_log.record(session, actor, now, Entity.AGENDA_ITEM, id_of(row), customer_id, CREATED, {}, after)
        return item_from_row(row)


def update_item(engine: Engine, item_id: int, data: AgendaItemInput, *, actor: Person, now: datetime) -> AgendaItem:
    """Reword an item; a new section moves it to the end of that section."""
    with write_session(engine) as session:
        row, customer_id = _item(session, item_id)
        before = change_log.fields_of(row, _NOT_LOGGED)
        moved = row.section != data.section
        row.section, row.text, row.details = data.section, data.text, "\n".join(data.details)
        session.add(row)
        if moved:
            _renumber(session, _place_in_section(_ordered_items(session, row.review_id), row))
        session.flush()
        after = change_log.fields_of(row, _NOT_LOGGED)
        change_log.record(session, actor, now, Entity.AGENDA_ITEM, item_id, customer_id, CHANGED, before, after)
        return item_from_row(row)


def remove_item(engine: Engine, item_id: int, *, actor: Person, now: datetime) -> None:
    with write_session(engine) as session:
        row, customer_id = _item(session, item_id)
        review_id = row.review_id
        before = change_log.fields_of(row, _NOT_LOGGED)
        session.delete(row)
        session.flush()
        _renumber(session, _ordered_items(session, review_id))
        change_log.record(session, actor, now, Entity.AGENDA_ITEM, item_id, customer_id, REMOVED, before, {})


def move_item(engine: Engine, item_id: int, step: int, *, actor: Person, now: datetime) -> bool:
    """Swap the item with its neighbour in the same section (-1 up, +1 down); False at the section's edge.

    Logged as the moved item's "moved" (its place in the section, from and to); the neighbour's
    place follows from it.
    """
    with write_session(engine) as session:
        row, customer_id = _item(session, item_id)
        items = _ordered_items(session, row.review_id)
        index = next(n for n, i in enumerate(items) if i.id == row.id)
        other = index + step
        if not 0 <= other < len(items) or items[other].section != row.section:
            return False
        in_section = [i.id for i in items if i.section == row.section]
        before = in_section.index(row.id) + 1
        items[index], items[other] = items[other], items[index]
        _renumber(session, items)
        change_log.record(
            session, actor, now, Entity.AGENDA_ITEM, item_id, customer_id, "moved", {"place": before}, {"place": before + step}
        )
        return True


def set_minutes(engine: Engine, item_id: int, minutes: str, *, actor: Person, now: datetime) -> AgendaItem:
    with write_session(engine) as session:
        row, customer_id = _item(session, item_id)
        before = row.minutes
        row.minutes = minutes
        session.add(row)
        session.flush()
        change_log.record(
            session, actor, now, Entity.AGENDA_ITEM, item_id, customer_id, CHANGED, {"minutes": before}, {"minutes": minutes}
        )
        return item_from_row(row)


def set_attendees(engine: Engine, review_id: int, attendees: Sequence[str], *, actor: Person, now: datetime) -> None:
    with write_session(engine) as session:
        row = lock_draft(session, review_id)
        before = row.attendees
        row.attendees = ATTENDEE_SEPARATOR.join(attendees)
        change_log.record(
            session,
            actor,
            now,
            Entity.REVIEW,
            review_id,
            row.customer_id,
            CHANGED,
            {"attendees": before},
            {"attendees": row.attendees},
        )
