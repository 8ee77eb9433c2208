"""Textual's Select, safe against page keys typed as its list opens (Textual 8.2.8).

The list (SelectOverlay, an OptionList) works out its lines only once it has
a size; pageup or pagedown before that raised KeyError in `_move_page`. The
monkey test typed space, tab, pageup in one burst on a form's select. Until
the list is laid out those keys do nothing; a moment later they page.
The command palette has the same guard (screens/command_palette.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Select

# Textual has no public names for these
from textual.widgets._select import SelectCurrent, SelectOverlay, SelectType


class PagedSelectOverlay(SelectOverlay):
    def action_page_up(self) -> None:
        if self.scrollable_content_region:  # else it has no lines yet
            super().action_page_up()

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()


class SafeSelect(Select[SelectType]):
    def compose(self) -> ComposeResult:
        # as Select.compose, with the guarded list
        yield SelectCurrent(self.prompt)
        yield PagedSelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
