"""Time entries: hours in, minutes stored, hours out; ranges by day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Region, TaskCategory
from ccm_tui.domain.validation import CustomerInput, TimeEntryInput
from ccm_tui.errors import NotFound
from ccm_tui.store import tables
from ccm_tui.store.book_page import book_page
from ccm_tui.store.customers import add_customer
from ccm_tui.store.engine import read_session
from ccm_tui.store.time_entries import entries_between, log_time
from tests.actors import ACTOR, AT

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def ledger(engine):
    return engine  # a migrated book of its own, on each engine (tests/store/conftest.py)


def new_customer(engine, account):
    return add_customer(engine, CustomerInput(f"Customer {account}", account, Region.EMEA, "", Decimal(4), ""), NOW, actor=ACTOR)


def entry(day, hours, category=TaskCategory.FINANCE, note=""):
    return TimeEntryInput(day, Decimal(hours), category, note)


@pytest.mark.parametrize(("hours", "stored"), [("1", 60), ("0.25", 15), ("1.33", 80), ("7.5", 450)])
def test_hours_are_stored_as_minutes(ledger, hours, stored):
    acme = new_customer(ledger, "EM-1")
    made = log_time(ledger, acme.id, entry(date(2026, 3, 2), hours, note="billing call"), ACTOR, AT)
    with read_session(ledger) as session:
        assert session.get(tables.TimeEntryRow, made.id).minutes == stored
    assert made.hours == (Decimal(stored) / 60).quantize(Decimal("0.01"))
    assert (made.customer_id, made.day, made.category, made.note, made.who) == (
        acme.id,
        date(2026, 3, 2),
        TaskCategory.FINANCE,
        "billing call",
        ACTOR.author,
    )


def test_entries_between_includes_both_days_oldest_first(ledger):
    acme = new_customer(ledger, "EM-1")
    other = new_customer(ledger, "EM-2")
    days = [date(2026, 3, 31), date(2026, 3, 1), date(2026, 2, 28), date(2026, 4, 1), date(2026, 3, 15)]
    for day in days:
        log_time(ledger, acme.id, entry(day, "1"), ACTOR, AT)
    log_time(ledger, other.id, entry(date(2026, 3, 15), "1"), ACTOR, AT)
    found = entries_between(ledger, acme.id, date(2026, 3, 1), date(2026, 3, 31))
    assert [e.day for e in found] == [date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 31)]
    assert all(e.customer_id == acme.id for e in found)
    assert entries_between(ledger, acme.id, date(2025, 1, 1), date(2025, 12, 31)) == []


def test_logged_hours_show_in_the_book(ledger):
    acme = new_customer(ledger, "EM-1")
    log_time(ledger, acme.id, entry(date(2026, 3, 2), "1.5"), ACTOR, AT)
    log_time(ledger, acme.id, entry(date(2026, 3, 3), "0.75", TaskCategory.RELATIONSHIP), ACTOR, AT)
    (row,) = book_page(ledger, BookQuery(), NOW, date(2026, 3, 1), BusinessHours()).rows
    assert (row.hours_used, row.hours_package) == (Decimal("2.25"), Decimal("4.00"))


def test_logging_for_a_missing_customer_is_not_found(ledger):
    with pytest.raises(NotFound):
        log_time(ledger, 7, entry(date(2026, 3, 2), "1"), ACTOR, AT)
