"""EventTable alone: rows of events, Picked on Enter, Highlighted as the cursor moves, columns by width."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from ccm_tui.domain.schedule import CalendarEvent
from ccm_tui.widgets.event_table import EventTable
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, MONDAY, ZONE, at, event
from tests.widgets.harness import Harness


def abroad(step_id: int, day: date, hour: int, zone: str, city: str) -> CalendarEvent:
    """An event at `hour` o'clock New York time on `day`, at a site in `zone`."""
    made = event(step_id, at(day, 0) + timedelta(hours=hour))
    return replace(made, site=replace(made.site, city=city, timezone=zone))


EVENTS = [event(1, at(MONDAY, 9)), event(2, at(MONDAY, 13), "Cedar Health", late=True), event(3, at(MONDAY, 15), "Dune Foods")]


def columns(table: EventTable) -> list[str]:
    return list(table.column_keys)


def shown(table: EventTable) -> list[str]:
    """What each line on screen shows under the header, as the terminal would (cut cells end in "…")."""
    return [strip.text.rstrip() for strip in table.render_lines(table.scrollable_content_region.reset_offset)[1:]]


async def test_enter_picks_the_event_and_moving_highlights_the_next() -> None:
    table = EventTable(FMT, ZONE)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_events(EVENTS)
        await settle(pilot)
        app.posted.clear()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.posted == [EventTable.Highlighted(EVENTS[1]), EventTable.Picked(EVENTS[1])]


async def test_new_events_keep_the_cursor_on_its_event_while_it_is_listed() -> None:
    table = EventTable(FMT, ZONE)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_events(EVENTS)
        await pilot.press("down", "down")
        table.show_events(list(EVENTS))  # reloaded after a save: the same rows
        await settle(pilot)
        assert table.current() == EVENTS[2]
        table.show_events(EVENTS[1:])  # someone else removed the first: the cursor stays on its event
        await settle(pilot)
        assert (table.current(), table.cursor_row) == (EVENTS[2], 1)
        table.show_events(EVENTS[:2])  # its event gone (another day, a filter): the top
        await settle(pilot)
        assert (table.current(), table.cursor_row) == (EVENTS[0], 0)
        table.select_step(2)
        assert table.current() == EVENTS[1]


