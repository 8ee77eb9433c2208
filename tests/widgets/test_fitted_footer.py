"""The fitted footer: keys that do not fit give way, right to left, to an ellipsis; `?` stays; none is cut."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey, FooterLabel

from ccm_tui.widgets.fitted_footer import FittedFooter
from tests.pilot_helpers import wait_until


class Keys(App[None]):
    BINDINGS = [
        *(Binding(key, f"bell('{key}')", f"Action {key}") for key in "abcdefgh"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield FittedFooter()

    def action_help(self) -> None:
        pass


@pytest.mark.parametrize(("width", "cut"), [(140, False), (80, True), (50, True)])
async def test_the_keys_shown_end_before_the_palette_and_help_stays(width: int, cut: bool) -> None:
    app = Keys()
    async with app.run_test(size=(width, 5)) as pilot:
        footer = app.query_one(FittedFooter)

        def palette() -> FooterKey:  # found anew: the footer composes its keys again as the bindings settle
            return next(key for key in footer.query(FooterKey) if key.has_class("-command-palette"))

        def shown() -> list[FooterKey]:
            return [key for key in footer.query(FooterKey) if key.display and not key.has_class("-command-palette")]

        def fitted() -> bool:
            keys = shown()
            return footer._fitted_width == width and bool(keys) and all(0 < k.region.right <= palette().region.x for k in keys)

        await wait_until(pilot, fitted, "every key shown ends before the palette's")
        assert any(key.key == "question_mark" for key in shown())
        assert bool(footer.query(FooterLabel).filter(".-more")) is cut
        assert (len(shown()) < 10) is cut
