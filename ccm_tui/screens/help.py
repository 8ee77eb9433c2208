"""`?`: every key that works here, grouped by where it comes from.

"Where" is what the user sees, never a class name: a widget of ours says
what it is in its HELP_NAME ("customer list"); Textual's own are named
below; anything else gets its class name's words.
"""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.dom import DOMNode
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    ListView,
    OptionList,
    RadioSet,
    Select,
    Switch,
    Tabs,
    TextArea,
    Tree,
)

from ccm_tui.screens.dialogs.base import Dialog

# Textual's widgets by what they look like; a subclass without a HELP_NAME takes its base's.
_TEXTUAL_NAMES: dict[type, str] = {
    DataTable: "list",
    OptionList: "list",
    ListView: "list",
    Input: "text field",
    TextArea: "text editor",
    Select: "drop-down",
    Button: "button",
    Checkbox: "checkbox",
    Switch: "switch",
    RadioSet: "choices",
    Tabs: "tabs",
    Tree: "tree",
    ScrollableContainer: "scrolled view",
}


def where_name(node: DOMNode) -> str:
    """The part of the screen a key belongs to, in the user's words: "customer list", "month calendar"."""
    for cls in type(node).__mro__:
        if name := vars(cls).get("HELP_NAME"):
            return str(name)
        if name := _TEXTUAL_NAMES.get(cls):
            return name
    return " ".join(re.findall(r"[A-Z][a-z]*|[a-z]+", type(node).__name__)).lower()


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen > Vertical {
        width: 70;
    }
    HelpScreen DataTable {
        height: auto;
        max-height: 18;
    }
    HelpScreen .help-title {
        text-style: bold;
    }
    HelpScreen .help-foot {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Keys", classes="help-title")
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Does", "Where")
            table.add_rows(self.rows)
            yield table
            yield Label("ctrl+p: command palette, every screen and customer. esc closes.", classes="help-foot")
