"""Snapshots of the pre-activation checklist (key 3), at 80x24 and 120x40.

Pinned clock (Friday 2026-11-20 15:30 in New York), locale and zone, and the
demo book built for that day: the risks it leads with are the same each run.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ccm_tui.app import CcmApp
from tests.pilot_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def on_checklist(pilot: Pilot, *steps: str | tuple[str, ...]) -> None:
    """Key 3, then each step (a key, or keys pressed together) with the workers settled after it."""
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    for step in steps:
        await pilot.press(*((step,) if isinstance(step, str) else step))
        await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
class TestChecklistScreen:
    def test_opens_on_the_risks(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app, terminal_size=size, run_before=on_checklist)

    def test_working_on_a_checklist(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await on_checklist(pilot, "down", ("enter", *["down"] * 12))

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_block_needs_a_note(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await on_checklist(pilot, ("enter", "down", "b"), "ctrl+s")

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_add_item_form(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await on_checklist(pilot, "a")
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False  # the cursor shown steadily: where a blink is at the shot is timing, not the screen

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)

    def test_activated_shows_troubleshooting(self, snap_compare, demo_app: CcmApp, size: tuple[int, int]) -> None:
        async def run_before(pilot: Pilot) -> None:
            await on_checklist(pilot, "r", "enter", "ctrl+end")

        assert snap_compare(demo_app, terminal_size=size, run_before=run_before)
