"""Every LIKE search uses at most QUERY_LIMIT characters of its query, wildcards taken literally.

SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too
complex"): a pasted page of text once ended the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Region
from ccm_tui.domain.search_text import QUERY_LIMIT, fold, query_is_cut, query_text
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.store.book_page import book_page, find_customers
from ccm_tui.store.checklist_upcoming import count_upcoming
from ccm_tui.store.customers import add_customer
from tests.actors import ACTOR

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
PAGE = "Acme Logistics " * 4000  # 60,000 characters, over SQLite's 50,000-byte pattern limit


@pytest.mark.parametrize(
    ("typed", "used", "cut"),
    [
        ("  Acme   LOGISTICS ", "acme logistics", False),
        ("a" * QUERY_LIMIT, "a" * QUERY_LIMIT, False),
        ("a" * (QUERY_LIMIT + 50), "a" * QUERY_LIMIT, True),
        ("a" * (QUERY_LIMIT - 1) + " b", "a" * (QUERY_LIMIT - 1), True),  # no trailing space left by the cut
        ("50%_off", "50%_off", False),  # wildcards are escaped by the query, not dropped here
        (PAGE, fold(PAGE)[:QUERY_LIMIT].rstrip(), True),
    ],
    ids=["folded", "at-the-limit", "over", "cut-at-a-space", "wildcards", "a-page"],
)
def test_query_text(typed: str, used: str, cut: bool) -> None:
    assert query_text(typed) == used
    assert query_is_cut(typed) is cut


@given(st.text())
def test_the_query_used_is_a_bounded_prefix_of_the_folded_text(typed: str) -> None:
    used = query_text(typed)
    assert len(used) <= QUERY_LIMIT
    assert fold(typed).startswith(used)
    assert query_is_cut(typed) is (len(fold(typed)) > QUERY_LIMIT)


@pytest.fixture
def book(engine: Engine) -> Iterator[Engine]:
    add_customer(engine, CustomerInput("Acme Logistics", "NA-1", Region.NORTH_AMERICA, "Dana", Decimal(10), ""), NOW, actor=ACTOR)
    add_customer(
        engine, CustomerInput("Fifty Percent_Off", "NA-2", Region.NORTH_AMERICA, "Dana", Decimal(10), ""), NOW, actor=ACTOR
    )
    yield engine
    engine.dispose()


def test_a_page_of_text_is_searched_by_its_first_characters_everywhere(book: Engine) -> None:
    assert len(PAGE) == 60_000
    page = book_page(book, BookQuery(text=PAGE), NOW, date(2026, 3, 1), BusinessHours())
    assert page.total == 0  # "acme logistics acme logistics ..." is no customer's text
    assert find_customers(book, PAGE) == []
    assert count_upcoming(book, PAGE, NOW) == 0
    # cut to the first characters, a long query still finds what they name
    padded = "Acme" + " " * 60_000 + "Logistics"
    assert [hit.name for hit in find_customers(book, padded)] == ["Acme Logistics"]


# unescaped, "_" would match the space in "fifty percent"
@pytest.mark.parametrize(("typed", "found"), [("%", []), ("_", ["Fifty Percent_Off"]), ("y_p", [])])
def test_like_wildcards_match_themselves(book: Engine, typed: str, found: list[str]) -> None:
    assert [hit.name for hit in find_customers(book, typed)] == found
    page = book_page(book, BookQuery(text=typed), NOW, date(2026, 3, 1), BusinessHours())
    assert [row.name for row in page.rows] == found
