"""Imported customers into the book, matched by account number.

Account numbers are exact keys: one that differs from the book's only in
case is refused as a duplicate (NA-1 and na-1 are one account to a CCM).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select

from ccm_tui.domain.changes import Entity
from ccm_tui.domain.search_text import customer_search_text, customer_sort_name
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.store.convert import minutes
from ccm_tui.store.upsert_batch import (
    CUSTOMER,
    Outcome,
    RowResult,
    Writer,
    case_clash,
    refresh_search_texts,
    update_by_id,
)

_CUSTOMER_OPTIONAL = {"ccm": "ccm", "hours_per_month_minutes": "hours_per_month", "notes": "notes"}


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
    created: list[dict[str, Any]] = []  # what each insert was made with, for the change log
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
                    "sort_name": customer_sort_name(data.name),
                    "search_text": customer_search_text(data.name, data.account_number, (), ()),
                    "version": 1,
                    "created_at": w.stamp,
                    "updated_at": w.stamp,
                }
            )
            created.append({"account_number": data.account_number, **values})
            results.append(Outcome.CREATED)
        elif row.account_number != data.account_number:
            results.append([case_clash(line, "account_number", data.account_number, f"{row.account_number} ({row.name})")])
        elif all(getattr(row, k) == v for k, v in values.items()):
            results.append(Outcome.UNCHANGED)
        else:
            updates.append(
                {
                    "row_id": row.id,
                    **values,
                    "sort_name": customer_sort_name(data.name),
                    "version": row.version + 1,
                    "updated_at": w.stamp,
                }
            )
            w.logged(Entity.CUSTOMER, row.id, row.id, {k: getattr(row, k) for k in values}, values)
            if row.name != data.name:
                renamed.append(row.id)
            results.append(Outcome.UPDATED)
    if inserts:
        # executemany without RETURNING: SQLite's ordered RETURNING goes a row at a time;
        # the account numbers are keys, so one query reads the new ids back
        w.conn.execute(insert(CUSTOMER), inserts)
        new = [c["account_number"] for c in created]
        ids: dict[str, int] = {
            number: customer_id
            for number, customer_id in w.conn.execute(
                select(CUSTOMER.c.account_number, CUSTOMER.c.id).where(CUSTOMER.c.account_number.in_(new))
            )
        }
        for made in created:
            customer_id = ids[made["account_number"]]
            w.logged(Entity.CUSTOMER, customer_id, customer_id, {}, made)
    update_by_id(w.conn, CUSTOMER, updates)
    refresh_search_texts(w.conn, renamed)
    return results
