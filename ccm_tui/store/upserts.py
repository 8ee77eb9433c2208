"""Parsed import rows into the book, a batch at a time, matched by natural key.

A row whose key is new is created; one whose key is in the book is updated
if anything differs, else left unchanged. Each batch reads what it needs
with a few IN queries and writes with executemany, in the caller's
transaction, so rows earlier in the same import (or an earlier file of the
same run) are seen like rows of the book. References to records that are
not there, and keys that clash with the book, come back as problems.

Account and order numbers are exact keys: one that differs from the book's
only in case is refused as a duplicate (NA-1 and na-1 are one account to a
CCM). Contact and site names match in any case and spacing. An optional
column the file does not have at all keeps the book's value on update (a
CRM export without notes must not wipe them); a blank cell is a blank value.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from ccm_tui.domain.imports import (
    ActivationImport,
    ContactImport,
    OrderInput,
    ParsedRow,
    Problem,
    SiteImport,
    StepWindow,
    fold_name,
    place_at_site,
)
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.validation import CustomerInput, InvalidInput
from ccm_tui.store.calendar_flags import forget_order, forget_site
from ccm_tui.store.convert import cents, minutes, roles_text, to_naive_utc
from ccm_tui.domain.search_text import customer_search_text, fold
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
)

IMPORT_ACTION = "import"  # the history row's action for a step an import created or changed


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


RowResult = Outcome | list[Problem]


def _table(row_class: type) -> Table:
    return row_class.__table__  # type: ignore[attr-defined,no-any-return]


CUSTOMER = _table(CustomerRow)
CONTACT = _table(ContactRow)
SITE = _table(SiteRow)
ORDER = _table(OrderRow)
ORDER_SERVICE = _table(OrderServiceRow)
ACTIVATION = _table(ActivationRow)
STEP = _table(ActivationStepRow)
CHANGE = _table(ActivationChangeRow)


@dataclass(frozen=True)
class Writer:
    """Where and as whom a batch is written."""

    session: Session
    stamp: datetime  # now, naive UTC
    who: str
    source: str  # the file's name, for history rows
    columns: frozenset[str]  # the columns the file's header has

    @property
    def conn(self) -> Connection:
        return self.session.connection()

    @property
    def now(self) -> datetime:
        """The clock's now, aware (the rules of times that must have passed use it)."""
        return self.stamp.replace(tzinfo=UTC)

    def kept(self, values: dict[str, Any], row: Any, optional: Mapping[str, str]) -> dict[str, Any]:
        """`values`, with the book's value (from `row`) for each field whose column the file lacks.

        `optional` maps a field to the column it comes from.
        """
        return {
            k: getattr(row, k) if k in optional and optional[k] not in self.columns else v for k, v in values.items()
        }


