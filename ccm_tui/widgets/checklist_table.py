"""ChecklistTable: one activation's checklist, grouped by phase.

Each phase starts with a heading row carrying its progress (done of the
items that apply); items follow in template order. States are words and
brackets, not colours: [x] done, [ ] open, [!] blocked, [-] not applicable;
"LATE" marks an outstanding item past its due date, "B" an item the event
cannot go ahead without. Keys act on the highlighted item and are posted
up as `ItemAction` for the screen to carry out; enter asks for the
activation itself (`OpenActivation`, at the step of the row's phase).

`v` picks items (space is already "done" here; see `widgets.selection`);
with items picked, space posts `PickedDone` for all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable

from ccm_tui.domain.checklist import ChecklistItem, ItemState, Owner, links_to_ip_letter
from ccm_tui.domain.checklist_views import (
    ActivationChecklist,
    ChecklistLine,
    PhaseProgress,
)
from ccm_tui.domain.model import StepKind
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.selection import SelectableTable, clear_binding, select_binding

MARKS = {
    ItemState.DONE: ("[x]", ""),
    ItemState.OPEN: ("[ ]", ""),
    ItemState.BLOCKED: ("[!]", "bold red"),
    ItemState.NOT_APPLICABLE: ("[-]", "dim"),
}
COLUMNS = (("state", "", 3), ("item", "Item", 0), ("owner", "Who", 4), ("due", "Due (site)", 11), ("flags", "", 6))


class ChecklistTable(SelectableTable[Text | str]):
    HELP_NAME: ClassVar[str] = "checklist items"  # the `?` help's "Where" for its keys

    BINDINGS = [
        Binding(
            "space",
            "item('toggle')",
            "Done",
            tooltip="Mark the item done (or open again); with items picked (v): all done",
            id="checklist.done",
        ),
        select_binding("v", show=False),
        clear_binding(show=False),
        Binding("b", "item('block')", "Block", tooltip="Blocked: say what it waits for", id="checklist.block"),
        Binding("n", "item('not_applicable')", "N/A", tooltip="Not applicable here (again: open)", id="checklist.not_applicable"),
        Binding("o", "item('reopen')", "Reopen", show=False, tooltip="Back to open", id="checklist.reopen"),
        Binding("h", "item('history')", "History", show=False, tooltip="Who changed the item, and when", id="checklist.history"),
        Binding(
            "enter",
            "open_activation",
            "Activation",
            show=False,
            id="checklist.activation",
            tooltip="Open the activation: its steps, history and actions",
        ),
    ]

    ROOM_FROM = ("item",)

    writable: var[bool] = var(True)
    """False in a read-only session: the item keys are hidden, the history stays."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writes = action == "item" and bool(parameters) and parameters[0] != "history"
        if action == "toggle_selection":
            return self.writable  # items are picked to be marked done
        return (self.writable or not writes) and super().check_action(action, parameters)

    def watch_writable(self) -> None:
        self.refresh_bindings()

    @dataclass
    class ItemAction(Message):
        action: str  # toggle | block | not_applicable | reopen | history
        item: ChecklistItem

    @dataclass
    class OpenActivation(Message):
        activation_id: int
        step: StepKind  # the step of the highlighted row's phase

    @dataclass
    class PickedDone(Message):
        """Mark these picked items done (in list order)."""

        items: list[ChecklistItem]

    @dataclass
    class ItemHighlighted(Message):
        line: ChecklistLine | None  # None on a phase heading

    def __init__(self, formatter: Formatter, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, selectable=True, **kwargs)
        self.formatter = formatter
        self._entries: list[ChecklistLine | PhaseProgress] = []
        self._layout_width = -1
        self._checklist: ActivationChecklist | None = None
        self._letter = ""

    def show(self, checklist: ActivationChecklist | None, letter: str = "", keep_item: int | None = None) -> None:
        """Show a checklist (None: nothing picked); `letter` goes beside IP-letter items."""
        self._checklist = checklist
        self._letter = letter
        cursor = self.cursor_row
        self._entries = []
        if checklist is not None:
            lines = checklist.shown()
            for progress in checklist.progress():
                self._entries.append(progress)
                self._entries.extend(line for line in lines if line.item.phase is progress.phase)
        if keep_item is not None:
            cursor = next(
                (i for i, e in enumerate(self._entries) if isinstance(e, ChecklistLine) and e.item.id == keep_item), cursor
            )
        else:
            cursor = 1 if len(self._entries) > 1 else 0
        self._rebuild(cursor)

    def current(self) -> ChecklistLine | None:
        if 0 <= self.cursor_row < len(self._entries):
            entry = self._entries[self.cursor_row]
            return entry if isinstance(entry, ChecklistLine) else None
        return None

    # -- layout ---------------------------------------------------------------
    def _current_width(self) -> int:
        return self.size.width or self.app.size.width

    def _rebuild(self, cursor: int) -> None:
        self.clear(columns=True)
        width = self._layout_width = self._current_width()
        fixed = sum(w for _, _, w in COLUMNS)
        padding = 2 * self.cell_padding * len(COLUMNS) + 2
        for key, label, w in COLUMNS:
            self.add_column(label, width=w or max(16, width - fixed - padding), key=key)
        for entry in self._entries:
            # items are keyed by id (they can be picked); phase headings have no key
            self.add_row(*self._cells(entry), key=str(entry.item.id) if isinstance(entry, ChecklistLine) else None)
        if self._entries:
            self.move_cursor(row=min(cursor, len(self._entries) - 1))
        self.selection_shown()

    def on_resize(self) -> None:
        if self._current_width() != self._layout_width:
            self._rebuild(self.cursor_row)

    def _cells(self, entry: ChecklistLine | PhaseProgress) -> list[Text | str]:
        if isinstance(entry, PhaseProgress):
            done = f"{entry.done}/{entry.required} done" if entry.required else "none apply"
            return ["", Text(entry.phase.label.upper(), style="bold"), "", Text(done, style="bold"), ""]
        item = entry.item
        mark, style = MARKS[item.state]
        text = Text(item.text, overflow="ellipsis", no_wrap=True, style=style)
        if links_to_ip_letter(item.text) and self._letter:
            text.append(f" ({self._letter})", style="italic")
        if item.note:
            text.append(f" - {item.note}", style="dim")
        flags = Text()
        if item.blocking:
            flags.append("B ")
        if entry.overdue:
            flags.append("LATE", style="bold red")
        due = self.formatter.day_short(entry.due) if entry.due else "-"
        owner = "cust" if item.owner is Owner.CUSTOMER else "prov"
        return [Text(mark, style=style or "bold"), text, owner, due, flags]

    # -- keys and messages ---------------------------------------------------------
    def picked_items(self) -> list[ChecklistItem]:
        keys = set(self.picked_keys())
        return [e.item for e in self._entries if isinstance(e, ChecklistLine) and str(e.item.id) in keys]

    def action_item(self, action: str) -> None:
        picked = self.picked_items()
        if action == "toggle" and picked:
            self.post_message(self.PickedDone(picked))
            return
        line = self.current()
        if line is None:
            self.notify("Highlight an item first (not a phase heading).", severity="warning")
            return
        self.post_message(self.ItemAction(action, line.item))

    def action_open_activation(self) -> None:
        if self._checklist is None:
            return
        entry = self._entries[self.cursor_row] if 0 <= self.cursor_row < len(self._entries) else None
        phase = entry.item.phase if isinstance(entry, ChecklistLine) else entry.phase if entry is not None else None
        step = phase.step if phase is not None else StepKind.ACTIVATION
        self.post_message(self.OpenActivation(self._checklist.activation.id, step))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.ItemHighlighted(self.current()))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click highlights; enter (the binding above) opens the activation
