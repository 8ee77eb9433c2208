"""Checkboxes that say their state in text, and a group of them for one form field.

Textual's Checkbox draws the same "X" checked or not and tells them apart
by colour alone: under NO_COLOR, or to a screen reader, every box looks
ticked. `TextCheckbox` draws "[x]" or "[ ]". A `CheckboxGroup` is one
multiple-choice field: each box is its own Tab stop, in the order shown,
and focusing the group focuses its first box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox


class TextCheckbox(Checkbox):
    """A checkbox whose box reads "[x]" or "[ ]"; `option` is the value it stands for."""

    DEFAULT_CSS = """
    TextCheckbox, TextCheckbox:focus {
        border: none;
        padding: 0;
        height: 1;
        background: transparent;
    }
    TextCheckbox > .toggle--button, TextCheckbox.-on > .toggle--button {
        background: transparent;
        color: $foreground;
    }
    TextCheckbox:focus > .toggle--label {
        text-style: reverse;
    }
    """

    def __init__(self, label: str, option: str, value: bool = False, *, id: str | None = None) -> None:
        # plain text: a role's or an option's name is shown as written ("[/]" is not markup)
        super().__init__(Text(label), value, id=id, compact=True)
        self.option = option

    @property
    def _button(self) -> Content:
        return Content("[x]" if self.value else "[ ]")


class CheckboxGroup(Vertical):
    """Several choices, any number ticked; `selected` lists the ticked options in the order shown."""

    DEFAULT_CSS = """
    CheckboxGroup {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, options: Sequence[tuple[str, str]], chosen: Iterable[str] = (), *, id: str | None = None) -> None:
        ticked = set(chosen)
        super().__init__(*(TextCheckbox(label, value, value in ticked) for label, value in options), id=id)

    @property
    def boxes(self) -> list[TextCheckbox]:
        return list(self.query_children(TextCheckbox))

    @property
    def selected(self) -> list[str]:
        return [box.option for box in self.boxes if box.value]

    def focus(self, scroll_visible: bool = True) -> CheckboxGroup:
        """Focus the first box: the group itself takes no keys."""
        boxes = self.boxes
        if boxes:
            boxes[0].focus(scroll_visible)
        return self
