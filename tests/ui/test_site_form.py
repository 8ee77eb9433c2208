"""The site form: a subdivision at its own field, and a zone of another country warned about once."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.validation import validate_site
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import SiteRow
from tests.pilot_helpers import settle


def site_rows(services: Services, name: str) -> list[SiteRow]:
    with read_session(services.engine) as session:
        return list(session.scalars(select(SiteRow).where(SiteRow.name == name)))


def site_count(services: Services) -> int:
    with read_session(services.engine) as session:
        return session.scalar(select(func.count()).select_from(SiteRow)) or 0


async def open_new_site_form(pilot: Pilot, app: CcmApp) -> FormDialog:  # type: ignore[type-arg]
    await settle(pilot, app)
    await pilot.press("enter")  # the first customer
    await settle(pilot, app)
    await pilot.press("right_square_bracket", "a")  # Sites tab, add
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    return dialog


def fill(dialog: FormDialog, **values: str) -> None:  # type: ignore[type-arg]
    for name, value in values.items():
        dialog.query_one(f"#field-{name}", Input).value = value


def message(dialog: FormDialog, name: str) -> str:  # type: ignore[type-arg]
    return str(dialog.query_one(f"#error-{name}", Static).render())


async def test_a_subdivision_typed_short_is_stored_in_full(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        dialog = await open_new_site_form(pilot, demo_app)
        fill(dialog, name="Parramatta depot", city="Parramatta", country="au", subdivision="nsw", timezone="Australia/Sydney")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    [row] = site_rows(demo_services, "Parramatta depot")
    assert (row.country, row.subdivision, row.timezone) == ("AU", "AU-NSW", "Australia/Sydney")


async def test_a_bad_subdivision_is_refused_at_its_field(demo_app: CcmApp, demo_services: Services) -> None:
    before = site_count(demo_services)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        dialog = await open_new_site_form(pilot, demo_app)
        fill(dialog, name="Darwin depot", city="Darwin", country="AU", subdivision="US-CA", timezone="Australia/Darwin")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog, "an invalid form must stay open"
        assert "not in AU" in message(dialog, "subdivision")
        assert not message(dialog, "timezone").strip()
        # the fix saves, and the other fields were kept
        fill(dialog, subdivision="NT")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    [row] = site_rows(demo_services, "Darwin depot")
    assert (row.subdivision, site_count(demo_services)) == ("AU-NT", before + 1)


async def test_a_zone_of_another_country_is_warned_once_then_saved(demo_app: CcmApp, demo_services: Services) -> None:
    before = site_count(demo_services)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        dialog = await open_new_site_form(pilot, demo_app)
        fill(dialog, name="Leeds office", city="Leeds", country="GB", timezone="America/New_York")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog, "the first ctrl+s only warns"
        warning = message(dialog, "timezone")
        assert "America/New_York" in warning and "not GB" in warning and "ctrl+s again" in warning
        assert site_count(demo_services) == before
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    [row] = site_rows(demo_services, "Leeds office")
    assert (row.country, row.timezone) == ("GB", "America/New_York")


async def test_another_contradicting_pair_is_warned_about_again(demo_app: CcmApp, demo_services: Services) -> None:
    before = site_count(demo_services)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        dialog = await open_new_site_form(pilot, demo_app)
        fill(dialog, name="Leeds office", city="Leeds", country="GB", timezone="America/New_York")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        fill(dialog, timezone="Asia/Tokyo")  # still not a British zone: a new doubt, asked about first
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        assert "Asia/Tokyo" in message(dialog, "timezone")
        assert site_count(demo_services) == before
        fill(dialog, timezone="Europe/London")  # the right zone saves at once
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    assert site_count(demo_services) == before + 1


async def test_editing_a_site_shows_its_subdivision_and_does_not_ask_again(demo_app: CcmApp, demo_services: Services) -> None:
    """The stored pair was accepted when the site was saved: an edit of its city saves at once."""
    first = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    values = {"name": "Edinburgh desk", "city": "Edinburgh", "country": "GB", "subdivision": "sct", "timezone": "America/New_York"}
    site = demo_services.book.add_site(first.customer_id, validate_site(values))
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        await pilot.press("right_square_bracket")
        await settle(pilot, demo_app)
        detail = demo_app.screen
        assert isinstance(detail, CustomerDetailScreen) and detail.customer_id == first.customer_id
        table = detail.query_one("#sites-table", DataTable)
        names = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert str(table.get_row_at(names.index("Edinburgh desk"))[2]) == "GB-SCT"
        table.move_cursor(row=names.index("Edinburgh desk"))
        await pilot.press("e")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-subdivision", Input).value == "GB-SCT"
        fill(dialog, city="Leith")
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
    [row] = site_rows(demo_services, "Edinburgh desk")
    assert (row.city, row.subdivision, row.version) == ("Leith", "GB-SCT", site.version + 1)
