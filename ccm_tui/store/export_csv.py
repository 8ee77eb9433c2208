"""The book as the CSV files' rows, straight from the driver's rows: no records are built.

`ccm export csv` needs neither versions, nor hours used, nor readiness, so
it does not take the record walk (store/exports.py, which JSON needs). Each
row is written by the domain's `*_cells` from its fields' values, the same
functions the records' `*_row` call, so a field is formatted in one place;
rows come in the records' natural-key order (`named_key`), and a test holds
both paths' rows equal (tests/store/test_export_csv_rows.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam
from sqlalchemy.orm import aliased
from sqlmodel import col

from ccm_tui.domain.exports import (
    NO_STEP,
    StepCells,
    activation_cells,
    contact_cells,
    customer_cells,
    order_cells,
    site_cells,
    step_cells,
)
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.store.convert import ORDER_STATUSES, REGIONS, SERVICES, STEP_STATUSES, roles_from_text
from ccm_tui.store.engine import read_session
from ccm_tui.store.export_rows import WHOLE, Converted, RawQuery, Span, batch_customers, customer_batches
from ccm_tui.store.exports import (
    BATCH_CUSTOMERS,
    KEPT_PER_CUSTOMER,
    folded,
    named_key,
)
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
)


@dataclass(frozen=True, slots=True)
class CsvBatch:
    """A batch of customers as the CSV files' rows, a list per file in `ImportKind` order."""

    rows: tuple[list[list[str]], ...]
    activations_read: int  # every activation read, those written and those left out (not the customer's order or site)


def csv_batches(engine: Engine, batch: int | None = None, span: Span = WHOLE) -> Iterator[CsvBatch]:
    """The book as `export_csv` writes it, straight from the driver's rows: no records are built.

    The CSV needs neither versions, nor hours used, nor readiness; a row is
    written by the domain's `*_cells` from its fields' values, in the order
    of the records' natural keys (`_records`'). An activation's two steps come
    in its own row (a step per kind: uq_activation_step_activation_kind).
    """
    batch = batch or BATCH_CUSTOMERS
    with read_session(engine) as session:
        connection = session.connection()
        queries = _CsvQueries(connection)
        cells = _CsvCells(Converted(KEPT_PER_CUSTOMER * batch))
        c = CustomerRow
        columns = (c.id, c.account_number, c.name, c.region, c.ccm, c.hours_per_month_minutes, c.notes)
        for rows in customer_batches(connection, columns, batch, span):
            bounds = {"first": rows[0][1], "last": rows[-1][1]}
            services: dict[int, list[ServiceKind]] = defaultdict(list)
            for order_id, kind in queries.services.rows(**bounds):
                services[order_id].append(SERVICES.get(kind) or ServiceKind(kind))
            yield cells.batch(
                rows,
                _by_customer(queries.contacts.rows(**bounds)),
                _by_customer(queries.sites.rows(**bounds)),
                _by_customer(queries.orders.rows(**bounds)),
                services,
                _by_customer(queries.activations.rows(**bounds)),
            )


