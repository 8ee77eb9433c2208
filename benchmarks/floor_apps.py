"""The floors `terminal.py` measures ccm against: small Textual apps doing the same work from memory.

    floor_apps.py bare           Header, a DataTable of 100 rows, Footer: launch to first paint and first row
    floor_apps.py filter BOOK    50,000 customers read into memory first; `/` and typing filter them into a
                                 DataTable of the first 100 matches, with ccm's status line ("N of 50,000
                                 customers · filter 'x'"); Esc clears
    floor_apps.py screens        a 40-row list; `2` shows a month grid drawn from memory (`n`/`p` switch month),
                                 `3` and `4` a 60-row list each

Each prints what ccm prints where `terminal.py` looks (a title, a status
line), so one predicate serves both, and the difference is ccm's own cost.
"""

from __future__ import annotations

import calendar
import sqlite3
import sys
from datetime import date

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

ROW = ("Mon 23 Nov, 09:00 EST", "1.5/8", "")


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Customer", "Account", "Rgn", "CCM", "Next event (site time)", "Hours", "Flags")
        table.add_rows((f"Customer {i}", f"NA-{100000 + i}", "NA", "Alex Morgan", *ROW) for i in range(100))
        table.focus()


class FilterApp(App[None]):
    """ccm's book screen, minus the database: the same filter, table and status line over a list in memory."""

    CSS = "DataTable { height: 1fr; } #status { height: 1; }"
    # priority: run as the key arrives, so "/h" in one burst puts its "h" in the filter (ccm's KeysAhead does the same)
    BINDINGS = [Binding("slash", "filter", priority=True), ("escape", "clear")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ filter", id="filter")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Customer", "Account", "City", "Next event (site time)", "Hours", "Flags")
        table.focus()  # as ccm's book: `/` goes to the filter, not into it
        self.show("")

    def show(self, text: str) -> None:
        needle = text.strip().casefold()
        matches = [r for r in self.rows if needle in r[0].casefold() or needle in r[1].casefold() or needle in r[2].casefold()]
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows((*r, *ROW) for r in matches[:100])
        whole = f"{len(self.rows):,}"
        status = f"{len(matches):,} of {whole} customers · filter '{needle}'" if needle else f"{whole} customers · sorted"
        self.query_one("#status", Static).update(status)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def action_filter(self) -> None:
        self.screen.set_focus(self.query_one(Input))

    def action_clear(self) -> None:
        self.query_one(Input).value = ""
        self.query_one(DataTable).focus()


class MonthScreen(Screen[None]):
    """A 7x6 grid of day cells with counts, as ccm's month grid shows them."""

    BINDINGS = [("n", "move(1)"), ("p", "move(-1)")]

    def __init__(self, first: date) -> None:
        super().__init__()
        self.first = first

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="title")
        with Grid(id="grid"):
            for _ in range(42):
                yield Static(classes="day")
        yield Footer()

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        self.query_one("#title", Static).update(f"{self.first:%B %Y} · no filter")
        weeks = calendar.Calendar(firstweekday=6).monthdayscalendar(self.first.year, self.first.month)
        days = [d for week in weeks for d in week] + [0] * 42
        for cell, day in zip(self.query(".day").results(Static), days, strict=False):
            cell.update(f"{day}\n{(day * 37) % 2000} events\n!{day % 9} ?{day % 31} A{day * 3}" if day else "")

    def action_move(self, months: int) -> None:
        month = self.first.month - 1 + months
        self.first = date(self.first.year + month // 12, month % 12 + 1, 1)
        self.draw()


class ListScreen(Screen[None]):
    def __init__(self, title: str, rows: int) -> None:
        super().__init__()
        self.title_text, self.rows = title, rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.title_text)
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns("Risk", "Customer", "Site", "Svc", "Step", "Next step (site time)", "Ready", "If not ready")
        table.add_rows(
            ("RISK", f"Customer {i}", "Head office", "MSS", "inst", ROW[0], "17/33", "$900.00") for i in range(self.rows)
        )
        yield table
        yield Footer()


class ScreensApp(App[None]):
    CSS = "#grid { grid-size: 7 6; } .day { height: 3; }"
    BINDINGS = [("1", "show('book')"), ("2", "month"), ("3", "show('checklist')"), ("4", "show('agenda')")]

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable(cursor_type="row")
        table.add_columns("Customer", "Account")
        table.add_rows((f"Customer {i}", f"NA-{100000 + i}") for i in range(40))
        yield table
        yield Footer()

    def action_month(self) -> None:
        self.push_screen(MonthScreen(date(2026, 11, 1)))

    def action_show(self, which: str) -> None:
        if which == "book":
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        title = {"checklist": "103,693 upcoming", "agenda": "reviews due"}[which]
        self.push_screen(ListScreen(title, 60))


def book_rows(path: str) -> list[tuple[str, str, str]]:
    """Each customer's name, account and a city, read once before the app starts (not timed as the app's work)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(
            "SELECT c.name, c.account_number, coalesce(min(s.city), '') FROM customer c "
            "LEFT JOIN site s ON s.customer_id = c.id GROUP BY c.id ORDER BY c.name"
        ).fetchall()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        BareApp().run()
    elif mode == "filter":
        FilterApp(book_rows(sys.argv[2])).run()
    else:
        ScreensApp().run()
