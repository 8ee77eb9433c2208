"""`h` on a checklist item: every change to it, who and when (in the CCM's zone)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from ccm_tui.screens.dialogs.base import Dialog


class ItemHistoryScreen(Dialog[None]):
    DEFAULT_CSS = """
    ItemHistoryScreen > Vertical {
        width: 90;
    }
    ItemHistoryScreen DataTable {
        height: auto;
        max-height: 16;
    }
    ItemHistoryScreen .history-title {
        text-style: bold;
    }
    ItemHistoryScreen .history-foot {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape,h,q", "close", "Close")]

    def __init__(self, title: str, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.history_title = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.history_title, classes="history-title", markup=False)  # the item's text, as typed
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("When", "Who", "Change", "Note")
            # Text, not str: a str cell is read as markup, and a note may hold "[/]"
            table.add_rows([tuple(map(Text, row)) for row in self.rows or [("", "", "no changes yet", "")]])
            yield table
            yield Label("esc closes", classes="history-foot")

    def action_close(self) -> None:
        self.dismiss_once(None)
