"""The tables the seeded book writes, in foreign-key order, and the ids it hands out.

Ids are made here rather than by the database (no round trip per row): each
table's next id is read once, after whatever the book already holds, and
handed out in ranges, so a seed goes on top of the demo or another seed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from ccm_tui.store import tables as t
from ccm_tui.store.sql_types import table_of

Rows = dict[str, list[dict[str, Any]]]

# Table, and the SeedSummary field that counts it, in foreign-key order.
TABLES: tuple[tuple[Table, str], ...] = (
    (table_of(t.CustomerRow), "customers"),
    (table_of(t.ContactRow), "contacts"),
    (table_of(t.SiteRow), "sites"),
    (table_of(t.OrderRow), "orders"),
    (table_of(t.OrderServiceRow), "order_services"),
    (table_of(t.ActivationRow), "activations"),
    (table_of(t.ActivationStepRow), "activation_steps"),
    (table_of(t.ActivationChangeRow), "activation_changes"),
    (table_of(t.TimeEntryRow), "time_entries"),
    (table_of(t.ServiceReviewRow), "service_reviews"),
    (table_of(t.AgendaItemRow), "agenda_items"),
    (table_of(t.ActionItemRow), "action_items"),
    (table_of(t.IncidentRow), "incidents"),
)


def empty_rows() -> Rows:
    return {key: [] for _, key in TABLES}


class SeedIds:
    """The next free id of every seeded table."""

    def __init__(self, conn: Connection) -> None:
        self._next = {key: (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1 for table, key in TABLES}

    def peek(self, key: str) -> int:
        """The id the next row of `key` will get."""
        return self._next[key]

    def take(self, key: str, n: int) -> range:
        """`n` fresh ids of the table `key`."""
        start = self._next[key]
        self._next[key] = start + n
        return range(start, start + n)
