"""Reading the whole book out, a batch of customers at a time.

Customers come in account-number order, each with its contacts, sites,
orders and activations (as domain objects, in a stable order of their
natural keys), so an export is the same file whenever the book is the
same. One read transaction covers the whole walk: the export is a
consistent snapshot even while others write (SQLite WAL lets them).

The walk is the bulk of both exports (200,000 activations, 280,000 steps),
so it reads columns as the driver gives them (`export_rows`: SQLAlchemy's
Row per row cost as much as the queries), turns codes into enum members
through dicts (an enum call costs a microsecond, a million times over), and
reads an order's services in the same query per batch as the orders'
customers rather than by a second list of ids. Each query names its batch
by the range of account numbers it covers (a subquery with two parameters),
not by a list of 500 ids rendered and bound again for every query, and is
compiled once per walk. `book_walk` also gives each batch's readiness, read
in the same transaction from the steps the batch holds (`export_readiness`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func
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
from ccm_tui.domain.readiness import Readiness
from ccm_tui.store.convert import ORDER_STATUSES, REGIONS, SERVICES, STEP_KINDS, STEP_STATUSES, roles_from_text
from ccm_tui.store.engine import read_session
from ccm_tui.store.export_readiness import BatchReadiness, ReadinessAt
from ccm_tui.store.export_rows import WHOLE, Converted, RawQuery, Span, batch_customers, customer_batches, maker
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
KEPT_PER_CUSTOMER = 8  # converted values remembered per customer of a batch: a bound that follows the batch


# the records' constructors, twice as fast as their __init__ (`export_rows.maker`)
_customer, _contact, _site, _order = maker(Customer), maker(Contact), maker(Site), maker(Order)
_step, _activation = maker(ActivationStep), maker(Activation)


@dataclass(frozen=True, slots=True)
class BookBatch:
    """A batch of customers' records and, when asked for, their activations' readiness (by activation id)."""

    records: list[CustomerRecords]
    readiness: Mapping[int, Readiness] | None = None


def _month_after(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def customer_total(engine: Engine) -> int:
    """How many customers an export will walk: its progress's "of N"."""
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(CustomerRow)).one()


def split_at(engine: Engine, second_share: Callable[[int], float]) -> tuple[Span, Span] | None:
    """The book's customers in two spans of account numbers, the second holding `second_share(total)` of them
    (rounded down); None when that is none of them, or for a server book (two sessions there may see two
    states of the book)."""
    if engine.dialect.name != "sqlite":
        return None
    account = col(CustomerRow.account_number)
    with read_session(engine) as session:
        total = session.exec(select(func.count()).select_from(CustomerRow)).one()
        second = int(total * second_share(total))
        if not 0 < second < total:
            return None
        last_of_first = session.exec(select(account).order_by(account).offset(total - second - 1).limit(1)).one()
    return Span(through=last_of_first), Span(after=last_of_first)


def book_batches(engine: Engine, month: date, batch: int | None = None) -> Iterator[list[CustomerRecords]]:
    """The book in batches of `batch` (default BATCH_CUSTOMERS) customers; `hours_used` counts the month starting `month`."""
    for found in book_walk(engine, month, batch):
        yield found.records


