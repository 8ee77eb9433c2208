"""Issue 12 part 11: a date field takes words, shows the day they name, and opens a month to pick from.

One run of the app: the log-time form from the book (`t`), "yesterday"
typed and shown as the day it names, ctrl+t opens the month at that day,
keys move it, Enter puts the ISO date in the field, and the entry saved
carries that day. The clock is pinned to Friday 20 November 2026. And the
site's zone beside a site time (`zone_line`), as the window forms show it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, Static

from ccm_tui.app import CcmApp
from ccm_tui.screens.dialogs.date_picker import DatePickerDialog
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.fee_guard_dialog import zone_line
from ccm_tui.services import Services
from ccm_tui.store.engine import read_session
from ccm_tui.store.tables import TimeEntryRow
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.date_picker import DayPicker
from tests.pilot_helpers import settle, wait_until


async def test_words_then_the_picker_then_the_saved_day(demo_app: CcmApp, demo_services: Services) -> None:
    demo_app.animation_level = "none"
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("t")
        await settle(pilot, demo_app)
        form = demo_app.screen
        assert isinstance(form, FormDialog)
        day = form.query_one("#field-day", Input)
        resolved = form.query_one("#resolved-day", Static)
        assert str(resolved.render()) == "Fri, Nov 20, 2026 · ctrl+t: calendar"
        day.focus()
        day.value = ""
        await pilot.press(*"yesterday")
        await settle(pilot, demo_app)
        assert str(resolved.render()) == "yesterday → Thu, Nov 19, 2026 · ctrl+t: calendar"
        shown = {key: active.binding.description for key, active in form.active_bindings.items()}
        assert shown["ctrl+t"] == "Pick from a calendar"  # so `?` lists it beside the field

        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(demo_app.screen, DatePickerDialog), "the month")
        picker = demo_app.screen.query_one(DayPicker)
        assert picker.cursor == date(2026, 11, 19)  # opened at the field's day, not today
        await pilot.press("right_square_bracket", "left_square_bracket", "up", "left")
        assert picker.cursor == date(2026, 11, 11)
        await pilot.press("enter")
        await wait_until(pilot, lambda: demo_app.screen is form, "the form again")
        assert day.value == "2026-11-11" and demo_app.focused is day
        assert str(resolved.render()) == "Wed, Nov 11, 2026 · ctrl+t: calendar"

        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(demo_app.screen, DatePickerDialog), "the month")
        await pilot.press("t", "escape")  # esc: the field keeps what it had
        await wait_until(pilot, lambda: demo_app.screen is form, "the form again")
        assert day.value == "2026-11-11"

        form.query_one("#field-hours", Input).value = "1.25"
        form.query_one("#field-category", Select).value = "relationship"
        form.query_one("#field-note", Input).value = "picked from the month"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert not isinstance(demo_app.screen, FormDialog), "the form saved and closed"
    with read_session(demo_services.engine) as session:
        entry = session.scalars(select(TimeEntryRow).where(TimeEntryRow.note == "picked from the month")).one()
    assert (entry.day, entry.minutes) == (date(2026, 11, 11), 75)


NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
US = Formatter("en_US")


@pytest.mark.parametrize(
    ("zone", "day", "clock", "line"),
    [
        ("Europe/Berlin", None, None, "site time, Europe/Berlin · CET"),
        ("Europe/Berlin", date(2026, 11, 23), time(9), "site time, Europe/Berlin · CET; yours 3:00\u202fAM EST"),
        ("Europe/Berlin", date(2027, 7, 1), time(9), "site time, Europe/Berlin · CEST; yours 3:00\u202fAM EDT"),
        ("Europe/Berlin", date(2027, 3, 28), time(2, 30), "site time, Europe/Berlin · CEST"),  # skipped: no "yours"
        ("America/Toronto", date(2026, 11, 23), time(9), "site time, America/Toronto · EST; your time too"),
        (
            "Pacific/Auckland",
            date(2026, 11, 23),
            time(9),
            "site time, Pacific/Auckland · NZDT; yours Sun, Nov 22 3:00\u202fPM EST",
        ),
        ("Asia/Kolkata", date(2026, 11, 23), None, "site time, Asia/Kolkata · IST"),
    ],
)
def test_the_site_zone_beside_a_site_time(zone: str, day: date | None, clock: time | None, line: str) -> None:
    """Whose 9:00: the site's zone with its abbreviation on that day, and the CCM's time when it differs."""
    assert zone_line(US, zone, "America/New_York", NOW, day, clock) == line
