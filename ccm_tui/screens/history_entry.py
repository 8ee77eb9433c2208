"""Enter on a history row: the whole entry, nothing cut.

A history table keeps one line per change, so a long reason or note ends
in `…`. This dialog shows one entry in full: when, who, what changed and
why, each part beside its label and wrapped, scrolling when it is taller
than the screen (80x24 included). Read-only: esc, enter or q closes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from ccm_tui.domain.changes import CHANGED, CREATED
from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.text.change_text import ARROW, field_label, record_text, value_text

if TYPE_CHECKING:
    from ccm_tui.domain.changes import ChangeEntry
    from ccm_tui.domain.schedule import HistoryLine
    from ccm_tui.text.formatting import Formatter

EntryPart = tuple[str, str]
"""A label and its text ("Why", "the customer asked…"); an empty text is left out."""


class HistoryEntryDialog(Dialog[None]):
    DEFAULT_CSS = """
    HistoryEntryDialog VerticalScroll {
        height: auto;
        max-height: 16;
    }
    HistoryEntryDialog .entry-title {
        text-style: bold;
    }
    HistoryEntryDialog .entry-parts {
        margin: 1 0;
    }
    HistoryEntryDialog .entry-foot {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="entry.close"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="entry.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="entry.up"),
    ]

    def __init__(self, title: str, parts: Sequence[EntryPart]) -> None:
        super().__init__()
        self.entry_title = title
        self.parts = [(label, text) for label, text in parts if text.strip()]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.entry_title, classes="entry-title", markup=False)  # names and notes as typed
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")  # wrapped, and a long word folds: nothing is cut
            for label, text in self.parts:
                grid.add_row(label, Text(text))  # Text, not markup: "[/]" is text
            with VerticalScroll():
                yield Static(grid, classes="entry-parts")
            yield Label("esc closes", classes="entry-foot")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if where == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()

    def action_close(self) -> None:
        self.dismiss_once(None)


def timeline_entry(entry: ChangeEntry, fmt: Formatter, zone: str) -> tuple[str, list[EntryPart]]:
    """A change-log entry in full: the record it changed, then when, who, each field on its own line, why."""
    changes = []
    if entry.action != CHANGED:
        changes.append(entry.action)
    for name, (old, new) in entry.changes.items():
        if entry.action == CREATED or old is None:
            changes.append(f"{field_label(name)}: {value_text(new, name)}")
        else:
            changes.append(f"{field_label(name)}: {value_text(old, name)} {ARROW} {value_text(new, name)}")
    when = f"{fmt.date_long(fmt.local(entry.at, zone).date())} {fmt.time_in(entry.at, zone)}"
    parts = [("When (yours)", when), ("Who", entry.who), ("Change", "\n".join(changes) or entry.action), ("Why", entry.reason)]
    return record_text(entry)[:1].upper() + record_text(entry)[1:], parts


def activation_entry(line: HistoryLine, site_zone: str, fmt: Formatter, zone: str) -> tuple[str, list[EntryPart]]:
    """An activation's history line in full: the step and action, then when, who, the move, the fee, why."""
    kind = line.step_kind
    status = line.to_status.label_for(kind)
    if line.from_status is not None:
        status = f"{line.from_status.label_for(kind)} {ARROW} {status}"
    window = ""
    if line.to_start is not None and line.to_start != line.from_start:
        before = f"{fmt.when_in(line.from_start, site_zone)} {ARROW} " if line.from_start is not None else ""
        window = f"{before}{fmt.when_in(line.to_start, site_zone)} (site time)"
    parts = [
        ("When (yours)", fmt.when_in(line.at, zone)),
        ("Who", line.who),
        ("Status", status),
        ("Window", window),
        ("Contact", line.contact_name),
        ("Asked for by", line.initiator.label if line.initiator is not None else ""),
        ("Fee", fmt.money(line.fee) if line.fee else ""),
        ("Why", line.reason),
    ]
    return f"{kind.label}: {line.action.replace('_', ' ')}", parts
