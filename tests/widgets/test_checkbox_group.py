"""CheckboxGroup and TextCheckbox in a harness: the state reads as text, Tab goes box by box."""

from __future__ import annotations

from textual.app import App, ComposeResult

from ccm_tui.widgets.checkbox_group import CheckboxGroup


class BoxesHarness(App[None]):
    def compose(self) -> ComposeResult:
        yield CheckboxGroup((("Designated contact", "designated"), ("Billing [b]contact[/b]", "billing")), ["billing"])


async def test_a_checkbox_says_its_state_in_text() -> None:
    app = BoxesHarness()
    async with app.run_test(size=(60, 6)) as pilot:
        group = app.query_one(CheckboxGroup)
        first, second = group.boxes
        assert str(first.render()).startswith("[ ] Designated contact")
        assert str(second.render()).startswith("[x] Billing [b]contact[/b]"), "a label is text, not markup"
        group.focus()
        await pilot.pause()
        assert app.focused is first
        await pilot.press("space")
        assert str(first.render()).startswith("[x] ")
        assert group.selected == ["designated", "billing"]
        await pilot.press("tab", "enter")
        assert str(second.render()).startswith("[ ] ") and group.selected == ["designated"]
