"""DayPicker and DateInput alone: keys move the cursor, Enter picks, and the chosen day reads without colour."""

from __future__ import annotations

from datetime import date

from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.date_picker import DateInput, DayPicker
from tests.pilot_helpers import settle
from tests.widgets.harness import Harness, plain

TODAY = date(2026, 11, 20)


async def test_keys_move_a_day_a_week_a_month_and_enter_picks() -> None:
    picker = DayPicker(date(2026, 1, 31), TODAY, Formatter("en_GB"))
    app = Harness(picker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")
        assert picker.cursor == date(2026, 2, 28)  # no 31 February: the month's last day
        await pilot.press("pagedown", "left_square_bracket", "pageup")
        assert picker.cursor == date(2026, 1, 28)  # from 31 March back: the day stays where it can
        await pilot.press("right", "down", "l", "j", "left", "h", "up", "k")
        assert picker.cursor == date(2026, 1, 28)
        await pilot.press("down")
        assert picker.cursor == date(2026, 2, 4)  # a week on, over the month's end
        await pilot.press("t")
        assert picker.cursor == TODAY
        await pilot.press("enter")
        await settle(pilot)
        assert [m.day for m in app.posted if isinstance(m, DayPicker.Picked)] == [TODAY]


async def test_the_chosen_day_is_bracketed_and_today_marked_and_it_fits() -> None:
    picker = DayPicker(date(2026, 11, 27), TODAY, Formatter("en_GB"))
    app = Harness(picker)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = plain(picker).splitlines()
        assert lines[0].strip() == "November 2026"
        assert lines[1].split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # en_GB: Monday first
        assert "[27]" in lines[6] and " 20· " in lines[5]  # chosen in brackets, today with a dot: no colour needed
        assert len(lines) == 2 + 6 == picker.size.height  # the 1st on a Sunday: six weeks
        assert max(len(line) for line in lines) <= 35 == picker.size.width
        us = DayPicker(date(2026, 11, 27), TODAY, Formatter("en_US"))
        assert plain(us).splitlines()[1].split()[0] == "Sun"


async def test_a_click_moves_and_a_double_click_picks() -> None:
    picker = DayPicker(date(2026, 11, 1), TODAY, Formatter("en_GB"))
    app = Harness(picker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click(picker, offset=(2 + 5 * 2, 3))  # second week's Wednesday: 4 November
        assert picker.cursor == date(2026, 11, 4)
        await pilot.click(picker, offset=(2 + 5 * 4, 3), times=2)
        await settle(pilot)
        assert [m.day for m in app.posted if isinstance(m, DayPicker.Picked)] == [date(2026, 11, 6)]


async def test_the_field_asks_for_the_picker_on_ctrl_t_or_alt_down() -> None:
    field = DateInput()
    app = Harness(field)
    async with app.run_test() as pilot:
        field.value = "2026-11-27"
        await pilot.press("ctrl+t", "alt+down")
        await settle(pilot)
        assert [m.field for m in app.posted if isinstance(m, DateInput.PickRequested)] == [field, field]
        await pilot.press("x")
        assert field.value == "2026-11-27x"  # still a text field: the keys are typed