async def test_narrow_tables_fold_customer_site_and_step_into_one_column() -> None:
    table = EventTable(FMT, ZONE, show_day=True)
    app = Harness(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.show_events(EVENTS)
        await settle(pilot)
        assert columns(table) == ["day", "site_time", "your_time", "event", "status", "short_flags"]
        assert table.get_row_at(0)[0] == "Mon 23" and table.get_row_at(1)[0] == ""  # the day, once
        assert table.get_row_at(1)[5].startswith("LATE")
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert columns(table) == ["day", "site_time", "your_time", "customer", "site", "what", "status", "cutoff", "flags"]


async def test_no_events_show_the_sentence_across_the_table() -> None:
    table = EventTable(FMT, ZONE)
    app = Harness(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.show_events([], empty="No events on Monday.")
        await settle(pilot)
        assert columns(table) == ["empty"] and table.get_row_at(0) == ["No events on Monday."]
        assert table.current() is None
        await pilot.press("enter")
        await settle(pilot)
        assert not [m for m in app.posted if isinstance(m, EventTable.Picked)]


@pytest.mark.parametrize(
    ("hour", "zone", "city", "site_time", "your_time"),
    [
        # Friday 3 PM in New York is Saturday 9 AM in Auckland: the site's day goes with the site's time
        (15, "Pacific/Auckland", "Auckland", "Sat 28 9:00\u202fAM NZDT", "3:00\u202fPM EST"),
        # Friday 10 PM in New York is Saturday 8:30 AM in Mumbai (a half-hour zone)
        (22, "Asia/Kolkata", "Mumbai", "Sat 28 8:30\u202fAM IST", "10:00\u202fPM EST"),
        # the same day at the site: no date in front
        (9, "Europe/London", "London", "2:00\u202fPM GMT", "9:00\u202fAM EST"),
        # just before midnight in New York is the next morning in Europe
        (23, "Europe/Berlin", "Berlin", "Sat 28 5:00\u202fAM CET", "11:00\u202fPM EST"),
    ],
    ids=["auckland", "mumbai", "same-day", "midnight"],
)
async def test_a_site_time_on_another_day_carries_the_sites_date(
    hour: int, zone: str, city: str, site_time: str, your_time: str
) -> None:
    friday = date(2026, 11, 27)
    table = EventTable(FMT, ZONE, show_day=True)
    app = Harness(table)
    async with app.run_test(size=(80, 24)) as pilot:
        table.show_events([abroad(1, friday, hour, zone, city)])
        await settle(pilot)
        assert table.get_row_at(0)[:3] == ["Fri 27", site_time, your_time]  # the row's day is yours; the site's own
        assert table.column_widths[1] >= len(site_time) and site_time in shown(table)[0]  # never cut


async def test_the_same_events_again_draw_nothing_and_keep_the_picks(monkeypatch: pytest.MonkeyPatch) -> None:
    table = EventTable(FMT, ZONE, selectable=True)
    app = Harness(table)
    made: list[int] = []
    cell = EventTable._cell
    monkeypatch.setattr(EventTable, "_cell", lambda self, key, row: made.append(row) or cell(self, key, row))
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_events(EVENTS)
        await settle(pilot)
        await pilot.press("down", "space")
        await settle(pilot)
        assert made and columns(table)[0] == "picked"
        made.clear()
        cursor = table.cursor_row
        table.show_events(list(EVENTS))  # back on the calendar: the day read again, nothing moved
        table.refresh()
        await settle(pilot)
        assert made == []  # not one cell made again
        assert table.cursor_row == cursor and [e.step.id for e in table.picked_events()] == [EVENTS[1].step.id]
        table.show_events(EVENTS, empty="Nothing on Mon.")  # a new empty sentence is a change
        table.show_events([EVENTS[0], replace(EVENTS[1], facts=replace(EVENTS[1].facts, late=False)), EVENTS[2]])  # a flag moved
        await settle(pilot)
        assert sorted(set(made)) == [0, 1, 2]


async def test_only_the_lines_on_screen_are_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """A day of a hundred events makes the cells of the rows shown, not of all of them."""
    table = EventTable(FMT, ZONE)
    app = Harness(table)
    made: set[int] = set()
    cell = EventTable._cell
    monkeypatch.setattr(EventTable, "_cell", lambda self, key, row: made.add(row) or cell(self, key, row))
    hundred = [event(n, at(MONDAY, 8) + timedelta(minutes=5 * n)) for n in range(1, 101)]
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_events(hundred)
        await settle(pilot)
        assert made == set(range(29)) and len(shown(table)) == 29  # 30 lines: the header and 29 rows
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.current() == hundred[-1] and max(made) == 99 and len(made) == 58
        assert table.get_row_at(99)[1] in shown(table)[-1]  # the last row drawn at the foot


async def test_picks_show_a_mark_column_that_takes_its_room_from_the_customer() -> None:
    table = EventTable(FMT, ZONE, selectable=True)
    app = Harness(table)
    async with app.run_test(size=(120, 30)) as pilot:
        table.show_events(EVENTS)
        await settle(pilot)
        widths = dict(zip(columns(table), table.column_widths, strict=True))
        await pilot.press("space", "down", "space")  # picks the first and the third
        await settle(pilot)
        picked = dict(zip(columns(table), table.column_widths, strict=True))
        assert picked == widths | {"picked": 1, "customer": widths["customer"] - 3}
        assert [line[1] for line in shown(table)] == ["●", " ", "●"] and table.picked_keys() == ["1", "3"]
        table.show_events(EVENTS[1:])  # the first went (another session): its pick goes with it
        await settle(pilot)
        assert table.picked_keys() == ["3"]
        await pilot.press("escape")
        await settle(pilot)
        assert columns(table)[0] == "site_time" and dict(zip(columns(table), table.column_widths, strict=True)) == widths