def _update_by_id(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Executemany UPDATE; each dict holds `row_id` and the columns to set (the same in every dict)."""
    if rows:
        conn.execute(update(table).where(table.c.id == bindparam("row_id")), rows)


def _insert_returning_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [row_id for (row_id,) in conn.execute(stmt, rows)]


# -- customers -------------------------------------------------------------------

_CUSTOMER_OPTIONAL = {"ccm": "ccm", "hours_per_month_minutes": "hours_per_month", "notes": "notes"}
_CONTACT_OPTIONAL = {"phone": "phone", "email": "email", "last_reviewed": "last_reviewed"}
_SITE_OPTIONAL = {"address": "address", "city": "city", "subdivision": "subdivision"}
_ORDER_OPTIONAL = {"status": "status", "nrc_cents": "nrc", "completed_on": "completed_on"}
_ACTIVATION_OPTIONAL = {
    "field_dispatch": "field_dispatch",
    "ip_letter_sent_on": "ip_letter_sent_on",
    "traffic_passed_at": "traffic_passed_at",
}


def upsert_customers(w: Writer, batch: Sequence[tuple[int, CustomerInput]]) -> list[RowResult]:
    wanted = {data.account_number.lower() for _, data in batch}
    found = {
        r.account_number.lower(): r
        for r in w.conn.execute(
            select(
                CUSTOMER.c.id,
                CUSTOMER.c.account_number,
                CUSTOMER.c.name,
                CUSTOMER.c.region,
                CUSTOMER.c.ccm,
                CUSTOMER.c.hours_per_month_minutes,
                CUSTOMER.c.notes,
                CUSTOMER.c.version,
            ).where(func.lower(CUSTOMER.c.account_number).in_(wanted))
        )
    }
    results: list[RowResult] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    renamed: list[int] = []
    for line, data in batch:
        values = {
            "name": data.name,
            "region": data.region.value,
            "ccm": data.ccm,
            "hours_per_month_minutes": minutes(data.hours_per_month),
            "notes": data.notes,
        }
        row = found.get(data.account_number.lower())
        if row is not None:
            values = w.kept(values, row, _CUSTOMER_OPTIONAL)
        if row is None:
            inserts.append(
                {
                    "account_number": data.account_number,
                    **values,
                    "sort_name": fold(data.name),
                    "search_text": customer_search_text(data.name, data.account_number, (), ()),
                    "version": 1,
                    "created_at": w.stamp,
                    "updated_at": w.stamp,
                }
            )
            results.append(Outcome.CREATED)
        elif row.account_number != data.account_number:
            results.append(
                [_case_clash(line, "account_number", data.account_number, f"{row.account_number} ({row.name})")]
            )
        elif all(getattr(row, k) == v for k, v in values.items()):
            results.append(Outcome.UNCHANGED)
        else:
            updates.append(
                {
                    "row_id": row.id,
                    **values,
                    "sort_name": fold(data.name),
                    "version": row.version + 1,
                    "updated_at": w.stamp,
                }
            )
            if row.name != data.name:
                renamed.append(row.id)
            results.append(Outcome.UPDATED)
    if inserts:
        w.conn.execute(insert(CUSTOMER), inserts)
    _update_by_id(w.conn, CUSTOMER, updates)
    refresh_search_texts(w.conn, renamed)
    return results


def _case_clash(line: int, column: str, given: str, in_book: str) -> Problem:
    what = column.replace("_", " ")
    return Problem(
        line,
        column,
        given,
        f"duplicate {what}: the book has {in_book}, which differs only in case; write it the book's way to update it",
    )


@dataclass(frozen=True)
class _Accounts:
    """Account numbers of a batch, looked up in the book."""

    ids: dict[str, int]  # exact account number -> customer id
    spelled: dict[str, str]  # lower-cased -> the book's spelling

    def find(self, line: int, account: str) -> int | Problem:
        if account in self.ids:
            return self.ids[account]
        hint = self.spelled.get(account.lower())
        also = (
            f" (the book has {hint}: account numbers must match exactly)"
            if hint
            else "; import or add the customer first"
        )
        return Problem(line, "account_number", account, f"no customer with account number {account} in the book{also}")


def _accounts(conn: Connection, accounts: Iterable[str]) -> _Accounts:
    lowered = {a.lower() for a in accounts}
    rows = conn.execute(
        select(CUSTOMER.c.id, CUSTOMER.c.account_number).where(func.lower(CUSTOMER.c.account_number).in_(lowered))
    ).all()
    return _Accounts({a: i for i, a in rows}, {a.lower(): a for _, a in rows})


def refresh_search_texts(conn: Connection, customer_ids: Iterable[int]) -> None:
    """`store.customers.refresh_search_text` for many customers at once, in the caller's transaction."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    names: dict[int, list[str]] = defaultdict(list)
    for customer_id, name in conn.execute(
        select(CONTACT.c.customer_id, CONTACT.c.name).where(CONTACT.c.customer_id.in_(ids)).order_by(CONTACT.c.id)
    ):
        names[customer_id].append(name)
    cities: dict[int, list[str]] = defaultdict(list)
    for customer_id, city in conn.execute(
        select(SITE.c.customer_id, SITE.c.city).where(SITE.c.customer_id.in_(ids)).order_by(SITE.c.id)
    ):
        cities[customer_id].append(city)
    updates = []
    for customer_id, name, account in conn.execute(
        select(CUSTOMER.c.id, CUSTOMER.c.name, CUSTOMER.c.account_number).where(CUSTOMER.c.id.in_(ids))
    ):
        unique_cities = list(dict.fromkeys(fold(c) for c in cities[customer_id] if c.strip()))
        text = customer_search_text(name, account, names[customer_id], unique_cities)
        updates.append({"row_id": customer_id, "sort_name": fold(name), "search_text": text})
    _update_by_id(conn, CUSTOMER, updates)


# -- contacts and sites ----------------------------------------------------------


def upsert_contacts(w: Writer, batch: Sequence[tuple[int, ContactImport]]) -> list[RowResult]:
    accounts = _accounts(w.conn, (data.account_number for _, data in batch))
    by_key: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in w.conn.execute(select(CONTACT).where(CONTACT.c.customer_id.in_(set(accounts.ids.values())))):
        by_key[(row.customer_id, fold_name(row.name))].append(row)
    results: list[RowResult] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touched: set[int] = set()
    for line, data in batch:
        customer_id = accounts.find(line, data.account_number)
        if isinstance(customer_id, Problem):
            results.append([customer_id])
            continue
        contact = data.contact
        values = {
            "name": contact.name,
            "roles": roles_text(contact.roles),
            "phone": contact.phone,
            "email": contact.email,
            "last_reviewed": contact.last_reviewed,
        }
        matches = by_key.get((customer_id, fold_name(contact.name)), [])
        if len(matches) == 1:
            values = w.kept(values, matches[0], _CONTACT_OPTIONAL)
        if len(matches) > 1:
            results.append(
                [
                    _ambiguous(
                        line,
                        "name",
                        contact.name,
                        f"{len(matches)} contacts named {contact.name} at {data.account_number}",
                    )
                ]
            )
        elif not matches:
            inserts.append({"customer_id": customer_id, **values, "version": 1})
            touched.add(customer_id)
            results.append(Outcome.CREATED)
        elif all(getattr(matches[0], k) == v for k, v in values.items()):
            results.append(Outcome.UNCHANGED)
        else:
            row = matches[0]
            updates.append({"row_id": row.id, **values, "version": row.version + 1})
            if row.name != contact.name:
                touched.add(customer_id)
            results.append(Outcome.UPDATED)
    if inserts:
        w.conn.execute(insert(CONTACT), inserts)
    _update_by_id(w.conn, CONTACT, updates)
    refresh_search_texts(w.conn, touched)
    return results


def _ambiguous(line: int, column: str, value: str, what: str) -> Problem:
    return Problem(line, column, value, f"the book has {what}: which one is meant? Tidy them up in the app first")


def upsert_sites(w: Writer, batch: Sequence[tuple[int, SiteImport]]) -> list[RowResult]:
    accounts = _accounts(w.conn, (data.account_number for _, data in batch))
    by_key: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in w.conn.execute(select(SITE).where(SITE.c.customer_id.in_(set(accounts.ids.values())))):
        by_key[(row.customer_id, fold_name(row.name))].append(row)
    results: list[RowResult] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touched: set[int] = set()
    rejudged: list[int] = []
    for line, data in batch:
        customer_id = accounts.find(line, data.account_number)
        if isinstance(customer_id, Problem):
            results.append([customer_id])
            continue
        site = data.site
        values = {
            "name": site.name,
            "address": site.address,
            "city": site.city,
            "country": site.country,
            "subdivision": site.subdivision,
            "timezone": site.timezone,
        }
        matches = by_key.get((customer_id, fold_name(site.name)), [])
        if len(matches) == 1:
            values = w.kept(values, matches[0], _SITE_OPTIONAL)
        if len(matches) > 1:
            results.append(
                [
                    _ambiguous(
                        line, "site_name", site.name, f"{len(matches)} sites named {site.name} at {data.account_number}"
                    )
                ]
            )
        elif not matches:
            inserts.append({"customer_id": customer_id, **values, "version": 1})
            touched.add(customer_id)
            results.append(Outcome.CREATED)
        elif all(getattr(matches[0], k) == v for k, v in values.items()):
            results.append(Outcome.UNCHANGED)
        else:
            row = matches[0]
            updates.append({"row_id": row.id, **values, "version": row.version + 1})
            if row.city != values["city"]:
                touched.add(customer_id)
            if (row.timezone, row.country, row.subdivision) != (
                values["timezone"],
                values["country"],
                values["subdivision"],
            ):
                rejudged.append(row.id)  # another calendar: other holidays, another weekend
            results.append(Outcome.UPDATED)
    if inserts:
        w.conn.execute(insert(SITE), inserts)
    _update_by_id(w.conn, SITE, updates)
    for site_id in rejudged:
        forget_site(w.session, site_id)  # the calendar judges its steps' hours again
    refresh_search_texts(w.conn, touched)
    return results


# -- orders ----------------------------------------------------------------------


def _services_of(conn: Connection, order_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    for order_id, kind in conn.execute(
        select(ORDER_SERVICE.c.order_id, ORDER_SERVICE.c.kind)
        .where(ORDER_SERVICE.c.order_id.in_(set(order_ids)))
        .order_by(ORDER_SERVICE.c.id)
    ):
        found[order_id].append(kind)
    return {order_id: tuple(kinds) for order_id, kinds in found.items()}


def _orders_by_number(conn: Connection, numbers: Iterable[str]) -> dict[str, Any]:
    lowered = {n.lower() for n in numbers}
    stmt = (
        select(ORDER, CUSTOMER.c.account_number)
        .join(CUSTOMER, CUSTOMER.c.id == ORDER.c.customer_id)
        .where(func.lower(ORDER.c.number).in_(lowered))
    )
    return {row.number.lower(): row for row in conn.execute(stmt)}


def upsert_orders(w: Writer, batch: Sequence[tuple[int, OrderInput]]) -> list[RowResult]:
    accounts = _accounts(w.conn, (data.account_number for _, data in batch))
    found = _orders_by_number(w.conn, (data.number for _, data in batch))
    services = _services_of(w.conn, (row.id for row in found.values()))
    results: list[RowResult] = []
    inserts: list[dict[str, Any]] = []
    new_services: list[tuple[str, ...]] = []
    updates: list[dict[str, Any]] = []
    replaced: dict[int, tuple[str, ...]] = {}
    rejudged: list[int] = []
    for line, data in batch:
        customer_id = accounts.find(line, data.account_number)
        if isinstance(customer_id, Problem):
            results.append([customer_id])
            continue
        kinds = tuple(s.value for s in data.services)
        values = {
            "status": data.status.value,
            "mrc_cents": cents(data.mrc),
            "nrc_cents": cents(data.nrc),
            "currency": data.currency,
            "ccd": data.ccd,
            "completed_on": data.completed_on,
        }
        row = found.get(data.number.lower())
        if row is not None:
            values = w.kept(values, row, _ORDER_OPTIONAL)
        if row is None:
            inserts.append({"customer_id": customer_id, "number": data.number, **values, "version": 1})
            new_services.append(kinds)
            results.append(Outcome.CREATED)
        elif row.number != data.number:
            results.append([_case_clash(line, "order_number", data.number, row.number)])
        elif row.customer_id != customer_id:
            results.append(
                [
                    Problem(
                        line,
                        "account_number",
                        data.account_number,
                        f"order {row.number} belongs to account {row.account_number}; "
                        "an order cannot move to another customer",
                    )
                ]
            )
        elif all(getattr(row, k) == v for k, v in values.items()) and services.get(row.id, ()) == kinds:
            results.append(Outcome.UNCHANGED)
        else:
            updates.append({"row_id": row.id, **values, "version": row.version + 1})
            if services.get(row.id, ()) != kinds:
                replaced[row.id] = kinds
            if row.ccd != data.ccd:
                rejudged.append(row.id)
            results.append(Outcome.UPDATED)
    ids = _insert_returning_ids(w.conn, ORDER, inserts)
    _update_by_id(w.conn, ORDER, updates)
    for order_id in rejudged:
        forget_order(w.session, order_id)  # its steps' "after the CCD" flag is judged again
    if replaced:
        w.conn.execute(delete(ORDER_SERVICE).where(ORDER_SERVICE.c.order_id.in_(list(replaced))))
    rows = [
        {"order_id": i, "kind": k}
        for i, kinds in [*zip(ids, new_services, strict=True), *replaced.items()]
        for k in kinds
    ]
    if rows:
        w.conn.execute(insert(ORDER_SERVICE), rows)
    return results


# -- activations -----------------------------------------------------------------


@dataclass
class _Placed:
    """An activation row resolved against the book."""

    line: int
    data: ActivationImport
    customer_id: int
    order_id: int
    site_id: int
    steps: tuple[StepWindow, ...]
    traffic_passed_at: datetime | None


def upsert_activations(w: Writer, batch: Sequence[tuple[int, ActivationImport]]) -> list[RowResult]:
    orders = _orders_by_number(w.conn, (data.order_number for _, data in batch))
    services = _services_of(w.conn, (row.id for row in orders.values()))
    customer_ids = {row.customer_id for row in orders.values()}
    sites: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in w.conn.execute(
        select(SITE.c.id, SITE.c.customer_id, SITE.c.name, SITE.c.timezone).where(SITE.c.customer_id.in_(customer_ids))
    ):
        sites[(row.customer_id, fold_name(row.name))].append(row)

    results: dict[int, RowResult] = {}
    placed: list[tuple[int, _Placed]] = []
    for index, (line, data) in enumerate(batch):
        resolved = _resolve(line, data, orders, services, sites, w.now)
        if isinstance(resolved, list):
            results[index] = resolved
        else:
            placed.append((index, resolved))

    existing: dict[tuple[int, int, str], list[Any]] = defaultdict(list)
    steps: dict[int, dict[str, Any]] = defaultdict(dict)
    order_ids = {p.order_id for _, p in placed}
    for row in w.conn.execute(select(ACTIVATION).where(ACTIVATION.c.order_id.in_(order_ids))):
        existing[(row.order_id, row.site_id, row.service)].append(row)
    activation_ids = [row.id for rows in existing.values() for row in rows]
    for row in w.conn.execute(select(STEP).where(STEP.c.activation_id.in_(activation_ids))):
        steps[row.activation_id][row.kind] = row

    creates: list[_Placed] = []
    writes = _StepWrites(w)
    for index, p in placed:
        matches = existing.get((p.order_id, p.site_id, p.data.service.value), [])
        if len(matches) > 1:
            what = f"{len(matches)} {p.data.service} activations of order {p.data.order_number} at {p.data.site_name}"
            results[index] = [_ambiguous(p.line, "service", p.data.service.value, what)]
        elif not matches:
            creates.append(p)
            results[index] = Outcome.CREATED
        else:
            results[index] = writes.update(p, matches[0], steps[matches[0].id])
    writes.create(creates)
    writes.flush()
    return [results[i] for i in range(len(batch))]


def _resolve(
    line: int,
    data: ActivationImport,
    orders: dict[str, Any],
    services: dict[int, tuple[str, ...]],
    sites: dict[tuple[int, str], list[Any]],
    now: datetime,
) -> _Placed | list[Problem]:
    order = orders.get(data.order_number.lower())
    if order is None:
        return [
            Problem(
                line,
                "order_number",
                data.order_number,
                f"no order {data.order_number} in the book; import the order first",
            )
        ]
    if order.number != data.order_number:
        return [
            Problem(
                line,
                "order_number",
                data.order_number,
                f"no order {data.order_number} in the book (it has {order.number}: order numbers must match exactly)",
            )
        ]
    problems = []
    if order.account_number != data.account_number:
        problems.append(
            Problem(
                line,
                "account_number",
                data.account_number,
                f"order {order.number} belongs to account {order.account_number}, not {data.account_number}",
            )
        )
    on_order = services.get(order.id, ())
    if data.service.value not in on_order:
        problems.append(
            Problem(
                line,
                "service",
                data.service.value,
                f"{data.service} is not on order {order.number} ({'+'.join(on_order)})",
            )
        )
    matches = sites.get((order.customer_id, fold_name(data.site_name)), [])
    if not matches:
        problems.append(
            Problem(
                line,
                "site_name",
                data.site_name,
                f"account {order.account_number} has no site named {data.site_name}; import the site first",
            )
        )
    elif len(matches) > 1:
        problems.append(_ambiguous(line, "site_name", data.site_name, f"{len(matches)} sites named {data.site_name}"))
    if problems:
        return problems
    site = matches[0]
    try:
        times = place_at_site(data, site.timezone, now)
    except InvalidInput as error:
        return [Problem(line, column, _local_text(data, column), message) for column, message in error.errors.items()]
    return _Placed(line, data, order.customer_id, order.id, site.id, times.steps, times.traffic_passed_at)


def _local_text(data: ActivationImport, column: str) -> str:
    if column == "traffic_passed_at":
        return data.traffic_passed_at.text if data.traffic_passed_at else ""
    if column == "ip_letter_sent_on":
        return data.ip_letter_sent_on.isoformat() if data.ip_letter_sent_on else ""
    for step in data.steps:
        for side in ("start", "end"):
            local = getattr(step, side)
            if column == f"{step.kind.value}_{side}" and local is not None:
                return str(local.text)
    return ""


class _StepWrites:
    """Activation, step and history rows of one batch, written together at the end."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self.activation_updates: list[dict[str, Any]] = []
        self.step_updates: list[dict[str, Any]] = []
        self.step_inserts: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    def create(self, creates: list[_Placed]) -> None:
        rows = [
            {
                "customer_id": p.customer_id,
                "order_id": p.order_id,
                "site_id": p.site_id,
                "service": p.data.service.value,
                "field_dispatch": p.data.field_dispatch,
                "ip_letter_sent_on": p.data.ip_letter_sent_on,
                "ip_letter_contact_id": None,
                "traffic_passed_at": to_naive_utc(p.traffic_passed_at),
                "version": 1,
            }
            for p in creates
        ]
        for activation_id, p in zip(_insert_returning_ids(self.w.conn, ACTIVATION, rows), creates, strict=True):
            for step in p.steps:
                self._insert_step(activation_id, p, step)

    def _insert_step(self, activation_id: int, p: _Placed, step: StepWindow) -> None:
        self.step_inserts.append(
            {
                "activation_id": activation_id,
                "customer_id": p.customer_id,
                "kind": step.kind.value,
                "start_at": to_naive_utc(step.start),
                "end_at": to_naive_utc(step.end),
                "status": step.status.value,
                "version": 1,
            }
        )
        if step.status is not StepStatus.UNSCHEDULED:
            self._history(activation_id, p, step.kind, None, step.status.value, None, to_naive_utc(step.start))

    def update(self, p: _Placed, row: Any, old_steps: dict[str, Any]) -> Outcome:
        changed = False
        values = {
            "field_dispatch": p.data.field_dispatch,
            "ip_letter_sent_on": p.data.ip_letter_sent_on,
            "traffic_passed_at": to_naive_utc(p.traffic_passed_at),
        }
        values = self.w.kept(values, row, _ACTIVATION_OPTIONAL)
        for step in p.steps:
            old = old_steps.get(step.kind.value)
            if (
                old is not None
                and not {f"{step.kind.value}_{part}" for part in ("start", "end", "status")} & self.w.columns
            ):
                continue  # the file says nothing about this step: it stays as the book has it
            if old is None:
                self._insert_step(row.id, p, step)
                changed = True
                continue
            start, end = to_naive_utc(step.start), to_naive_utc(step.end)
            if (old.status, old.start_at, old.end_at) == (step.status.value, start, end):
                continue
            changed = True
            self.step_updates.append(
                {
                    "row_id": old.id,
                    "status": step.status.value,
                    "start_at": start,
                    "end_at": end,
                    "version": old.version + 1,
                    "calendar_flags": None,  # derived from the window: the calendar judges it again
                }
            )
            moved = old.start_at != start
            self._history(
                row.id,
                p,
                step.kind,
                old.status,
                step.status.value,
                old.start_at if moved else None,
                start if moved else None,
            )
        if changed or any(getattr(row, k) != v for k, v in values.items()):
            self.activation_updates.append({"row_id": row.id, **values, "version": row.version + 1})
            return Outcome.UPDATED
        return Outcome.UNCHANGED

    def _history(
        self,
        activation_id: int,
        p: _Placed,
        kind: StepKind,
        from_status: str | None,
        to_status: str,
        from_start: datetime | None,
        to_start: datetime | None,
    ) -> None:
        """One history line; the starts are naive UTC, as the columns hold them."""
        self.history.append(
            {
                "activation_id": activation_id,
                "step_kind": kind.value,
                "at": self.w.stamp,
                "who": self.w.who,
                "action": IMPORT_ACTION,
                "from_status": from_status,
                "to_status": to_status,
                "from_start": from_start,
                "to_start": to_start,
                "reason": f"imported from {self.w.source} line {p.line}"[:1000],
                "fee_cents": None,
                "fee_currency": None,
                "contact_id": None,
            }
        )

    def flush(self) -> None:
        conn = self.w.conn
        _update_by_id(conn, ACTIVATION, self.activation_updates)
        _update_by_id(conn, STEP, self.step_updates)
        for rows, table in ((self.step_inserts, STEP), (self.history, CHANGE)):
            if rows:
                conn.execute(insert(table), rows)


UPSERTS = {
    CustomerInput: upsert_customers,
    ContactImport: upsert_contacts,
    SiteImport: upsert_sites,
    OrderInput: upsert_orders,
    ActivationImport: upsert_activations,
}


def upsert(w: Writer, batch: Sequence[tuple[int, ParsedRow]]) -> list[RowResult]:
    """Write one batch of rows of one kind; a result per row, in order."""
    if not batch:
        return []
    return UPSERTS[type(batch[0][1])](w, batch)  # type: ignore[operator]
