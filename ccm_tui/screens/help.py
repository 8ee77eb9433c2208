"""`?`: every key that works here, grouped by where it comes from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from ccm_tui.screens.dialogs.base import Dialog


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
            yield Label("ctrl+p opens the command palette: every screen and customer. esc closes.", classes="help-foot")
