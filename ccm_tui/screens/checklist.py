"""Key 3: the pre-activation checklist.

Top, the upcoming activations, not-ready risks first, then by their next
step's start (`/` filters); below, the highlighted activation's checklist
grouped by phase with progress per phase, its readiness, and what a risk
would cost. Every read and write runs in a thread worker; after a write the
list and the checklist are read again, so a risk that is cleared moves down
at once.

Esc clears the items picked with `v` before it clears the filter. This
module reads and shows the list and the checklist; the writes are in
screens/checklist_editing.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Header, Input, Static

from ccm_tui.domain.checklist_views import ActivationChecklist, ChecklistLine, UpcomingPage, UpcomingQuery
from ccm_tui.screens.checklist_editing import ChecklistEditing
from ccm_tui.screens.following import FollowsBook, Reading, reading, still_current
from ccm_tui.text import checklist_text
from ccm_tui.widgets.checklist_table import ChecklistTable
from ccm_tui.widgets.filter_input import FilterInput
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.readiness_bar import ReadinessBar
from ccm_tui.widgets.selection import with_picked
from ccm_tui.widgets.upcoming_table import UpcomingTable
from ccm_tui.widgets.workers import work

PAGE_SIZE = 60


class ChecklistScreen(FollowsBook, ChecklistEditing):
    """Key 3: readiness per upcoming activation, risks first."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="checklist.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="checklist.clear_filter"),
        Binding("a", "add_item", "Add", tooltip="Add an ad-hoc item to this checklist", id="checklist.add"),
        Binding(
            "r",
            "toggle_recent",
            "Recent",
            show=False,
            id="checklist.recent",
            tooltip="Upcoming, or activated in the last two weeks (troubleshooting)",
        ),
        Binding(
            "c",
            "create_checklist",
            "Make checklist",
            show=False,
            tooltip="Make the checklist from its template",
            id="checklist.make",
        ),
        Binding("C", "open_customer", "Customer", show=False, tooltip="Open the activation's customer", id="checklist.customer"),
    ]
    WRITE_ACTIONS = frozenset({"add_item", "create_checklist"})
    FOCUS_ACTIONS = frozenset({"add_item", "filter"})

    upcoming_query: var[UpcomingQuery] = var(UpcomingQuery(limit=PAGE_SIZE), init=False)
    shown_query: UpcomingQuery | None = None
    """The query whose rows the list holds (None before the first page); benchmarks wait on it."""
    checklist: ActivationChecklist | None = None
    _page: UpcomingPage | None = None
    _read: Reading | None = None  # the first page's change-log mark and when it was read (monotonic)

    @dataclass
    class PageLoaded(Message):
        query: UpcomingQuery
        page: UpcomingPage
        keep: int | None
        read: Reading  # the change-log mark before the read, and when

    @dataclass
    class TotalLoaded(Message):
        query: UpcomingQuery
        total: int

    @dataclass
    class WholeLoaded(Message):
        recent: bool
        total: int  # the list without its filter: "3 of 42"

    @dataclass
    class ChecklistLoaded(Message):
        activation_id: int
        checklist: ActivationChecklist
        keep_item: int | None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="checklist-top"):
            yield FilterInput(placeholder="/ filter: name, account, contact, city", id="checklist-filter", compact=True)
            yield Static("", id="checklist-status")
        yield UpcomingTable(self.app_formatter, id="upcoming-table")
        # plain text: they quote the filter, names and notes as typed ("[/]" is not markup)
        yield Static("Opening the book...", id="checklist-summary", markup=False)
        yield ReadinessBar(id="checklist-readiness")
        yield Static("", id="checklist-risk", markup=False)
        yield ChecklistTable(self.app_formatter, id="checklist-table")
        yield Static("", id="checklist-detail", markup=False)
        yield FittedFooter()

    def on_mount(self) -> None:
        self._whole: dict[bool, int] = {}  # each list's count without the filter (recent or not; -1: asked), read once
        self.query_one(UpcomingTable).focus()
        self.when_services(self._warn_about_templates)
        self.when_services(self._load)
        self.when_services(self._show_access)

    def _show_access(self) -> None:
        self.query_one(ChecklistTable).writable = not self.services.access.read_only

    def on_screen_resume(self) -> None:
        if self.moved_while_away():  # someone else changed the book: the open checklist too
            self.reload_book()
        elif self.shown_query is not None:
            # An activation opened from here may have been cancelled or moved, or another screen
            # wrote: read again, unless the change log says nothing has changed since (`_fetch_page`).
            query = replace(self.upcoming_query, offset=0)
            current = replace(self.shown_query, offset=0) == query  # not a filter whose rows are still coming
            self._fetch_page(query, self._selected_id(), unless=self._read if current else None)

    def reload_book(self) -> None:
        """The list and the open checklist read again; both cursors stay."""
        self._whole.clear()
        if self.shown_query is not None:
            line = self.query_one(ChecklistTable).current()
            self._refresh(line.item.id if line is not None else None)

    @work(thread=True, group="checklist-warnings")
    def _warn_about_templates(self) -> None:
        for warning in self.services.checklists.template_warnings:
            self.app.call_from_thread(
                self.notify, warning, title="Checklist template", severity="warning", timeout=12, markup=False
            )

    # -- the list -----------------------------------------------------------------
    def watch_upcoming_query(self) -> None:
        self.when_services(self._load)  # typed before the book opened: its first page is for this query

    def _load(self, offset: int = 0, keep: int | None = None) -> None:
        self._fetch_page(replace(self.upcoming_query, offset=offset), keep)

    @work(thread=True, exclusive=True, group="checklist-page")
    def _fetch_page(self, query: UpcomingQuery, keep: int | None, unless: Reading | None = None) -> None:
        """Read a page; with `unless` (the shown page's mark and time), only if the book moved since, or time passed."""
        read = reading(self.services)
        if still_current(unless, read):
            return  # the rows, count and open checklist on screen are the book's as it is
        # The count waits for its own worker: the rows show first.
        self.post_message(self.PageLoaded(query, self.services.checklists.upcoming(query, with_total=False), keep, read))

    @work(thread=True, exclusive=True, group="checklist-count")
    def _fetch_total(self, query: UpcomingQuery) -> None:
        self.post_message(self.TotalLoaded(query, self.services.checklists.upcoming_total(query)))

    @work(thread=True, exclusive=True, group="checklist-whole")
    def _fetch_whole(self, recent: bool) -> None:
        if recent:  # the fortnight's activations come counted with their page
            total = self.services.checklists.upcoming(UpcomingQuery(recent=True, limit=0)).total or 0
        else:
            total = self.services.checklists.upcoming_total(UpcomingQuery())
        self.post_message(self.WholeLoaded(recent, total))

    @on(WholeLoaded)
    def _show_whole(self, message: WholeLoaded) -> None:
        self._whole[message.recent] = message.total
        self._show_status()

    @on(TotalLoaded)
    def _show_total(self, message: TotalLoaded) -> None:
        if not message.query.text:
            self._whole[message.query.recent] = message.total
        if message.query == replace(self.upcoming_query, offset=0) and self._page is not None:
            self._page = replace(self._page, total=message.total)
            self._show_status()

    @on(PageLoaded)
    def _show_page(self, message: PageLoaded) -> None:
        if replace(message.query, offset=0) != replace(self.upcoming_query, offset=0):
            return  # the filter moved on; a newer page is coming
        table = self.query_one(UpcomingTable)
        more = message.page.more_after(message.query.limit)
        table.show_page(message.page.rows, more, append=message.query.offset > 0, keep=message.keep, recent=message.query.recent)
        self.shown_query = message.query
        if message.query.offset == 0:
            was = self._read
            if not still_current(was, message.read):
                self._whole.clear()  # the book (or the clock) moved: the counts without the filter are read again
            self._read = message.read
            self._page = message.page
            if not message.query.text and message.page.total is not None:
                self._whole[message.query.recent] = message.page.total
            if message.page.total is None:
                self._fetch_total(message.query)
            current = table.current()
            if current is None:
                self._show_checklist(None)
            elif self.checklist is None or self.checklist.activation.id != current.activation_id:
                self._pick(current.activation_id)
        self._show_status()

    def _show_status(self) -> None:
        page = self._page
        if page is None:
            return
        recent = self.upcoming_query.recent
        status = self.query_one("#checklist-status", Static)
        if page.total == 0 or (page.total is None and not page.rows):
            self.query_one("#checklist-summary", Static).update(checklist_text.no_match(self.upcoming_query.text, recent))
            status.update("r: upcoming" if recent else "r: recent")
            return
        whole = None
        if self.upcoming_query.text:  # "3 of 42 upcoming": the count without the filter, read once
            whole = self._whole.get(recent)
            if whole is None:
                self._whole[recent] = whole = -1  # asked: "of …" until it comes
                self._fetch_whole(recent)
        status.update(checklist_text.list_status(page, recent, self.app_formatter, whole))

    @on(UpcomingTable.NeedMore)
    def _more(self, message: UpcomingTable.NeedMore) -> None:
        self._load(offset=message.loaded)

    @on(UpcomingTable.Highlighted)
    def _highlighted(self, message: UpcomingTable.Highlighted) -> None:
        if self.checklist is None or self.checklist.activation.id != message.activation_id:
            self._pick(message.activation_id)

    @on(UpcomingTable.Chosen)
    def _chosen(self, message: UpcomingTable.Chosen) -> None:
        self.query_one(ChecklistTable).focus()

    def _pick(self, activation_id: int, keep_item: int | None = None) -> None:
        self._fetch_checklist(activation_id, keep_item)

    def _selected_id(self) -> int | None:
        row = self.query_one(UpcomingTable).current()
        return row.activation_id if row is not None else None

    # -- the checklist ---------------------------------------------------------------
    @work(thread=True, exclusive=True, group="checklist-one")
    def _fetch_checklist(self, activation_id: int, keep_item: int | None) -> None:
        self.post_message(self.ChecklistLoaded(activation_id, self.services.checklists.checklist(activation_id), keep_item))

    @on(ChecklistLoaded)
    def _loaded(self, message: ChecklistLoaded) -> None:
        if message.activation_id != self._selected_id():
            return  # the cursor moved on
        self._show_checklist(message.checklist, message.keep_item)

    def _show_checklist(self, checklist: ActivationChecklist | None, keep_item: int | None = None) -> None:
        self.checklist = checklist
        summary = self.query_one("#checklist-summary", Static)
        risk = self.query_one("#checklist-risk", Static)
        bar = self.query_one(ReadinessBar)
        table = self.query_one(ChecklistTable)
        if checklist is None:
            summary.update("")
            risk.update("")
            risk.display = False
            bar.readiness = None
            table.show(None)
            self.query_one("#checklist-detail", Static).update("")
            return
        fmt = self.app_formatter
        summary.update(with_picked(checklist_text.summary(checklist, fmt), table))
        bar.readiness = checklist.readiness
        risk.update(checklist_text.risk(checklist, self.services.today(), fmt))
        risk.display = checklist.readiness.at_risk
        table.show(checklist, checklist_text.letter(checklist, fmt), keep_item)
        self.query_one("#checklist-detail", Static).update(self._detail(table.current()))

    def on_descendant_focus(self) -> None:
        # Working on a checklist: the list gives up rows to it (it keeps its cursor row in view).
        working = isinstance(self.focused, ChecklistTable)
        if working != self.has_class("-working"):
            self.set_class(working, "-working")
            table = self.query_one(UpcomingTable)
            self.call_after_refresh(table.move_cursor, row=table.cursor_row, scroll=True)

    @on(ChecklistTable.ItemHighlighted)
    def _item_highlighted(self, message: ChecklistTable.ItemHighlighted) -> None:
        self.query_one("#checklist-detail", Static).update(self._detail(message.line))

    @on(ChecklistTable.OpenActivation)
    def _open_activation(self, message: ChecklistTable.OpenActivation) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        self.app.push_screen(ActivationDetailScreen(message.activation_id, message.step))

    def _detail(self, line: ChecklistLine | None) -> Text:
        return checklist_text.item_detail(self.checklist, line, self.app_formatter, self.app_settings.time_zone)

    def _refresh(self, keep_item: int | None) -> None:
        """Read the list and this checklist again: readiness and risk may have moved."""
        selected = self._selected_id()
        self._load(keep=selected)
        if selected is not None:
            self._pick(selected, keep_item)

    # -- screen keys -----------------------------------------------------------------------
    @on(Input.Changed, "#checklist-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.upcoming_query = replace(self.upcoming_query, text=event.value.strip(), offset=0)

    @on(Input.Submitted, "#checklist-filter")
    def _filter_done(self) -> None:
        self.query_one(UpcomingTable).focus()

    def action_filter(self) -> None:
        self.query_one("#checklist-filter", Input).focus()

    def action_clear_filter(self) -> None:
        table = self.query_one(ChecklistTable)
        if table.selection:  # the picks go first, wherever the focus is
            table.action_clear_selection()
            return
        self.query_one("#checklist-filter", Input).value = ""
        self.query_one(UpcomingTable).focus()

    def action_toggle_recent(self) -> None:
        self.upcoming_query = replace(self.upcoming_query, recent=not self.upcoming_query.recent, offset=0)

    def action_open_customer(self) -> None:
        row = self.query_one(UpcomingTable).current()
        if row is not None:
            self.app.open_customer(row.customer_id)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's main actions, for the command palette."""
        table = self.query_one(ChecklistTable)
        yield SystemCommand("Checklist: filter", "Filter the upcoming activations (/)", self.action_filter)
        yield SystemCommand(
            "Checklist: recently activated", "Activated in the last two weeks, no traffic first (r)", self.action_toggle_recent
        )
        yield SystemCommand(
            "Checklist: mark done", "Toggle the highlighted item done (space)", lambda: table.action_item("toggle")
        )
        yield SystemCommand(
            "Checklist: select item", "Pick the highlighted item; space marks every pick done (v)", table.action_toggle_selection
        )
        yield SystemCommand("Checklist: block item", "Blocked, with a note (b)", lambda: table.action_item("block"))
        yield SystemCommand(
            "Checklist: not applicable", "The item does not apply (n)", lambda: table.action_item("not_applicable")
        )
        yield SystemCommand("Checklist: reopen item", "Back to open (o)", lambda: table.action_item("reopen"))
        yield SystemCommand("Checklist: item history", "Who changed the item, and when (h)", lambda: table.action_item("history"))
        yield SystemCommand("Checklist: add item", "An ad-hoc item for this activation (a)", self.action_add_item)
        yield SystemCommand("Checklist: make from template", "For an activation without one (c)", self.action_create_checklist)
        yield SystemCommand(
            "Checklist: open activation", "Its steps, history and actions (enter on the checklist)", table.action_open_activation
        )
        yield SystemCommand("Checklist: open customer", "The activation's customer (C)", self.action_open_customer)
