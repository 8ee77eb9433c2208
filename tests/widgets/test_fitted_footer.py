"""The footer: keys that do not fit give way, right to left, to an ellipsis; `?` stays; none is cut; a click presses."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding

from ccm_tui.widgets.fitted_footer import FittedFooter
from tests.pilot_helpers import wait_until


class Keys(App[None]):
    BINDINGS = [
        *(Binding(key, f"press('{key}')", f"Action {key}") for key in "abcdefgh"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield FittedFooter()

    def action_press(self, key: str) -> None:
        self.pressed.append(key)

    def action_help(self) -> None:
        pass


def line(app: Keys) -> str:
    footer = app.query_one(FittedFooter)
    return str(footer.render())


@pytest.mark.parametrize(("width", "cut"), [(140, False), (80, True), (50, True)])
async def test_the_keys_shown_end_before_the_palette_and_help_stays(width: int, cut: bool) -> None:
    app = Keys()
    async with app.run_test(size=(width, 5)) as pilot:
        await wait_until(pilot, lambda: "Action a" in line(app), "the footer to show the keys")
        text = line(app)
        assert len(text) == width
        assert text.rstrip().endswith("▏^p palette")
        assert "? Help" in text
        assert ("…" in text) is cut
        shown = [k for k in "abcdefgh" if f" {k} Action {k} " in text]
        assert shown == list("abcdefgh")[: len(shown)], "they give way from the right"
        assert (len(shown) < 8) is cut
        assert text.count("Action") == len(shown), "no key is cut mid-word"


async def test_a_click_on_a_key_presses_it() -> None:
    app = Keys()
    async with app.run_test(size=(140, 5)) as pilot:
        await wait_until(pilot, lambda: "Action c" in line(app), "the footer to show the keys")
        footer = app.query_one(FittedFooter)
        await pilot.click(FittedFooter, offset=(line(app).index(" c Action c") + 2, 0))
        await wait_until(pilot, lambda: app.pressed == ["c"], "the click to press c")
        assert footer.entries[0].description == "Action a"
