"""Pilot flows on "my customers": key m, Esc, and the palette's "Book: customers of <name>"."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col
from textual.pilot import Pilot
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.help import HelpScreen
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import CustomerRow
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle
from tests.ui.test_customer_book import type_into, wait_for_palette


def customers_of(services: Services, *names: str) -> set[int]:
    """From the database: the customers whose CCM is one of `names`, case aside."""
    folded = {name.lower() for name in names}
    with read_session(services.engine) as session:
        return set(session.scalars(select(col(CustomerRow.id)).where(func.lower(CustomerRow.ccm).in_(folded))))


def every_customer(services: Services) -> set[int]:
    with read_session(services.engine) as session:
        return set(session.scalars(select(col(CustomerRow.id))))


def shown(app: CcmApp) -> set[int]:
    table = app.screen.query_one(CustomerTable)
    assert table.complete, "the whole filter fits one page"
    return {row.customer_id for row in table.rows_loaded}


def status(app: CcmApp) -> str:
    return str(app.screen.query_one("#book-status", Static).render())


async def press(pilot: Pilot[None], app: CcmApp, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot, app)


async def test_m_shows_exactly_my_customers_and_esc_peels_the_filters(demo_app: CcmApp, demo_services: Services) -> None:
    actor = demo_services.actor
    mine = customers_of(demo_services, actor.name, actor.login)
    everyone = every_customer(demo_services)
    assert 0 < len(mine) < len(everyone)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "m")
        assert shown(demo_app) == mine
        assert status(demo_app).startswith(f"my customers · {len(mine)} of {len(everyone)} customers")  # of the whole book
        # a text filter searches among my customers
        first = demo_services.book.get_customer(min(mine))
        await press(pilot, demo_app, "slash")
        await type_into(pilot, first.account_number.lower())
        await settle(pilot, demo_app)
        assert shown(demo_app) == {first.id}
        # Esc: the text first, my customers stay; again: every customer
        await press(pilot, demo_app, "escape")
        assert shown(demo_app) == mine
        await press(pilot, demo_app, "escape")
        assert shown(demo_app) == everyone and "my customers" not in status(demo_app)
        # m toggles
        await press(pilot, demo_app, "m")
        assert shown(demo_app) == mine
        await press(pilot, demo_app, "m")
        assert shown(demo_app) == everyone


async def test_the_help_lists_m(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "question_mark")
        assert isinstance(demo_app.screen, HelpScreen)
        assert ("m", "My customers", "this screen") in demo_app.screen.rows


async def test_the_palette_shows_the_customers_of_a_ccm(demo_app: CcmApp, demo_services: Services) -> None:
    assert "Priya Raman" in demo_services.book.ccm_choices()
    priya = customers_of(demo_services, "Priya Raman")
    assert priya
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "2")  # from the calendar: the palette goes to the book
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, "customers of priya")
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "enter")
        assert isinstance(demo_app.screen, CustomerBookScreen)
        assert shown(demo_app) == priya
        assert status(demo_app).startswith("customers of Priya Raman · ")
        # "my customers" from the palette
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, "book: my customers")
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "enter")
        assert shown(demo_app) == customers_of(demo_services, demo_services.actor.name, demo_services.actor.login)


async def test_the_customer_form_suggests_ccm_names(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "n")
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        field = dialog.query_one("#field-ccm", Input)
        field.focus()
        field.value = ""
        await type_into(pilot, "pri")
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "right")  # right, at the end, takes the suggestion
        assert field.value == "Priya Raman"
        field.value = "Someone New"  # a suggestion, not a constraint
        await press(pilot, demo_app, "ctrl+s")
        assert demo_app.screen is dialog  # other fields are missing, but the CCM is not refused
        assert not str(dialog.query_one("#error-ccm", Static).render()).strip()