def book_walk(
    engine: Engine, month: date, batch: int | None = None, readiness: ReadinessAt | None = None, span: Span = WHOLE
) -> Iterator[BookBatch]:
    """`book_batches` of `span`'s customers, each with its activations' readiness at `readiness.now` if that is given."""
    batch = batch or BATCH_CUSTOMERS
    with read_session(engine) as session:
        connection = session.connection()
        queries = _Queries(connection, month)
        convert = Converted(KEPT_PER_CUSTOMER * batch)
        roles: dict[str, frozenset[ContactRole]] = {}  # a book has a handful of role combinations
        judge = None if readiness is None else BatchReadiness(connection, readiness)
        c = CustomerRow
        columns = (c.id, c.account_number, c.name, c.region, c.ccm, c.hours_per_month_minutes, c.notes, c.version)
        for rows in customer_batches(connection, columns, batch, span):
            hours = convert.hours
            customers = [
                _customer(i, account, name, REGIONS.get(region) or Region(region), ccm, hours(minutes), notes, version)
                for i, account, name, region, ccm, minutes, notes, version in rows
            ]
            first, last = customers[0].account_number, customers[-1].account_number
            contacts = _contacts(queries.contacts.rows(first=first, last=last), roles, convert)
            sites = _sites(queries.sites.rows(first=first, last=last))
            orders = _orders(queries.services.rows(first=first, last=last), queries.orders.rows(first=first, last=last), convert)
            activations = _activations(
                queries.steps.rows(first=first, last=last), queries.activations.rows(first=first, last=last), convert
            )
            used = dict(connection.execute(queries.minutes_used, {"first": first, "last": last}).all())
            records = [
                _records(c, contacts[c.id], sites[c.id], orders[c.id], activations[c.id], used.get(c.id, 0), convert)
                for c in customers
            ]
            yield BookBatch(records, None if judge is None else judge.of(first, last, records))


class _Queries:
    """The walk's SELECTs, compiled once; each batch binds its first and last account number."""

    def __init__(self, connection: Connection, month: date) -> None:
        p, s, o, a, t = ContactRow, SiteRow, OrderRow, ActivationRow, ActivationStepRow
        ids = batch_customers(bindparam("first", ""), bindparam("last", ""))

        def of_batch(*columns: Any, customer_id: Any) -> RawQuery:
            return RawQuery(connection, select_columns(*columns).where(col(customer_id).in_(ids)))

        self.contacts = of_batch(
            p.id, p.customer_id, p.name, p.roles, p.phone, p.email, p.last_reviewed, p.version, customer_id=p.customer_id
        )
        self.sites = of_batch(
            s.id, s.customer_id, s.name, s.address, s.city, s.country, s.timezone, s.version, s.subdivision,
            customer_id=s.customer_id,
        )  # fmt: skip
        services = (
            select_columns(OrderServiceRow.order_id, OrderServiceRow.kind)
            .join(OrderRow, col(OrderRow.id) == OrderServiceRow.order_id)
            .where(col(OrderRow.customer_id).in_(ids))
            .order_by(col(OrderServiceRow.id))
        )
        self.services = RawQuery(connection, services)
        self.orders = of_batch(
            o.id, o.customer_id, o.number, o.mrc_cents, o.nrc_cents, o.currency, o.ccd, o.status, o.completed_on, o.version,
            customer_id=o.customer_id,
        )  # fmt: skip
        self.steps = of_batch(t.id, t.activation_id, t.kind, t.start_at, t.end_at, t.status, t.version, customer_id=t.customer_id)
        e = TimeEntryRow
        # minutes used in `month`: run by SQLAlchemy (its date parameters are the dialect's to bind), built once
        self.minutes_used = (
            select_columns(e.customer_id, func.sum(e.minutes))
            .where(col(e.customer_id).in_(ids), col(e.day) >= month, col(e.day) < _month_after(month))
            .group_by(col(e.customer_id))
        )
        self.activations = of_batch(
            a.id, a.customer_id, a.order_id, a.site_id, a.service, a.field_dispatch, a.ip_letter_sent_on,
            a.traffic_passed_at, a.version, customer_id=a.customer_id,
        )  # fmt: skip


# Names folded once while remembered (bounded): a book's contacts and sites repeat their names
folded = lru_cache(maxsize=4096)(fold_name)


def named_key(name: str, row_id: int) -> tuple[str, str, int]:
    """A contact's or site's natural key: its folded name, then its name and id for a stable order."""
    return (folded(name), name, row_id)


def _contact_key(contact: Contact) -> tuple[str, str, int]:
    return named_key(contact.name, contact.id)


def _site_key(site: Site) -> tuple[str, str, int]:
    return named_key(site.name, site.id)


