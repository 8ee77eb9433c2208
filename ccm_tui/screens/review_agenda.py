"""Key 4: the service-review agenda. Prepare a customer's review, hold the
meeting with it, complete it and send it.

Without a customer it lists the reviews due. With one, the review's agenda
(sections of items with their facts), its action items and the customer's
incident log are tabs; this month's hours burn down beside them (a tab of
their own on a narrow screen). Every read and write runs in a thread worker;
the screen reloads the review after each write.

This module reads and shows reviews; which review opens (a draft, a new
or a past one) is in screens/agenda_opening.py, the writes are in
screens/agenda_editing.py, the tables in widgets/review_tables.py and the
words in text/review_text.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from ccm_tui.domain.reviews import REVIEWS_DUE_HORIZON_DAYS, ReviewDue
from ccm_tui.screens.agenda_editing import EDITING, AgendaEditing
from ccm_tui.screens.agenda_opening import AgendaOpening
from ccm_tui.screens.following import FollowsBook, Reading, reading, still_current
from ccm_tui.screens.review_forms import export_dialog
from ccm_tui.text.review_text import due_summary, review_heading
from ccm_tui.widgets.agenda_list import AgendaList
from ccm_tui.widgets.breakpoints import is_wide
from ccm_tui.widgets.burn_down import BurnDownData, BurnDownPanel, summary_line
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.review_tables import ActionItemsTable, IncidentsTable, ReviewsDueTable
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:
    from ccm_tui.services.agenda import ExportResult

DUE_ROWS = 100  # the reviews due shown: more than a screen, few enough to lay out at once
TABS = ("tab-agenda", "tab-actions", "tab-incidents", "tab-hours")
_REVIEW = {"draft", "meeting", "past"}
# Where each action works. "*_quiet" twins do the same without a footer entry, so
# the footer shows the keys of the moment and still fits 80 columns.
_MODES: dict[str, set[str]] = {
    "reviews_due": _REVIEW,
    "add": {"draft"},
    "add_quiet": {"meeting", "past"},
    "edit": {"draft"},
    "edit_quiet": {"meeting"},
    "remove": EDITING,
    "minutes": {"meeting"},
    "add_action": {"meeting"},
    "add_action_quiet": {"draft"},
    "meeting": EDITING,
    "complete": EDITING,
    "export": {"past"},
    "export_quiet": EDITING,
    "new_review": {"past"},
    "new_review_quiet": EDITING,
    "past_reviews": _REVIEW,
    "move": EDITING,
    "toggle_done": EDITING,
    "attendees": EDITING,
    "tab": _REVIEW,
}


class ReviewAgendaScreen(FollowsBook, AgendaOpening):
    """Key 4: prepare, hold and send a customer's service review (its writes: AgendaEditing)."""

    BINDINGS = [
        Binding("slash", "pick_customer", "Customer", tooltip="Find a customer and prepare their review", id="agenda.customer"),
        Binding("escape", "reviews_due", "Reviews due", show=False, id="agenda.reviews_due"),
        Binding("a", "add", "Add", tooltip="Add an agenda item (an incident on the Incidents tab)", id="agenda.add"),
        Binding("a", "add_quiet", "Add", show=False, id="agenda.add"),
        Binding("e", "edit", "Edit", tooltip="Edit the agenda item or action item", id="agenda.edit"),
        Binding("e", "edit_quiet", "Edit", show=False, id="agenda.edit"),
        Binding("d", "remove", "Remove", show=False, tooltip="Remove the agenda item or action item", id="agenda.remove"),
        Binding(
            "M",
            "minutes",
            "Minutes",
            show=False,
            tooltip="Write the minutes of the agenda item (enter in a meeting)",
            id="agenda.minutes",
        ),
        Binding("A", "add_action", "Action", tooltip="Add an action item (owner, due date)", id="agenda.action"),
        Binding("A", "add_action_quiet", "Action item", show=False, id="agenda.action"),
        Binding("m", "meeting", "Meeting", tooltip="Start or end the meeting: minutes and actions", id="agenda.meeting"),
        Binding("c", "complete", "Complete", tooltip="Complete the review: it becomes read-only", id="agenda.complete"),
        Binding("x", "export", "Export", tooltip="Write the agenda as Markdown to a file", id="agenda.export"),
        Binding("x", "export_quiet", "Export", show=False, id="agenda.export"),
        Binding("n", "new_review", "New review", tooltip="Prepare another review for this customer", id="agenda.new_review"),
        Binding("n", "new_review_quiet", "New review", show=False, id="agenda.new_review"),
        Binding("p", "past_reviews", "Past reviews", show=False, id="agenda.past_reviews"),
        Binding("w", "attendees", "Attendees", show=False, id="agenda.attendees"),
        Binding("K,ctrl+up", "move(-1)", "Move up", show=False, id="agenda.move_up"),
        Binding("J,ctrl+down", "move(1)", "Move down", show=False, id="agenda.move_down"),
        Binding("space", "toggle_done", "Action done", show=False, id="agenda.action_done"),
        Binding("right_square_bracket", "tab(1)", "Next tab", show=False, id="agenda.next_tab"),
        Binding("left_square_bracket", "tab(-1)", "Previous tab", show=False, id="agenda.previous_tab"),
    ]
    BOOK_ACTIONS = frozenset({"pick_customer"})
    WRITE_ACTIONS = frozenset(
        {"add", "add_quiet", "edit", "edit_quiet", "remove", "minutes", "add_action", "add_action_quiet", "meeting"}
        | {"complete", "new_review", "new_review_quiet", "attendees", "move", "toggle_done"}
    )
    FOCUS_ACTIONS = frozenset(
        {"add", "add_quiet", "edit", "edit_quiet", "remove", "minutes", "add_action", "add_action_quiet", "attendees"}
        | {"complete", "pick_customer", "export", "export_quiet"}
    )

    @dataclass
    class DueLoaded(Message):
        rows: list[ReviewDue]
        total: int
        read: Reading  # the change-log mark before the read, and when (monotonic)

    def __init__(self) -> None:
        super().__init__()
        # A customer asked for before the screen could serve it (None: the reviews due).
        self._pending = False
        self._pending_customer: int | None = None
        self._due: list[ReviewDue] = []
        # What the screen should show: a review's id, or None for the reviews due. Loads
        # answer out of order (a dialog closing refreshes too); only this one is shown.
        self._want: int | None = None
        self._ready = False  # mounted: a request is served once the book is open
        self._keep_next: int | None = None  # the agenda item the cursor goes to on the next load
        self._asked = 0  # loads of a review asked for so far; an answer to an older one is stale
        self._due_read: Reading | None = None  # the reviews due shown: their change-log mark, when read

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        fmt = self.app_formatter
        yield Header()
        yield Static("Opening the book...", id="agenda-summary", markup=False)
        with ContentSwitcher(initial="agenda-due-view", id="agenda-switcher"):
            with Vertical(id="agenda-due-view"):
                yield ReviewsDueTable(fmt, id="due-table")
            with Horizontal(id="agenda-review-view"):
                with TabbedContent(id="agenda-tabs"):
                    with TabPane("Agenda", id="tab-agenda"):
                        yield AgendaList(id="agenda-list")
                    with TabPane("Actions", id="tab-actions"):
                        yield ActionItemsTable(fmt, id="actions-table")
                    with TabPane("Incidents", id="tab-incidents"):
                        yield IncidentsTable(fmt, self.app_settings.time_zone, id="incidents-table")
                    with TabPane("Hours", id="tab-hours"), VerticalScroll():
                        yield BurnDownPanel(fmt, id="hours-tab-panel")
                with VerticalScroll(id="agenda-side"):
                    yield BurnDownPanel(fmt, id="agenda-hours")
        yield FittedFooter()

    def on_mount(self) -> None:
        self._ready = True
        self.query_one(ReviewsDueTable).focus()
        self._fit(self.app.size.width)
        self.when_services(self._serve_request)

    def _serve_request(self) -> None:
        """The customer last asked for (`request_customer`), else the reviews due."""
        customer_id = self._pending_customer if self._pending else None
        self._pending, self._pending_customer = False, None
        if customer_id is not None:
            self._open_customer(customer_id)
        else:
            self.action_reviews_due()

    def on_screen_resume(self) -> None:
        # Back from another screen or a dialog: contacts, hours or incidents may have moved.
        if self.is_mounted and not self._pending and self._want is None and self._due:
            self._load_due(unless=self._due_read)  # the reviews due: only if the book moved since
        else:
            self.reload_book()

    def reload_book(self) -> None:
        """The review, or the reviews due, read again; the agenda's cursor stays on its item."""
        if not self.is_mounted or self._pending:
            return
        if self._want is not None:
            self._load_review(self._want)
        elif self._due:
            self._load_due()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        wide = is_wide(width)
        self.query_one("#agenda-side").display = wide
        tabs = self.query_one("#agenda-tabs", TabbedContent)
        if wide:
            if tabs.active == "tab-hours":
                tabs.active = "tab-agenda"
            tabs.hide_tab("tab-hours")
        else:
            tabs.show_tab("tab-hours")

    # -- modes ----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        modes = _MODES.get(action)
        if modes is not None and self.mode not in modes:
            return False
        return super().check_action(action, parameters)  # dimmed until the book is open

    def watch_meeting(self) -> None:
        self._show_review(keep=None)
        self.refresh_bindings()

    def watch_workspace(self) -> None:
        self.refresh_bindings()

    # -- opening ---------------------------------------------------------------
    def request_customer(self, customer_id: int | None) -> None:
        """Open a customer's review (their draft, or a new one); None shows the reviews due."""
        self._pending, self._pending_customer = True, customer_id
        if self._ready:  # else it waits for the first load, when mounted
            self.when_services(self._serve_request)

    def _load_due(self, unless: Reading | None = None) -> None:
        self._want = None
        self._fetch_due(unless)

    @work(thread=True, exclusive=True, group="agenda-due")
    def _fetch_due(self, unless: Reading | None = None) -> None:
        """Read the reviews due; with `unless` (the shown ones' mark and time), only if the book moved, or time passed."""
        read = reading(self.services)
        if still_current(unless, read):
            return  # the list on screen is the book's as it is
        rows, total = self.services.agenda.reviews_due(DUE_ROWS)
        self.post_message(self.DueLoaded(rows, total, read))

    def _load_review(self, review_id: int, keep_item: int | None = None) -> None:
        self._want = review_id
        if keep_item is not None:
            self._keep_next = keep_item  # a reload on resume may overtake this one: keep it for both
        self._asked += 1
        self._fetch_review(review_id, keep_item, self._asked)

    @work(thread=True, exclusive=True, group="agenda-review")
    def _fetch_review(self, review_id: int, keep_item: int | None, asked: int) -> None:
        self.services.agenda.catalogue  # noqa: B018 - read the file here, off the event loop
        self.post_message(self.Loaded(self.services.agenda.workspace(review_id), keep_item, asked))

    @on(DueLoaded)
    def _show_due(self, message: DueLoaded) -> None:
        if self._want is not None:
            return  # a review was asked for since
        self._due, self._due_read = message.rows, message.read
        today = self.services.today()
        table = self.query_one(ReviewsDueTable)
        table.show(message.rows, today)
        until = today + timedelta(days=REVIEWS_DUE_HORIZON_DAYS)
        self.query_one("#agenda-summary", Static).update(due_summary(len(message.rows), message.total, until, self.app_formatter))
        self.workspace = None
        self.query_one(ContentSwitcher).current = "agenda-due-view"
        table.focus()

    @on(DataTable.RowSelected, "#due-table")
    def _due_picked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open_customer(int(event.row_key.value))

    # -- showing a review --------------------------------------------------------
    @on(AgendaEditing.Loaded)
    def _loaded(self, message: AgendaEditing.Loaded) -> None:
        if self._want != message.workspace.review.id or message.asked != self._asked:
            return  # something else was asked for since, or this review again (after a write)
        was = self.workspace.review.id if self.workspace else None
        self.workspace = message.workspace
        if was != message.workspace.review.id:
            self.meeting = False
        self.query_one(ContentSwitcher).current = "agenda-review-view"
        keep, self._keep_next = message.keep_item or self._keep_next, None
        self._show_review(keep=keep)
        if was != message.workspace.review.id:
            self.query_one("#agenda-tabs", TabbedContent).active = "tab-agenda"
            self.query_one(AgendaList).focus()

    def _show_review(self, keep: int | None) -> None:
        workspace = self.workspace
        if workspace is None or not self.is_mounted:
            return
        review = workspace.review
        fmt = self.app_formatter
        hours, level = summary_line(workspace.burn, fmt)
        self.query_one("#agenda-summary", Static).update(review_heading(review, self.mode, hours, level, fmt))
        self.query_one(AgendaList).show(review, self.mode == "meeting", keep)
        self.query_one(ActionItemsTable).show(review.actions, self.services.today())
        self.query_one(IncidentsTable).show(workspace.incidents)
        data = BurnDownData(workspace.burn, workspace.earlier)
        self.query_one("#agenda-hours", BurnDownPanel).data = data
        self.query_one("#hours-tab-panel", BurnDownPanel).data = data
        tabs = self.query_one("#agenda-tabs", TabbedContent)
        open_actions = sum(1 for a in review.actions if not a.done)
        tabs.get_tab("tab-actions").label = f"Actions ({open_actions} open)"
        still_open = sum(1 for i in workspace.incidents if i.is_open)
        tabs.get_tab("tab-incidents").label = f"Incidents ({still_open} open)"

    # -- actions: the agenda -------------------------------------------------------------
    def action_reviews_due(self) -> None:
        self.meeting = False
        self._load_due()

    def action_meeting(self) -> None:
        self.meeting = not self.meeting
        self.query_one("#agenda-tabs", TabbedContent).active = "tab-agenda"
        self.query_one(AgendaList).focus()
        self.notify("Meeting started: enter writes an item's minutes, A adds an action." if self.meeting else "Meeting ended.")

    def action_export(self) -> None:
        review = self._review()
        if review is None:
            return

        def written(result: ExportResult | None) -> None:
            if result is not None:
                self.notify(f"Wrote {result.path}", title="Exported", markup=False)

        self.app.push_screen(export_dialog(self.services, review), written)

    action_export_quiet = action_export

    def action_tab(self, step: int) -> None:
        tabs = self.query_one("#agenda-tabs", TabbedContent)
        shown = [t for t in TABS if t != "tab-hours" or not self.query_one("#agenda-side").display]
        index = shown.index(tabs.active) if tabs.active in shown else 0
        tabs.active = shown[(index + step) % len(shown)]
        pane = tabs.active_pane
        if pane is not None:
            focusable = pane.query("AgendaList, DataTable")
            if focusable:
                focusable.first().focus()
