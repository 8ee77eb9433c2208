"""A customer's contacts: add, edit, and mark the entry reviewed.

Contact names are part of the customer's `/` text, so every write here
refreshes it in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from ccm_tui.domain.changes import CHANGED, CREATED, Entity
from ccm_tui.domain.model import Contact
from ccm_tui.domain.people import Person
from ccm_tui.domain.validation import ContactInput
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.convert import contact_from_row, roles_text
from ccm_tui.store.customers import refresh_search_text
from ccm_tui.store.engine import write_session
from ccm_tui.store.tables import ContactRow, CustomerRow


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


def _fill(row: ContactRow, data: ContactInput) -> None:
    row.name = data.name
    row.roles = roles_text(data.roles)
    row.phone = data.phone
    row.email = data.email
    row.last_reviewed = data.last_reviewed
