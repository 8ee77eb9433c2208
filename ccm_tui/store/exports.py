"""Reading the whole book out, a batch of customers at a time.

Customers come in account-number order, each with its contacts, sites,
orders and activations (as domain objects, in a stable order of their
natural keys), so an export is the same file whenever the book is the
same. One read transaction covers the whole walk: the export is a
consistent snapshot even while others write (SQLite WAL lets them).
Rows are read as plain Core rows, not ORM instances: the converters only
read attributes, and building 400,000 ORM objects would double the time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TypeVar, cast

from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ccm_tui.domain.book_facts import CustomerRecords
from ccm_tui.domain.import_rows import fold_name
from ccm_tui.domain.model import Activation, ActivationStep, Contact, Customer, Order, Site
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    customer_from_row,
    hours_from_minutes,
    order_from_row,
    site_from_row,
    step_from_row,
)
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import table_of
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
    TimeEntryRow,
)

BATCH_CUSTOMERS = 500

_R = TypeVar("_R", bound=SQLModel)


def _rows(row_class: type[_R]) -> SelectOfScalar[_R]:
    """SELECT every column of the class's table, as Core rows (sqlmodel's select would build ORM objects)."""
    # Typed as the row class: a Core row reads the same attribute names, which is all the converters do.
    return cast("SelectOfScalar[_R]", table_of(row_class).select())


def _month_after(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def customer_total(engine: Engine) -> int:
    """How many customers an export will walk: its progress's "of N"."""
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(CustomerRow)).one()


def book_batches(engine: Engine, month: date, batch: int = BATCH_CUSTOMERS) -> Iterator[list[CustomerRecords]]:
    """The book in batches of `batch` customers; `hours_used` counts the month starting `month`."""
    with read_session(engine) as session:
        after: str | None = None
        while True:
            stmt = _rows(CustomerRow).order_by(col(CustomerRow.account_number)).limit(batch)
            if after is not None:
                stmt = stmt.where(col(CustomerRow.account_number) > after)
            customers = [customer_from_row(row) for row in session.exec(stmt).all()]
            if not customers:
                return
            ids = [c.id for c in customers]
            contacts = defaultdict(list)
            for row in session.exec(_rows(ContactRow).where(col(ContactRow.customer_id).in_(ids))).all():
                contacts[row.customer_id].append(contact_from_row(row))
            sites = defaultdict(list)
            for site in session.exec(_rows(SiteRow).where(col(SiteRow.customer_id).in_(ids))).all():
                sites[site.customer_id].append(site_from_row(site))
            orders = _orders(session, ids)
            activations = _activations(session, ids)
            used = {
                customer_id: minutes
                for customer_id, minutes in session.exec(
                    select(TimeEntryRow.customer_id, func.sum(TimeEntryRow.minutes))
                    .where(
                        col(TimeEntryRow.customer_id).in_(ids),
                        col(TimeEntryRow.day) >= month,
                        col(TimeEntryRow.day) < _month_after(month),
                    )
                    .group_by(col(TimeEntryRow.customer_id))
                ).all()
            }
            yield [_records(c, contacts[c.id], sites[c.id], orders[c.id], activations[c.id], used.get(c.id, 0)) for c in customers]
            after = customers[-1].account_number


def _records(
    customer: Customer,
    contacts: list[Contact],
    sites: list[Site],
    orders: list[Order],
    activations: list[Activation],
    minutes: int | None,
) -> CustomerRecords:
    """One customer's records, each list in the order of its natural key."""
    site_names = {s.id: fold_name(s.name) for s in sites}
    numbers = {o.id: o.number for o in orders}
    return CustomerRecords(
        customer=customer,
        contacts=tuple(sorted(contacts, key=lambda c: (fold_name(c.name), c.name, c.id))),
        sites=tuple(sorted(sites, key=lambda s: (fold_name(s.name), s.name, s.id))),
        orders=tuple(sorted(orders, key=lambda o: (o.number, o.id))),
        activations=tuple(
            sorted(
                activations,
                key=lambda a: (numbers.get(a.order_id, ""), site_names.get(a.site_id, ""), a.service.value, a.id),
            )
        ),
        hours_used=hours_from_minutes(int(minutes or 0)),
    )


def _orders(session: Session, ids: list[int]) -> dict[int, list[Order]]:
    rows = session.exec(_rows(OrderRow).where(col(OrderRow.customer_id).in_(ids))).all()
    services: dict[int, list[str]] = defaultdict(list)
    for order_id, kind in session.exec(
        select(OrderServiceRow.order_id, OrderServiceRow.kind)
        .where(col(OrderServiceRow.order_id).in_([r.id for r in rows]))
        .order_by(col(OrderServiceRow.id))
    ).all():
        services[order_id].append(kind)
    found: dict[int, list[Order]] = defaultdict(list)
    for row in rows:
        found[row.customer_id].append(order_from_row(row, services.get(row.id or 0, ())))
    return found


def _activations(session: Session, ids: list[int]) -> dict[int, list[Activation]]:
    steps: dict[int, list[ActivationStep]] = defaultdict(list)
    for row in session.exec(_rows(ActivationStepRow).where(col(ActivationStepRow.customer_id).in_(ids))).all():
        steps[row.activation_id].append(step_from_row(row))
    found: dict[int, list[Activation]] = defaultdict(list)
    for activation in session.exec(_rows(ActivationRow).where(col(ActivationRow.customer_id).in_(ids))).all():
        found[activation.customer_id].append(activation_from_row(activation, steps.get(activation.id or 0, ())))
    return found
