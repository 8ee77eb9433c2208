"""Pilot: the calendar's "Late-change risk, next 2 business days" view (V), and the filter's Flags field.

The demo is pinned to Friday 2026-11-20 15:30 in New York; the CCM's second
business day from then is Tuesday 24 November.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Select, Static

from ccm_tui.app import CcmApp
from ccm_tui.domain.schedule import CalendarFilter, CcdState, EventFlag
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services import Services
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.month_grid import MonthGrid
from tests.pilot_helpers import settle
from tests.ui.test_calendar import FRIDAY, open_calendar
from tests.ui.test_customer_book import type_into, wait_for_palette

TUESDAY = date(2026, 11, 24)


async def test_the_late_change_view_lists_the_late_events_to_the_second_business_day(
    demo_app: CcmApp, demo_services: Services
) -> None:
    calendar = demo_services.calendar
    every = calendar.agenda(FRIDAY, CalendarFilter(), last=TUESDAY).events
    late = [e.step.id for e in every if e.facts.late]
    assert late and len(late) < len(every)  # the demo has late events among others
    async with demo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_calendar(pilot, demo_app)
        await pilot.press("V")  # the first calendar view
        await settle(pilot, demo_app)
        assert screen.view == "agenda" and screen.cursor == FRIDAY
        assert screen.calendar_filter == CalendarFilter(flags=frozenset({EventFlag.LATE}))
        assert [e.step.id for e in screen.query_one("#cal-agenda", EventTable).events] == late
        bar = str(screen.query_one("#cal-bar", Static).render())
        assert bar.startswith(f"view: Late-change risk, next 2 business days · Agenda Fri, Nov 20 to Tue, Nov 24: {len(late)} of ")
        # a week on, the agenda is the usual two months again, and the view's name goes
        await pilot.press("n")
        await settle(pilot, demo_app)
        assert "view:" not in str(screen.query_one("#cal-bar", Static).render())
        # the Flags field: CCD instead of late, on the month grid its ! and ? days only
        await pilot.press("t", "m", "f")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        flags = dialog.query_one("#field-flags", Select)
        assert flags.value == EventFlag.LATE.value
        flags.value = EventFlag.CCD.value
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert screen.calendar_filter == CalendarFilter(flags=frozenset({EventFlag.CCD}))
        whole = calendar.month(date(2026, 11, 1), CalendarFilter())
        shown = screen.query_one(MonthGrid).summary
        assert shown is not None and shown.events > 0
        assert [d.events for d in shown.days] == [d.past_ccd + d.ccd_at_risk for d in whole.days]
        day = screen.query_one("#cal-day", EventTable).events
        assert all(e.ccd_state is not CcdState.ON_TRACK for e in day)
        assert "filter: past or at-risk CCD" in str(screen.query_one("#cal-bar", Static).render())
        # the palette sets a flag too, from any screen
        await pilot.press("1", "ctrl+p")
        await wait_for_palette(pilot, demo_app)
        await type_into(pilot, "calendar: late-change window")
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        assert demo_app.screen is screen and screen.calendar_filter == CalendarFilter(flags=frozenset({EventFlag.LATE}))
