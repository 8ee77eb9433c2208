"""A customer's contacts: add, edit, mark the entry reviewed, and remove.

Contact names are part of the customer's `/` text, so every write here
refreshes it in the same transaction.

A contact is in use (and cannot be removed) while an activation that is
not finished names it: as the IP letter's recipient, or in its history
(validated the date, received the letter, was reminded). Removing it then
would blank who did what on an event still in progress (the foreign keys
set those to NULL). A finished activation does not hold a contact: the
change log keeps the removed contact's fields. Agenda items listing a
contact for review do not hold it either: removing someone who left is
what a contact review is for, and completing the review skips ids gone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CHANGED, CREATED, REMOVED, Entity
from ccm_tui.domain.model import Contact, StepStatus
from ccm_tui.domain.people import Person
from ccm_tui.domain.validation import ContactInput
from ccm_tui.errors import InUse, NotFound, StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.convert import contact_from_row, roles_text
from ccm_tui.store.customers import refresh_search_text
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import ActivationChangeRow, ActivationRow, ActivationStepRow, ContactRow, CustomerRow, OrderRow, SiteRow


def add_contact(engine: Engine, customer_id: int, data: ContactInput, *, actor: Person, now: datetime) -> Contact:
    with write_session(engine) as session:
        if session.get(CustomerRow, customer_id) is None:
            raise NotFound("customer", customer_id)
        row = ContactRow(customer_id=customer_id, name=data.name)
        _fill(row, data)
        session.add(row)
        session.flush()
        refresh_search_text(session, customer_id)
        contact = contact_from_row(row)
        change_log.record(session, actor, now, Entity.CONTACT, contact.id, customer_id, CREATED, {}, change_log.fields_of(row))
        return contact


def update_contact(
    engine: Engine, contact_id: int, expected_version: int, data: ContactInput, *, actor: Person, now: datetime
) -> Contact:
    """Save an edit made on version `expected_version`; StaleEdit if it moved on. One that changes nothing writes nothing."""
    with write_session(engine) as session:
        row = session.get(ContactRow, contact_id, with_for_update=True)
        if row is None:
            raise NotFound("contact", contact_id)
        if row.version != expected_version:
            raise StaleEdit("contact", contact_id)
        before = change_log.fields_of(row)
        _fill(row, data)
        after = change_log.fields_of(row)
        if not change_log.differences(before, after):
            return contact_from_row(row)  # the version stays: no other open form goes stale over nothing
        row.version += 1
        session.add(row)
        session.flush()
        refresh_search_text(session, row.customer_id)
        change_log.record(session, actor, now, Entity.CONTACT, contact_id, row.customer_id, CHANGED, before, after)
        return contact_from_row(row)


def mark_reviewed(engine: Engine, contact_id: int, day: date, *, actor: Person, now: datetime) -> Contact:
    """Record that the entry was checked with the customer on `day`."""
    with write_session(engine) as session:
        row = session.get(ContactRow, contact_id, with_for_update=True)
        if row is None:
            raise NotFound("contact", contact_id)
        before = change_log.fields_of(row)
        row.last_reviewed = day
        # an edit form opened before this must not silently undo it
        row.version += 1
        session.add(row)
        session.flush()
        refresh_search_text(session, row.customer_id)
        change_log.record(
            session, actor, now, Entity.CONTACT, contact_id, row.customer_id, "reviewed", before, change_log.fields_of(row)
        )
        return contact_from_row(row)


def remove_contact(engine: Engine, contact_id: int, expected_version: int, *, actor: Person, now: datetime) -> Contact:
    """Remove the contact shown at `expected_version`; InUse (nothing written) while an open activation names it."""
    with write_session(engine) as session:
        row = session.get(ContactRow, contact_id, with_for_update=True)
        if row is None:
            raise NotFound("contact", contact_id)
        if row.version != expected_version:
            raise StaleEdit("contact", contact_id)
        if (reason := contact_in_use(session, contact_id)) is not None:
            raise InUse(reason)
        contact = contact_from_row(row)
        before = change_log.fields_of(row)
        session.delete(row)
        session.flush()
        refresh_search_text(session, contact.customer_id)
        change_log.record(session, actor, now, Entity.CONTACT, contact_id, contact.customer_id, REMOVED, before, {})
        return contact


# An activation holds its contacts until every step is finished (activated, installed or cancelled).
_FINISHED = (StepStatus.COMPLETED.value, StepStatus.CANCELLED.value)


def removal_refusal(engine: Engine, contact_id: int) -> str | None:
    """Why removing the contact would be refused now (`contact_in_use`), or None: asked before the CCM confirms."""
    with read_session(engine) as session:
        return contact_in_use(session, contact_id)


def contact_in_use(session: Session, contact_id: int) -> str | None:
    """Why the contact cannot be removed (an activation not finished names it), or None."""
    contact = session.get(ContactRow, contact_id)
    if contact is None:
        return None
    open_activations = (
        select(ActivationStepRow.activation_id)
        .where(ActivationStepRow.customer_id == contact.customer_id, col(ActivationStepRow.status).not_in(_FINISHED))
        .distinct()
    )
    letter = select(ActivationRow).where(
        ActivationRow.ip_letter_contact_id == contact_id, col(ActivationRow.id).in_(open_activations)
    )
    named = (
        select(ActivationChangeRow)
        .where(ActivationChangeRow.contact_id == contact_id, col(ActivationChangeRow.activation_id).in_(open_activations))
        .order_by(col(ActivationChangeRow.id).desc())
    )
    activation, what = session.exec(letter.limit(1)).first(), "the IP configuration letter went to them"
    if activation is None and (change := session.exec(named.limit(1)).first()) is not None:
        activation, what = session.get(ActivationRow, change.activation_id), _named_as(change.action)
    if activation is None:
        return None
    site, order = session.get(SiteRow, activation.site_id), session.get(OrderRow, activation.order_id)
    where = f"{activation.service} activation at {site.name if site else '?'} (order {order.number if order else '?'})"
    return f"{contact.name} is named by the {where}, which is not finished: {what}"


def _named_as(action: str) -> str:
    if action == "validate":
        return "they validated its date"
    if action == "ip_letter_sent":
        return "the IP configuration letter went to them"
    if action.startswith("reminder"):
        return "they were reminded of its date"
    return f"its history names them ({action.replace('_', ' ')})"


def _fill(row: ContactRow, data: ContactInput) -> None:
    row.name = data.name
    row.roles = roles_text(data.roles)
    row.phone = data.phone
    row.email = data.email
    row.last_reviewed = data.last_reviewed
