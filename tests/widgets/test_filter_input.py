"""FilterInput alone: never longer than QUERY_LIMIT, however the text comes in, and a cut is said."""

from __future__ import annotations

from textual import events

from ccm_tui.domain.search_text import QUERY_LIMIT
from ccm_tui.widgets.filter_input import CUT_NOTE, FilterInput
from tests.pilot_helpers import settle
from tests.widgets.harness import Harness

PAGE = "acme logistics " * 4000  # a pasted page: 60,000 characters


async def test_a_pasted_page_is_cut_and_said() -> None:
    field = FilterInput()
    app = Harness(field)
    async with app.run_test() as pilot:
        field.post_message(events.Paste(PAGE))
        await settle(pilot)
        assert field.value == PAGE[:QUERY_LIMIT]
        assert app.notes() == [CUT_NOTE]


async def test_a_value_set_by_code_is_cut_too_and_a_short_one_is_left_alone() -> None:
    field = FilterInput()
    app = Harness(field)
    async with app.run_test() as pilot:
        field.value = "x" * (QUERY_LIMIT + 1)
        await settle(pilot)
        assert len(field.value) == QUERY_LIMIT and app.notes() == [CUT_NOTE]
        field.value = ""
        await pilot.press(*"acme")
        await settle(pilot)
        assert field.value == "acme" and app.notes() == [CUT_NOTE]  # no second note
