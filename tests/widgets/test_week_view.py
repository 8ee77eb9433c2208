"""WeekView alone: seven rows, a day a key, Moved and Picked posted up."""

from __future__ import annotations

from datetime import date, timedelta

from ccm_tui.widgets.week_view import WeekView
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, MONDAY, ZONE, at, day_events, event
from tests.widgets.harness import Harness, plain

NNBSP = "\u202f"  # babel's en_US times: "9:00\u202fAM"


def week_app() -> tuple[Harness, WeekView]:
    view = WeekView(FMT, ZONE)
    view.first, view.cursor, view.today = MONDAY, MONDAY, MONDAY - timedelta(days=3)
    view.days = [
        day_events(MONDAY, event(1, at(MONDAY, 9)), event(2, at(MONDAY, 13), "Cedar Health")),
        *(day_events(MONDAY + timedelta(days=i)) for i in range(1, 7)),
    ]
    return Harness(view), view


async def test_up_down_left_right_move_a_day_and_enter_picks_it() -> None:
    app, _view = week_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "down", "l", "k", "enter")
        await settle(pilot)
        days = [MONDAY + timedelta(days=n) for n in (1, 2, 3, 2)]
        assert app.posted == [*(WeekView.Moved(d) for d in days), WeekView.Picked(date(2026, 11, 25))]


async def test_a_row_reads_its_day_count_and_first_events() -> None:
    app, view = week_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monday = plain(view).splitlines()[0]
        assert monday.startswith("Mon 23") and "2 ev" in monday
        assert f"9:00{NNBSP}AM Harbor Logistics · 1:00{NNBSP}PM Cedar Health" in monday  # the CCM's times


async def test_tall_lists_the_events_on_lines_of_their_own() -> None:
    app, view = week_app()
    async with app.run_test(size=(100, 40)) as pilot:
        view.tall = True
        await settle(pilot)
        lines = plain(view).splitlines()
        assert lines[1].strip() == f"9:00{NNBSP}AM Harbor Logistics" and lines[2].strip() == f"1:00{NNBSP}PM Cedar Health"
        assert view.size.height == 1 + 7 + 2  # the legend, a line a day, two events
