"""What the agenda screen (key 4) writes: agenda items and their minutes,
action items, incidents, attendees, and completing the review.

`AgendaEditing` holds the review being worked on and every write to it;
`ReviewAgendaScreen` (screens/review_agenda.py) builds on it and adds what
it reads and shows. Each write runs in a thread worker, or in the dialog
that asks for it, and ends by reading the review again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, TabbedContent

from ccm_tui.domain.review_inputs import validate_agenda_item, validate_minutes
from ccm_tui.domain.service_review import ActionItem, AgendaItem, ReviewWorkspace, ServiceReview
from ccm_tui.errors import StoreError
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.review_dialogs import ConfirmDialog, EditorDialog
from ccm_tui.screens.review_forms import action_dialog, attendees_dialog, incident_dialog
from ccm_tui.text.review_text import action_removal, completion_summary, incident_closing, item_removal
from ccm_tui.widgets.agenda_list import AgendaList
from ccm_tui.widgets.workers import work

EDITING = {"draft", "meeting"}


class AgendaEditing(ServicesMixin, Screen[None]):
    """The review being worked on, and the keys that change it."""

    meeting: var[bool] = var(False, init=False)
    workspace: var[ReviewWorkspace | None] = var(None, init=False)

    @dataclass
    class Loaded(Message):
        workspace: ReviewWorkspace
        keep_item: int | None = None
        asked: int = 0  # which load this answers: only the latest one asked for is shown

    def _load_review(self, review_id: int, keep_item: int | None = None) -> None:
        raise NotImplementedError  # the screen reads and shows the review

    @property
    def mode(self) -> str:
        if self.workspace is None:
            return "due"
        if self.workspace.review.read_only:
            return "past"
        return "meeting" if self.meeting else "draft"

    # -- what is selected ----------------------------------------------------------
    @property
    def _tab(self) -> str:
        return self.query_one("#agenda-tabs", TabbedContent).active

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

    def _on_list_tab(self) -> bool:
        """Edit and remove act on the Agenda or Actions tab; elsewhere they say so."""
        if self._tab in ("tab-agenda", "tab-actions"):
            return True
        self.notify("Edit and remove work on the Agenda and Actions tabs.", severity="warning")
        return False

    # -- writing ---------------------------------------------------------------------
    @work(thread=True, group="agenda-write")
    def _write(self, call: Callable[[], Any], done: str = "", keep_item: int | None = None) -> None:
        """Run one write, then reload the review; a store error is shown, nothing half-done."""
        assert self.workspace is not None
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
        # A reload started before the write committed (on a dialog's close) may answer after this
        # one: asking again from the app's thread makes every earlier answer stale.
        self.app.call_from_thread(self._load_review, review_id, keep_item)

    def _after_dialog(self, done: str = "") -> Callable[[object], None]:
        def saved(result: object) -> None:
            if result is not None and self.workspace is not None:
                if done:
                    self.notify(done, markup=False)
                keep = result.id if isinstance(result, AgendaItem) else None
                self._load_review(self.workspace.review.id, keep)

        return saved

    # -- agenda items ------------------------------------------------------------------
    def action_add(self) -> None:
        review = self._review()
        if review is None:
            return
        if self._tab == "tab-incidents":
            self.app.push_screen(
                incident_dialog(self.services, review.customer_id, review.customer_name), self._after_dialog("Logged.")
            )
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
            data = validate_agenda_item(
                {"section": values.get("section", ""), "text": values.get("text", ""), "details": values["body"]}
            )
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
        return list(dict.fromkeys([*(s for s, _ in review.sections()), *self.services.agenda.catalogue.labels, "Other business"]))

    def action_edit(self) -> None:
        review = self._review()
        if review is None or self._read_only() or not self._on_list_tab():
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
            data = validate_agenda_item(
                {"section": values.get("section", ""), "text": values.get("text", ""), "details": values["body"]}
            )
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
        if review is None or self._read_only() or not self._on_list_tab():
            return
        services = self.services
        if self._tab == "tab-actions":
            action = self._current_action()
            if action is None:
                return

            def confirmed_action(yes: bool | None) -> None:
                if yes:
                    self._write(lambda: services.agenda.remove_action(action.id), "Action removed.")

            self.app.push_screen(ConfirmDialog("Remove this action item?", action_removal(action), "Remove"), confirmed_action)
            return
        item = self._current_item()
        if item is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: services.agenda.remove_item(item.id), "Item removed.")

        self.app.push_screen(ConfirmDialog("Remove this item from the agenda?", item_removal(item), "Remove"), confirmed)

    def action_move(self, step: int) -> None:
        if self._tab != "tab-agenda":
            return
        item = self._current_item()
        if item is not None:
            services = self.services
            self._write(lambda: services.agenda.move_item(item.id, step), keep_item=item.id)

    def action_minutes(self) -> None:
        review = self._review()
        if review is None or self._read_only():
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
        dialog: EditorDialog[AgendaItem] = EditorDialog(
            "Minutes", save, body=item.minutes, body_label="What was said and agreed", note=note
        )
        self.app.push_screen(dialog, self._after_dialog())

    @on(AgendaList.OptionSelected, "#agenda-list")
    def _item_chosen(self) -> None:
        if self.mode == "meeting":
            self.action_minutes()
        elif self.mode == "draft":
            self.action_edit()

    def action_attendees(self) -> None:
        review = self._review()
        if review is not None and not self._read_only():
            self.app.push_screen(attendees_dialog(self.services, review), self._after_dialog("Attendees saved."))

    # -- action items and incidents ------------------------------------------------------
    def action_add_action(self) -> None:
        review = self._review()
        if review is not None and not self._read_only():
            self.app.push_screen(action_dialog(self.services, review), self._after_dialog("Action added."))

    action_add_action_quiet = action_add_action

    def action_toggle_done(self) -> None:
        if self._tab != "tab-actions" or self._read_only():
            return
        action = self._current_action()
        if action is not None:
            services = self.services
            word = "open again" if action.done else "done"
            self._write(lambda: services.agenda.set_action_done(action.id, not action.done), f"Marked {word}.")

    @on(DataTable.RowSelected, "#actions-table")
    def _action_chosen(self) -> None:
        if self.mode in EDITING:
            self.action_edit()

    @on(DataTable.RowSelected, "#incidents-table")
    def _incident_chosen(self, event: DataTable.RowSelected) -> None:
        workspace = self.workspace
        if workspace is None or event.row_key.value is None:
            return
        incident = next((i for i in workspace.incidents if str(i.id) == event.row_key.value), None)
        if incident is None or not incident.is_open:
            return
        services = self.services

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: services.agenda.close_incident(incident.id), f"{incident.kind.value.capitalize()} closed.")

        self.app.push_screen(
            ConfirmDialog(f"Close this {incident.kind.value}?", incident_closing(incident), "Close it"), confirmed
        )

    # -- the review as a whole ------------------------------------------------------------
    def action_complete(self) -> None:
        review = self._review()
        if review is None or self._read_only():
            return
        self._ask_complete(review.id, review.version)

    @work(thread=True, group="agenda-complete")
    def _ask_complete(self, review_id: int, version: int) -> None:
        plan = self.services.agenda.completion_preview(review_id)
        body = completion_summary(self.services.agenda.review(review_id), plan, self.app_formatter)
        services = self.services

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.meeting = False
                self._write(lambda: services.agenda.complete(review_id, version), "Review completed and stored.")

        self.app.call_from_thread(push_if_active, self, ConfirmDialog("Complete this review?", body, "Complete"), confirmed)
