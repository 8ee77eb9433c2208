"""A pasted page of text in a filter or the palette: cut to QUERY_LIMIT characters, said so, the app runs on.

60,000 characters once ended the app: SQLite refuses a LIKE pattern over
50,000 bytes ("LIKE or GLOB pattern too complex").
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.search_text import QUERY_LIMIT
from ccm_tui.screens.checklist import ChecklistScreen
from ccm_tui.services import Services
from tests.pilot_helpers import settle
from tests.ui.test_customer_book import wait_for_palette

PAGE = "acme logistics " * 4000  # 60,000 characters


def messages(app: CcmApp) -> list[str]:
    return [n.message for n in app._notifications]


async def paste(app: CcmApp, text: str) -> None:
    focused = app.focused
    assert isinstance(focused, Input)
    focused.post_message(events.Paste(text))


async def test_a_page_pasted_into_the_book_filter_is_cut_and_said(demo_app: CcmApp, demo_services: Services) -> None:
    assert len(PAGE) == 60_000
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("slash")
        await paste(demo_app, PAGE)
        await settle(pilot, demo_app)
        assert demo_app.is_running
        field = demo_app.screen.query_one("#book-filter", Input)
        assert field.value == PAGE[:QUERY_LIMIT]
        assert f"Filter cut to the first {QUERY_LIMIT} characters." in messages(demo_app)
        assert "No customer matches" in str(demo_app.screen.query_one("#book-status", Static).render())
    # what the screen asked for, and the same query straight to the service, both run
    assert demo_services.book.book_page(BookQuery(text=PAGE)).total == 0


async def test_a_page_pasted_into_the_checklist_filter_is_cut_and_said(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("3")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ChecklistScreen)
        await pilot.press("slash")
        await paste(demo_app, PAGE)
        await settle(pilot, demo_app)
        assert demo_app.is_running
        assert demo_app.screen.query_one("#checklist-filter", Input).value == PAGE[:QUERY_LIMIT]
        assert f"Filter cut to the first {QUERY_LIMIT} characters." in messages(demo_app)


async def test_a_page_pasted_into_the_palette_searches_the_first_characters(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await paste(demo_app, PAGE)
        await settle(pilot, demo_app)
        assert demo_app.is_running
        assert f"Search cut to the first {QUERY_LIMIT} characters." in messages(demo_app)
