"""Reading the whole book out, a batch of customers at a time.

Customers come in account-number order, each with its contacts, sites,
orders and activations (as domain objects, in a stable order of their
natural keys), so an export is the same file whenever the book is the
same. One read transaction covers the whole walk: the export is a
consistent snapshot even while others write (SQLite WAL lets them).

The walk is the bulk of both exports (200,000 activations, 280,000 steps),
so it reads columns, not ORM rows, on the session's connection (the ORM's
result handling cost as much as the queries), turns codes into enum
members through dicts (an enum call costs a microsecond, a million times
over), and reads an order's services in the same query per batch as the
orders' customers rather than by a second list of ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func
from sqlmodel import col, select

from ccm_tui.domain.book_facts import CustomerRecords
from ccm_tui.domain.import_rows import fold_name
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Contact,
    ContactRole,
    Customer,
    Order,
    OrderStatus,
    Region,
    ServiceKind,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.store.convert import from_cents, hours_from_minutes, roles_from_text
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
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

_E = TypeVar("_E", bound=StrEnum)


def _members(kind: type[_E]) -> dict[str, _E]:
    """Code to member, read as `_MEMBERS.get(code) or Kind(code)`: an unknown code still raises the enum's ValueError."""
    return {member.value: member for member in kind}


_REGIONS, _SERVICES, _ORDER_STATUSES = _members(Region), _members(ServiceKind), _members(OrderStatus)
_STEP_KINDS, _STEP_STATUSES = _members(StepKind), _members(StepStatus)


def _utc(naive: datetime | None) -> datetime | None:
    """A column's naive UTC value as an aware one (`convert.to_utc`, inlined for 500,000 values)."""
    if naive is None:
        return None
    return naive.replace(tzinfo=UTC) if naive.tzinfo is None else naive.astimezone(UTC)


def _month_after(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def customer_total(engine: Engine) -> int:
    """How many customers an export will walk: its progress's "of N"."""
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(CustomerRow)).one()


def book_batches(engine: Engine, month: date, batch: int | None = None) -> Iterator[list[CustomerRecords]]:
    """The book in batches of `batch` (default BATCH_CUSTOMERS) customers; `hours_used` counts the month starting `month`."""
    batch = batch or BATCH_CUSTOMERS
    c = CustomerRow
    with read_session(engine) as session:
        connection = session.connection()
        roles: dict[str, frozenset[ContactRole]] = {}  # a book has a handful of role combinations
        after: str | None = None
        while True:
            stmt = select_columns(c.id, c.account_number, c.name, c.region, c.ccm, c.hours_per_month_minutes, c.notes, c.version)
            stmt = stmt.order_by(col(c.account_number)).limit(batch)
            if after is not None:
                stmt = stmt.where(col(c.account_number) > after)
            customers = [
                Customer(
                    i, account, name, _REGIONS.get(region) or Region(region), ccm, hours_from_minutes(minutes), notes, version
                )
                for i, account, name, region, ccm, minutes, notes, version in connection.execute(stmt).all()
            ]
            if not customers:
                return
            ids = [customer.id for customer in customers]
            contacts = _contacts(connection, ids, roles)
            sites = _sites(connection, ids)
            orders = _orders(connection, ids)
            activations = _activations(connection, ids)
            used = _minutes_used(connection, ids, month)
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


def _of_customers(connection: Connection, *columns: Any, customer_id: Any, ids: list[int]) -> Any:
    # all(): one fetchall, several times faster than iterating the result row by row
    return connection.execute(select_columns(*columns).where(col(customer_id).in_(ids))).all()


def _contacts(connection: Connection, ids: list[int], roles: dict[str, frozenset[ContactRole]]) -> dict[int, list[Contact]]:
    c = ContactRow
    found: dict[int, list[Contact]] = defaultdict(list)
    rows = _of_customers(
        connection,
        c.id,
        c.customer_id,
        c.name,
        c.roles,
        c.phone,
        c.email,
        c.last_reviewed,
        c.version,
        customer_id=c.customer_id,
        ids=ids,
    )
    for contact_id, customer_id, name, text, phone, email, reviewed, version in rows:
        kinds = roles.get(text)
        if kinds is None:
            kinds = roles[text] = roles_from_text(text)
        found[customer_id].append(Contact(contact_id, customer_id, name, kinds, phone, email, reviewed, version))
    return found


