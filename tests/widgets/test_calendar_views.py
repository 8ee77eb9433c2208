"""CalendarViews alone: the month first, the week and the agenda mounted when first shown, the state handed down to them."""

from __future__ import annotations

from datetime import timedelta

from ccm_tui.domain.schedule import DaySummary
from ccm_tui.widgets.calendar_views import CalendarViews
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.month_grid import MonthGrid
from ccm_tui.widgets.week_view import WeekView
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, FRIDAY, MONDAY, ZONE
from tests.widgets.harness import Harness


async def test_the_week_is_mounted_when_shown_and_starts_from_the_state_handed_down() -> None:
    views = CalendarViews(FMT, ZONE)
    app = Harness(views)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert views.week is None and views.agenda is None and views.current == "cal-month"
        views.grid.today = FRIDAY
        views.set_tall(True)
        await views.show("week", MONDAY, [DaySummary(MONDAY, events=4)])
        await settle(pilot)
        week = views.week
        assert week is not None and views.current == "cal-week" and app.focused is week
        assert (week.today, week.cursor, week.tall) == (FRIDAY, MONDAY, True)
        assert week.summaries[MONDAY].events == 4
        views.set_cursor(MONDAY + timedelta(days=1))
        views.add_summaries([DaySummary(FRIDAY, events=2)])
        assert week.cursor == views.grid.cursor == MONDAY + timedelta(days=1)
        assert set(week.summaries) == {MONDAY, FRIDAY}  # added to, not replaced


async def test_the_agenda_fills_the_screen_and_the_month_gives_room_back() -> None:
    views = CalendarViews(FMT, ZONE)
    app = Harness(views)
    async with app.run_test(size=(120, 40)) as pilot:
        await views.show("agenda", MONDAY, [])
        await settle(pilot)
        assert isinstance(app.focused, EventTable) and app.focused is views.agenda
        assert str(views.styles.height) == "1fr"
        await views.show("month", MONDAY, [])
        await settle(pilot)
        assert isinstance(app.focused, MonthGrid) and str(views.styles.height) == "auto"
        assert len(views.query(WeekView)) == 0  # never shown: never mounted
