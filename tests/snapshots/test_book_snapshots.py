"""Snapshots of the customer book and its detail, at 80x24 and 120x40.

Pinned clock (tests/conftest.py), pinned locale and zone, and a demo book
generated for that pinned day: nothing here depends on the real date.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ccm_tui.app import CcmApp
from tests.pilot_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
class TestCustomerBook:
    def test_opens_on_the_book(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=settle)

    def test_filtered(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("slash", *"ha")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_sorted_by_hours_descending(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("s", "s", "s", "s", "s")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_my_customers(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_help(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
class TestCustomerDetail:
    @pytest.mark.parametrize("tab", ["contacts", "sites", "orders", "activations", "hours"])
    def test_tab(self, snap_compare, demo_app: CcmApp, size: tuple[int, int], tab: str) -> None:
        presses = ["right_square_bracket"] * ["contacts", "sites", "orders", "activations", "hours"].index(tab)

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("down", "down", "down", "enter")
            await settle(pilot)
            await pilot.press(*presses)
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_contact_form_with_errors(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            pilot.app.screen.query_one("#field-email", Input).value = "nobody-at-example"
            pilot.app.screen.query_one("#field-phone", Input).value = "call me"
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_discard_question(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        """Esc on a changed form asks before its input is lost; the ticked box reads [x]."""

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*"Kim", "tab", "space", "escape")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)
