"""`?` help says where a key works in the user's words ("customer list"), never a widget's class name."""

from __future__ import annotations

import re

import pytest
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input

from ccm_tui.app import CcmApp
from ccm_tui.screens.help import HelpScreen, where_name
from ccm_tui.widgets.customer_table import CustomerTable
from ccm_tui.widgets.filter_input import FilterInput
from ccm_tui.widgets.month_grid import MonthGrid
from tests.pilot_helpers import settle


class _PlainTable(DataTable[str]):
    pass


class _OddThing(Widget):
    pass


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (CustomerTable, "customer list"),  # ours: its HELP_NAME
        (MonthGrid, "month calendar"),
        (FilterInput, "filter box"),  # ours over Textual's Input
        (DataTable, "list"),  # Textual's
        (_PlainTable, "list"),  # a subclass without a name takes its base's
        (Input, "text field"),
        (VerticalScroll, "scrolled view"),
        (_OddThing, "odd thing"),  # the last resort: words, not CamelCase
    ],
)
def test_where_name(cls: type[Widget], name: str) -> None:
    assert where_name(cls.__new__(cls)) == name


async def test_every_screens_help_names_its_parts_in_words(demo_app: CcmApp) -> None:
    seen: set[str] = set()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        for screen_key in ("1", "2", "3", "4"):
            await pilot.press(screen_key)
            await settle(pilot, demo_app)
            await pilot.press("question_mark")
            await settle(pilot, demo_app)
            assert isinstance(demo_app.screen, HelpScreen)
            rows = demo_app.screen.rows
            seen |= {where for _, _, where in rows}
            if screen_key == "1":
                assert ("⏎", "Open", "customer list") in rows
            await pilot.press("escape")
            await settle(pilot, demo_app)
    assert {"customer list", "month calendar", "upcoming activations", "reviews due"} <= seen
    camel = [where for where in seen if re.search(r"[a-z][A-Z]", where)]
    assert not camel, f"class names in help: {camel}"
