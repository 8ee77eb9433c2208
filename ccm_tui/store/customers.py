"""Customer edits: adding a customer, saving an edit of one, and keeping its
`/` search text and sort name in step with its contacts and sites.

An account number is taken in any case (NA-1 and na-1 are one account to a
CCM). The book's pages are `book_page`; one customer's detail is
`customer_detail`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ccm_tui.domain.changes import CHANGED, CREATED, Entity
from ccm_tui.domain.model import Customer
from ccm_tui.domain.people import Person
from ccm_tui.domain.search_text import customer_search_text, customer_sort_name, fold
from ccm_tui.domain.validation import CustomerInput, InvalidInput
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.convert import customer_from_row, minutes, to_naive_utc
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import ContactRow, CustomerRow, SiteRow


def refresh_search_text(session: Session, customer_id: int) -> None:
    """Rebuild the customer's `/` text and sort name from its rows, in the caller's transaction.

    The customer's row is locked before its rows are read. PostgreSQL runs two
    saves of one customer's records (two contacts, say) side by side: each
    read the other's record as it was, and the later text dropped the earlier
    save's change. Now the second rebuild waits, then reads what the first
    committed. (SQLite's writers take turns anyway.)
    """
    session.flush()  # this save's own rows, for the reads below; nothing pending for populate_existing to drop
    customer = session.get(CustomerRow, customer_id, with_for_update=True, populate_existing=True)
    if customer is None:
        raise NotFound("customer", customer_id)
    names = session.exec(select(ContactRow.name).where(ContactRow.customer_id == customer_id).order_by(col(ContactRow.id))).all()
    cities = session.exec(select(SiteRow.city).where(SiteRow.customer_id == customer_id).order_by(col(SiteRow.id))).all()
    unique_cities = list(dict.fromkeys(fold(c) for c in cities if c.strip()))
    customer.sort_name = customer_sort_name(customer.name)
    customer.search_text = customer_search_text(customer.name, customer.account_number, names, unique_cities)
    session.add(customer)


def _account_holder(session: Session, account_number: str, other_than: int | None) -> tuple[str, str] | None:
    """(number, name) of a customer already holding `account_number`, in any case.

    NA-1 and na-1 are one account to a CCM, though the column's unique
    constraint only sees exact duplicates.
    """
    stmt = select(CustomerRow.account_number, CustomerRow.name).where(
        func.lower(col(CustomerRow.account_number)) == account_number.lower()
    )
    if other_than is not None:
        stmt = stmt.where(CustomerRow.id != other_than)
    found = session.exec(stmt).first()
    return None if found is None else (found[0], found[1])


def _refuse_taken_account(session: Session, account_number: str, other_than: int | None) -> None:
    holder = _account_holder(session, account_number, other_than)
    if holder is not None:
        number, name = holder
        raise InvalidInput({"account_number": f"account number {number} is already used by {name}"})


def _explain_integrity_error(engine: Engine, account_number: str, other_than: int | None) -> None:
    """After an IntegrityError (a writer took the number between check and insert): say so."""
    with read_session(engine) as session:
        _refuse_taken_account(session, account_number, other_than)


def add_customer(engine: Engine, data: CustomerInput, now: datetime, *, actor: Person) -> Customer:
    stamp = to_naive_utc(now)
    try:
        with write_session(engine) as session:
            _refuse_taken_account(session, data.account_number, None)
            row = CustomerRow(
                account_number=data.account_number,
                name=data.name,
                sort_name=customer_sort_name(data.name),
                region=data.region.value,
                ccm=data.ccm,
                hours_per_month_minutes=minutes(data.hours_per_month),
                notes=data.notes,
                search_text=customer_search_text(data.name, data.account_number, (), ()),
                created_at=stamp,
                updated_at=stamp,
            )
            session.add(row)
            session.flush()
            customer = customer_from_row(row)
            change_log.record(
                session, actor, now, Entity.CUSTOMER, customer.id, customer.id, CREATED, {}, change_log.fields_of(row)
            )
    except IntegrityError:
        _explain_integrity_error(engine, data.account_number, None)
        raise
    return customer


def update_customer(
    engine: Engine, customer_id: int, expected_version: int, data: CustomerInput, now: datetime, *, actor: Person
) -> Customer:
    """Save an edit made on version `expected_version`; StaleEdit if it moved on. One that changes nothing writes nothing."""
    try:
        with write_session(engine) as session:
            row = session.get(CustomerRow, customer_id, with_for_update=True)
            if row is None:
                raise NotFound("customer", customer_id)
            if row.version != expected_version:
                raise StaleEdit("customer", customer_id)
            _refuse_taken_account(session, data.account_number, customer_id)
            renamed = (row.name, row.account_number) != (data.name, data.account_number)
            before = change_log.fields_of(row)
            row.name = data.name
            row.account_number = data.account_number
            row.region = data.region.value
            row.ccm = data.ccm
            row.hours_per_month_minutes = minutes(data.hours_per_month)
            row.notes = data.notes
            after = change_log.fields_of(row)
            if not change_log.differences(before, after):
                return customer_from_row(row)  # the version stays: no other open form goes stale over nothing
            row.version += 1
            row.updated_at = to_naive_utc(now)
            session.add(row)
            if renamed:
                refresh_search_text(session, customer_id)
            change_log.record(session, actor, now, Entity.CUSTOMER, customer_id, customer_id, CHANGED, before, after)
            session.flush()
            customer = customer_from_row(row)
    except IntegrityError:
        _explain_integrity_error(engine, data.account_number, customer_id)
        raise
    return customer
