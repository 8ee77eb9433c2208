"""The hours burn-down's bar and one-line summary read without colour."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.hours import HoursLevel, burn_down, hours_usage
from ccm_tui.domain.model import TaskCategory, TimeEntry
from ccm_tui.formatting import Formatter
from ccm_tui.widgets.burn_down import burn_bar, summary_line


def _burn(used: str, package: str, today: date):  # type: ignore[no-untyped-def]
    entries = [TimeEntry(0, 1, date(2026, 11, 2), Decimal(used), TaskCategory.RELATIONSHIP)] if Decimal(used) else []
    return burn_down(hours_usage(entries, Decimal(package), date(2026, 11, 1)), today)


@pytest.mark.parametrize(
    ("used", "package", "today", "bar"),
    [
        ("5", "10", date(2026, 11, 15), "█████▒▒▒▒│"),  # half used, on pace to use it all
        ("2", "10", date(2026, 11, 30), "██░░░░░░░│"),  # the month is over: nothing still to come
        ("6", "10", date(2026, 11, 10), "███▒▒│▒▒▒▒"),  # heading for 18 h: the limit is passed mid-bar
        ("0", "0", date(2026, 11, 10), "░░░░░░░░░░"),  # no package: no limit marker
    ],
    ids=["on-pace", "month-over", "heading-over", "no-package"],
)
def test_burn_bar(used: str, package: str, today: date, bar: str) -> None:
    assert burn_bar(_burn(used, package, today), 10) == bar


@pytest.mark.parametrize(
    ("used", "today", "text", "level"),
    [
        ("2", date(2026, 11, 10), "2 of 10 h, 8 left, pace 6 h", HoursLevel.OK),
        ("6", date(2026, 11, 10), "6 of 10 h, 4 left, pace 18 h OVER", HoursLevel.OVER),
        ("11", date(2026, 11, 10), "11 of 10 h, OVER by 1 h", HoursLevel.OVER),
        ("8.5", date(2026, 11, 30), "8.5 of 10 h, 1.5 left", HoursLevel.NEAR),
    ],
    ids=["ok", "pace-over", "over", "near-at-month-end"],
)
def test_summary_line(used: str, today: date, text: str, level: HoursLevel) -> None:
    assert summary_line(_burn(used, "10", today), Formatter("en_US")) == (text, level)