def _order_key(order: Order) -> tuple[str, int]:
    return (order.number, order.id)


def _records(
    customer: Customer,
    contacts: list[Contact],
    sites: list[Site],
    orders: list[Order],
    activations: list[Activation],
    minutes: int | None,
    convert: Converted,
) -> CustomerRecords:
    """One customer's records, each list in the order of its natural key."""
    if len(activations) > 1:
        site_names = {s.id: folded(s.name) for s in sites}
        numbers = {o.id: o.number for o in orders}
        activations.sort(key=lambda a: (numbers.get(a.order_id, ""), site_names.get(a.site_id, ""), a.service._value_, a.id))
    # a list of one is in order already: most customers have one or two of each
    return CustomerRecords(
        customer=customer,
        contacts=tuple(sorted(contacts, key=_contact_key) if len(contacts) > 1 else contacts),
        sites=tuple(sorted(sites, key=_site_key) if len(sites) > 1 else sites),
        orders=tuple(sorted(orders, key=_order_key) if len(orders) > 1 else orders),
        activations=tuple(activations),
        hours_used=convert.hours(int(minutes or 0)),
    )


def _contacts(rows: list[Any], roles: dict[str, frozenset[ContactRole]], convert: Converted) -> dict[int, list[Contact]]:
    found: dict[int, list[Contact]] = defaultdict(list)
    day = convert.day
    for contact_id, customer_id, name, text, phone, email, reviewed, version in rows:
        kinds = roles.get(text)
        if kinds is None:
            kinds = roles[text] = roles_from_text(text)
        found[customer_id].append(_contact(contact_id, customer_id, name, kinds, phone, email, day(reviewed), version))
    return found


def _sites(rows: list[Any]) -> dict[int, list[Site]]:
    found: dict[int, list[Site]] = defaultdict(list)
    for row in rows:
        found[row[1]].append(_site(*row))
    return found


def _orders(service_rows: list[Any], rows: list[Any], convert: Converted) -> dict[int, list[Order]]:
    services: dict[int, list[ServiceKind]] = defaultdict(list)
    for order_id, kind in service_rows:
        services[order_id].append(SERVICES.get(kind) or ServiceKind(kind))
    found: dict[int, list[Order]] = defaultdict(list)
    money, day = convert.money, convert.day
    for order_id, customer_id, number, mrc, nrc, currency, ccd, status, completed_on, version in rows:
        found[customer_id].append(
            _order(
                order_id,
                customer_id,
                number,
                tuple(services.get(order_id, ())),
                money(mrc),
                money(nrc),
                currency,
                day(ccd),
                ORDER_STATUSES.get(status) or OrderStatus(status),
                day(completed_on),
                version,
            )
        )
    return found


def _activations(step_rows: list[Any], rows: list[Any], convert: Converted) -> dict[int, list[Activation]]:
    steps: dict[int, list[ActivationStep]] = defaultdict(list)
    utc, day = convert.utc, convert.day
    for step_id, activation_id, kind, start, end, status, version in step_rows:
        steps[activation_id].append(
            _step(
                step_id,
                activation_id,
                STEP_KINDS.get(kind) or StepKind(kind),
                utc(start),
                utc(end),
                STEP_STATUSES.get(status) or StepStatus(status),
                version,
            )
        )
    found: dict[int, list[Activation]] = defaultdict(list)
    for activation_id, customer_id, order_id, site_id, service, dispatch, letter, traffic, version in rows:
        own = steps.get(activation_id, ())
        if len(own) > 1 and own[0].kind is not StepKind.INSTALLATION:  # installation first, as everywhere
            own = sorted(own, key=lambda step: step.kind is not StepKind.INSTALLATION)
        found[customer_id].append(
            _activation(
                activation_id,
                customer_id,
                order_id,
                site_id,
                SERVICES.get(service) or ServiceKind(service),
                bool(dispatch),
                tuple(own),
                day(letter),
                utc(traffic),
                version,
            )
        )
    return found
