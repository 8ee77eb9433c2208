"""Steps waiting for a window: what the CCM still has to schedule.

An unscheduled step has no place on the calendar, so it is listed here,
orders with the soonest commitment date (CCD) first, past ones marked.
Enter opens the activation, where `R` requests a window.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ccm_tui.domain.schedule import CalendarFilter, WaitingStep
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.table_columns import chrome, fit_widths, fitted, key_width, set_columns
from ccm_tui.widgets.workers import work

CUSTOMER_MIN = 18


class WaitingStepsScreen(FindGoesBack, FollowsBook, ServicesMixin, Screen[None]):
    BINDINGS = [
        FIND_BINDING,
        Binding("escape", "app.pop_screen", "Back", id="waiting.back"),
        Binding("enter", "open", "Open", id="waiting.open"),
    ]

    @dataclass
    class Loaded(Message):
        steps: list[WaitingStep]
        total: int

    def __init__(self, flt: CalendarFilter | None = None) -> None:
        super().__init__()
        self.calendar_filter = flt or CalendarFilter()
        self.steps: list[WaitingStep] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="waiting-title")
        yield DataTable(id="waiting-table", cursor_type="row", zebra_stripes=True)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.when_services(self._fetch)

    def on_screen_resume(self) -> None:
        if self.steps:
            self._fetch()

    def reload_book(self) -> None:
        """Someone else changed the book: read the steps again, the cursor on the same step."""
        self.when_services(self._fetch)

    @work(thread=True, exclusive=True, group="waiting")
    def _fetch(self) -> None:
        steps, total = self.services.calendar.waiting(self.calendar_filter)
        self.post_message(self.Loaded(steps, total))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        was = self.steps[table.cursor_row].step.id if 0 <= table.cursor_row < len(self.steps) else None
        self.steps = message.steps
        fmt = self.app_formatter
        wide = is_wide(self.app.size.width)
        columns = self._columns(message.steps, wide)
        set_columns(table, columns, self.app.size.width)
        for waiting in message.steps:
            ccd = Text(fmt.date(waiting.ccd))
            if waiting.past_ccd:
                ccd.append(" !", style="bold red")
            row: list[object] = [
                ccd,
                Text(waiting.customer_name, no_wrap=True, overflow="ellipsis"),
                Text(f"{waiting.site.name}, {waiting.site.city}", no_wrap=True, overflow="ellipsis"),
                fitted(_what(waiting)),
            ]
            # Text: a str cell is read as markup, and an imported order number may hold "[/]"
            row.append(fitted(_order(waiting, wide)))
            table.add_row(*row)
        if not message.steps:
            table.add_row(Text("Every step has a window.", style="dim"), *[""] * (len(columns) - 1))
        ids = [waiting.step.id for waiting in message.steps]
        if was in ids:
            table.move_cursor(row=ids.index(was))
        shown = f"{len(message.steps)} of {message.total}" if message.total > len(message.steps) else str(message.total)
        self.query_one("#waiting-title", Static).update(
            f"Waiting for a window: {shown}, soonest CCD first (! past it). Enter opens one; R there requests a window."
        )

    def _columns(self, steps: list[WaitingStep], wide: bool) -> list[tuple[str, int]]:
        """The order number is never shortened (below WIDE without its status); the customer keeps
        CUSTOMER_MIN cells, then the site gives way; the customer takes what is left."""
        table = self.query_one(DataTable)
        labels = ("CCD", "Customer", "Site", "What", "Order")
        numbers = key_width("Order", (w.order_number for w in steps))
        what = key_width("What", (_what(w) for w in steps))
        customer = key_width("Customer", (w.customer_name for w in steps))
        natural = [14, customer, 20, what, min(30, max(numbers, key_width("", (_order(w, wide) for w in steps))))]
        minimum = [14, CUSTOMER_MIN, 8, min(what, 10), numbers]
        widths = fit_widths(natural, minimum, self.app.size.width - chrome(table, len(labels)))
        widths[1] = 0  # the customer takes what is left
        return list(zip(labels, widths, strict=True))

    @on(DataTable.RowSelected)
    def _selected(self, message: DataTable.RowSelected) -> None:
        message.stop()
        self.action_open()

    def action_open(self) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.steps):
            waiting = self.steps[row]
            self.app.push_screen(ActivationDetailScreen(waiting.activation.id, waiting.step.kind))


def _order(waiting: WaitingStep, wide: bool) -> str:
    if not wide:
        return waiting.order_number
    return f"{waiting.order_number} ({waiting.order_status.replace('_', ' ')})"


def _what(waiting: WaitingStep) -> str:
    return f"{waiting.activation.service.value} {waiting.step.kind.short.lower()}"
