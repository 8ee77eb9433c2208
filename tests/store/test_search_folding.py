"""Search ignores accents and case on both engines: the book's `/`, the customer
search, and the palette's contacts, cities, orders and activations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from ccm_tui.domain.book import BookQuery, BookSort
from ccm_tui.domain.book_search import BookHit, HitKind
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Region
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.store import tables
from ccm_tui.store.book_page import book_page, find_customers
from ccm_tui.store.book_search import find_in_book
from ccm_tui.store.customers import add_customer, refresh_search_text
from ccm_tui.store.engine import write_session
from tests.actors import ACTOR

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def _customer(engine: Engine, name: str, account: str) -> int:
    return add_customer(engine, CustomerInput(name, account, Region.EMEA, "Dana", Decimal(10), ""), NOW, actor=ACTOR).id


def _rows(engine: Engine, customer_id: int, *rows: object) -> None:
    with write_session(engine) as session:
        for row in rows:
            session.add(row)
            session.flush()
        refresh_search_text(session, customer_id)


@pytest.fixture
def book(engine: Engine) -> Iterator[Engine]:
    cafe = _customer(engine, "Café Lumière SARL", "EU-7")
    site = tables.SiteRow(customer_id=cafe, name="Siège", city="São Paulo", country="BR", timezone="America/Sao_Paulo")
    order = tables.OrderRow(customer_id=cafe, number="ORD-623573", status="provisioning", ccd=date(2026, 4, 1))
    _rows(
        engine,
        cafe,
        tables.ContactRow(customer_id=cafe, name="Chloé Martin", phone="+33 1 42 68 53 00", email="chloe.martin@cafe-lumiere.fr"),
        site,
        order,
    )
    assert site.id is not None and order.id is not None
    _rows(engine, cafe, tables.ActivationRow(customer_id=cafe, order_id=order.id, site_id=site.id, service="VPN"))
    _customer(engine, "Émile Industries", "EU-8")
    _customer(engine, "Zeta Freight", "EU-9")
    _customer(engine, "Delta Ltd", "EU-10")
    yield engine


def _names(engine: Engine, text: str, sort: BookSort = BookSort.NAME) -> list[str]:
    page = book_page(engine, BookQuery(text=text, sort=sort), NOW, date(2026, 3, 1), BusinessHours())
    return [row.name for row in page.rows]


@pytest.mark.parametrize("typed", ["cafe", "CAFÉ", "Café", "lumiere", "chloe", "CHLOÉ", "sao paulo", "SÃO  PAULO"])
def test_the_books_filter_ignores_accents_and_case(book: Engine, typed: str) -> None:
    assert _names(book, typed) == ["Café Lumière SARL"]


@pytest.mark.parametrize("typed", ["cafe", "CAFÉ", "lumière", "eu-7"])
def test_the_customer_search_ignores_accents_and_case(book: Engine, typed: str) -> None:
    assert [hit.name for hit in find_customers(book, typed)] == ["Café Lumière SARL"]


def test_an_accented_name_sorts_with_its_plain_letter(book: Engine) -> None:
    assert _names(book, "") == ["Café Lumière SARL", "Delta Ltd", "Émile Industries", "Zeta Freight"]


def _found(engine: Engine, text: str) -> list[tuple[HitKind, str, str, str]]:
    return [(h.kind, h.what, h.matched, h.customer_name) for h in find_in_book(engine, text)]


CAFE = "Café Lumière SARL"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chloe", [(HitKind.CONTACT, "Chloé Martin", "", CAFE)]),
        ("MARTIN", [(HitKind.CONTACT, "Chloé Martin", "", CAFE)]),
        ("martin@cafe-lumiere", [(HitKind.CONTACT, "Chloé Martin", "chloe.martin@cafe-lumiere.fr", CAFE)]),
        ("42 68 53", [(HitKind.CONTACT, "Chloé Martin", "+33 1 42 68 53 00", CAFE)]),
        ("426853", [(HitKind.CONTACT, "Chloé Martin", "+33 1 42 68 53 00", CAFE)]),
        ("sao paulo", [(HitKind.CITY, "São Paulo", "", CAFE)]),
        ("ord-6235", [(HitKind.ORDER, "ORD-623573", "", CAFE), (HitKind.ACTIVATION, "VPN at Siège", "", CAFE)]),
        ("lumiere sarl", []),  # the customer itself: find_customers finds it
        ("zzqq", []),
        ("50%", []),  # a wildcard is a character
    ],
)
def test_the_palette_finds_contacts_cities_orders_and_activations(
    book: Engine, typed: str, expected: list[tuple[HitKind, str, str, str]]
) -> None:
    assert _found(book, typed) == expected


def test_an_activation_hit_names_its_order_and_opens_the_activation(book: Engine) -> None:
    activation = next(h for h in find_in_book(book, "623573") if h.kind is HitKind.ACTIVATION)
    assert isinstance(activation, BookHit)
    assert activation.order_number == "ORD-623573" and activation.activation_id is not None


def test_each_kind_is_limited(book: Engine) -> None:
    cafe = find_customers(book, "cafe")[0].customer_id
    _rows(book, cafe, *(tables.ContactRow(customer_id=cafe, name=f"Chloé {n}") for n in range(5)))
    assert len([h for h in find_in_book(book, "chloe", per_kind=3) if h.kind is HitKind.CONTACT]) == 3
