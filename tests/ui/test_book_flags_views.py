"""Pilot: the book's flag filter (f, Esc, the palette) and saved views (V, the palette) on the book and the calendar."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.book import BookFlag, BookQuery
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.domain.views import SavedView, ViewDates, ViewScreen
from ccm_tui.screens.activation_calendar import ActivationCalendarScreen
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.services import Services
from tests.pilot_helpers import settle
from tests.ui.test_customer_book import type_into, wait_for_palette
from tests.ui.test_my_customers import customers_of, press, shown, status


def flagged(services: Services, *flags: BookFlag) -> set[int]:
    """From the services: the customers whose row shows every flag (the book unfiltered, judged row by row)."""
    rows = services.book.book_page(BookQuery(limit=10_000)).rows
    facts = {
        BookFlag.LATE: lambda r: r.late_change_window,
        BookFlag.CCD: lambda r: r.past_ccd,
        BookFlag.NOT_READY: lambda r: r.not_ready_risk,
        BookFlag.HOURS_OVER: lambda r: r.hours_used > r.hours_package,
    }
    return {r.customer_id for r in rows if all(facts[f](r) for f in flags)}


async def test_f_cycles_the_flags_esc_clears_and_the_palette_picks_one(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        everyone = shown(demo_app)
        for flag in BookFlag:
            await press(pilot, demo_app, "f")
            assert shown(demo_app) == flagged(demo_services, flag), flag
            assert status(demo_app).startswith(f"{flag.label} only · ") or status(demo_app).startswith("No customer shows")
        await press(pilot, demo_app, "f")  # after the last: every customer
        assert shown(demo_app) == everyone
        # with my customers on, Esc clears the flags first, then my customers
        await press(pilot, demo_app, "m")
        await press(pilot, demo_app, "f")
        mine = customers_of(demo_services, demo_services.actor.name, demo_services.actor.login)
        assert shown(demo_app) == flagged(demo_services, BookFlag.LATE) & mine
        assert status(demo_app).startswith("my customers · LATE only · ")
        await press(pilot, demo_app, "escape")
        assert shown(demo_app) == mine
        await press(pilot, demo_app, "escape")
        assert shown(demo_app) == everyone
        # the palette, from another screen
        await press(pilot, demo_app, "2")
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, "book: ccd only")
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerBookScreen)
        assert shown(demo_app) == flagged(demo_services, BookFlag.CCD) and status(demo_app).startswith("CCD only · ")


async def test_v_switches_saved_views_on_the_book_and_the_calendar(demo_app: CcmApp, demo_services: Services) -> None:
    views = (
        SavedView("Mine", ViewScreen.BOOK, ccm="me"),
        SavedView("Past CCD", ViewScreen.BOOK, flags=frozenset({BookFlag.CCD})),
        SavedView("After hours this week", ViewScreen.CALENDAR, after_hours=True, dates=ViewDates.THIS_WEEK),
    )
    demo_app.settings = replace(demo_app.settings, views=views)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        everyone = shown(demo_app)
        await press(pilot, demo_app, "V")
        assert shown(demo_app) == customers_of(demo_services, demo_services.actor.name, demo_services.actor.login)
        assert status(demo_app).startswith("view: Mine · my customers · ")
        await press(pilot, demo_app, "V")
        assert shown(demo_app) == flagged(demo_services, BookFlag.CCD)
        assert status(demo_app).startswith("view: Past CCD · CCD only · ")
        await press(pilot, demo_app, "f")  # changing a filter leaves the view
        assert "view:" not in status(demo_app)
        await press(pilot, demo_app, "V", "V", "V")  # Mine, Past CCD, then no view
        assert shown(demo_app) == everyone and "view:" not in status(demo_app)
        # the calendar: its own views, its filter, layout and day
        await press(pilot, demo_app, "2")
        screen = demo_app.screen
        assert isinstance(screen, ActivationCalendarScreen)
        await press(pilot, demo_app, "V")
        assert screen.calendar_filter == CalendarFilter(after_hours_only=True)
        assert screen.view == "week" and screen.cursor == demo_services.today()
        bar = str(screen.query_one("#cal-bar", Static).render())
        assert bar.startswith("view: After hours this week · Week ")
        await press(pilot, demo_app, "V")
        assert screen.calendar_filter.is_default and "view:" not in str(screen.query_one("#cal-bar", Static).render())
        # the palette lists every view
        await pilot.press("ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, "view: past")
        await settle(pilot, demo_app)
        await press(pilot, demo_app, "enter")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, CustomerBookScreen)
        assert status(demo_app).startswith("view: Past CCD · ")
