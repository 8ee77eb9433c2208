"""UpcomingTable: upcoming activations, not-ready risks first, a page at a time.

Like the book's table it never holds the whole list: the screen hands it
pages of `UpcomingRow`s and it asks for more with `NeedMore`. Each row says
RISK in words (and the fee it would cost, where there is room), so the
list reads without colour. Below 110 columns the site and fee columns go:
the selected activation's summary shows both. In "recent" mode it lists
activations done in the last days instead, saying whether traffic passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from ccm_tui.domain.checklist_views import UpcomingRow
from ccm_tui.domain.model import ServiceKind, StepKind
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.breakpoints import WIDE
from ccm_tui.widgets.steady_table import SteadyTable

LOAD_AHEAD = 10
SERVICE_SHORT = {ServiceKind.INTERNET: "INET", ServiceKind.ETHERNET: "ETH"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes what is left
    wide_only: bool = False


COLUMNS = (
    Column("risk", "Risk", 4),
    Column("customer", "Customer", 0),
    Column("site", "Site", 18, wide_only=True),
    Column("service", "Svc", 4),
    Column("step", "Step", 4),
    Column("when", "Next step (site time)", 25),
    Column("ready", "Ready", 5),
    Column("fee", "If not ready", 12, wide_only=True),
)
RECENT_COLUMNS = (
    Column("traffic", "Traffic", 7),
    Column("customer", "Customer", 0),
    Column("site", "Site", 18, wide_only=True),
    Column("service", "Svc", 4),
    Column("when", "Activated (site time)", 25),
    Column("ready", "Ready", 5),
)


class UpcomingTable(SteadyTable[Text | str]):
    """Highlighting a row picks its activation; Enter goes to its checklist."""

    HELP_NAME: ClassVar[str] = "upcoming activations"  # the `?` help's "Where" for its keys

    BINDINGS = [
        Binding("enter", "select_cursor", "Checklist", tooltip="Work on the selected activation's checklist", id="checklist.open"),
    ]

    @dataclass
    class Highlighted(Message):
        activation_id: int

    @dataclass
    class Chosen(Message):
        activation_id: int

    @dataclass
    class NeedMore(Message):
        loaded: int

    def __init__(self, formatter: Formatter, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.formatter = formatter
        self._rows: list[UpcomingRow] = []
        self._more = False
        self._layout_width = -1
        self._layout: list[tuple[Column, int]] = []
        self.recent = False

    # -- data in --------------------------------------------------------------
    def show_page(
        self, rows: tuple[UpcomingRow, ...], more: bool, *, append: bool, keep: int | None = None, recent: bool = False
    ) -> None:
        """Show a page (`more`: rows follow it); `keep` puts the cursor back on that activation if still listed."""
        self._more = more
        if recent != self.recent:
            self.recent = recent
            append = False
        if append:
            self._rows.extend(rows)
            self.add_rows(self._cells(row) for row in rows)
            return
        self._rows = list(rows)
        cursor = next((i for i, r in enumerate(self._rows) if r.activation_id == keep), 0)
        self._rebuild(cursor)

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def current(self) -> UpcomingRow | None:
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row]
        return None

    # -- layout ---------------------------------------------------------------
    def _current_width(self) -> int:
        return self.size.width or self.app.size.width

    def _columns(self, width: int) -> list[tuple[Column, int]]:
        chosen = [c for c in (RECENT_COLUMNS if self.recent else COLUMNS) if width >= WIDE or not c.wide_only]
        padding = 2 * self.cell_padding * len(chosen) + 2
        fixed = sum(c.width for c in chosen)
        return [(c, c.width or max(10, width - fixed - padding)) for c in chosen]

    def _rebuild(self, cursor: int = 0) -> None:
        self.clear(columns=True)
        self._layout_width = self._current_width()
        self._layout = self._columns(self._layout_width)
        for column, width in self._layout:
            self.add_column(column.label, width=width, key=column.key)
        self.add_rows(self._cells(row) for row in self._rows)
        if self._rows:
            self.move_cursor(row=min(cursor, len(self._rows) - 1))

    def on_resize(self) -> None:
        if self._current_width() != self._layout_width:
            self._rebuild(self.cursor_row)

    def _cells(self, row: UpcomingRow) -> list[Text | str]:
        fmt = self.formatter
        ready = row.readiness
        values: dict[str, Text | str] = {
            "risk": Text("RISK", style="bold red") if ready.at_risk else "",
            "customer": Text(row.customer_name, overflow="ellipsis", no_wrap=True),
            "site": Text(f"{row.site_name}, {row.city}" if row.city else row.site_name, overflow="ellipsis", no_wrap=True),
            "service": SERVICE_SHORT.get(row.service, row.service.value),
            "step": "inst" if row.step is StepKind.INSTALLATION else "act",
            "when": Text(fmt.when_in(row.start, row.zone), no_wrap=True, overflow="ellipsis"),
            "ready": f"{ready.done}/{ready.required}" if ready.required else Text("none", style="dim"),
            "fee": self._fee(row),
            "traffic": "passed" if row.traffic_passed else Text("NONE", style="bold red"),
        }
        return [values[column.key] for column, _ in self._layout]

    def _fee(self, row: UpcomingRow) -> Text | str:
        cost = row.cost
        if cost is None:
            return ""
        total = cost.total
        if total is None:
            return Text("no schedule", style="yellow")
        return Text(self.formatter.money(total), style="bold")

    # -- messages up ----------------------------------------------------------
    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = self.current()
        if row is not None:
            self.post_message(self.Highlighted(row.activation_id))
        if self._more and event.cursor_row >= self.loaded - LOAD_AHEAD:
            self._more = False  # asked once; the next page says whether more follow
            self.post_message(self.NeedMore(self.loaded))

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current()
        if row is not None:
            self.post_message(self.Chosen(row.activation_id))
