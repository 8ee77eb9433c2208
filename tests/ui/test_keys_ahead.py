"""Keys typed in one burst with a form's key wait for the form: none reach the screen beneath.

A form that reads the book first (the new customer's CCM names, the
customer to edit) opens a moment after its key; the letters typed in that
moment used to go to the book, where `e`, `t` and `s` are keys of their own.
"""

from __future__ import annotations

from textual.widgets import Input

from ccm_tui.app import CcmApp
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from tests.pilot_helpers import burst, settle


async def test_a_name_typed_with_n_lands_in_the_new_customers_first_field(demo_app: CcmApp, demo_services: Services) -> None:
    demo_app.animation_level = "none"
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        book = demo_app.screen
        assert isinstance(book, CustomerBookScreen)
        sort_before = book.book_query
        await burst(pilot, ["n", *"Seth Estes"])  # e (edit), t (log time), s (sort): the book's keys
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-name", Input).value == "Seth Estes"
        assert len(demo_app.screen_stack) == 2, "no other form opened beneath"
        assert book.book_query == sort_before, "the book's sort did not move"
        await burst(pilot, ["escape", "y"])  # the changed form asks first; y discards it
        await settle(pilot, demo_app)
        assert demo_app.screen is book
        # no customer listed: `e` opens nothing, and the keys typed after it reach the book as ever
        await pilot.press("slash", *"zzqqzz", "enter")
        await settle(pilot, demo_app)
        await burst(pilot, ["e", "s"])
        await settle(pilot, demo_app)
        assert demo_app.screen is book
        assert book.book_query.sort != sort_before.sort, "s sorted the book"


async def test_edit_e_then_typing_replaces_the_name(demo_app: CcmApp, demo_services: Services) -> None:
    demo_app.animation_level = "none"
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await burst(pilot, ["e", *"Tess Sett", "ctrl+s"])
        await settle(pilot, demo_app)
        assert not isinstance(demo_app.screen, FormDialog), "saved and closed"
    assert [hit.name for hit in demo_services.book.find_customers("Tess Sett")] == ["Tess Sett"]


async def test_a_filter_typed_with_slash_in_one_burst_keeps_every_letter(demo_app: CcmApp, demo_services: Services) -> None:
    """Textual moves the focus after the key's action; "/ha" sent at once used to give the table the "h"."""
    demo_app.animation_level = "none"
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        book = demo_app.screen
        assert isinstance(book, CustomerBookScreen)
        await burst(pilot, ["slash", *"ha"])
        await settle(pilot, demo_app)
        assert book.query_one("#book-filter", Input).value == "ha"
        assert book.shown_query is not None and book.shown_query.text == "ha"
        await pilot.press("escape")
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        await burst(pilot, ["slash", *"ha"])
        await settle(pilot, demo_app)
        assert demo_app.screen.query_one("#checklist-filter", Input).value == "ha"
