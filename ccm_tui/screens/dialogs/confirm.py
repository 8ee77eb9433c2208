"""ConfirmDialog: yes or no, with what the action will do spelled out.

Shared by the agenda (remove an item, complete a review) and the form
engine (discard a changed form). `y` answers yes, `n` and esc no; enter
presses the focused button: No, unless the dialog is asked to start on Yes
(where saying yes loses nothing that cannot be typed again).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from ccm_tui.screens.dialogs.base import Dialog

# the frame is Dialog's; these are the parts a small dialog's title and buttons share
PARTS_CSS = """
{name} .dialog-title {{
    text-style: bold;
    width: 100%;
    padding-bottom: 1;
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


class ConfirmDialog(Dialog[bool]):
    """Yes or no, with what the action will do spelled out."""

    DEFAULT_CSS = (
        PARTS_CSS.format(name="ConfirmDialog")
        + """
    ConfirmDialog #confirm-body {
        height: auto;
        max-height: 16;
        overflow-y: auto;
    }
    """
    )
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(
        self, title: str, body: Text | str, confirm: str = "Yes", *, decline: str = "Cancel", start_on_yes: bool = False
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.body = body
        self.confirm = confirm
        self.decline = decline
        self.start_on_yes = start_on_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            # plain text throughout: titles, bodies and errors quote names and input as typed
            yield Label(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(self.body, id="confirm-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm} (y)", id="confirm-yes", variant="warning", compact=True)
                yield Button(f"{self.decline} (n)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-yes" if self.start_on_yes else "#confirm-no", Button).focus()

    # once: keys typed in one burst ("y", "n") all reach this dialog; a second answer popped the screen below
    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss_once(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss_once(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss_once(answer)
