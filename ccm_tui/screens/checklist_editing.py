"""What the checklist screen (key 3, screens/checklist.py) writes: an
item's state (space done, b blocked with a note, n not applicable, o open
again), an ad-hoc item (a), the checklist from its template (c); and an
item's history (h), who changed it and when.

`v` picks checklist items and space then marks every picked item done,
after asking once; the checklist's summary counts them ("3 selected").
Each write runs in a thread worker (a busy book is noted and tried again),
then the list and the checklist are read again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import on
from textual.screen import Screen
from textual.widgets import Static

from ccm_tui.domain.checklist import ChecklistItem, ItemState
from ccm_tui.domain.checklist_views import ActivationChecklist
from ccm_tui.screens.base import BUSY_NOTE, ServicesMixin
from ccm_tui.screens.bulk import Outcome, Row, apply_each, ask_body, report
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.text import checklist_text
from ccm_tui.widgets.checklist_table import ChecklistTable
from ccm_tui.widgets.selection import SelectableTable, with_picked
from ccm_tui.widgets.workers import work


class ChecklistEditing(ServicesMixin, Screen[None]):
    """The checklist being shown, and the keys that change its items."""

    checklist: ActivationChecklist | None

    def _refresh(self, keep_item: int | None) -> None:
        raise NotImplementedError  # the screen reads the list and the checklist again

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

    @work(thread=True, group="checklist-history")
    def _history(self, item: ChecklistItem) -> None:
        from ccm_tui.screens.checklist_history import ItemHistoryScreen

        changes = self.services.checklists.history(item.id)
        rows = [checklist_text.history_row(change, self.app_formatter, self.app_settings.time_zone) for change in changes]
        self.app.call_from_thread(push_if_active, self, ItemHistoryScreen(f"History: {item.text}", rows))

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

    # -- adding items ---------------------------------------------------------------------
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


def _item_label(item: ChecklistItem) -> str:
    return item.text if len(item.text) <= 60 else item.text[:59] + "…"
