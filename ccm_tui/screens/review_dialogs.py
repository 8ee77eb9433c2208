"""Dialogs of the review agenda: write an item or its minutes, and pick one
thing from a list (a customer as you type, a past review). The confirm
dialog lives in dialogs/confirm.py (the form engine asks with it too).

Each dismisses with its value (None: cancelled). The editor is a FormDialog
with its labels above the fields: bad input is shown under its field and
nothing is kept until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.screens.dialogs.confirm import PARTS_CSS, ConfirmDialog
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.widgets.filter_input import FilterInput
from ccm_tui.widgets.workers import work

R = TypeVar("R")

__all__ = ["ConfirmDialog", "EditorDialog", "PickDialog"]  # ConfirmDialog: where the agenda has always found it


class EditorDialog(FormDialog[R]):
    """An agenda item (section, item, details) or an item's minutes (the text area alone).

    `save(values) -> R` validates and writes in a thread; values are keyed
    "section", "text" and "body".
    """

    def __init__(
        self,
        title: str,
        save: Callable[[dict[str, str]], R],
        *,
        body: str = "",
        body_label: str = "",
        text: str | None = None,
        sections: Sequence[str] = (),
        section: str = "",
        note: str = "",
    ) -> None:
        sections = tuple(dict.fromkeys([*sections, *([section] if section else [])]))
        fields: list[FormField] = []
        if sections:
            fields.append(
                FormField("section", "Section", "select", placeholder="Choose a section", options=tuple((s, s) for s in sections))
            )
        if text is not None:
            fields.append(FormField("text", "Item"))
        # "details" and "minutes" are the body's names in the validators
        fields.append(FormField("body", body_label, "area", aliases=("details", "minutes")))
        values = {"section": section, "text": text or "", "body": body}
        focus = "text" if text is not None and not text else "body"
        super().__init__(title, fields, values, save, focus=focus, stacked=True)
        self.note = note

    def compose_head(self) -> Iterable[Widget]:
        if self.note:
            yield Static(self.note, classes="editor-note", markup=False)


class PickDialog(Dialog[str | None]):
    """Pick one entry; with `search`, the list follows what is typed (run in a thread)."""

    DEFAULT_CSS = (
        PARTS_CSS.format(name="PickDialog")
        + """
    PickDialog OptionList {
        height: auto;
        max-height: 14;
    }
    PickDialog #pick-empty {
        color: $text-muted;
    }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
        Binding("down", "down", "Down", show=False, id="pick.down"),
        Binding("up", "up", "Up", show=False, id="pick.up"),
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, Text | str]] = (),
        *,
        search: Callable[[str], Sequence[tuple[str, Text | str]]] | None = None,
        placeholder: str = "",
        empty: str = "Nothing to pick.",
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.initial = tuple(options)
        self.search = search
        self.placeholder = placeholder
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            if self.search is not None:
                yield FilterInput(placeholder=self.placeholder, id="pick-query", compact=True)
            yield OptionList(id="pick-list", markup=False)
            yield Static("", id="pick-empty")

    def on_mount(self) -> None:
        self._fill(self.initial)
        if self.search is not None:
            self.query_one("#pick-query", Input).focus()
        else:
            self.query_one("#pick-list", OptionList).focus()

    def _fill(self, options: Sequence[tuple[str, Text | str]]) -> None:
        if self.gone:  # closed while the search ran: its list is gone
            return
        listing = self.query_one("#pick-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(label, id=key) for key, label in options])
        if options:
            listing.highlighted = 0
        typed = self.search is not None and self.query_one("#pick-query", Input).value.strip()
        message = "" if options else (self.empty if not self.search or typed else "Type part of a name or account number.")
        self.query_one("#pick-empty", Static).update(message)

    @on(Input.Changed, "#pick-query")
    def _typed(self, event: Input.Changed) -> None:
        self._run_search(event.value)

    @work(thread=True, exclusive=True, group="pick-search")
    def _run_search(self, text: str) -> None:
        assert self.search is not None
        found = self.search(text) if text.strip() else []
        self.app.call_from_thread(self._fill, found)

    @on(Input.Submitted, "#pick-query")
    def _submitted(self) -> None:
        listing = self.query_one("#pick-list", OptionList)
        if listing.highlighted is not None and listing.option_count:
            self.dismiss_once(listing.get_option_at_index(listing.highlighted).id)

    @on(OptionList.OptionSelected, "#pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss_once(event.option.id)  # once: two enters in a burst each select

    def action_down(self) -> None:
        self.query_one("#pick-list", OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one("#pick-list", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss_once(None)
