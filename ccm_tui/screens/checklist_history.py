"""`h` on a checklist item: every change to it, who and when (in the CCM's zone).

A note longer than its column ends in `…`; enter shows the whole change.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.screens.history_entry import HistoryEntryDialog


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

    BINDINGS = [
        Binding("escape,h,q", "close", "Close", id="history.close"),
        # priority: before the table's own enter (which only highlights)
        Binding(
            "enter",
            "show_entry",
            "Whole entry",
            priority=True,
            tooltip="The change and its note, nothing cut",
            id="history.whole_entry",
        ),
    ]

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
            yield Label("enter: the whole change · esc closes", classes="history-foot")

    @on(DataTable.RowSelected)
    def _clicked(self) -> None:
        self.action_show_entry()

    def action_show_entry(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.rows):
            when, who, change, note = self.rows[row]
            parts = [("When (yours)", when), ("Who", who), ("Change", change), ("Note", note)]
            self.app.push_screen(HistoryEntryDialog(self.history_title, parts))

    def action_close(self) -> None:
        self.dismiss_once(None)
