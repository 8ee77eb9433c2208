"""ChecklistTable alone: phase headings and items; keys on an item post ItemAction, on a heading a hint."""

from __future__ import annotations

import pytest

from ccm_tui.domain.checklist import ItemState, Phase
from ccm_tui.widgets.checklist_table import ChecklistTable
from tests.pilot_helpers import settle
from tests.widgets.data import FMT, checklist, item
from tests.widgets.harness import Harness

SITE_SURVEY = item(1, Phase.BEFORE_INSTALLATION, "Site survey booked", ItemState.DONE)
POWER = item(2, Phase.BEFORE_INSTALLATION, "Power at the rack", blocking=True)
PATCH = item(3, Phase.BEFORE_ACTIVATION, "Patch cable in place", ItemState.NOT_APPLICABLE)
LIST = checklist(SITE_SURVEY, POWER, PATCH, overdue=frozenset({2}))


def cells(table: ChecklistTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_phases_lead_their_items_with_progress_and_states_in_brackets() -> None:
    table = ChecklistTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(100, 30)) as pilot:
        table.show(LIST)
        await settle(pilot)
        rows = cells(table)
        assert [r[0] for r in rows] == ["", "[x]", "[ ]", "", "[-]"]
        assert rows[0][1:4] == ["BEFORE THE INSTALLATION VISIT", "", "1/2 done"]
        assert rows[3][3] == "none apply"
        assert rows[2][4] == "B LATE"  # blocking and overdue, in words
        line = table.current()
        assert line is not None and line.item == SITE_SURVEY  # on the first item, not the heading


@pytest.mark.parametrize(
    ("key", "action"), [("space", "toggle"), ("b", "block"), ("n", "not_applicable"), ("o", "reopen"), ("h", "history")]
)
async def test_a_key_on_an_item_posts_its_action(key: str, action: str) -> None:
    table = ChecklistTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(100, 30)) as pilot:
        table.show(LIST)
        await pilot.press("down")
        await settle(pilot)
        app.posted.clear()
        await pilot.press(key)
        await settle(pilot)
        assert app.posted == [ChecklistTable.ItemAction(action, POWER)]


async def test_a_key_on_a_phase_heading_says_to_pick_an_item() -> None:
    table = ChecklistTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(100, 30)) as pilot:
        table.show(LIST)
        await pilot.press("up")
        await settle(pilot)
        assert app.posted[-1] == ChecklistTable.ItemHighlighted(None)
        await pilot.press("space")
        await settle(pilot)
        assert not [m for m in app.posted if isinstance(m, ChecklistTable.ItemAction)]
        assert "Highlight an item first (not a phase heading)." in app.notes()


async def test_showing_again_keeps_the_item_asked_for() -> None:
    table = ChecklistTable(FMT)
    app = Harness(table)
    async with app.run_test(size=(100, 30)) as pilot:
        table.show(LIST)
        table.show(LIST, keep_item=PATCH.id)
        await settle(pilot)
        line = table.current()
        assert line is not None and line.item == PATCH
