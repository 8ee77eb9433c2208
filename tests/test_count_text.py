"""Filtered lists count their matches of the whole ("3 of 34 upcoming"); unfiltered, the total alone."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.checklist_views import UpcomingPage
from ccm_tui.text import calendar_text, checklist_text
from ccm_tui.text.formatting import Formatter

FMT = Formatter("en_US")
DAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("total", "whole", "recent", "expected"),
    [
        (34, None, False, "5 at risk · 34 upcoming · r: recent"),
        (3, 1234, False, "5 at risk · 3 of 1,234 upcoming · r: recent"),
        (3, -1, False, "5 at risk · 3 of … upcoming · r: recent"),  # the whole still being counted
        (None, 40, False, "5 at risk · … of 40 upcoming · r: recent"),
        (2, 9, True, "5 no traffic · 2 of 9 activated · r: upcoming"),
    ],
)
def test_checklist_status(total: int | None, whole: int | None, recent: bool, expected: str) -> None:
    page = UpcomingPage(rows=(), total=total, at_risk=5, offset=0)
    assert checklist_text.list_status(page, recent, FMT, whole) == expected


@pytest.mark.parametrize(
    ("total", "shown", "whole", "expected"),
    [
        (7, 7, None, "Friday, November 20, 2026: 7 events"),
        (1, 1, None, "Friday, November 20, 2026: 1 event"),
        (0, 0, 1, "Friday, November 20, 2026: 0 of 1 event"),
        (2, 2, 7, "Friday, November 20, 2026: 2 of 7 events"),
    ],
)
def test_calendar_day_title(total: int, shown: int, whole: int | None, expected: str) -> None:
    assert calendar_text.day_title(DAY, total, shown, FMT, whole) == expected


def test_agenda_title() -> None:
    assert calendar_text.agenda_title(DAY, 37, FMT) == "Agenda from Nov 20, 2026: 37 events"
    assert calendar_text.agenda_title(DAY, 3, FMT, 37) == "Agenda from Nov 20, 2026: 3 of 37 events"