def _by_customer(rows: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows by their first column, the customer's id."""
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        found[row[0]].append(row)
    return found


def _row_id_key(row: tuple[Any, ...]) -> tuple[str, str, int]:
    return named_key(row[2], row[1])  # (customer id, id, name, ...)


def _order_row_key(row: tuple[Any, ...]) -> tuple[str, int]:
    return (row[2], row[1])  # `_order_key`: (number, id)


class _CsvCells:
    """Driver rows to the CSV files' rows, each value converted once while remembered (`Converted`)."""

    def __init__(self, convert: Converted) -> None:
        self.convert = convert
        self._roles: dict[str, frozenset[ContactRole]] = {}  # a book has a handful of role combinations
        self._steps: dict[tuple[Any, ...], StepCells] = {}  # by zone and the driver's start, end and status

    def batch(
        self,
        customers: list[tuple[Any, ...]],
        contacts: dict[int, list[tuple[Any, ...]]],
        sites: dict[int, list[tuple[Any, ...]]],
        orders: dict[int, list[tuple[Any, ...]]],
        services: dict[int, list[ServiceKind]],
        activations: dict[int, list[tuple[Any, ...]]],
    ) -> CsvBatch:
        hours, money, day, utc = self.convert.hours, self.convert.money, self.convert.day, self.convert.utc
        roles, step = self._roles_of, self._step
        out: tuple[list[list[str]], ...] = ([], [], [], [], [])
        customer_rows, contact_rows, site_rows, order_rows, activation_rows = out
        read = 0
        for customer_id, account, name, region, ccm, minutes, notes in customers:
            customer_rows.append(customer_cells(account, name, REGIONS.get(region) or Region(region), ccm, hours(minutes), notes))
            own = contacts.get(customer_id, ())
            for _, _, name, text, phone, email, reviewed in sorted(own, key=_row_id_key) if len(own) > 1 else own:
                contact_rows.append(contact_cells(account, name, roles(text), phone, email, day(reviewed)))
            own = sites.get(customer_id, ())
            places: dict[int, tuple[str, str, str]] = {}  # id -> (folded name, name, zone)
            for _, site_id, name, address, city, country, subdivision, zone in (
                sorted(own, key=_row_id_key) if len(own) > 1 else own
            ):
                site_rows.append(site_cells(account, name, address, city, country, subdivision, zone))
                places[site_id] = (folded(name), name, zone)
            own = orders.get(customer_id, ())
            numbers: dict[int, str] = {}
            for _, order_id, number, mrc, nrc, currency, ccd, status, completed_on in (
                sorted(own, key=_order_row_key) if len(own) > 1 else own
            ):
                kind = ORDER_STATUSES.get(status) or OrderStatus(status)
                services_of = services.get(order_id, ())
                order_rows.append(
                    order_cells(number, account, services_of, money(mrc), money(nrc), currency, day(ccd), kind, day(completed_on))
                )
                numbers[order_id] = number
            own = activations.get(customer_id, ())
            read += len(own)
            written = []
            for row in own:
                service = SERVICES.get(row[4]) or ServiceKind(row[4])
                number, place = numbers.get(row[2]), places.get(row[3])
                if number is not None and place is not None:  # the customer's own order and site: else left out
                    written.append((number, place[0], service._value_, row[1], service, place, row))
            if len(written) > 1:
                written.sort(key=lambda w: w[:4])  # `_records`' order: order number, folded site name, service, id
            for number, _, _, _, service, (_, site_name, zone), row in written:
                _, _, _, _, _, dispatch, letter, traffic, i_start, i_end, i_status, e_start, e_end, e_status = row
                activation_rows.append(
                    activation_cells(
                        number,
                        account,
                        site_name,
                        zone,
                        service,
                        bool(dispatch),
                        step(zone, i_start, i_end, i_status),
                        step(zone, e_start, e_end, e_status),
                        day(letter),
                        utc(traffic),
                    )
                )
        return CsvBatch(out, read)

    def _roles_of(self, text: str) -> frozenset[ContactRole]:
        kinds = self._roles.get(text)
        if kinds is None:
            kinds = self._roles[text] = roles_from_text(text)
        return kinds

    def _step(self, zone: str, start: Any, end: Any, status: str | None) -> StepCells:
        """A step's `step_cells` from the driver's values (no step: status None, the outer join's)."""
        if status is None:
            return NO_STEP
        key = (zone, start, end, status)
        found = self._steps.get(key)
        if found is None:
            kind = STEP_STATUSES.get(status) or StepStatus(status)
            found = step_cells(zone, self.convert.utc(start), self.convert.utc(end), kind)
            if len(self._steps) >= self.convert.kept:
                self._steps.clear()  # bounded, as `Converted`
            self._steps[key] = found
        return found


class _CsvQueries:
    """The CSV walk's SELECTs, compiled once: the columns its rows write, each row's customer id first."""

    def __init__(self, connection: Connection) -> None:
        p, s, o, a = ContactRow, SiteRow, OrderRow, ActivationRow
        ids = batch_customers(bindparam("first", ""), bindparam("last", ""))

        def of_batch(statement: Any, customer_id: Any) -> RawQuery:
            return RawQuery(connection, statement.where(col(customer_id).in_(ids)))

        self.contacts = of_batch(
            select_columns(p.customer_id, p.id, p.name, p.roles, p.phone, p.email, p.last_reviewed), p.customer_id
        )
        self.sites = of_batch(
            select_columns(s.customer_id, s.id, s.name, s.address, s.city, s.country, s.subdivision, s.timezone), s.customer_id
        )
        services = (
            select_columns(OrderServiceRow.order_id, OrderServiceRow.kind)
            .join(OrderRow, col(OrderRow.id) == OrderServiceRow.order_id)
            .order_by(col(OrderServiceRow.id))
        )
        self.services = of_batch(services, o.customer_id)
        self.orders = of_batch(
            select_columns(o.customer_id, o.id, o.number, o.mrc_cents, o.nrc_cents, o.currency, o.ccd, o.status, o.completed_on),
            o.customer_id,
        )
        i, e = aliased(ActivationStepRow), aliased(ActivationStepRow)
        activations = select_columns(
            a.customer_id, a.id, a.order_id, a.site_id, a.service, a.field_dispatch, a.ip_letter_sent_on, a.traffic_passed_at,
            i.start_at, i.end_at, i.status, e.start_at, e.end_at, e.status,
        )  # fmt: skip
        self.activations = of_batch(_with_steps(activations, i, e), a.customer_id)


def _with_steps(activations: Any, installation: Any, event: Any) -> Any:
    """`activations` joined to each activation's installation and activation step (a step per kind, or none)."""
    for step, kind in ((installation, StepKind.INSTALLATION), (event, StepKind.ACTIVATION)):
        activations = activations.outerjoin(step, and_(col(step.activation_id) == ActivationRow.id, col(step.kind) == kind.value))
    return activations
