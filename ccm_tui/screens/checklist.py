"""Key 3: the pre-activation checklist.

Top, the upcoming activations, not-ready risks first, then by their next
step's start (`/` filters); below, the highlighted activation's checklist
grouped by phase with progress per phase, its readiness, and what a risk
would cost. Every read and write runs in a thread worker; after a write the
list and the checklist are read again, so a risk that is cleared moves down
at once.

`v` picks checklist items and space then marks every picked item done,
after asking once; the checklist's summary counts them ("3 selected") and
Esc clears them before it clears the filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from ccm_tui.domain.checklist import ChecklistItem, ItemState
from ccm_tui.domain.checklist_views import ActivationChecklist, ChecklistLine, UpcomingPage, UpcomingQuery
from ccm_tui.screens.base import BUSY_NOTE, ServicesMixin
from ccm_tui.screens.bulk import Outcome, Row, apply_each, ask_body, report
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.screens.following import FollowsBook
from ccm_tui.text import checklist_text
from ccm_tui.widgets.checklist_table import ChecklistTable
from ccm_tui.widgets.filter_input import FilterInput
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.readiness_bar import ReadinessBar
from ccm_tui.widgets.selection import SelectableTable, with_picked
from ccm_tui.widgets.upcoming_table import UpcomingTable

PAGE_SIZE = 60


class ChecklistScreen(FollowsBook, ServicesMixin, Screen[None]):
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
    DIALOG_ACTIONS = frozenset({"add_item"})

    upcoming_query: var[UpcomingQuery] = var(UpcomingQuery(limit=PAGE_SIZE), init=False)
    shown_query: UpcomingQuery | None = None
    """The query whose rows the list holds (None before the first page); benchmarks wait on it."""
    checklist: ActivationChecklist | None = None
    _page: UpcomingPage | None = None

    @dataclass
    class PageLoaded(Message):
        query: UpcomingQuery
        page: UpcomingPage
        keep: int | None

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
        self._whole.clear()  # an activation opened from here may have been cancelled or moved
        if self.moved_while_away():  # someone else changed the book: the open checklist too
            self.reload_book()
        elif self.shown_query is not None:
            self._load(keep=self._selected_id())

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
    def _fetch_page(self, query: UpcomingQuery, keep: int | None) -> None:
        # The count waits for its own worker: the rows show first.
        self.post_message(self.PageLoaded(query, self.services.checklists.upcoming(query, with_total=False), keep))

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

    # -- writes --------------------------------------------------------------------------
    @on(ChecklistTable.ItemAction)
    def _item_action(self, message: ChecklistTable.ItemAction) -> None:
        item = message.item
        checklists = self.services.checklists
        if message.action == "block":
            from ccm_tui.screens.checklist_forms import block_dialog

            self.app.push_screen(block_dialog(self.services, item), lambda saved: self._saved(saved, "Blocked"))
        elif message.action == "history":
            self._history(item)
        elif message.action == "toggle":
            self._write(lambda: checklists.toggle(item), "Done" if item.state is not ItemState.DONE else "Open again")
        elif message.action == "not_applicable":
            label = "Open again" if item.state is ItemState.NOT_APPLICABLE else "Not applicable"
            self._write(lambda: checklists.not_applicable(item), label)
        elif message.action == "reopen":
            self._write(lambda: checklists.reopen(item), "Open again")

    # -- several items at once -------------------------------------------------------------
    @on(SelectableTable.SelectionChanged, "#checklist-table")
    def _picks_changed(self) -> None:
        if self.checklist is not None:
            summary = checklist_text.summary(self.checklist, self.app_formatter)
            self.query_one("#checklist-summary", Static).update(with_picked(summary, self.query_one(ChecklistTable)))

    @on(ChecklistTable.PickedDone)
    def _ask_done(self, message: ChecklistTable.PickedDone) -> None:
        ready = [item for item in message.items if item.state is not ItemState.DONE]
        refused = [Outcome(str(i.id), _item_label(i), "Already done.") for i in message.items if i.state is ItemState.DONE]
        if not ready:
            self._marked(refused)
            return
        count = f"{len(ready)} item{'s' if len(ready) != 1 else ''}"
        body = ask_body("Marked done, recorded now", [_item_label(i) for i in ready], refused)

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_done(ready, refused)

        self.app.push_screen(ConfirmDialog(f"Mark {count} done?", body, "Mark done"), answered)

    @work(thread=True, group="checklist-write")
    def _mark_done(self, items: list[ChecklistItem], refused: list[Outcome]) -> None:
        checklists = self.services.checklists
        # toggle, as space on one item: from any state but done it makes the item done
        rows = [Row(str(item.id), _item_label(item), partial(checklists.toggle, item)) for item in items]
        outcomes = apply_each(rows, lambda: self.app.call_from_thread(self.notify, BUSY_NOTE, severity="warning"))
        self.app.call_from_thread(self._marked, refused + outcomes)

    def _marked(self, outcomes: list[Outcome]) -> None:
        title, message, any_refused = report("Marked {n} done", outcomes)
        if any_refused:
            self.notify(message, title=title, severity="warning", timeout=12, markup=False)
        else:
            self.notify(message, title=title, markup=False)
        table = self.query_one(ChecklistTable)
        table.keep_only(o.key for o in outcomes if o.refused)
        line = table.current()
        self._refresh(line.item.id if line is not None else None)

    @work(thread=True, group="checklist-write")
    def _write(self, change: Callable[[], ChecklistItem], done: str) -> None:
        from ccm_tui.errors import StoreError

        try:
            item = self.write_retrying(change)  # a busy book is noted and tried again
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            self.app.call_from_thread(self._refresh, None)
            return
        self.app.call_from_thread(self._saved, item, done)

    def _saved(self, item: ChecklistItem | None, done: str) -> None:
        if item is None:
            return
        self.notify(f"{done}: {item.text[:60]}", timeout=3, markup=False)
        self._refresh(item.id)

    def _refresh(self, keep_item: int | None) -> None:
        """Read the list and this checklist again: readiness and risk may have moved."""
        selected = self._selected_id()
        self._load(keep=selected)
        if selected is not None:
            self._pick(selected, keep_item)

    @work(thread=True, group="checklist-history")
    def _history(self, item: ChecklistItem) -> None:
        from ccm_tui.screens.checklist_history import ItemHistoryScreen

        changes = self.services.checklists.history(item.id)
        rows = [checklist_text.history_row(change, self.app_formatter, self.app_settings.time_zone) for change in changes]
        self.app.call_from_thread(push_if_active, self, ItemHistoryScreen(f"History: {item.text}", rows))

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

    def action_add_item(self) -> None:
        checklist = self.checklist
        if checklist is None:
            self.notify("Pick an activation first.", severity="warning")
            return
        from ccm_tui.screens.checklist_forms import adhoc_dialog

        act = checklist.activation
        title = f"{checklist.customer_name}, {checklist.site.name} ({act.service.value})"
        self.app.push_screen(adhoc_dialog(self.services, act.id, act.service, title), lambda saved: self._saved(saved, "Added"))

    def action_create_checklist(self) -> None:
        checklist = self.checklist
        if checklist is None:
            self.notify("Pick an activation first.", severity="warning")
        elif any(line.item.source.value == "template" for line in checklist.lines):
            self.notify("This activation already has its checklist.", severity="information")
        else:
            self._create(checklist.activation.id)

    @work(thread=True, group="checklist-write")
    def _create(self, activation_id: int) -> None:
        services = self.services
        made = self.write_retrying(lambda: services.checklists.create_checklist(activation_id))
        self.app.call_from_thread(self.notify, f"Made {made} items from the template." if made else "No template applies.")
        self.app.call_from_thread(self._refresh, None)

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


def _item_label(item: ChecklistItem) -> str:
    return item.text if len(item.text) <= 60 else item.text[:59] + "…"
