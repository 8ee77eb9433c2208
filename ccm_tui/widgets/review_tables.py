"""The agenda screen's tables: the reviews due, a review's action items and
the customer's incident log.

Each is filled whole from domain objects by `show`; the cursor stays on its
row across a refill (a save reloads the review). What the user typed goes in
as `Text`: a str cell is read as markup, where "[/]" would raise and "[x]"
shows nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text

from ccm_tui.domain.incidents import Incident
from ccm_tui.domain.reviews import ReviewDue
from ccm_tui.domain.service_review import ActionItem
from ccm_tui.text.agenda_text import short_date
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.steady_table import SteadyTable
from ccm_tui.widgets.table_columns import chrome, fit_widths, fitted, key_width


class ReviewsDueTable(SteadyTable[Text | str]):
    """The reviews due now or soon, latest first; the row key is the customer's id."""

    HELP_NAME: ClassVar[str] = "reviews due"  # the `?` help's "Where" for its keys

    def __init__(self, formatter: Formatter, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.formatter = formatter

    def show(self, rows: Sequence[ReviewDue], today: date) -> None:
        fmt = self.formatter
        self.clear(columns=True)
        cells = []
        for row in rows:
            late = row.days_overdue(today)
            if late > 0:
                due = Text(f"{fmt.number(late, 0)} d late", style="bold red")
            elif late == 0:
                due = Text("today", style="bold yellow")
            else:
                due = Text(fmt.day_short(row.due))
            kind = row.kind.value + (" (draft)" if row.draft_id else "")
            last = f"{short_date(row.last_held, fmt)} ({row.last_kind.value})" if row.last_held and row.last_kind else "never"
            cells.append((due, Text(row.name), Text(kind), Text(last), Text(row.account_number), Text(row.ccm)))
        # The due day and the account number are never shortened; the others give way, widest first.
        labels = ("Due", "Customer", "Next", "Last review", "Account", "CCM")
        natural = [key_width(label, (c[i].plain for c in cells)) for i, label in enumerate(labels)]
        minimum = [natural[0], min(natural[1], 16), natural[2], min(natural[3], 11), natural[4], min(natural[5], 6)]
        room = (self.size.width or self.app.size.width) - chrome(self, len(labels))
        for label, width in zip(labels, fit_widths(natural, minimum, room), strict=True):
            self.add_column(label, width=width)
        for row, line in zip(rows, cells, strict=True):
            self.add_row(*(fitted(c) for c in line), key=str(row.customer_id))


class ActionItemsTable(SteadyTable[Text | str]):
    """A review's action items in order: done, text (carried ones marked), owner, due."""

    HELP_NAME: ClassVar[str] = "action items"  # the `?` help's "Where" for its keys

    def __init__(self, formatter: Formatter, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.formatter = formatter

    def show(self, actions: Sequence[ActionItem], today: date) -> None:
        fmt = self.formatter
        cursor = self.cursor_row
        self.clear(columns=True)
        self.add_columns("Done", "Action", "Owner", "Due")
        for action in actions:
            due = Text(short_date(action.due, fmt) if action.due else "-")
            if action.is_overdue(today):
                due.append(" OVERDUE", style="bold red")
            text = Text(action.text)
            if action.carried_from_id:
                text.append(" (carried)", style="dim")
            self.add_row(Text("[x]" if action.done else "[ ]"), text, Text(action.owner or "-"), due, key=str(action.id))
        if not actions:
            self.add_row("", Text("No action items yet: A adds one", style="dim"), "", "")
        self.move_cursor(row=min(cursor, max(0, self.row_count - 1)))


class IncidentsTable(SteadyTable[Text | str]):
    """A customer's incidents, newest first, opened in the CCM's time; the row key is the incident's id."""

    HELP_NAME: ClassVar[str] = "incidents"  # the `?` help's "Where" for its keys

    def __init__(self, formatter: Formatter, zone: str, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.formatter = formatter
        self.zone = zone

    def show(self, incidents: Sequence[Incident]) -> None:
        fmt, zone = self.formatter, self.zone
        cursor = self.cursor_row
        self.clear(columns=True)
        self.add_columns("Opened", "Kind", "Sev", "State", "Summary")
        for incident in incidents:
            if incident.closed_at is None:
                state = Text("OPEN", style="bold yellow")
            else:
                state = Text(f"closed {fmt.day_short(fmt.local(incident.closed_at, zone).date())}")
            opened = fmt.when_in(incident.opened_at, zone)
            self.add_row(opened, incident.kind.value, f"S{incident.severity}", state, Text(incident.summary), key=str(incident.id))
        if not incidents:
            self.add_row("", "", "", "", Text("No incidents logged: a logs one", style="dim"))
        self.move_cursor(row=min(cursor, max(0, self.row_count - 1)))
