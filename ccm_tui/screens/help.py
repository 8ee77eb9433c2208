"""`?`: every key that works here, grouped by where it comes from.

"Where" is what the user sees, never a class name: a widget of ours says
what it is in its HELP_NAME ("customer list"); Textual's own are named
below; anything else gets its class name's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import on
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


FOOT = "ctrl+p: command palette, every screen and customer. esc closes."


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
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]], ids: Sequence[str] = ()) -> None:
        super().__init__()
        self.rows = rows
        self.ids = list(ids)  # each row's binding id, for [keys] in config.toml ("" for Textual's own)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Keys", classes="help-title")
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Key", "Does", "Where")
            table.add_rows(self.rows)
            yield table
            yield Label(FOOT, id="help-foot", classes="help-foot", markup=False)

    @on(DataTable.RowHighlighted)
    def _show_id(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted key's id: the name to remap it by, under [keys] in config.toml."""
        row = event.cursor_row
        binding_id = self.ids[row] if 0 <= row < len(self.ids) else ""
        text = f"{binding_id} · its name in config.toml [keys] · esc closes" if binding_id else FOOT
        self.query_one("#help-foot", Label).update(text)
