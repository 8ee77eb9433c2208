"""The demo book: a realistic book of customers, built from `data/demo.toml`.

It is generated, not shipped: a fixed seed gives the same book for the same
day, and every date is counted from `today` (history from `now`), so the demo
always shows last month's activations, the next two months' schedule, this
month's hours and recent reviews. It covers what the app has to show: every
step status, after-hours and weekend windows, changes inside the late-change
window, an order past its CCD, one at risk, fees, overdue contact reviews,
customers near or over their hours, open action items.

This module builds the whole book in order and writes it, all rows in one
transaction; `demo_is_current` tells whether the book on disk was built
for today (the app rebuilds it when not). The parts, each drawn by its own
module: the settings (`store.demo_settings`), the book while it is built
and its ids (`store.demo_model`), customers with their sites and contacts
(`store.demo_customers`), orders and the scenario each activation plays
(`store.demo_orders`), each activation's windows, steps and history
(`store.demo_schedule`, `store.demo_windows`, `store.demo_steps`),
checklists (`store.demo_checklists`), hours (`store.demo_hours`), and
service reviews with incidents (`store.demo_reviews`).

Its rows are generated, not edited by anyone: they write no change-log
entries (the log starts empty, and the app's edits in the demo add to it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import Engine, func, insert, select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.errors import StoreError
from ccm_tui.store import tables as t
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.calendar_flags import claim_basis, judge_missing
from ccm_tui.store.demo_checklists import add_checklist
from ccm_tui.store.demo_customers import (
    add_customer,
    ensure_review_mix,
    region_sequence,
)
from ccm_tui.store.demo_hours import add_time_entries
from ccm_tui.store.demo_model import TABLES, DemoBook, Rows
from ccm_tui.store.demo_orders import add_order_rows, add_orders, assign_scenarios
from ccm_tui.store.demo_reviews import add_cadences_and_incidents, add_reviews
from ccm_tui.store.demo_schedule import schedule
from ccm_tui.store.demo_settings import load_demo_settings
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.sequences import advance_sequences
from ccm_tui.store.sql_types import table_of


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """Rows written per table."""

    book_meta: int = 0
    customers: int = 0
    contacts: int = 0
    sites: int = 0
    orders: int = 0
    order_services: int = 0
    activations: int = 0
    activation_steps: int = 0
    activation_changes: int = 0
    checklist_items: int = 0
    checklist_changes: int = 0
    time_entries: int = 0
    service_reviews: int = 0
    agenda_items: int = 0
    action_items: int = 0
    incidents: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


def build_demo_book(engine: Engine, today: date, now: datetime, hours: BusinessHours | None = None) -> DemoSummary:
    """Write the demo book into an empty book, in one transaction.

    Its steps get the calendar's derived columns in the same transaction,
    judged with `hours` (the calendar's; 08:00-17:00 by default), so the
    calendar's first read has nothing to derive.
    """
    rows = build_demo_rows(DemoBook(load_demo_settings(), today, now))
    with write_session(engine) as session:
        present = session.execute(select(func.count()).select_from(table_of(t.CustomerRow))).scalar_one()
        if present:
            raise StoreError(f"the demo book is only built into an empty book; this one has {present} customers")
        for table, key in TABLES:
            if rows[key]:
                session.connection().execute(insert(table), rows[key])
        refresh_blocking_offsets(session.connection())
        judge = claim_basis(session.connection(), hours or BusinessHours())
        if judge is not None:
            judge_missing(session, judge)
        advance_sequences(session.connection())  # the demo's ids were handed out here, not by PostgreSQL
    return DemoSummary(**{key: len(rows[key]) for _, key in TABLES})


def demo_is_current(engine: Engine, today: date) -> bool:
    """True when the book holds a demo built for `today`."""
    with read_session(engine) as session:
        anchor = session.get(t.BookMetaRow, "demo_anchor")
        return anchor is not None and anchor.value == today.isoformat()


def build_demo_rows(book: DemoBook) -> Rows:
    """Every row of the demo, per table. The parts draw from one random
    stream in this order: changing the order changes the book."""
    book.rows["book_meta"] += [
        {"key": "demo_anchor", "value": book.today.isoformat()},
        {"key": "kind", "value": "demo"},
    ]
    for region in region_sequence(book):
        add_customer(book, region)
    ensure_review_mix(book)
    for customer in book.customers:
        add_orders(book, customer)
    assign_scenarios(book)
    for order in book.orders:
        for activation in order.activations:
            schedule(book, activation)
        add_order_rows(book, order)
    for order in book.orders:
        for activation in order.activations:
            add_checklist(book, activation)
    add_time_entries(book)
    add_reviews(book)
    add_cadences_and_incidents(book)
    return book.rows
