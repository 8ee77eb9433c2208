"""SelectableTable alone, and RowSelection: picks by key, the mark column, and what a refresh drops."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.status import Action, IllegalMove
from ccm_tui.screens.bulk import NothingToDo, Outcome, Row, apply_each, report
from ccm_tui.widgets.selection import MARK, RowSelection, SelectableTable, with_picked
from tests.pilot_helpers import settle
from tests.widgets.harness import Harness

ROWS = [("a", "Alpha"), ("b", "Bravo"), ("c", "Charlie")]


def fill(table: SelectableTable, rows: list[tuple[str, str]]) -> None:  # type: ignore[type-arg]
    table.clear(columns=True)
    table.add_column("When", width=12, key="when")
    table.add_column("What", width=30, key="what")
    for key, what in rows:
        table.add_row(f"{key} time", what, key=key)
    table.add_row(Text("a sentence, no key"))  # cannot be picked
    table.selection_shown()


def firsts(table: SelectableTable) -> list[str]:  # type: ignore[type-arg]
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_space_picks_and_moves_on_the_marks_come_and_go_and_a_refresh_drops_the_vanished() -> None:
    table: SelectableTable[object] = SelectableTable(room_from=("what",))
    app = Harness(table)
    async with app.run_test(size=(60, 12)) as pilot:
        fill(table, ROWS)
        await settle(pilot)
        assert firsts(table)[0] == "a time"  # nothing picked: no mark column
        await pilot.press("space", "space")
        await settle(pilot)
        assert table.picked_keys() == ["a", "b"] and table.cursor_row == 2
        assert firsts(table) == [MARK, MARK, " ", " "]
        widths = [c.width for c in table.ordered_columns]
        assert widths == [1, 12, 27]  # the room came from "What", never from the time
        await pilot.press("up", "space")  # again: unpicked
        await settle(pilot)
        assert table.picked_keys() == ["a"]
        await pilot.press("down", "down", "down", "space")  # the keyless row cannot be picked
        await settle(pilot)
        assert table.picked_keys() == ["a"]
        fill(table, [("b", "Bravo"), ("c", "Charlie")])  # a refresh without "a"
        await settle(pilot)
        assert not table.selection and firsts(table)[0] == "b time"
        assert [c.width for c in table.ordered_columns] == [12, 30]
        await pilot.press("home", "space", "escape")
        await settle(pilot)
        assert not table.selection and firsts(table)[0] == "b time"


async def test_escape_falls_through_with_nothing_picked() -> None:
    table: SelectableTable[object] = SelectableTable()
    app = Harness(table)
    async with app.run_test(size=(60, 12)) as pilot:
        fill(table, ROWS)
        await settle(pilot)
        assert table.check_action("clear_selection", ()) is False  # the screen's esc runs instead
        await pilot.press("space")
        assert table.check_action("clear_selection", ()) is True


def test_with_picked_leads_with_the_count() -> None:
    assert with_picked("Reminders", None) == "Reminders"


@given(st.lists(st.sampled_from("abcdef"), max_size=30), st.sets(st.sampled_from("abcdef")))
def test_row_selection_toggles_and_keeps_only_what_is_present(keys: list[str], present: set[str]) -> None:
    selection = RowSelection()
    odd = {k for k in set(keys) if keys.count(k) % 2}
    for key in keys:
        selection.toggle(key)
    assert set(selection) == odd  # picked an odd number of times: picked
    dropped = selection.keep(present)
    assert set(selection) == odd & present and dropped == len(odd - present)


def test_apply_each_applies_the_rest_and_keeps_each_refusal() -> None:
    written: list[str] = []

    def ok(key: str) -> None:
        written.append(key)

    def illegal() -> None:
        raise IllegalMove(StepKind.ACTIVATION, StepStatus.VALIDATED, Action.CONFIRM)

    def nothing() -> None:
        raise NothingToDo("it was already recorded")

    rows = [
        Row("1", "one", lambda: ok("1")),
        Row("2", "two", illegal),
        Row("3", "three", nothing),
        Row("4", "four", lambda: ok("4")),
    ]
    outcomes = apply_each(rows, lambda: None)
    assert written == ["1", "4"]
    assert [o.refused for o in outcomes][0::3] == ["", ""]
    assert outcomes[1].refused.startswith("Cannot confirm") and outcomes[2].refused == "It was already recorded."
    title, message, refused = report("Confirmed {n}", outcomes)
    assert title == "Confirmed 2 of 4" and refused and "Refused: two: Cannot confirm" in message
    assert report("Marked {n} done", [Outcome("1", "one")])[:1] == ("Marked 1 done",)
