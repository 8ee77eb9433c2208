"""The tables the seeded book writes, in foreign-key order, and the ids it hands out.

Ids are made here rather than by the database (no round trip per row): each
table's next id is read once, after whatever the book already holds, and
handed out in ranges, so a seed goes on top of the demo or another seed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from ccm_tui.store import tables as t

Rows = dict[str, list[dict[str, Any]]]

# Table, and the SeedSummary field that counts it, in foreign-key order.
TABLES: tuple[tuple[Table, str], ...] = (
    (t.CustomerRow.__table__, "customers"),  # type: ignore[attr-defined]
    (t.ContactRow.__table__, "contacts"),  # type: ignore[attr-defined]
    (t.SiteRow.__table__, "sites"),  # type: ignore[attr-defined]
    (t.OrderRow.__table__, "orders"),  # type: ignore[attr-defined]
    (t.OrderServiceRow.__table__, "order_services"),  # type: ignore[attr-defined]
    (t.ActivationRow.__table__, "activations"),  # type: ignore[attr-defined]
    (t.ActivationStepRow.__table__, "activation_steps"),  # type: ignore[attr-defined]
    (t.ActivationChangeRow.__table__, "activation_changes"),  # type: ignore[attr-defined]
    (t.TimeEntryRow.__table__, "time_entries"),  # type: ignore[attr-defined]
    (t.ServiceReviewRow.__table__, "service_reviews"),  # type: ignore[attr-defined]
    (t.AgendaItemRow.__table__, "agenda_items"),  # type: ignore[attr-defined]
    (t.ActionItemRow.__table__, "action_items"),  # type: ignore[attr-defined]
    (t.IncidentRow.__table__, "incidents"),  # type: ignore[attr-defined]
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
