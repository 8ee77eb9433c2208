"""Imported contacts into the book, matched by customer and name.

Contact names match in any case and spacing; two contacts of one name at a
customer make the row ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from ccm_tui.domain.changes import Entity
from ccm_tui.domain.import_report import Problem
from ccm_tui.domain.import_rows import ContactImport, fold_name
from ccm_tui.store.convert import roles_text
from ccm_tui.store.upsert_batch import (
    CONTACT,
    Outcome,
    RowResult,
    Writer,
    ambiguous,
    find_accounts,
    insert_returning_ids,
    refresh_search_texts,
    update_by_id,
)

_LOGGED = ("name", "roles", "phone", "email", "last_reviewed")
_CONTACT_OPTIONAL = {"phone": "phone", "email": "email", "last_reviewed": "last_reviewed"}


def upsert_contacts(w: Writer, batch: Sequence[tuple[int, ContactImport]]) -> list[RowResult]:
    accounts = find_accounts(w.conn, (data.account_number for _, data in batch))
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
                    ambiguous(
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
            w.logged(Entity.CONTACT, row.id, customer_id, {k: getattr(row, k) for k in values}, values)
            if row.name != contact.name:
                touched.add(customer_id)
            results.append(Outcome.UPDATED)
    for contact_id, made in zip(insert_returning_ids(w.conn, CONTACT, inserts), inserts, strict=True):
        w.logged(Entity.CONTACT, contact_id, made["customer_id"], {}, {k: v for k, v in made.items() if k in _LOGGED})
    update_by_id(w.conn, CONTACT, updates)
    refresh_search_texts(w.conn, touched)
    return results
