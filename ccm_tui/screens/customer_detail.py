"""One customer, everything about them one screen away from the book:
contacts, sites, orders, activations, this month's hours, and the timeline
of every change to the customer and its records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from ccm_tui.domain.book import CustomerDetail
from ccm_tui.domain.changes import ChangeEntry
from ccm_tui.domain.contacts import is_review_overdue
from ccm_tui.domain.hours import HoursLevel, hours_usage
from ccm_tui.domain.model import Contact, ContactRole, Customer, Money, StepKind, StepStatus, TimeEntry
from ccm_tui.domain.step_order import by_relevance
from ccm_tui.errors import StoreError
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.customer_forms import (
    contact_dialog,
    customer_dialog,
    site_dialog,
    time_dialog,
)
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.screens.history_entry import HistoryEntryDialog, timeline_entry
from ccm_tui.text.change_text import change_text, record_text
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.hours_gauge import HoursGauge
from ccm_tui.widgets.table_columns import chrome, fit_widths, fitted, key_width

if TYPE_CHECKING:
    from ccm_tui.domain.model import Site

ROLE_CODES = {
    ContactRole.DESIGNATED: "DES",
    ContactRole.SITE_TECHNICAL: "TEC",
    ContactRole.AUTHORISED: "AUT",
    ContactRole.EXECUTIVE: "EXE",
    ContactRole.BILLING: "BIL",
}
TABS = ("contacts", "sites", "orders", "activations", "hours", "timeline")
MAX_COLUMN = 40
MIN_COLUMN = 6  # a shortened column keeps this much, or its label
# The timeline reads this many entries per round trip; "m" reads the next, older ones.
TIMELINE_PAGE = 200
KEY_FIRST, KEY_PHONE, KEY_WHEN_ORDER = frozenset({0}), frozenset({3}), frozenset({0, 5})  # never shortened
TIMELINE_COLUMNS = ("When", "Who", "Record", "Change", "Why")


class CustomerDetailScreen(FindGoesBack, FollowsBook, ServicesMixin, Screen[None]):
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
    DIALOG_ACTIONS = frozenset({"add", "edit", "edit_customer", "log_time", "remove"})

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

    # -- tables ---------------------------------------------------------------
    def _refill(
        self,
        table_id: str,
        columns: tuple[str, ...],
        rows: Sequence[tuple[object, ...]],
        empty: str,
        keys: frozenset[int] = frozenset(),
    ) -> None:
        """Columns `keys` (order and phone numbers) are as wide as their longest value; the rest give way."""
        table = self.query_one(f"#{table_id}", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        if not rows:
            table.add_columns(*columns)
            table.add_row(*([Text(empty, style="dim")] + [""] * (len(columns) - 1)))
            return
        # Widths from the content now: DataTable's own sizing waits for an idle
        # moment, which a screen under a modal dialog may not get before it shows.
        longest = [key_width(label, (_plain(row[index]) for row in rows)) for index, label in enumerate(columns)]
        natural = [w if i in keys else min(w, MAX_COLUMN) for i, w in enumerate(longest)]
        minimum = [w if i in keys else min(w, max(cell_len(columns[i]), MIN_COLUMN)) for i, w in enumerate(natural)]
        room = self.app.size.width - chrome(table, len(columns))
        for label, width in zip(columns, fit_widths(natural, minimum, room), strict=True):
            table.add_column(label, width=width)
        table.add_rows([tuple(fitted(c) for c in row) for row in rows])
        table.move_cursor(row=min(cursor, len(rows) - 1))

    def _fill_contacts(self, detail: CustomerDetail, today: date) -> None:
        fmt = self.app_formatter
        rows = []
        for c in detail.contacts:
            roles = " ".join(code for role, code in ROLE_CODES.items() if role in c.roles)
            reviewed = fmt.date(c.last_reviewed) if c.last_reviewed else "never"
            review = Text(reviewed)
            if is_review_overdue(c.last_reviewed, today):
                review = Text(f"{reviewed} overdue", style="bold yellow")
            rows.append((c.name, roles, review, c.phone, c.email))
        self._refill(
            "contacts-table", ("Name", "Roles", "Reviewed", "Phone", "E-mail"), rows, "No contacts yet: a adds one", KEY_PHONE
        )

    def _fill_sites(self, detail: CustomerDetail) -> None:
        fmt = self.app_formatter
        now = self.services.now()
        # "AU-NSW" carries the country too: one narrow column for both
        rows = [(s.name, s.city, s.subdivision or s.country, s.timezone, fmt.when_in(now, s.timezone)) for s in detail.sites]
        self._refill("sites-table", ("Site", "City", "Ctry", "Zone", "Local time now"), rows, "No sites yet: a adds one")

    def _fill_orders(self, detail: CustomerDetail) -> None:
        fmt = self.app_formatter
        rows = []
        for line in detail.orders:
            order = line.order
            flag = Text("")
            if line.past_ccd:
                flag = Text(f"PAST CCD, accrued {fmt.money(Money(line.accrued, order.currency))}", style="bold red")
            elif line.at_risk:
                flag = Text("CCD at risk", style="yellow")
            rows.append(
                (
                    order.number,
                    "+".join(order.services),
                    order.status.value.replace("_", " "),
                    fmt.money(Money(order.mrc, order.currency)),
                    fmt.date(order.ccd),
                    flag,
                )
            )
        self._refill("orders-table", ("Order", "Services", "Status", "MRC", "CCD", "Charges"), rows, "No orders", KEY_FIRST)

    def _fill_activations(self, detail: CustomerDetail) -> None:
        fmt = self.app_formatter
        when_in = fmt.when_in if is_wide(self.app.size.width) else fmt.when_in_short
        rows = []
        # what needs the CCM next first: steps to come by start, then those with no window, then the past
        steps = by_relevance([(line, step) for line in detail.activations for step in line.activation.steps], itemgetter(1))
        self.activation_rows = [(step.activation_id, step.kind) for _, step in steps]
        for line, step in steps:
            when = when_in(step.start, line.site.timezone) if step.start else "not scheduled"
            status = Text(step.status.label_for(step.kind))
            if step.status in (StepStatus.NOT_READY, StepStatus.NO_SHOW):
                status.stylize("bold red")
            elif step.status is StepStatus.COMPLETED:
                status.stylize("green")
            rows.append((when, step.kind.short, status, line.activation.service.value, line.site.name, line.order_number))
        self._refill(
            "activations-table",
            ("When (site time)", "Step", "Status", "Service", "Site", "Order"),
            rows,
            "No activations",
            KEY_WHEN_ORDER,
        )

    def _fill_hours(self, detail: CustomerDetail) -> None:
        fmt = self.app_formatter
        rows = [(fmt.date(e.day), fmt.hours(e.hours), e.category.label, e.who, e.note) for e in detail.time_entries]
        self._refill("hours-table", ("Day", "Hours", "Category", "Who", "Note"), rows, "No time logged this month: t logs some")

    def _fill_timeline(self) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        rows: list[tuple[object, ...]] = [
            (
                f"{fmt.date(fmt.local(e.at, zone).date())} {fmt.time_in(e.at, zone)}",
                e.who,
                record_text(e),
                change_text(e) or e.action,
                e.reason,
            )
            for e in self.timeline
        ]
        if rows and not self.timeline_complete:
            rows.append((Text("older entries: m shows more", style="dim"), "", "", "", ""))
        self._refill(
            "timeline-table", TIMELINE_COLUMNS, rows, "No changes recorded yet: edits to this customer and its records show here"
        )

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

    def _selected(self, tab: str) -> Contact | Site | None:
        if self.detail is None:
            return None
        table = self.query_one(f"#{tab}-table", DataTable)
        items = self.detail.contacts if tab == "contacts" else self.detail.sites
        return items[table.cursor_row] if 0 <= table.cursor_row < len(items) else None

    def _after_save(self, saved: object) -> None:
        if saved is not None:
            self.notify("Saved.")
            self.reload()

    def action_add(self) -> None:
        if self.detail is None:
            return
        tab = self.query_one(TabbedContent).active
        if tab == "sites":
            self.app.push_screen(site_dialog(self.services, self.detail.customer), self._after_save)
        else:
            self.app.push_screen(contact_dialog(self.services, self.detail.customer), self._after_save)

    def action_edit(self) -> None:
        if self.detail is None:
            return
        tab = self.query_one(TabbedContent).active
        if tab == "hours":
            self._edit_time_entry(self.detail.customer)
            return
        if tab not in ("contacts", "sites"):
            self.action_edit_customer()
            return
        item = self._selected(tab)
        if item is None:
            self.notify(f"No {tab[:-1]} selected.", severity="warning")
        elif isinstance(item, Contact):
            self.app.push_screen(contact_dialog(self.services, self.detail.customer, item), self._after_save)
        else:
            self.app.push_screen(site_dialog(self.services, self.detail.customer, item), self._after_save)

    def action_edit_customer(self) -> None:
        if self.detail is not None:
            self._edit_customer(self.detail.customer)

    @work(thread=True, group="detail-form")
    def _edit_customer(self, customer: Customer) -> None:
        """Read the CCM names the form suggests, then ask."""
        dialog = customer_dialog(self.services, customer, self.services.book.ccm_choices())
        self.app.call_from_thread(push_if_active, self, dialog, self._after_save)

    def action_log_time(self) -> None:
        if self.detail is not None:
            customer = self.detail.customer
            self.app.push_screen(time_dialog(self.services, customer.id, customer.name), self._after_save)

    # -- corrections: edit a time entry, remove a contact, site or time entry --------
    def _selected_entry(self) -> TimeEntry | None:
        if self.detail is None:
            return None
        row = self.query_one("#hours-table", DataTable).cursor_row
        entries = self.detail.time_entries
        return entries[row] if 0 <= row < len(entries) else None

    def _edit_time_entry(self, customer: Customer) -> None:
        entry = self._selected_entry()
        if entry is None:
            self.notify("No time entry selected: this month's entries are listed here.", severity="warning")
            return
        self.app.push_screen(time_dialog(self.services, customer.id, customer.name, entry), self._after_save)

    def action_remove(self) -> None:
        if self.detail is None:
            return
        tab = self.query_one(TabbedContent).active
        if tab == "hours":
            entry = self._selected_entry()
            if entry is None:
                self.notify("No time entry selected: this month's entries are listed here.", severity="warning")
                return
            self._confirm_removal(entry)
        elif tab in ("contacts", "sites"):
            item = self._selected(tab)
            if item is None:
                self.notify(f"No {tab[:-1]} selected.", severity="warning")
                return
            self._check_removal(item)
        else:
            self.notify("d removes a contact, a site or a time entry: pick one on its tab first.", severity="warning")

    @work(thread=True, group="detail-remove")
    def _check_removal(self, item: Contact | Site) -> None:
        """Refuse at once, with the reason, a record an activation holds; else ask."""
        book = self.services.book
        reason = book.contact_in_use(item.id) if isinstance(item, Contact) else book.site_in_use(item.id)
        if reason is not None:
            self.app.call_from_thread(self.notify, f"{reason}.", title="Cannot remove", severity="error", timeout=10, markup=False)
            return
        self.app.call_from_thread(self._confirm_removal, item)

    def _confirm_removal(self, item: Contact | Site | TimeEntry) -> None:
        if not self.is_active or self.detail is None:
            return  # the user went elsewhere while the check ran
        book, customer = self.services.book, self.detail.customer.name
        call: Callable[[], object]
        if isinstance(item, Contact):
            title, what = f"Remove the contact {item.name}?", _contact_words(item)
            call = partial(book.remove_contact, item.id, item.version)
        elif isinstance(item, TimeEntry):
            fmt = self.app_formatter
            title = f"Remove {fmt.hours(item.hours)} h of {item.category.label} on {fmt.date(item.day)}?"
            what = f"Logged by {item.who or 'someone'}" + (f": {item.note}" if item.note else "")
            call = partial(book.remove_time_entry, item)
        else:
            title, what = f"Remove the site {item.name}?", ", ".join(p for p in (item.address, item.city, item.country) if p)
            call = partial(book.remove_site, item.id, item.version)
        body = f"{what}\n\nFrom {customer}. The change log keeps what it held."

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove_now(call)

        self.app.push_screen(ConfirmDialog(title, body, "Remove"), answered)

    @work(thread=True, group="detail-write")
    def _remove_now(self, call: Callable[[], object]) -> None:
        try:
            self.write_retrying(call)
        except StoreError as error:  # in use since the check, changed elsewhere, busy
            self.app.call_from_thread(self.notify, _sentence(str(error)), title="Not removed", severity="error", timeout=10)
            self.app.call_from_thread(self.reload)
            return
        self.app.call_from_thread(self.notify, "Removed; the change log keeps it.")
        self.app.call_from_thread(self.reload)

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

    def action_reviewed(self) -> None:
        contact = self._selected("contacts")
        if contact is None:
            self.notify("Pick a contact on the Contacts tab first.", severity="warning")
            return
        self._mark_reviewed(contact.id)

    @work(thread=True, group="detail-write")
    def _mark_reviewed(self, contact_id: int) -> None:
        services = self.services
        contact = self.write_retrying(lambda: services.book.mark_contact_reviewed(contact_id))
        self.app.call_from_thread(self._after_save, contact)


def _level_style(level: HoursLevel) -> str:
    return {HoursLevel.OK: "", HoursLevel.NEAR: "yellow", HoursLevel.OVER: "bold red"}[level]


def _contact_words(contact: Contact) -> str:
    roles = ", ".join(role.label for role in ContactRole if role in contact.roles)
    return " · ".join(p for p in (roles, contact.phone, contact.email) if p)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
