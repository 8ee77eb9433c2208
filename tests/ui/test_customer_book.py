"""Pilot flows on the customer book: keys in, database checked after."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery, BookSort
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.help import HelpScreen
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import ContactRow, CustomerRow, TimeEntryRow
from ccm_tui.widgets.checkbox_group import TextCheckbox
from ccm_tui.widgets.customer_table import CustomerTable
from tests.pilot_helpers import settle, wait_until


def count(services: Services, table: type, *where: object) -> int:
    with read_session(services.engine) as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


async def wait_for_palette(pilot, app: CcmApp) -> None:  # type: ignore[no-untyped-def]
    """Typing before the palette is up would send the keys to the book."""
    from textual.command import CommandPalette

    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the command palette to open")


async def type_into(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_book_lists_customers_and_filters_as_you_type(demo_app: CcmApp, demo_services: Services) -> None:
    target = demo_services.book.book_page(BookQuery(limit=5)).rows[2]
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        table = demo_app.screen.query_one(CustomerTable)
        assert table.loaded == demo_services.book.book_page(BookQuery()).total
        await pilot.press("slash")
        assert isinstance(demo_app.focused, Input)
        await type_into(pilot, target.account_number.lower())
        await settle(pilot, demo_app)
        assert table.loaded == 1
        assert table.current() is not None and table.current().customer_id == target.customer_id
        status = str(demo_app.screen.query_one("#book-status", Static).render())
        assert f"1 of {demo_services.book.book_page(BookQuery()).total} customers" in status  # its match of the whole book
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert table.loaded > 1


async def test_filter_with_no_match_says_so(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("slash")
        await type_into(pilot, "zzqqxx")
        await settle(pilot, demo_app)
        assert demo_app.screen.query_one(CustomerTable).loaded == 0
        assert "No customer matches" in str(demo_app.screen.query_one("#book-status", Static).render())


async def test_sort_key_cycles_and_reverses(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        screen = demo_app.screen
        await pilot.press("s")
        await settle(pilot, demo_app)
        assert screen.book_query.sort is BookSort.ACCOUNT  # type: ignore[attr-defined]
        first = screen.query_one(CustomerTable).current()
        expected = demo_services.book.book_page(BookQuery(sort=BookSort.ACCOUNT, limit=1)).rows[0]
        assert first is not None and first.customer_id == expected.customer_id
        await pilot.press("r")
        await settle(pilot, demo_app)
        last = demo_services.book.book_page(BookQuery(sort=BookSort.ACCOUNT, descending=True, limit=1)).rows[0]
        assert screen.query_one(CustomerTable).current().customer_id == last.customer_id  # type: ignore[union-attr]


async def test_open_customer_and_add_contact_bad_then_good(demo_app: CcmApp, demo_services: Services) -> None:
    first = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    before = count(demo_services, ContactRow, ContactRow.customer_id == first.customer_id)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
        assert demo_app.screen.customer_id == first.customer_id
        await pilot.press("a")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        # Bad: no name, no role, a broken e-mail.
        dialog.query_one("#field-email", Input).value = "not-an-address"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog, "an invalid form must stay open"
        assert str(dialog.query_one("#error-name", Static).render()).strip()
        assert (
            "e-mail" in str(dialog.query_one("#error-email", Static).render()).lower()
            or str(dialog.query_one("#error-email", Static).render()).strip()
        )
        assert count(demo_services, ContactRow, ContactRow.customer_id == first.customer_id) == before
        # Good: fix every field; the typed e-mail was kept to be corrected.
        assert dialog.query_one("#field-email", Input).value == "not-an-address"
        dialog.query_one("#field-name", Input).value = "Priya Raman"
        dialog.query_one("#field-email", Input).value = "priya.raman@example.com"
        dialog.query_one("#field-phone", Input).value = "+1 212 555 0188"
        next(box for box in dialog.query(TextCheckbox) if box.option == "technical").value = True
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    assert count(demo_services, ContactRow, ContactRow.customer_id == first.customer_id) == before + 1
    with read_session(demo_services.engine) as session:
        row = session.scalars(select(ContactRow).where(ContactRow.name == "Priya Raman")).one()
        assert row.email == "priya.raman@example.com" and row.roles == "technical"
        search = session.get(CustomerRow, first.customer_id).search_text  # type: ignore[union-attr]
    assert "priya raman" in search, "a new contact's name must be findable with /"


async def test_new_customer_duplicate_account_is_refused_at_the_field(demo_app: CcmApp, demo_services: Services) -> None:
    existing = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    total = count(demo_services, CustomerRow)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("n")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-name", Input).value = "Copycat Ltd"
        dialog.query_one("#field-account_number", Input).value = existing.account_number
        dialog.query_one("#field-region").value = "NA"  # type: ignore[attr-defined]
        dialog.query_one("#field-hours_per_month", Input).value = "8"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert "already used" in str(dialog.query_one("#error-account_number", Static).render())
        assert count(demo_services, CustomerRow) == total
        dialog.query_one("#field-account_number", Input).value = "NA-99001"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen), "a new customer opens at once"
    assert count(demo_services, CustomerRow) == total + 1
    assert count(demo_services, CustomerRow, CustomerRow.account_number == "NA-99001") == 1


async def test_stale_edit_is_reported_and_keeps_input(demo_app: CcmApp, demo_services: Services) -> None:
    from ccm_tui.domain.validation import validate_customer

    first = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("e")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        # Someone else saves the same customer meanwhile.
        customer = demo_services.book.get_customer(first.customer_id)
        values = dialog.values() | {"notes": "changed elsewhere"}
        demo_services.book.update_customer(customer.id, customer.version, validate_customer(values))
        dialog.query_one("#field-notes", Input).value = "my edit"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        banner = str(dialog.query_one("#form-banner", Static).render())
        assert "Alex Morgan changed this customer at " in banner and "your input is kept" in banner
        assert dialog.query_one("#field-notes", Input).value == "my edit"
    assert demo_services.book.get_customer(first.customer_id).notes == "changed elsewhere"


async def test_log_time_from_the_book(demo_app: CcmApp, demo_services: Services) -> None:
    first = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    before = count(demo_services, TimeEntryRow, TimeEntryRow.customer_id == first.customer_id)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("t")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-hours", Input).value = "-2"
        dialog.query_one("#field-category").value = "relationship"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert str(dialog.query_one("#error-hours", Static).render()).strip()
        dialog.query_one("#field-hours", Input).value = "1.5"
        dialog.query_one("#field-note", Input).value = "quarterly call prep"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert not isinstance(demo_app.screen, FormDialog)
    assert count(demo_services, TimeEntryRow, TimeEntryRow.customer_id == first.customer_id) == before + 1
    with read_session(demo_services.engine) as session:
        entry = session.scalars(select(TimeEntryRow).where(TimeEntryRow.note == "quarterly call prep")).one()
    assert entry.minutes == 90 and entry.category == "relationship"


async def test_screen_keys_help_and_quit(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)
        assert type(demo_app.screen).__name__ == "ActivationCalendarScreen"
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(demo_app.screen, HelpScreen)
        rows = {row[1] for row in demo_app.screen.rows}
        assert {"Filter", "Sort", "New", "Quit", "Help"} <= rows
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert demo_app.return_code == 0


async def test_palette_jumps_to_a_customer_by_name(demo_app: CcmApp, demo_services: Services) -> None:
    target = demo_services.book.book_page(BookQuery(limit=10)).rows[7]
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, target.name[:12])
        await settle(pilot, demo_app)  # the palette searches in a worker and a thread
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
        assert demo_app.screen.customer_id == target.customer_id


async def test_palette_reaches_the_screens(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, "activation calendar")
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert type(demo_app.screen).__name__ == "ActivationCalendarScreen"


async def test_add_site_with_a_misspelt_zone_then_fixed(demo_app: CcmApp, demo_services: Services) -> None:
    from ccm_tui.store.tables import SiteRow

    first = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    before = count(demo_services, SiteRow, SiteRow.customer_id == first.customer_id)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        await pilot.press("right_square_bracket", "a")  # Sites tab, add
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-name", Input).value = "Lyon depot"
        dialog.query_one("#field-city", Input).value = "Lyon"
        dialog.query_one("#field-country", Input).value = "fr"
        dialog.query_one("#field-timezone", Input).value = "Europe/Pari"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert "did you mean Europe/Paris" in str(dialog.query_one("#error-timezone", Static).render())
        assert count(demo_services, SiteRow, SiteRow.customer_id == first.customer_id) == before
        dialog.query_one("#field-timezone", Input).value = "europe/paris"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    with read_session(demo_services.engine) as session:
        site = session.scalars(select(SiteRow).where(SiteRow.name == "Lyon depot")).one()
    assert (site.timezone, site.country) == ("Europe/Paris", "FR")
