"""The customer screen's tabs (screens/customer_detail.py), each table
filled from what was read: contacts, sites, orders, activations, this
month's hours and the timeline.

A table keeps its cursor row across a reload. Columns are as wide as their
content up to MAX_COLUMN; on a narrow terminal they give way down to
MIN_COLUMN or their label, except key columns (order and phone numbers, the
activation's start), which are never shortened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import itemgetter

from rich.cells import cell_len
from rich.text import Text
from textual.screen import Screen
from textual.widgets import DataTable

from ccm_tui.domain.book import CustomerDetail
from ccm_tui.domain.changes import ChangeEntry
from ccm_tui.domain.contacts import is_review_overdue
from ccm_tui.domain.model import ContactRole, Money, StepKind, StepStatus
from ccm_tui.domain.step_order import by_relevance
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.text.change_text import change_text, record_text
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.table_columns import chrome, fit_widths, fitted, key_width

ROLE_CODES = {
    ContactRole.DESIGNATED: "DES",
    ContactRole.SITE_TECHNICAL: "TEC",
    ContactRole.AUTHORISED: "AUT",
    ContactRole.EXECUTIVE: "EXE",
    ContactRole.BILLING: "BIL",
}
MAX_COLUMN = 40
MIN_COLUMN = 6  # a shortened column keeps this much, or its label
KEY_FIRST, KEY_PHONE, KEY_WHEN_ORDER = frozenset({0}), frozenset({3}), frozenset({0, 5})  # never shortened
TIMELINE_COLUMNS = ("When", "Who", "Record", "Change", "Why")


class CustomerTabs(ServicesMixin, Screen[None]):
    """The tables of the customer screen's tabs, filled from `CustomerDetail` and the timeline read."""

    timeline: list[ChangeEntry]
    timeline_complete: bool
    activation_rows: list[tuple[int, StepKind]]  # the Activations tab's rows: (activation, step)

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


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