def _sites(connection: Connection, ids: list[int]) -> dict[int, list[Site]]:
    s = SiteRow
    found: dict[int, list[Site]] = defaultdict(list)
    rows = _of_customers(
        connection, s.id, s.customer_id, s.name, s.address, s.city, s.country, s.timezone, s.version, s.subdivision,
        customer_id=s.customer_id, ids=ids,
    )  # fmt: skip
    for row in rows:
        found[row[1]].append(Site(*row))
    return found


def _orders(connection: Connection, ids: list[int]) -> dict[int, list[Order]]:
    o = OrderRow
    services: dict[int, list[ServiceKind]] = defaultdict(list)
    kinds = (
        select_columns(OrderServiceRow.order_id, OrderServiceRow.kind)
        .join(OrderRow, col(OrderRow.id) == OrderServiceRow.order_id)
        .where(col(OrderRow.customer_id).in_(ids))
        .order_by(col(OrderServiceRow.id))
    )
    for order_id, kind in connection.execute(kinds).all():
        services[order_id].append(_SERVICES.get(kind) or ServiceKind(kind))
    found: dict[int, list[Order]] = defaultdict(list)
    rows = _of_customers(
        connection, o.id, o.customer_id, o.number, o.mrc_cents, o.nrc_cents, o.currency, o.ccd, o.status, o.completed_on,
        o.version, customer_id=o.customer_id, ids=ids,
    )  # fmt: skip
    for order_id, customer_id, number, mrc, nrc, currency, ccd, status, completed_on, version in rows:
        found[customer_id].append(
            Order(
                order_id,
                customer_id,
                number,
                tuple(services.get(order_id, ())),
                from_cents(mrc),
                from_cents(nrc),
                currency,
                ccd,
                _ORDER_STATUSES.get(status) or OrderStatus(status),
                completed_on,
                version,
            )
        )
    return found


def _activations(connection: Connection, ids: list[int]) -> dict[int, list[Activation]]:
    a, s = ActivationRow, ActivationStepRow
    steps: dict[int, list[ActivationStep]] = defaultdict(list)
    step_rows = _of_customers(
        connection, s.id, s.activation_id, s.kind, s.start_at, s.end_at, s.status, s.version, customer_id=s.customer_id, ids=ids
    )
    for step_id, activation_id, kind, start, end, status, version in step_rows:
        steps[activation_id].append(
            ActivationStep(
                step_id,
                activation_id,
                _STEP_KINDS.get(kind) or StepKind(kind),
                _utc(start),
                _utc(end),
                _STEP_STATUSES.get(status) or StepStatus(status),
                version,
            )
        )
    found: dict[int, list[Activation]] = defaultdict(list)
    rows = _of_customers(
        connection, a.id, a.customer_id, a.order_id, a.site_id, a.service, a.field_dispatch, a.ip_letter_sent_on,
        a.traffic_passed_at, a.version, customer_id=a.customer_id, ids=ids,
    )  # fmt: skip
    for activation_id, customer_id, order_id, site_id, service, dispatch, letter, traffic, version in rows:
        own = steps.get(activation_id, ())
        if len(own) > 1 and own[0].kind is not StepKind.INSTALLATION:  # installation first, as everywhere
            own = sorted(own, key=lambda step: step.kind is not StepKind.INSTALLATION)
        found[customer_id].append(
            Activation(
                activation_id,
                customer_id,
                order_id,
                site_id,
                _SERVICES.get(service) or ServiceKind(service),
                bool(dispatch),
                tuple(own),
                letter,
                _utc(traffic),
                version,
            )
        )
    return found


def _minutes_used(connection: Connection, ids: list[int], month: date) -> dict[int, int]:
    t = TimeEntryRow
    stmt = (
        select_columns(t.customer_id, func.sum(t.minutes))
        .where(col(t.customer_id).in_(ids), col(t.day) >= month, col(t.day) < _month_after(month))
        .group_by(col(t.customer_id))
    )
    return {customer_id: minutes for customer_id, minutes in connection.execute(stmt)}
