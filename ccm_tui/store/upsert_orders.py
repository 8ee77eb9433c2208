"""Imported orders and their services into the book, matched by order number.

Order numbers are exact keys: one that differs from the book's only in case
is refused as a duplicate. An order never moves to another customer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from ccm_tui.domain.changes import Entity
from ccm_tui.domain.import_report import Problem
from ccm_tui.domain.import_rows import OrderInput
from ccm_tui.store.calendar_flags import forget_order
from ccm_tui.store.convert import cents
from ccm_tui.store.upsert_batch import (
    CUSTOMER,
    ORDER,
    ORDER_SERVICE,
    Outcome,
    RowResult,
    Writer,
    case_clash,
    find_accounts,
    insert_returning_ids,
    update_by_id,
)

_ORDER_OPTIONAL = {"status": "status", "nrc_cents": "nrc", "completed_on": "completed_on"}


def services_of(conn: Connection, order_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    for order_id, kind in conn.execute(
        select(ORDER_SERVICE.c.order_id, ORDER_SERVICE.c.kind)
        .where(ORDER_SERVICE.c.order_id.in_(set(order_ids)))
        .order_by(ORDER_SERVICE.c.id)
    ):
        found[order_id].append(kind)
    return {order_id: tuple(kinds) for order_id, kinds in found.items()}


def orders_by_number(conn: Connection, numbers: Iterable[str]) -> dict[str, Any]:
    lowered = {n.lower() for n in numbers}
    stmt = (
        select(ORDER, CUSTOMER.c.account_number)
        .join(CUSTOMER, CUSTOMER.c.id == ORDER.c.customer_id)
        .where(func.lower(ORDER.c.number).in_(lowered))
    )
    return {row.number.lower(): row for row in conn.execute(stmt)}


def upsert_orders(w: Writer, batch: Sequence[tuple[int, OrderInput]]) -> list[RowResult]:
    accounts = find_accounts(w.conn, (data.account_number for _, data in batch))
    found = orders_by_number(w.conn, (data.number for _, data in batch))
    services = services_of(w.conn, (row.id for row in found.values()))
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
            results.append([case_clash(line, "order_number", data.number, row.number)])
        elif row.customer_id != customer_id:
            results.append(
                [
                    Problem(
                        line,
                        "account_number",
                        data.account_number,
                        f"order {row.number} belongs to account {row.account_number}; an order cannot move to another customer",
                    )
                ]
            )
        elif all(getattr(row, k) == v for k, v in values.items()) and services.get(row.id, ()) == kinds:
            results.append(Outcome.UNCHANGED)
        else:
            updates.append({"row_id": row.id, **values, "version": row.version + 1})
            before = {k: getattr(row, k) for k in values} | {"services": "+".join(services.get(row.id, ()))}
            w.logged(Entity.ORDER, row.id, customer_id, before, values | {"services": "+".join(kinds)})
            if services.get(row.id, ()) != kinds:
                replaced[row.id] = kinds
            if row.ccd != data.ccd:
                rejudged.append(row.id)
            results.append(Outcome.UPDATED)
    ids = insert_returning_ids(w.conn, ORDER, inserts)
    for order_id, made, kinds in zip(ids, inserts, new_services, strict=True):
        after = {k: v for k, v in made.items() if k not in ("customer_id", "version")} | {"services": "+".join(kinds)}
        w.logged(Entity.ORDER, order_id, made["customer_id"], {}, after)
    update_by_id(w.conn, ORDER, updates)
    for order_id in rejudged:
        forget_order(w.session, order_id)  # its steps' "after the CCD" flag is judged again
    if replaced:
        w.conn.execute(delete(ORDER_SERVICE).where(ORDER_SERVICE.c.order_id.in_(list(replaced))))
    rows = [{"order_id": i, "kind": k} for i, kinds in [*zip(ids, new_services, strict=True), *replaced.items()] for k in kinds]
    if rows:
        w.conn.execute(insert(ORDER_SERVICE), rows)
    return results
