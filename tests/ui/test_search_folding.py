"""Pilot: what a CCM types finds accented names, in the book's `/` and in the palette."""

from __future__ import annotations

import pytest

from ccm_tui.app import CcmApp
from ccm_tui.domain.book_search import BookHit, HitKind
from ccm_tui.palette.finds import hit_label, narrowed
from ccm_tui.screens.activation_detail import ActivationDetailScreen
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.services import Services
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle
from tests.ui.test_customer_book import type_into, wait_for_palette

CAFE = "Café Lumière SARL"


@pytest.mark.parametrize(
    ("hit", "label"),
    [
        (BookHit(HitKind.CONTACT, "Chloé Martin", 1, CAFE), "contact Chloé Martin · Café Lumière SARL"),
        (
            BookHit(HitKind.CONTACT, "Chloé Martin", 1, CAFE, matched="chloe@x.fr"),
            "contact Chloé Martin <chloe@x.fr> · Café Lumière SARL",
        ),
        (
            BookHit(HitKind.CONTACT, "Chloé Martin", 1, CAFE, matched="+33 1 42"),
            "contact Chloé Martin, +33 1 42 · Café Lumière SARL",
        ),
        (BookHit(HitKind.CITY, "São Paulo", 1, CAFE), "city São Paulo · Café Lumière SARL"),
        (BookHit(HitKind.ORDER, "ORD-623573", 1, CAFE), "order ORD-623573 · Café Lumière SARL"),
        (
            BookHit(HitKind.ACTIVATION, "VPN at Siège", 1, CAFE, order_number="ORD-623573", activation_id=4),
            "activation VPN at Siège · order ORD-623573 · Café Lumière SARL",
        ),
    ],
)
def test_each_hit_says_what_it_is_and_whose(hit: BookHit, label: str) -> None:
    assert hit_label(hit) == label


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("order 6235", (HitKind.ORDER, "6235")),
        ("  City  São Paulo ", (HitKind.CITY, "São Paulo")),
        ("chloe martin", (None, "chloe martin")),
        ("order", (None, "order")),  # a kind alone is a search for the word
    ],
)
def test_a_kind_first_narrows_the_search(query: str, expected: tuple[HitKind | None, str]) -> None:
    assert narrowed(query) == expected


async def test_slash_cafe_finds_cafe_lumiere(demo_app: CcmApp, demo_services: Services) -> None:
    wanted = [hit for hit in demo_services.book.find_customers("Café Lumière") if hit.name.startswith("Café Lumière")]
    assert len(wanted) == 1
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("slash")
        await type_into(pilot, "cafe lumiere")
        await settle(pilot, demo_app)
        table = demo_app.screen.query_one(CustomerTable)
        assert table.loaded == 1
        current = table.current()
        assert current is not None and current.customer_id == wanted[0].customer_id


async def test_the_palette_finds_a_contact_by_e_mail(demo_app: CcmApp, demo_services: Services) -> None:
    customer = demo_services.book.find_customers("Café Lumière")[0]
    contact = demo_services.book.customer_detail(customer.customer_id).contacts[0]
    assert contact.email
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, contact.email.upper())
        await settle(pilot, demo_app)  # the palette searches in a worker and a thread
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
        assert demo_app.screen.customer_id == customer.customer_id


async def test_the_palette_opens_an_activation_found_by_its_order(demo_app: CcmApp, demo_services: Services) -> None:
    hit = next(h for h in demo_services.book.find_in_book("ord-") if h.activation_id is not None)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, f"activation {hit.order_number.lower()}")
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ActivationDetailScreen)
        assert demo_app.screen.activation_id == hit.activation_id
