"""Snapshots of the activation calendar (month, week, agenda), the fee guard,
an activation's detail and the on-call view, at 80x24 and 120x40.

Pinned clock (Friday 2026-11-20 15:30 New York), locale and zone, and the
demo book generated for that day: Monday's events are inside their
late-change window, so the fee guard shows a late change and its fee.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from ccm_tui.app import CcmApp
from ccm_tui.domain.model import Region
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.services import Services
from tests.pilot_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
MONDAY_KEYS = ("l", "l", "l")


def calendar_keys(*groups: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Open the calendar, then press each group of keys, letting the workers finish after each group."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        for keys in groups:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def late_na_row(services: Services) -> int:
    """Monday's first North American event inside its late-change window: its row in the day list."""
    from datetime import date

    events = services.calendar.day(date(2026, 11, 23), CalendarFilter()).events
    return next(i for i, e in enumerate(events) if e.region is Region.NORTH_AMERICA and e.facts.late)


@pytest.mark.parametrize("size", SIZES)
class TestActivationCalendar:
    def test_month_on_monday(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(MONDAY_KEYS))

    def test_week(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(("w", *MONDAY_KEYS)))

    def test_agenda(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(("a",)))


@pytest.mark.parametrize("size", SIZES)
class TestFeeGuard:
    def test_late_reschedule(self, snap_compare, demo_app: CcmApp, demo_services: Services, size: tuple[int, int]) -> None:
        row = late_na_row(demo_services)
        keys = ((*MONDAY_KEYS, "enter"), (*["down"] * row, "enter"), ("s",))
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
class TestActivationDetail:
    def test_late_event(self, snap_compare, demo_app: CcmApp, demo_services: Services, size: tuple[int, int]) -> None:
        row = late_na_row(demo_services)
        keys = ((*MONDAY_KEYS, "enter"), (*["down"] * row, "enter"))
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
class TestOnCall:
    def test_next_week(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(("o",), ("h",)))  # 72 -> 168 hours


@pytest.mark.parametrize("size", SIZES)
class TestWaitingSteps:
    def test_order_numbers_in_full(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=calendar_keys(("s",)))
