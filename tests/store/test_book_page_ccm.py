"""The book's CCM filter ("my customers"): exact spellings, in SQL, with the text filter, paging and sorting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event

from ccm_tui.domain.book import BookQuery, BookSort
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.ccm_filter import CcmFilter
from ccm_tui.domain.model import Region
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.store.book_page import book_page
from ccm_tui.store.customers import add_customer
from tests.actors import ACTOR

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
MONTH = date(2026, 3, 1)

# (name, CCM as written)
CUSTOMERS = [
    ("Acme Freight", "Alex Morgan"),
    ("Bolt Logistics", "Priya Raman"),
    ("Cobalt Mining", "alex morgan"),
    ("Delta Health", "amorgan"),
    ("Echo Retail", ""),
    ("Fjord Shipping", "Alex Morgan"),
    ("Garnet Foods", "Alex Morganson"),  # not Alex: an exact match, not a prefix
    ("Harbor Acme", "Priya Raman"),
]
ALEX = CcmFilter("Alex Morgan", ("Alex Morgan", "alex morgan", "amorgan"), mine=True)


@pytest.fixture
def book(engine: Engine) -> Engine:
    for n, (name, ccm) in enumerate(CUSTOMERS):
        add_customer(engine, CustomerInput(name, f"NA-{n:03}", Region.NORTH_AMERICA, ccm, Decimal(8), ""), NOW, actor=ACTOR)
    return engine


def names(engine: Engine, **query: object) -> tuple[list[str], int]:
    page = book_page(engine, BookQuery(**query), NOW, MONTH, BusinessHours())  # type: ignore[arg-type]  # the query's fields
    return [row.name for row in page.rows], page.total


def test_a_ccm_filter_keeps_exactly_its_spellings(book: Engine) -> None:
    assert names(book, ccm=ALEX) == (["Acme Freight", "Cobalt Mining", "Delta Health", "Fjord Shipping"], 4)
    one = CcmFilter("Alex Morgan", ("Alex Morgan",))
    assert names(book, ccm=one) == (["Acme Freight", "Fjord Shipping"], 2)
    assert names(book, ccm=CcmFilter("Jonas Weber", ("Jonas Weber",))) == ([], 0)
    assert names(book) == ([name for name, _ in CUSTOMERS], len(CUSTOMERS))  # no filter: everyone


def test_the_ccm_filter_combines_with_the_text_filter(book: Engine) -> None:
    assert names(book, ccm=ALEX, text="acme") == (["Acme Freight"], 1)
    priya = CcmFilter("Priya Raman", ("Priya Raman",))
    assert names(book, ccm=priya, text="acme") == (["Harbor Acme"], 1)
    assert names(book, ccm=priya, text="cobalt") == ([], 0)


def test_paging_and_sorting_stay_in_the_filter(book: Engine) -> None:
    assert names(book, ccm=ALEX, offset=1, limit=2) == (["Cobalt Mining", "Delta Health"], 4)
    assert names(book, ccm=ALEX, descending=True, limit=3) == (["Fjord Shipping", "Delta Health", "Cobalt Mining"], 4)
    by_ccm, _ = names(book, ccm=ALEX, sort=BookSort.CCM)
    assert by_ccm == [
        "Acme Freight",
        "Fjord Shipping",
        "Cobalt Mining",
        "Delta Health",
    ]  # "Alex Morgan" < "alex morgan" < "amorgan"
    for sort in (BookSort.NEXT_ACTIVATION, BookSort.HOURS):
        rows, total = names(book, ccm=ALEX, sort=sort)
        assert sorted(rows) == ["Acme Freight", "Cobalt Mining", "Delta Health", "Fjord Shipping"] and total == 4


@pytest.mark.sqlite_only  # SQLite's query plan
def test_the_filter_reads_the_ccm_index(book: Engine) -> None:
    seen: list[tuple[str, object]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: object, _context: object, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(book, "before_cursor_execute", record)
    try:
        names(book, ccm=ALEX)
    finally:
        event.remove(book, "before_cursor_execute", record)
    count_sql, parameters = next((sql, p) for sql, p in seen if "count(" in sql.lower())
    with book.connect() as connection:
        plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {count_sql}", parameters))  # type: ignore[arg-type]  # the DB-API's own parameters
    assert "ix_customer_ccm" in plan, plan
