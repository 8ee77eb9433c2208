"""The book's status line counts: with a filter on, its matches of the whole book ("29 of 40")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine

from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.ccm_filter import CcmFilter
from ccm_tui.domain.model import Region
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.store.book_page import book_page
from ccm_tui.store.customers import add_customer
from tests.actors import ACTOR

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
MONTH = date(2026, 3, 1)
CUSTOMERS = [("Café Lumière", "Alex Morgan"), ("Cafe Norte", "Priya Raman"), ("Bolt Logistics", "Alex Morgan"), ("Delta", "")]


def counts(engine: Engine, query: BookQuery) -> tuple[int, int | None]:
    page = book_page(engine, query, NOW, MONTH, BusinessHours())
    return page.total, page.book_total


def test_a_filtered_page_counts_the_whole_book_too(engine: Engine) -> None:
    for n, (name, ccm) in enumerate(CUSTOMERS):
        add_customer(engine, CustomerInput(name, f"NA-{n:03}", Region.NORTH_AMERICA, ccm, Decimal(8), ""), NOW, actor=ACTOR)
    alex = CcmFilter("Alex Morgan", ("Alex Morgan",), mine=True)
    assert counts(engine, BookQuery()) == (4, None)  # no filter: the total is the whole book
    assert counts(engine, BookQuery(text="cafe")) == (2, 4)
    assert counts(engine, BookQuery(ccm=alex)) == (2, 4)
    assert counts(engine, BookQuery(ccm=alex, text="cafe")) == (1, 4)
    assert counts(engine, BookQuery(text="nobody")) == (0, 4)  # no rows: counted all the same
    assert counts(engine, BookQuery(text="cafe", offset=1, limit=1)) == (2, 4)  # a later page too
