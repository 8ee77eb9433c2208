"""The month grid while a month's counts are on their way: the right month's
days with "Loading…" when the answer is slow (never another month's days
under the title), and on a switch, the grid keeps its month until the new
one's counts can be drawn with it, in one repaint. The months either side
of the one shown are read ahead, so n and p draw those from memory."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.app import CcmApp
from ccm_tui.domain.model import Region
from ccm_tui.domain.schedule import CalendarFilter, DayEvents, MonthSummary
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.screens import calendar_loading, following
from ccm_tui.screens.activation_calendar import ActivationCalendarScreen
from ccm_tui.services import Services
from ccm_tui.widgets.month_grid import LOADING, MonthGrid
from tests.pilot_helpers import settle, wait_until
from tests.widgets.harness import plain

NOVEMBER, DECEMBER, JANUARY = date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)
FRIDAY = date(2026, 11, 20)


class Gate:
    """Holds the calendar's month reads until opened; says when one is waiting."""

    def __init__(self, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.waiting = threading.Event()
        month: Callable[..., MonthSummary] = services.calendar.month

        def held(first: date, flt: CalendarFilter, **kwargs: bool) -> MonthSummary:
            self.waiting.set()
            assert self.open.wait(30), "the test never opened the gate"
            return month(first, flt, **kwargs)

        monkeypatch.setattr(services.calendar, "month", held)

    def close(self) -> None:
        self.open.clear()
        self.waiting.clear()


def grid_of(app: CcmApp) -> MonthGrid:
    screen = app.screen
    assert isinstance(screen, ActivationCalendarScreen)
    return screen.query_one(MonthGrid)


async def test_a_slow_first_month_shows_its_days_and_loading(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(demo_services, monkeypatch)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await wait_until(pilot, gate.waiting.is_set, "the month's read")
        await wait_until(pilot, lambda: LOADING in plain(grid_of(demo_app)), "the loading notice")
        grid = grid_of(demo_app)
        assert grid.month == NOVEMBER and grid.cursor == FRIDAY  # November's days, not January 2000's
        assert "30" in plain(grid) and "31" not in plain(grid)
        gate.open.set()
        await settle(pilot, demo_app)
        assert LOADING not in plain(grid)
        assert grid.summary is not None and grid.summary.first == NOVEMBER and grid.summary.events > 0


async def test_a_switch_repaints_the_grid_once_its_counts_are_in(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendar_loading, "LOADING_NOTICE_AFTER", 30.0)  # a quick answer: no notice
    monkeypatch.setattr(following, "RESHOW_S", 0.0)  # a month from memory is read again behind it
    gate = Gate(demo_services, monkeypatch)
    gate.open.set()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)  # November, its day, and the months either side read ahead
        grid = grid_of(demo_app)
        assert grid.summary is not None and grid.summary.first == NOVEMBER

        gate.close()
        await pilot.press("n")  # December was read ahead: drawn at once, while it is read again
        await wait_until(pilot, gate.waiting.is_set, "December's read")
        await pilot.pause()
        december = grid.summary
        assert (grid.month, grid.cursor) == (DECEMBER, date(2026, 12, 20))
        assert december is not None and december.first == DECEMBER

        await pilot.press("n")  # January was not: the grid keeps December, whole, until January's counts are in
        await pilot.pause()
        assert (grid.month, grid.summary, grid.cursor) == (DECEMBER, december, date(2026, 12, 20))
        gate.open.set()
        await settle(pilot, demo_app)
        assert grid.month == JANUARY and grid.cursor == date(2027, 1, 20)
        assert grid.summary is not None and grid.summary.first == JANUARY
        assert LOADING not in plain(grid)


async def test_a_slow_switch_shows_the_new_months_days_loading(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendar_loading, "LOADING_NOTICE_AFTER", 0.01)  # a slow answer
    gate = Gate(demo_services, monkeypatch)
    gate.open.set()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)
        gate.close()
        await pilot.press("n", "n")  # past December (read ahead) to January
        await wait_until(pilot, gate.waiting.is_set, "a month's read")
        grid = grid_of(demo_app)
        await wait_until(pilot, lambda: grid.month == JANUARY, "January's days")
        assert LOADING in plain(grid) and grid.cursor == date(2027, 1, 20)
        gate.open.set()
        await settle(pilot, demo_app)
        assert LOADING not in plain(grid) and grid.summary is not None and grid.summary.first == JANUARY


async def test_the_months_either_side_are_read_ahead(demo_app: CcmApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)
        screen = demo_app.screen
        assert isinstance(screen, ActivationCalendarScreen)
        assert {first for first, _ in screen._months} == {date(2026, 10, 1), NOVEMBER, DECEMBER}


async def test_months_and_days_shown_again_are_read_again_only_once_the_book_moved(
    demo_app: CcmApp, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[date] = []
    month: Callable[..., MonthSummary] = demo_services.calendar.month

    def counted(first: date, flt: CalendarFilter, **kwargs: bool) -> MonthSummary:
        reads.append(first)
        return month(first, flt, **kwargs)

    day_reads: list[date] = []
    day: Callable[..., DayEvents] = demo_services.calendar.day

    def day_counted(first: date, flt: CalendarFilter, **kwargs: int) -> DayEvents:
        day_reads.append(first)
        return day(first, flt, **kwargs)

    monkeypatch.setattr(demo_services.calendar, "month", counted)
    monkeypatch.setattr(demo_services.calendar, "day", day_counted)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("2")
        await settle(pilot, demo_app)
        await pilot.press("n")  # December, read ahead; January read ahead in turn
        await settle(pilot, demo_app)
        reads.clear()
        day_reads.clear()
        for key in "pnpn":  # back and forth between months read moments ago: from memory, the database left alone
            await pilot.press(key)
            await settle(pilot, demo_app)
        assert reads == [] and day_reads == []
        grid = grid_of(demo_app)
        assert grid.month == DECEMBER and grid.summary is not None and grid.summary.first == DECEMBER
        screen = demo_app.screen
        assert isinstance(screen, ActivationCalendarScreen)
        assert screen.query_one("#cal-day").row_count > 0  # the day's list still comes for each day
        await pilot.press("1")
        await settle(pilot, demo_app)
        await pilot.press("2", "p")  # back on the calendar, and on: what was read moments ago is still the book's
        await settle(pilot, demo_app)
        assert reads == [] and day_reads == [] and grid_of(demo_app).month == NOVEMBER

        demo_services.book.add_customer(CustomerInput("Kestrel Ltd", "NA-990001", Region.NORTH_AMERICA, "", Decimal(4), ""))
        await pilot.press("n", "p")  # the change log moved: November is read again behind its picture
        await settle(pilot, demo_app)
        assert NOVEMBER in reads and day_reads[-1] == FRIDAY
