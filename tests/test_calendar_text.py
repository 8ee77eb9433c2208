"""The calendar's bar and day title in words."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.text.calendar_text import agenda_title, bar, day_title
from ccm_tui.text.formatting import Formatter

FMT = Formatter("en_US")
DAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("total", "shown", "expected"),
    [
        (0, 0, "Monday, November 23, 2026: 0 events"),
        (1, 1, "Monday, November 23, 2026: 1 event"),
        (1200, 200, "Monday, November 23, 2026: 1,200 events (first 200 shown; f filters)"),
        (3, 0, "Monday, November 23, 2026: 3 events"),  # the list is not in yet: no "first 0"
    ],
)
def test_day_title(total: int, shown: int, expected: str) -> None:
    assert day_title(DAY, total, shown, FMT) == expected


def test_bar_names_the_filter_and_the_zone() -> None:
    assert bar("November 2026", CalendarFilter(), "EST") == "November 2026 · no filter · days and your times in EST"
    assert agenda_title(DAY, 1234, FMT) == "Agenda from Nov 23, 2026: 1,234 events"
