"""Dialogs of the review agenda: confirm, write an item or its minutes,
and pick one thing from a list (a customer as you type, a past review).

Each is a ModalScreen that dismisses with its value (None: cancelled). The
editors save through a callback in a thread worker, like FormDialog: bad
input is shown under its field and nothing is kept until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ccm_tui.screens.form_dialog import run_save
from ccm_tui.screens.from_worker import ClosesOnce
from ccm_tui.widgets.filter_input import FilterInput
from ccm_tui.widgets.safe_select import SafeSelect

R = TypeVar("R")

_DIALOG_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 76;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary;
    background: $surface;
    padding: 0 1;
}}
{name} .dialog-title {{
    text-style: bold;
    width: 100%;
    padding-bottom: 1;
}}
{name} .dialog-error {{
    color: $text-error;
    display: none;
}}
{name} .dialog-error.-shown {{
    display: block;
}}
{name} .dialog-buttons {{
    height: auto;
    align-horizontal: right;
    padding-top: 1;
}}
{name} .dialog-buttons Button {{
    margin-left: 1;
}}
"""


class ConfirmDialog(ClosesOnce[bool]):
    """Yes or no, with what the action will do spelled out."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog") + """
    ConfirmDialog #confirm-body {
        height: auto;
        max-height: 16;
        overflow-y: auto;
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, body: Text | str, confirm: str = "Yes") -> None:
        super().__init__()
        self.dialog_title = title
        self.body = body
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            # plain text throughout: titles, bodies and errors quote names and input as typed
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(self.body, id="confirm-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm} (y)", id="confirm-yes", variant="warning", compact=True)
                yield Button("Cancel (n)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    # once: keys typed in one burst ("y", "n") all reach this dialog; a second answer popped the screen below
    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss_once(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss_once(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss_once(answer)


class EditorDialog(ClosesOnce[R | None], Generic[R]):
    """An agenda item (section, item, details) or an item's minutes (the text area alone).

    `save(values) -> R` validates and writes in a thread; values are keyed
    "section", "text" and "body".
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="EditorDialog") + """
    EditorDialog .editor-label {
        padding-top: 1;
        color: $text-muted;
    }
    EditorDialog Select, EditorDialog Input {
        width: 100%;
    }
    EditorDialog TextArea {
        height: 8;
        min-height: 4;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

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
        super().__init__()
        self.dialog_title = title
        self._save = save
        self.body = body
        self.body_label = body_label
        self.text = text
        self.sections = tuple(dict.fromkeys([*sections, *([section] if section else [])]))
        self.section = section
        self.note = note
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            if self.note:
                yield Static(self.note, classes="editor-note", markup=False)
            yield Static("", id="error-banner", classes="dialog-error", markup=False)
            if self.sections:
                yield Label("Section", classes="editor-label")
                yield SafeSelect(
                    [(Text(s), s) for s in self.sections],  # a section's name is text, not markup
                    value=self.section if self.section in self.sections else Select.NULL,
                    prompt="Choose a section",
                    id="field-section",
                    compact=True,
                )
                yield Static("", id="error-section", classes="dialog-error", markup=False)
            if self.text is not None:
                yield Label("Item", classes="editor-label")
                yield Input(self.text, id="field-text", compact=True)
                yield Static("", id="error-text", classes="dialog-error", markup=False)
            yield Label(self.body_label, classes="editor-label")
            yield TextArea(self.body, id="field-body", soft_wrap=True, show_line_numbers=False, compact=True)
            yield Static("", id="error-body", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="editor-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="editor-cancel", compact=True)

    def on_mount(self) -> None:
        first = "#field-text" if self.text is not None and not self.text else "#field-body"
        self.query_one(first).focus()

    def values(self) -> dict[str, str]:
        out = {"body": self.query_one("#field-body", TextArea).text}
        if self.sections:
            select = self.query_one("#field-section", Select)
            out["section"] = "" if select.is_blank() else str(select.value)
        if self.text is not None:
            out["text"] = self.query_one("#field-text", Input).value
        return out

    @on(Button.Pressed, "#editor-save")
    def action_save(self) -> None:
        if not self._saving:
            self._saving = True
            self._run_save(self.values())

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.query_one("#field-body", TextArea).focus()

    @on(Button.Pressed, "#editor-cancel")
    def action_cancel(self) -> None:
        self.dismiss_once(None)

    @work(thread=True, exclusive=True, group="editor-save")
    def _run_save(self, values: dict[str, str]) -> None:
        # a busy book (a long import elsewhere) is noted and retried, as in every form
        run_save(self, lambda: self._save(values), done=self.dismiss_once, failed=self._show_errors)

    def _show_errors(self, errors: dict[str, str], banner: str) -> None:
        self._saving = False
        shown = {"section", "text", "body"} & {w.id.removeprefix("error-") for w in self.query(".dialog-error") if w.id}
        # "details" and "minutes" are the body's names in the validators
        errors = {("body" if k in ("details", "minutes") else k): v for k, v in errors.items()}
        unplaced = [v for k, v in errors.items() if k not in shown]
        banner_widget = self.query_one("#error-banner", Static)
        banner_widget.update("\n".join([banner, *unplaced]).strip())
        banner_widget.set_class(bool(banner or unplaced), "-shown")
        for name in shown:
            widget = self.query_one(f"#error-{name}", Static)
            widget.update(errors.get(name, ""))
            widget.set_class(name in errors, "-shown")
        for name in ("section", "text", "body"):
            if name in errors and name in shown:
                self.query_one(f"#field-{name}").focus()
                break


class PickDialog(ClosesOnce[str | None]):
    """Pick one entry; with `search`, the list follows what is typed (run in a thread)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="PickDialog") + """
    PickDialog OptionList {
        height: auto;
        max-height: 14;
    }
    PickDialog #pick-empty {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "down", "Down", show=False),
        Binding("up", "up", "Up", show=False),
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
