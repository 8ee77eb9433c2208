"""Imported sites into the book, matched by customer and name.

Site names match in any case and spacing. A site whose zone, country or
subdivision changes has its steps' hours judged again by the calendar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from ccm_tui.domain.changes import Entity
from ccm_tui.domain.import_report import Problem
from ccm_tui.domain.import_rows import SiteImport, fold_name
from ccm_tui.store.calendar_flags import forget_site
from ccm_tui.store.upsert_batch import (
    SITE,
    Outcome,
    RowResult,
    Writer,
    ambiguous,
    find_accounts,
    insert_returning_ids,
    refresh_search_texts,
    update_by_id,
)

_NOT_LOGGED = ("customer_id", "version")
_SITE_OPTIONAL = {"address": "address", "city": "city", "subdivision": "subdivision"}


def upsert_sites(w: Writer, batch: Sequence[tuple[int, SiteImport]]) -> list[RowResult]:
    accounts = find_accounts(w.conn, (data.account_number for _, data in batch))
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
                [ambiguous(line, "site_name", site.name, f"{len(matches)} sites named {site.name} at {data.account_number}")]
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
            w.logged(Entity.SITE, row.id, customer_id, {k: getattr(row, k) for k in values}, values)
            if row.city != values["city"]:
                touched.add(customer_id)
            if (row.timezone, row.country, row.subdivision) != (
                values["timezone"],
                values["country"],
                values["subdivision"],
            ):
                rejudged.append(row.id)  # another calendar: other holidays, another weekend
            results.append(Outcome.UPDATED)
    for site_id, made in zip(insert_returning_ids(w.conn, SITE, inserts), inserts, strict=True):
        w.logged(Entity.SITE, site_id, made["customer_id"], {}, {k: v for k, v in made.items() if k not in _NOT_LOGGED})
    update_by_id(w.conn, SITE, updates)
    for site_id in rejudged:
        forget_site(w.session, site_id)  # the calendar judges its steps' hours again
    refresh_search_texts(w.conn, touched)
    return results
