"""Snapshot of a list with rows picked (issue 12, part 10), at 80x24: the marks
in the first column (readable without colour), the count leading the title,
and the room the mark column takes from the event's words, not from a time.

The reminders due today, with the first two picked: pinned clock, locale,
zone and demo book, as the other snapshots.
"""

from __future__ import annotations

from ccm_tui.app import CcmApp
from tests.pilot_helpers import settle


class TestPickedRows:
    def test_two_reminders_picked(self, snap_compare, demo_app: CcmApp) -> None:
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot)
            for keys in (("2",), ("r",), ("space", "space")):
                await pilot.press(*keys)
                await settle(pilot)

        assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)
