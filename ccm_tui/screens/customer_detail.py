"""One customer, everything about them one screen away from the book:
contacts, sites, orders, activations, this month's hours, and the timeline
of every change to the customer and its records.

This module reads the customer and moves between its tabs and rows; the
tables are filled in screens/customer_tabs.py, the writes are in
screens/customer_editing.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from ccm_tui.domain.book import CustomerDetail
from ccm_tui.domain.changes import ChangeEntry
from ccm_tui.domain.hours import HoursLevel, hours_usage
from ccm_tui.domain.model import StepKind
from ccm_tui.screens.customer_editing import CustomerEditing
from ccm_tui.screens.customer_tabs import CustomerTabs
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.screens.history_entry import HistoryEntryDialog, timeline_entry
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.hours_gauge import HoursGauge
from ccm_tui.widgets.workers import work

TABS = ("contacts", "sites", "orders", "activations", "hours", "timeline")
# The timeline reads this many entries per round trip; "m" reads the next, older ones.
TIMELINE_PAGE = 200


class CustomerDetailScreen(FindGoesBack, FollowsBook, CustomerEditing, CustomerTabs):
    BINDINGS = [
        FIND_BINDING,
        Binding("escape", "app.pop_screen", "Back", id="customer.back"),
        Binding("right_square_bracket", "tab(1)", "Tab", id="customer.next_tab"),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False, id="customer.previous_tab"),
        Binding("a", "add", "Add", tooltip="Add a contact, or a site on the Sites tab", id="customer.add"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected contact, site or time entry", id="customer.edit"),
        # not in the footer (it is full at 80 columns): ? and the palette list it
        Binding(
            "d",
            "remove",
            "Remove",
            show=False,
            tooltip="Remove the selected contact, site or time entry (asks first)",
            id="customer.remove",
        ),
        Binding("E", "edit_customer", "Customer", tooltip="Edit the customer", id="customer.edit_customer"),
        Binding("t", "log_time", "Time", tooltip="Log time against a category", id="customer.log_time"),
        Binding("R", "reviewed", "Reviewed", tooltip="Mark the selected contact reviewed today", id="customer.reviewed"),
        Binding("m", "more_timeline", "More", show=False, tooltip="Read older timeline entries", id="customer.more"),
        # priority: before the table's own enter; check_action lets enter through on the other tabs
        Binding("enter", "open_activation", "Open activation", show=False, priority=True, id="customer.open_activation"),
        Binding(
            "enter",
            "show_entry",
            "Whole entry",
            show=False,
            priority=True,
            tooltip="The timeline entry, nothing cut",
            id="customer.whole_entry",
        ),
    ]
    ROW_ACTIONS = {"open_activation": "activations-table", "show_entry": "timeline-table"}
    WRITE_ACTIONS = frozenset({"add", "edit", "edit_customer", "log_time", "reviewed", "remove"})
    FOCUS_ACTIONS = frozenset({"add", "edit", "edit_customer", "log_time", "remove"})

    @dataclass
    class Loaded(Message):
        detail: CustomerDetail

    @dataclass
    class TimelineLoaded(Message):
        entries: list[ChangeEntry]
        older: bool  # a page older than those shown: added below them

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.detail: CustomerDetail | None = None
        self.timeline: list[ChangeEntry] = []
        self.timeline_complete = False
        self.activation_rows: list[tuple[int, StepKind]] = []  # the Activations tab's rows: (activation, step)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="detail-summary", markup=False)  # the customer's name and notes
        with TabbedContent(id="detail-tabs"):
            with TabPane("Contacts", id="contacts"):
                yield DataTable(id="contacts-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Sites", id="sites"):
                yield DataTable(id="sites-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Orders", id="orders"):
                yield DataTable(id="orders-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Activations", id="activations"):
                yield DataTable(id="activations-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Hours", id="hours"):
                yield HoursGauge(self.app_formatter, id="hours-gauge")
                yield DataTable(id="hours-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Timeline", id="timeline"):
                yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.when_services(self.reload)

    def reload(self) -> None:
        self._fetch()

    def reload_book(self) -> None:
        self.reload()  # each table keeps its cursor row

    def on_screen_resume(self) -> None:
        if self.moved_while_away():  # changed by someone else under a dialog or another screen
            self.reload()

    @work(thread=True, exclusive=True, group="detail")
    def _fetch(self) -> None:
        self.post_message(self.Loaded(self.services.book.customer_detail(self.customer_id)))
        self.post_message(self.TimelineLoaded(self.services.book.customer_timeline(self.customer_id, TIMELINE_PAGE), False))

    @work(thread=True, exclusive=True, group="timeline")
    def _fetch_older(self, before_seq: int) -> None:
        entries = self.services.book.customer_timeline(self.customer_id, TIMELINE_PAGE, before_seq)
        self.post_message(self.TimelineLoaded(entries, True))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.detail = detail = message.detail
        customer = detail.customer
        today = self.services.today()
        usage = hours_usage(
            detail.time_entries, customer.hours_per_month, today.replace(day=1), self.app_settings.hours_warning_ratio
        )
        fmt = self.app_formatter
        summary = Text.assemble(
            (customer.name, "bold"),
            f"  {customer.account_number} · {customer.region.label} · CCM {customer.ccm or '-'} · ",
            (f"{fmt.number(usage.used, 1)} of {fmt.number(usage.package, 0)} h this month", _level_style(usage.level)),
        )
        if customer.notes:
            summary.append(f"\n{customer.notes}", style="italic")
        self.query_one("#detail-summary", Static).update(summary)
        self._fill_contacts(detail, today)
        self._fill_sites(detail)
        self._fill_orders(detail)
        self._fill_activations(detail)
        self.query_one(HoursGauge).usage = usage
        self._fill_hours(detail)

    @on(TimelineLoaded)
    def _show_timeline(self, message: TimelineLoaded) -> None:
        self.timeline = [*self.timeline, *message.entries] if message.older else list(message.entries)
        self.timeline_complete = len(message.entries) < TIMELINE_PAGE
        self._fill_timeline()

    # -- opening a row --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ROW_ACTIONS:  # enter: only on the table it opens rows of (elsewhere the table's own)
            focused = self.focused
            return focused is not None and focused.id == self.ROW_ACTIONS[action]
        return super().check_action(action, parameters)

    def action_open_activation(self) -> None:
        row = self.query_one("#activations-table", DataTable).cursor_row
        if 0 <= row < len(self.activation_rows):
            activation_id, kind = self.activation_rows[row]
            from ccm_tui.screens.activation_detail import ActivationDetailScreen

            self.app.push_screen(ActivationDetailScreen(activation_id, kind))

    def action_show_entry(self) -> None:
        row = self.query_one("#timeline-table", DataTable).cursor_row
        if 0 <= row < len(self.timeline):
            self.app.push_screen(
                HistoryEntryDialog(*timeline_entry(self.timeline[row], self.app_formatter, self.app_settings.time_zone))
            )
        elif self.timeline and not self.timeline_complete:
            self.action_more_timeline()  # the "older entries" row

    @on(DataTable.RowSelected, "#activations-table")
    def _activation_clicked(self) -> None:
        self.action_open_activation()

    @on(DataTable.RowSelected, "#timeline-table")
    def _entry_clicked(self) -> None:
        self.action_show_entry()

    # -- actions --------------------------------------------------------------
    def action_more_timeline(self) -> None:
        if self.timeline and not self.timeline_complete:
            self._fetch_older(self.timeline[-1].seq)

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = TABS.index(tabs.active) if tabs.active in TABS else 0
        tabs.active = TABS[(index + step) % len(TABS)]
        if (pane := tabs.active_pane) is not None:
            pane.query_one(DataTable).focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's main actions, for the command palette."""
        yield SystemCommand("Customer: add", "A contact, or a site on the Sites tab (a)", self.action_add)
        yield SystemCommand("Customer: edit row", "The selected contact, site or time entry (e)", self.action_edit)
        yield SystemCommand(
            "Customer: remove row", "The selected contact, site or time entry, asked first (d)", self.action_remove
        )
        yield SystemCommand("Customer: log time", "Hours against a category (t)", self.action_log_time)
        yield SystemCommand("Customer: edit customer", "Name, account, CCM, package (E)", self.action_edit_customer)
        yield SystemCommand(
            "Customer: open activation", "The step highlighted on the Activations tab (enter there)", self.action_open_activation
        )
        yield SystemCommand(
            "Customer: timeline entry in full", "The highlighted timeline line (enter there)", self.action_show_entry
        )


def _level_style(level: HoursLevel) -> str:
    return {HoursLevel.OK: "", HoursLevel.NEAR: "yellow", HoursLevel.OVER: "bold red"}[level]
