"""The hours burn-down: its bar and one-line summary, and the panel, read without colour."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.hours import HoursLevel, burn_down, hours_usage
from ccm_tui.domain.model import TaskCategory, TimeEntry
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.burn_down import (
    BurnDownData,
    BurnDownPanel,
    burn_bar,
    summary_line,
)
from tests.pilot_helpers import settle
from tests.widgets.harness import Harness


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
        ("6", "10", date(2026, 11, 1), "██████░░░│"),  # the 1st: no pace drawn (it would say 180 h)
    ],
    ids=["on-pace", "month-over", "heading-over", "no-package", "too-early"],
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
        ("6", date(2026, 11, 2), "6 of 10 h, 4 left, too early for a pace", HoursLevel.OK),
    ],
    ids=["ok", "pace-over", "over", "near-at-month-end", "too-early"],
)
def test_summary_line(used: str, today: date, text: str, level: HoursLevel) -> None:
    assert summary_line(_burn(used, "10", today), Formatter("en_US")) == (text, level)


async def test_the_panel_says_used_left_and_pace_in_words() -> None:
    panel = BurnDownPanel(Formatter("en_US"))
    app = Harness(panel)
    async with app.run_test(size=(60, 20)) as pilot:
        panel.data = BurnDownData(_burn("6", "10", date(2026, 11, 10)))
        await settle(pilot)
        text = "\n".join(line.plain for line in panel.lines(panel.data, 40))
        assert "Hours, November 2026" in text
        assert "Used" in text and "6 h" in text and "of 10 h (60%)" in text
        assert "at this pace: OVER by 8 h" in text
        assert "day 10 of 30" in text
        assert panel.size.height == len(panel.lines(panel.data, 40))


def test_the_panel_in_the_months_first_days_says_too_early() -> None:
    panel = BurnDownPanel(Formatter("en_US"))
    text = "\n".join(line.plain for line in panel.lines(BurnDownData(_burn("6", "10", date(2026, 11, 2))), 40))
    assert "too early to judge" in text and "at this pace" not in text and "day 2 of 30" in text
    assert max(len(line) for line in text.splitlines()) <= 40
