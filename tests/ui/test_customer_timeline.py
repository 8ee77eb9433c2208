"""Pilot: an edit made with keys shows on the customer's Timeline, by whom and from what to what."""

from __future__ import annotations

from textual.widgets import DataTable, Input, TabbedContent

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.screens.customer_detail import TABS, CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from tests.pilot_helpers import settle, wait_until


def cells(table: DataTable, row: int) -> list[str]:  # type: ignore[type-arg]
    return [str(cell) for cell in table.get_row_at(row)]


async def test_a_renamed_customer_shows_on_the_timeline(demo_app: CcmApp, demo_services: Services) -> None:
    first = demo_services.book.book_page(BookQuery(limit=1)).rows[0]
    old = demo_services.book.get_customer(first.customer_id).name
    new = "Renamed [bold]Co[/]"  # text as typed, markup and all
    async with demo_app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, CustomerDetailScreen)
        await pilot.press("E")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-name", Input).focus()
        await pilot.press("end", "ctrl+u")
        await pilot.press(
            *[{" ": "space", "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash"}.get(c, c) for c in new]
        )
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen
        for _ in range(TABS.index("timeline")):
            await pilot.press("right_square_bracket")
        await settle(pilot, demo_app)
        assert screen.query_one(TabbedContent).active == "timeline"
        table = screen.query_one("#timeline-table", DataTable)
        await wait_until(pilot, lambda: any(f"Name: {old} → {new}" in c for c in cells(table, 0)), "the rename on the timeline")
        when, who, record, change, why = cells(table, 0)
        assert who == demo_services.actor.author
        assert record == f"customer {new}"  # the record by its name as it is now
        assert change == f"Name: {old} → {new}"
        assert when and why == ""  # a customer edit asks no reason
    entry = demo_services.book.customer_timeline(first.customer_id, 1)[0]
    assert (entry.author, entry.changes["name"]) == (demo_services.actor.login, (old, new))
