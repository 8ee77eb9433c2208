"""SafeSelect alone: page keys typed as its list opens do nothing until it is laid out, then page."""

from __future__ import annotations

import pytest

from ccm_tui.widgets.safe_select import SafeSelect
from tests.pilot_helpers import burst, settle
from tests.widgets.harness import Harness

OPTIONS = [(f"Option {n}", n) for n in range(40)]


@pytest.mark.parametrize("keys", [["space", "tab", "pageup"], ["space", "L", "tab", "pagedown"], ["enter", "tab", "pageup"]])
async def test_page_keys_as_the_list_opens_do_not_crash(keys: list[str]) -> None:
    """Textual 8.2.8's list raised KeyError: a page key before its first layout (the monkey test's seed 27)."""
    select = SafeSelect(OPTIONS, value=2)
    app = Harness(select)
    async with app.run_test() as pilot:
        await settle(pilot)
        await burst(pilot, keys)
        await settle(pilot)
        assert app.return_code is None


async def test_once_laid_out_the_page_keys_page() -> None:
    select = SafeSelect(OPTIONS, value=2)
    app = Harness(select)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("pagedown", "enter")
        await settle(pilot)
        assert isinstance(select.value, int) and select.value > 2
