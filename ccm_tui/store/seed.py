"""A large generated book for benchmarks (50,000 customers in seconds).

The demo's realism in a simpler form: customers in every region with their
sites and contacts (`store.seed_customers`), orders whose services each get
an activation per site, with steps in every status and a history that
follows the status machine (`store.seed_activations`), and this month's
time entries. Besides, what a book in use has: service reviews and
incidents (`store.seed_reviews`) and checklists for the activations around
today (`store.seed_checklists`). Every natural key the CSV files match on is
unique, so `ccm export csv` then `ccm import all` gives the same book.

Speed comes from SQLAlchemy Core: ids are generated here (`store.seed_ids`,
no round trip per row), rows are built as plain dicts and inserted with
executemany, a chunk of customers at a time in foreign-key order, all in one
transaction. Generated rows are nobody's edits: they write no change-log
entries. Steps are written with the calendar's derived columns, judged with
the business hours given (`store.calendar_flags`), so the calendar's first
read has nothing left to derive.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, time

from sqlalchemy import Engine, delete, func, insert, select

from ccm_tui.data_files import load_checklist_templates
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.store import tables as t
from ccm_tui.store.calendar_flags import claim_basis
from ccm_tui.store.demo_settings import load_demo_settings
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.seed_activations import OrderSeeder
from ccm_tui.store.seed_checklists import seed_checklists
from ccm_tui.store.seed_customers import CustomerSeeder
from ccm_tui.store.seed_ids import TABLES, SeedIds
from ccm_tui.store.seed_reviews import ReviewSeeder
from ccm_tui.store.sequences import advance_sequences, refresh_statistics
from ccm_tui.store.sql_types import table_of

CHUNK_CUSTOMERS = 2_000  # customers generated and inserted at a time


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """Rows written per table."""

    customers: int = 0
    contacts: int = 0
    sites: int = 0
    orders: int = 0
    order_services: int = 0
    activations: int = 0
    activation_steps: int = 0
    activation_changes: int = 0
    time_entries: int = 0
    service_reviews: int = 0
    agenda_items: int = 0
    action_items: int = 0
    incidents: int = 0
    checklist_items: int = 0
    checklist_changes: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


def seed_book(
    engine: Engine,
    customers: int,
    activations: int,
    today: date,
    rng_seed: int = 1,
    progress: Callable[[str], None] | None = None,
    hours: BusinessHours | None = None,
) -> SeedSummary:
    """Add `customers` customers and `activations` activations, in one transaction.

    `hours`: the business hours the calendar will be read with (the steps'
    after-hours flags are judged with them; the default's 08:00-17:00 else).
    """
    if customers < 1 or activations < 0:
        raise ValueError("seed at least one customer and no negative number of activations")
    report = progress or (lambda _message: None)
    counts = dict.fromkeys((key for _, key in TABLES), 0)
    now = _noon(today)
    with write_session(engine) as session:
        conn = session.connection()
        ids = SeedIds(conn)
        rng = random.Random(rng_seed)
        settings = load_demo_settings()
        seeder = CustomerSeeder(
            today,
            now,
            rng,
            ids,
            settings,
            reviews=ReviewSeeder(today, now, rng_seed),
            orders=OrderSeeder(today, now, rng, ids, settings.places, claim_basis(conn, hours or BusinessHours())),
        )
        first_activation = ids.peek("activations")
        base, extra = divmod(activations, customers)
        for first in range(0, customers, CHUNK_CUSTOMERS):
            last = min(customers, first + CHUNK_CUSTOMERS)
            rows = seeder.chunk([base + (1 if i < extra else 0) for i in range(first, last)])
            for table, key in TABLES:
                if rows[key]:
                    conn.execute(insert(table), rows[key])
                    counts[key] += len(rows[key])
            report(f"customers {last:,}/{customers:,}, activations {counts['activations']:,}/{activations:,}")
        report("checklists")
        # the shipped templates, never a user's copy: the same seed gives the same book everywhere
        templates = load_checklist_templates().templates
        items, changes = seed_checklists(conn, templates, first_activation, now)
        meta = table_of(t.BookMetaRow)
        conn.execute(delete(meta).where(meta.c.key.in_(("kind", "seed_anchor"))))
        conn.execute(insert(meta), [{"key": "kind", "value": "seed"}, {"key": "seed_anchor", "value": today.isoformat()}])
        advance_sequences(conn)  # SeedIds handed out the ids, not PostgreSQL's sequences
        report("committing")
    refresh_statistics(engine)
    return SeedSummary(**counts, checklist_items=items, checklist_changes=changes)


def customer_count(engine: Engine) -> int:
    """How many customers the book holds (a server's book is seeded only when empty, or with --force)."""
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(table_of(t.CustomerRow))).scalar_one()


def _noon(today: date) -> datetime:
    """The seed's "now": noon UTC (naive, as stored) on its day."""
    return datetime.combine(today, time(12, 0))
