"""Textual's command palette, made safe against keys typed ahead of it (Textual 8.2.8).

- A page key pressed as it opens: the option list only works out its lines
  once it has a size, and raised KeyError before. Until then the key does
  nothing; a moment later it pages.
- A selection or enter that reaches it after it has closed (two enters in
  a row): it dismissed again, popping the screen below, and would have run
  the command twice. Now such a message is dropped.
- Typing that reaches its input after it has closed (esc typed first, handled
  last: a key goes to the screen focused when it is sent, its bindings are
  looked up where the user is when it is handled): the search it started
  found the palette's list gone (NoMatches). That is dropped too.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandList
from textual.command import CommandPalette as TextualCommandPalette
from textual.message import Message
from textual.widgets import Button, Input, OptionList

PAGE_ACTIONS = ("page_up", "page_down")


class CommandPalette(TextualCommandPalette):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command_list" and parameters and parameters[0] in PAGE_ACTIONS:
            return bool(self.query_one(CommandList).scrollable_content_region)
        return super().check_action(action, parameters)

    # Handlers of a subclass run first; prevent_default() keeps Textual's from running at all.
    @on(Input.Changed)
    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _closed_already(self, event: Message) -> None:
        if not self.is_active:
            event.stop()
            event.prevent_default()
