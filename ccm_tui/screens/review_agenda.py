"""Key 4: the service-review agenda. Prepare a customer's review, hold the
meeting with it, complete it and send it.

Without a customer it lists the reviews due. With one, the review's agenda
(sections of items with their facts), its action items and the customer's
incident log are tabs; this month's hours burn down beside them (a tab of
their own on a narrow screen). Every read and write runs in a thread worker;
the screen reloads the review after each write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Footer,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from ccm_tui.domain.hours import HoursLevel
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.review_inputs import validate_agenda_item, validate_minutes
from ccm_tui.domain.reviews import REVIEWS_DUE_HORIZON_DAYS, ReviewDue
from ccm_tui.domain.service_review import AgendaItem, ReviewWorkspace
from ccm_tui.errors import StoreError
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.from_worker import push_if_active
from ccm_tui.screens.review_dialogs import ConfirmDialog, EditorDialog, PickDialog
from ccm_tui.screens.review_forms import (
    action_dialog,
    attendees_dialog,
    export_dialog,
    incident_dialog,
    setup_dialog,
)
from ccm_tui.text.agenda_text import KIND_TITLES, short_date
from ccm_tui.widgets.agenda_list import AgendaList
from ccm_tui.widgets.breakpoints import WIDE
from ccm_tui.widgets.burn_down import BurnDownData, BurnDownPanel, summary_line

if TYPE_CHECKING:
    from ccm_tui.domain.service_review import ActionItem, ServiceReview

DUE_ROWS = 100  # the reviews due shown: more than a screen, few enough to lay out at once
TABS = ("tab-agenda", "tab-actions", "tab-incidents", "tab-hours")
_REVIEW = {"draft", "meeting", "past"}
_EDITING = {"draft", "meeting"}
# Where each action works. "*_quiet" twins do the same without a footer entry, so
# the footer shows the keys of the moment and still fits 80 columns.
_MODES: dict[str, set[str]] = {
    "reviews_due": _REVIEW,
    "add": {"draft"},
    "add_quiet": {"meeting", "past"},
    "edit": {"draft"},
    "edit_quiet": {"meeting"},
    "remove": _EDITING,
    "minutes": {"meeting"},
    "add_action": {"meeting"},
    "add_action_quiet": {"draft"},
    "meeting": _EDITING,
    "complete": _EDITING,
    "export": {"past"},
    "export_quiet": _EDITING,
    "new_review": {"past"},
    "new_review_quiet": _EDITING,
    "past_reviews": _REVIEW,
    "move": _EDITING,
    "toggle_done": _EDITING,
    "attendees": _EDITING,
    "tab": _REVIEW,
}
KIND_WORDS = {ReviewKind.MONTHLY: "Monthly review", ReviewKind.QUARTERLY: "Quarterly review", ReviewKind.EXECUTIVE: "Executive review"}
_LEVEL_STYLE = {HoursLevel.OK: "", HoursLevel.NEAR: "bold yellow", HoursLevel.OVER: "bold red"}


class ReviewAgendaScreen(ServicesMixin, Screen[None]):
    """Key 4: prepare, hold and send a customer's service review."""

    BINDINGS = [
        Binding("slash", "pick_customer", "Customer", tooltip="Find a customer and prepare their review"),
        Binding("escape", "reviews_due", "Reviews due", show=False),
        Binding("a", "add", "Add", tooltip="Add an agenda item (an incident on the Incidents tab)"),
        Binding("a", "add_quiet", "Add", show=False),
        Binding("e", "edit", "Edit", tooltip="Edit the agenda item or action item"),
        Binding("e", "edit_quiet", "Edit", show=False),
        Binding("d", "remove", "Remove", show=False, tooltip="Remove the agenda item or action item"),
        Binding("M", "minutes", "Minutes", show=False, tooltip="Write the minutes of the agenda item (enter in a meeting)"),
        Binding("A", "add_action", "Action", tooltip="Add an action item (owner, due date)"),
        Binding("A", "add_action_quiet", "Action item", show=False),
        Binding("m", "meeting", "Meeting", tooltip="Start or end the meeting: minutes and actions"),
        Binding("c", "complete", "Complete", tooltip="Complete the review: it becomes read-only"),
        Binding("x", "export", "Export", tooltip="Write the agenda as Markdown to a file"),
        Binding("x", "export_quiet", "Export", show=False),
        Binding("n", "new_review", "New review", tooltip="Prepare another review for this customer"),
        Binding("n", "new_review_quiet", "New review", show=False),
        Binding("p", "past_reviews", "Past reviews", show=False),
        Binding("w", "attendees", "Attendees", show=False),
        Binding("K,ctrl+up", "move(-1)", "Move up", show=False),
        Binding("J,ctrl+down", "move(1)", "Move down", show=False),
        Binding("space", "toggle_done", "Action done", show=False),
        Binding("right_square_bracket", "tab(1)", "Next tab", show=False),
        Binding("left_square_bracket", "tab(-1)", "Previous tab", show=False),
    ]

    meeting: var[bool] = var(False, init=False)
    workspace: var[ReviewWorkspace | None] = var(None, init=False)

    @dataclass
    class DueLoaded(Message):
        rows: list[ReviewDue]
        total: int

    @dataclass
    class Loaded(Message):
        workspace: ReviewWorkspace
        keep_item: int | None = None

    def __init__(self) -> None:
        super().__init__()
        # A customer asked for before the screen could serve it (None: the reviews due).
        self._pending = False
        self._pending_customer: int | None = None
        self._due: list[ReviewDue] = []
        # What the screen should show: a review's id, or None for the reviews due. Loads
        # answer out of order (a dialog closing refreshes too); only this one is shown.
        self._want: int | None = None
        self._ready = False  # mounted: requests can be served at once
        self._keep_next: int | None = None  # the agenda item the cursor goes to on the next load

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the book...", id="agenda-summary", markup=False)
        with ContentSwitcher(initial="agenda-due-view", id="agenda-switcher"):
            with Vertical(id="agenda-due-view"):
                yield DataTable(id="due-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="agenda-review-view"):
                with TabbedContent(id="agenda-tabs"):
                    with TabPane("Agenda", id="tab-agenda"):
                        yield AgendaList(id="agenda-list")
                    with TabPane("Actions", id="tab-actions"):
                        yield DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
                    with TabPane("Incidents", id="tab-incidents"):
                        yield DataTable(id="incidents-table", cursor_type="row", zebra_stripes=True)
                    with TabPane("Hours", id="tab-hours"):
                        with VerticalScroll():
                            yield BurnDownPanel(self.app_formatter, id="hours-tab-panel")
                with VerticalScroll(id="agenda-side"):
                    yield BurnDownPanel(self.app_formatter, id="agenda-hours")
        yield Footer()

    def on_mount(self) -> None:
        self._ready = True
        self.query_one("#due-table", DataTable).focus()
        self._fit(self.app.size.width)
        self.when_services(self._first_load)

    def _first_load(self) -> None:
        customer_id = self._pending_customer if self._pending else None
        self._pending, self._pending_customer = False, None
        if customer_id is not None:
            self._open_customer(customer_id)
        else:
            self._load_due()

    def on_screen_resume(self) -> None:
        # Back from another screen or a dialog: contacts, hours or incidents may have moved.
        if self.services is None or not self.is_mounted or self._pending:
            return
        if self._want is not None:
            self._load_review(self._want)
        elif self._due:
            self._load_due()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        wide = width >= WIDE
        self.query_one("#agenda-side").display = wide
        tabs = self.query_one("#agenda-tabs", TabbedContent)
        if wide:
            if tabs.active == "tab-hours":
                tabs.active = "tab-agenda"
            tabs.hide_tab("tab-hours")
        else:
            tabs.show_tab("tab-hours")

    # -- modes ----------------------------------------------------------------
    @property
    def mode(self) -> str:
        if self.workspace is None:
            return "due"
        if self.workspace.review.read_only:
            return "past"
        return "meeting" if self.meeting else "draft"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        modes = _MODES.get(action)
        return True if modes is None else self.mode in modes

    def watch_meeting(self) -> None:
        self._show_review(keep=None)
        self.refresh_bindings()

    def watch_workspace(self) -> None:
        self.refresh_bindings()

    @property
    def _tab(self) -> str:
        return self.query_one("#agenda-tabs", TabbedContent).active

    # -- opening ---------------------------------------------------------------
    def request_customer(self, customer_id: int | None) -> None:
        """Open a customer's review (their draft, or a new one); None shows the reviews due."""
        if self.services is None or not self._ready:
            self._pending, self._pending_customer = True, customer_id
            return
        if customer_id is None:
            self.action_reviews_due()
        else:
            self._open_customer(customer_id)

    def _load_due(self) -> None:
        self._want = None
        self._fetch_due()

    @work(thread=True, exclusive=True, group="agenda-due")
    def _fetch_due(self) -> None:
        assert self.services is not None
        rows, total = self.services.agenda.reviews_due(DUE_ROWS)
        self.post_message(self.DueLoaded(rows, total))

    def _load_review(self, review_id: int, keep_item: int | None = None) -> None:
        self._want = review_id
        if keep_item is not None:
            self._keep_next = keep_item  # a reload on resume may overtake this one: keep it for both
        self._fetch_review(review_id, keep_item)

    @work(thread=True, exclusive=True, group="agenda-review")
    def _fetch_review(self, review_id: int, keep_item: int | None = None) -> None:
        assert self.services is not None
        self.services.agenda.catalogue  # noqa: B018 - read the file here, off the event loop
        self.post_message(self.Loaded(self.services.agenda.workspace(review_id), keep_item))

    @work(thread=True, group="agenda-open")
    def _open_customer(self, customer_id: int) -> None:
        assert self.services is not None
        draft = self.services.agenda.latest_draft(customer_id)
        if draft is not None:
            self.app.call_from_thread(self._load_review, draft.id)
            return
        self._ask_new_review(customer_id)

    def _ask_new_review(self, customer_id: int) -> None:
        """(In a worker.) Ask for the type and date, then make the draft."""
        assert self.services is not None
        customer = self.services.get_customer(customer_id)
        kind, cadence = self.services.agenda.suggested(customer_id)
        dialog = setup_dialog(self.services, customer_id, customer.name, kind, cadence)

        def made(review: object) -> None:
            if review is not None:
                self.meeting = False
                self._load_review(review.id)  # type: ignore[attr-defined]
                self.notify(f"Agenda prepared: {customer.name}", markup=False)

        self.app.call_from_thread(push_if_active, self, dialog, made)

    @on(DueLoaded)
    def _show_due(self, message: DueLoaded) -> None:
        if self._want is not None:
            return  # a review was asked for since
        self._due = message.rows
        fmt = self.app_formatter
        assert self.services is not None
        today = self.services.today()
        table = self.query_one("#due-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Due", "Customer", "Next", "Last review", "Account", "CCM")
        for row in message.rows:
            late = row.days_overdue(today)
            if late > 0:
                due = Text(f"{fmt.number(late, 0)} d late", style="bold red")
            elif late == 0:
                due = Text("today", style="bold yellow")
            else:
                due = Text(fmt.day_short(row.due))
            kind = row.kind.value + (" (draft)" if row.draft_id else "")
            last = f"{short_date(row.last_held, fmt)} ({row.last_kind.value})" if row.last_held and row.last_kind else "never"
            # Text, not str, for what the user typed: a str cell is read as markup ("[/]" would raise)
            table.add_row(due, Text(row.name), kind, last, Text(row.account_number), Text(row.ccm), key=str(row.customer_id))
        shown = fmt.number(len(message.rows), 0)
        total = fmt.number(message.total, 0)
        count = f"{total} reviews due" if len(message.rows) == message.total else f"first {shown} of {total} reviews due"
        until = fmt.date(today + timedelta(days=REVIEWS_DUE_HORIZON_DAYS))
        self.query_one("#agenda-summary", Static).update(
            Text.assemble(
                ("Reviews due", "bold"),
                f" now or within two weeks (by {until}): {count}.\n",
                ("enter", "bold"),
                " prepares the review; ",
                ("/", "bold"),
                " finds any customer.",
            )
            if message.rows
            else Text("No reviews due in the next two weeks.\n/ finds a customer to prepare one.")
        )
        self.workspace = None
        self.query_one(ContentSwitcher).current = "agenda-due-view"
        table.focus()

    @on(DataTable.RowSelected, "#due-table")
    def _due_picked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open_customer(int(event.row_key.value))

    # -- showing a review --------------------------------------------------------
    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if self._want != message.workspace.review.id:
            return  # something else was asked for since
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
        completed = f" {fmt.date(review.completed_at.date())}" if review.completed_at else ""
        state = {
            "draft": ("DRAFT", "bold"),
            "meeting": ("MEETING", "bold reverse"),
            "past": (f"COMPLETED{completed} (read-only)", "bold"),
        }[self.mode]
        hours, level = summary_line(workspace.burn, fmt)
        first = Text.assemble(
            state,
            " · ",
            (review.customer_name, "bold"),
            f" ({review.account_number}) · {KIND_WORDS[review.kind]} · {fmt.date(review.held_on)}",
        )
        second = Text()
        if self.mode == "meeting":
            second.append("enter: minutes · A: action · m: end · ", style="bold")
        second.append("Hours: ")
        second.append(hours, style=_LEVEL_STYLE[level])
        second.append(" · Attendees: " + ("; ".join(review.attendees) if review.attendees else "none yet (w adds them)"))
        summary = Text("\n", no_wrap=True, overflow="ellipsis").join([first, second])
        self.query_one("#agenda-summary", Static).update(summary)
        self.query_one(AgendaList).show(review, self.mode == "meeting", keep)
        self._fill_actions(review)
        self._fill_incidents(workspace)
        data = BurnDownData(workspace.burn, workspace.earlier)
        self.query_one("#agenda-hours", BurnDownPanel).data = data
        self.query_one("#hours-tab-panel", BurnDownPanel).data = data
        tabs = self.query_one("#agenda-tabs", TabbedContent)
        open_actions = sum(1 for a in review.actions if not a.done)
        tabs.get_tab("tab-actions").label = f"Actions ({open_actions} open)"  # type: ignore[assignment]
        still_open = sum(1 for i in workspace.incidents if i.is_open)
        tabs.get_tab("tab-incidents").label = f"Incidents ({still_open} open)"  # type: ignore[assignment]

    def _fill_actions(self, review: ServiceReview) -> None:
        fmt = self.app_formatter
        assert self.services is not None
        today = self.services.today()
        table = self.query_one("#actions-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_columns("Done", "Action", "Owner", "Due")
        for action in review.actions:
            due = Text(short_date(action.due, fmt) if action.due else "-")
            if action.is_overdue(today):
                due.append(" OVERDUE", style="bold red")
            text = Text(action.text)
            if action.carried_from_id:
                text.append(" (carried)", style="dim")
            # Text: as markup, "[x]" is a style tag and showed nothing
            table.add_row(Text("[x]" if action.done else "[ ]"), text, Text(action.owner or "-"), due, key=str(action.id))
        if not review.actions:
            table.add_row("", Text("No action items yet: A adds one", style="dim"), "", "")
        table.move_cursor(row=min(cursor, max(0, table.row_count - 1)))

    def _fill_incidents(self, workspace: ReviewWorkspace) -> None:
        fmt = self.app_formatter
        zone = self.app_settings.time_zone
        table = self.query_one("#incidents-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_columns("Opened", "Kind", "Sev", "State", "Summary")
        for incident in workspace.incidents:
            state = Text("OPEN", style="bold yellow") if incident.is_open else Text(f"closed {fmt.day_short(fmt.local(incident.closed_at, zone).date())}")  # type: ignore[arg-type]
            table.add_row(
                fmt.when_in(incident.opened_at, zone),
                incident.kind.value,
                f"S{incident.severity}",
                state,
                Text(incident.summary),
                key=str(incident.id),
            )
        if not workspace.incidents:
            table.add_row("", "", "", "", Text("No incidents logged: a logs one", style="dim"))
        table.move_cursor(row=min(cursor, max(0, table.row_count - 1)))

    # -- what is selected ----------------------------------------------------------
    def _review(self) -> ServiceReview | None:
        return self.workspace.review if self.workspace else None

    def _current_item(self) -> AgendaItem | None:
        item = self.query_one(AgendaList).current_item()
        if item is None:
            self.notify("No agenda item selected.", severity="warning")
        return item

    def _current_action(self) -> ActionItem | None:
        review = self._review()
        table = self.query_one("#actions-table", DataTable)
        if review is None or not review.actions or not 0 <= table.cursor_row < len(review.actions):
            self.notify("No action item selected.", severity="warning")
            return None
        return review.actions[table.cursor_row]

    def _read_only(self) -> bool:
        if self.mode == "past":
            self.notify("This review is completed; past reviews are read-only. n prepares a new one.", severity="warning")
            return True
        return False

    # -- writing ---------------------------------------------------------------------
    @work(thread=True, group="agenda-write")
    def _write(self, call: Callable[[], Any], done: str = "", keep_item: int | None = None) -> None:
        """Run one write, then reload the review; a store error is shown, nothing half-done."""
        assert self.services is not None and self.workspace is not None
        review_id = self.workspace.review.id
        try:
            result = self.write_retrying(call)  # a busy book is noted and tried again
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", title="Not saved", markup=False)
            return
        if result is False:
            self.app.call_from_thread(self.notify, "It is already at the edge of its section; e moves it to another section.")
            return
        if done:
            self.app.call_from_thread(self.notify, done, markup=False)
        self.post_message(self.Loaded(self.services.agenda.workspace(review_id), keep_item))

    def _after_dialog(self, done: str = "") -> Callable[[object], None]:
        def saved(result: object) -> None:
            if result is not None and self.workspace is not None:
                if done:
                    self.notify(done, markup=False)
                keep = result.id if isinstance(result, AgendaItem) else None
                self._load_review(self.workspace.review.id, keep)

        return saved

    # -- actions: the agenda -------------------------------------------------------------
    def action_pick_customer(self) -> None:
        services = self.services
        if services is None:
            return

        def search(text: str) -> list[tuple[str, Text | str]]:
            return [(str(h.customer_id), f"{h.name} ({h.account_number})") for h in services.find_customers(text, 20)]

        def picked(key: str | None) -> None:
            if key is not None:
                self._open_customer(int(key))

        dialog = PickDialog("Prepare a review for...", search=search, placeholder="name or account number", empty="No customer matches.")
        self.app.push_screen(dialog, picked)

    def action_reviews_due(self) -> None:
        if self.services is not None:
            self.meeting = False
            self._load_due()

    def action_add(self) -> None:
        review = self._review()
        if review is None or self.services is None:
            return
        if self._tab == "tab-incidents":
            self.app.push_screen(incident_dialog(self.services, review.customer_id, review.customer_name), self._after_dialog("Logged."))
            return
        if self._read_only():
            return
        if self._tab == "tab-actions":
            self.action_add_action()
            return
        services = self.services
        current = self.query_one(AgendaList).current_item()
        review_id = review.id

        def save(values: dict[str, str]) -> AgendaItem:
            data = validate_agenda_item({"section": values.get("section", ""), "text": values.get("text", ""), "details": values["body"]})
            return services.agenda.add_item(review_id, data)

        dialog: EditorDialog[AgendaItem] = EditorDialog(
            "Add an agenda item",
            save,
            text="",
            sections=self._sections(review),
            section=current.section if current else "",
            body_label="Details, one per line (optional)",
        )
        self.app.push_screen(dialog, self._after_dialog("Item added."))

    action_add_quiet = action_add

    def _sections(self, review: ServiceReview) -> list[str]:
        assert self.services is not None
        return list(dict.fromkeys([*(s for s, _ in review.sections()), *self.services.agenda.catalogue.labels, "Other business"]))

    def _on_list_tab(self) -> bool:
        """Edit and remove act on the Agenda or Actions tab; elsewhere they say so."""
        if self._tab in ("tab-agenda", "tab-actions"):
            return True
        self.notify("Edit and remove work on the Agenda and Actions tabs.", severity="warning")
        return False

    def action_edit(self) -> None:
        review = self._review()
        if review is None or self.services is None or self._read_only() or not self._on_list_tab():
            return
        if self._tab == "tab-actions":
            action = self._current_action()
            if action is not None:
                self.app.push_screen(action_dialog(self.services, review, action), self._after_dialog("Saved."))
            return
        item = self._current_item()
        if item is None:
            return
        services = self.services

        def save(values: dict[str, str]) -> AgendaItem:
            data = validate_agenda_item({"section": values.get("section", ""), "text": values.get("text", ""), "details": values["body"]})
            return services.agenda.update_item(item.id, data)

        dialog: EditorDialog[AgendaItem] = EditorDialog(
            "Edit the agenda item",
            save,
            text=item.text,
            body="\n".join(item.details),
            sections=self._sections(review),
            section=item.section,
            body_label="Details, one per line",
        )
        self.app.push_screen(dialog, self._after_dialog("Saved."))

    action_edit_quiet = action_edit

    def action_remove(self) -> None:
        review = self._review()
        if review is None or self.services is None or self._read_only() or not self._on_list_tab():
            return
        services = self.services
        if self._tab == "tab-actions":
            action = self._current_action()
            if action is None:
                return
            body = Text(f"{action.text}\n\n")
            body.append("It is removed from this review." if not action.carried_from_id else "It was carried from an earlier review: mark it done (space) instead.")

            def confirmed_action(yes: bool | None) -> None:
                if yes:
                    self._write(lambda: services.agenda.remove_action(action.id), "Action removed.")

            self.app.push_screen(ConfirmDialog("Remove this action item?", body, "Remove"), confirmed_action)
            return
        item = self._current_item()
        if item is None:
            return
        body = Text(item.text, style="bold")
        if item.minutes.strip():
            body.append("\n\nIts minutes are removed with it.", style="bold red")
        if item.contact_ids:
            body.append(f"\n\nThe {len(item.contact_ids)} contacts it lists will not be marked reviewed when the review is completed.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: services.agenda.remove_item(item.id), "Item removed.")

        self.app.push_screen(ConfirmDialog("Remove this item from the agenda?", body, "Remove"), confirmed)

    def action_move(self, step: int) -> None:
        if self.services is None or self._tab != "tab-agenda":
            return
        item = self._current_item()
        if item is not None:
            services = self.services
            self._write(lambda: services.agenda.move_item(item.id, step), keep_item=item.id)

    def action_minutes(self) -> None:
        review = self._review()
        if review is None or self.services is None or self._read_only():
            return
        if self._tab != "tab-agenda":
            self.query_one("#agenda-tabs", TabbedContent).active = "tab-agenda"
            self.query_one(AgendaList).focus()
            return
        item = self._current_item()
        if item is None:
            return
        services = self.services

        def save(values: dict[str, str]) -> AgendaItem:
            return services.agenda.set_minutes(item.id, validate_minutes(values["body"]))

        note = "\n".join([item.text, *item.details[:3]])
        dialog: EditorDialog[AgendaItem] = EditorDialog("Minutes", save, body=item.minutes, body_label="What was said and agreed", note=note)
        self.app.push_screen(dialog, self._after_dialog())

    @on(AgendaList.OptionSelected, "#agenda-list")
    def _item_chosen(self) -> None:
        if self.mode == "meeting":
            self.action_minutes()
        elif self.mode == "draft":
            self.action_edit()

    def action_meeting(self) -> None:
        self.meeting = not self.meeting
        self.query_one("#agenda-tabs", TabbedContent).active = "tab-agenda"
        self.query_one(AgendaList).focus()
        self.notify("Meeting started: enter writes an item's minutes, A adds an action." if self.meeting else "Meeting ended.")

    def action_attendees(self) -> None:
        review = self._review()
        if review is not None and self.services is not None and not self._read_only():
            self.app.push_screen(attendees_dialog(self.services, review), self._after_dialog("Attendees saved."))

    # -- actions: action items and incidents -----------------------------------------------
    def action_add_action(self) -> None:
        review = self._review()
        if review is not None and self.services is not None and not self._read_only():
            self.app.push_screen(action_dialog(self.services, review), self._after_dialog("Action added."))

    action_add_action_quiet = action_add_action

    def action_toggle_done(self) -> None:
        if self._tab != "tab-actions" or self.services is None or self._read_only():
            return
        action = self._current_action()
        if action is not None:
            services = self.services
            word = "open again" if action.done else "done"
            self._write(lambda: services.agenda.set_action_done(action.id, not action.done), f"Marked {word}.")

    @on(DataTable.RowSelected, "#actions-table")
    def _action_chosen(self) -> None:
        if self.mode in _EDITING:
            self.action_edit()

    @on(DataTable.RowSelected, "#incidents-table")
    def _incident_chosen(self, event: DataTable.RowSelected) -> None:
        workspace = self.workspace
        if workspace is None or self.services is None or event.row_key.value is None:
            return
        incident = next((i for i in workspace.incidents if str(i.id) == event.row_key.value), None)
        if incident is None or not incident.is_open:
            return
        services = self.services

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: services.agenda.close_incident(incident.id), f"{incident.kind.value.capitalize()} closed.")

        body = Text(f"S{incident.severity} · {incident.summary}\n\nIt is closed now; the time is kept in its history.")
        self.app.push_screen(ConfirmDialog(f"Close this {incident.kind.value}?", body, "Close it"), confirmed)

    # -- actions: the review as a whole ------------------------------------------------------
    def action_complete(self) -> None:
        review = self._review()
        if review is None or self.services is None or self._read_only():
            return
        self._ask_complete(review.id, review.version)

    @work(thread=True, group="agenda-complete")
    def _ask_complete(self, review_id: int, version: int) -> None:
        assert self.services is not None
        plan = self.services.agenda.completion_preview(review_id)
        fmt = self.app_formatter
        review = self.services.agenda.review(review_id)
        body = Text()
        body.append(f"{KIND_TITLES[review.kind]} of {review.customer_name}, {fmt.date(review.held_on)}. ")
        body.append("It becomes read-only.\n\n")
        body.append("Marked reviewed on the review date:\n", style="bold")
        marked = [f"  contact {name}" for name in plan.contacts]
        if plan.firewall:
            marked.append("  the firewall rules")
        if plan.monitoring:
            marked.append("  the monitoring")
        body.append("\n".join(marked) if marked else "  nothing", style="" if marked else "dim")
        body.append("\n\nOpen actions carried to the next review:\n", style="bold")
        carried = [f"  {a.text} ({a.owner or 'no owner'})" for a in plan.carried]
        body.append("\n".join(carried[:8]) if carried else "  none", style="" if carried else "dim")
        if len(carried) > 8:
            body.append(f"\n  and {len(carried) - 8} more")
        if plan.to_carry_in:
            body.append(f"\n({plan.to_carry_in} of them come from the last review and are added now.)", style="dim")
        services = self.services

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.meeting = False
                self._write(lambda: services.agenda.complete(review_id, version), "Review completed and stored.")

        self.app.call_from_thread(push_if_active, self, ConfirmDialog("Complete this review?", body, "Complete"), confirmed)

    def action_export(self) -> None:
        review = self._review()
        if review is None or self.services is None:
            return

        def written(result: object) -> None:
            if result is not None:
                self.notify(f"Wrote {result.path}", title="Exported", markup=False)  # type: ignore[attr-defined]

        self.app.push_screen(export_dialog(self.services, review), written)

    action_export_quiet = action_export

    def action_new_review(self) -> None:
        review = self._review()
        if review is not None and self.services is not None:
            self._new_review(review.customer_id)

    action_new_review_quiet = action_new_review

    @work(thread=True, group="agenda-open")
    def _new_review(self, customer_id: int) -> None:
        self._ask_new_review(customer_id)

    def action_past_reviews(self) -> None:
        review = self._review()
        if review is not None and self.services is not None:
            self._pick_past(review.customer_id, review.customer_name)

    @work(thread=True, group="agenda-open")
    def _pick_past(self, customer_id: int, name: str) -> None:
        assert self.services is not None
        fmt = self.app_formatter
        options: list[tuple[str, Text | str]] = []
        for header in self.services.agenda.reviews_for(customer_id):
            state = "completed, read-only" if header.read_only else "draft"
            options.append((str(header.id), f"{fmt.date(header.held_on)} · {KIND_TITLES[header.kind]} · {state}"))

        def picked(key: str | None) -> None:
            if key is not None:
                self.meeting = False
                self._load_review(int(key))

        dialog = PickDialog(f"Reviews of {name}", options, empty="No reviews yet.")
        self.app.call_from_thread(push_if_active, self, dialog, picked)

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
