"""One activation: its steps, contacts and history, and every action on it.

The steps table picks the step an action applies to. `a` lists the
actions the status machine allows for that step (and the activation's own:
IP letter sent, traffic passing, reminder sent); each also has a key of its
own. An action the rules refuse says why at once, before any dialog opens:
the status machine's message, the MRS/MSS gate's, or "not started yet".
Reschedule, cancel and "customer not ready" go through the fee guard.

This module reads the activation and acts on it; screens/activation_drawing.py
draws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from ccm_tui.domain.action_rules import ActionRefused, check_action
from ccm_tui.domain.fee_guard import GUARDED_ACTIONS
from ccm_tui.domain.model import ActivationStep, StepKind, StepStatus
from ccm_tui.domain.schedule import ActivationDetail
from ccm_tui.domain.status import Action, CannotReinstate, IllegalMove
from ccm_tui.errors import StoreError
from ccm_tui.screens.activation_dialogs import (
    EXTRA_KEYS,
    ActionMenu,
    ip_letter_dialog,
    menu_options,
    note_dialog,
    reminder_dialog,
    request_dialog,
    traffic_dialog,
    validate_dialog,
)
from ccm_tui.screens.activation_drawing import ActivationDrawing
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.fee_guard_dialog import FeeGuardDialog
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.screens.history_entry import HistoryEntryDialog, activation_entry
from ccm_tui.screens.people import history_note_dialog
from ccm_tui.screens.reinstate_dialog import REINSTATE_KEY, reinstate_dialog
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.workers import work


class ActivationDetailScreen(FindGoesBack, FollowsBook, ActivationDrawing):
    """One activation's steps, contacts and history, and the actions on it (its drawing: ActivationDrawing)."""

    BINDINGS = [
        FIND_BINDING,
        Binding("escape", "app.pop_screen", "Back", id="activation.back"),
        Binding("a", "menu", "Actions", tooltip="The actions open for the selected step", id="activation.actions"),
        Binding(
            "s", "act('reschedule')", "Reschedule", tooltip="Move the event (the fee is shown first)", id="activation.reschedule"
        ),
        Binding("x", "act('cancel')", "Cancel", tooltip="Cancel the event (the fee is shown first)", id="activation.cancel"),
        Binding("R", "act('request')", "Request window", show=False, id="activation.request"),
        Binding("c", "act('confirm')", "Confirmed", show=False, id="activation.confirm"),
        Binding("v", "act('validate')", "Validated", show=False, id="activation.validate"),
        Binding("d", "act('complete')", "Installed/activated", show=False, id="activation.complete"),
        Binding("N", "act('not_ready')", "Not ready", show=False, id="activation.not_ready"),
        Binding("S", "act('no_show')", "No-show", show=False, id="activation.no_show"),
        Binding("l", "ip_letter", "IP letter sent", show=False, id="activation.ip_letter"),
        Binding("T", "traffic", "Traffic passing", show=False, id="activation.traffic"),
        Binding("m", "reminder", "Reminder sent", show=False, id="activation.reminder"),
        Binding("n", "note", "Note", show=False, tooltip="Add a note to the activation's history", id="activation.note"),
        # shown on a cancelled step only (check_action)
        Binding(
            REINSTATE_KEY,
            "reinstate",
            "Reinstate",
            tooltip="Undo the cancellation: every site it cancelled, as it was",
            id="activation.reinstate",
        ),
        # priority: before the table's own enter; only while the history has the focus (check_action)
        Binding(
            "enter",
            "show_entry",
            "Whole entry",
            show=False,
            priority=True,
            tooltip="The history entry, nothing cut",
            id="activation.whole_entry",
        ),
    ]
    WRITE_ACTIONS = frozenset({"act", "ip_letter", "traffic", "reminder", "note", "reinstate"})
    # what on-call records at night: the provider did not show, and a note of what happened
    ONCALL_ACTIONS = frozenset({"act:no_show", "note"})
    FOCUS_ACTIONS = frozenset({"menu", "act", "ip_letter", "traffic", "reminder", "note", "reinstate"})

    @dataclass
    class Loaded(Message):
        detail: ActivationDetail

    def __init__(self, activation_id: int, kind: StepKind | None = None) -> None:
        super().__init__()
        self.activation_id = activation_id
        self.initial_kind = kind
        self.detail: ActivationDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        # plain text: names, places and phones as typed ("[/]" is not markup)
        yield Static("Loading...", id="act-summary", markup=False)
        yield DataTable(id="act-steps", cursor_type="row", zebra_stripes=True)
        yield Static("", id="act-contacts", markup=False)
        yield Static("History, newest first", id="act-history-title")
        yield DataTable(id="act-history", cursor_type="row", zebra_stripes=True)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one("#act-steps", DataTable).focus()
        self.when_services(self.reload)

    def reload(self) -> None:
        self._fetch()

    def reload_book(self) -> None:
        self.reload()  # the steps table keeps its cursor

    def on_screen_resume(self) -> None:
        if self.moved_while_away():  # changed by someone else under a dialog or another screen
            self.reload()

    @work(thread=True, exclusive=True, group="act-detail")
    def _fetch(self) -> None:
        self.post_message(self.Loaded(self.services.calendar.detail(self.activation_id)))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        first = self.detail is None
        self.detail = message.detail
        self._fill_summary(message.detail)
        self._fill_steps(message.detail, pick=self.initial_kind if first else None)
        self._fill_contacts(message.detail)
        self._fill_history(message.detail)

    # -- the history, in full --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_entry":  # elsewhere enter is the focused table's own
            return self.focused is not None and self.focused.id == "act-history"
        if action == "reinstate" or (action == "act" and parameters in (("reschedule",), ("cancel",))):
            # a cancelled step offers Reinstate where the others offer Reschedule and Cancel
            cancelled = (step := self._selected()) is not None and step.status is StepStatus.CANCELLED
            if (not cancelled) if action == "reinstate" else cancelled:
                return False
        return super().check_action(action, parameters)

    def action_show_entry(self) -> None:
        row = self.query_one("#act-history", DataTable).cursor_row
        if self.detail is not None and 0 <= row < len(self.detail.history):
            fmt, zone = self.app_formatter, self.app_settings.time_zone
            title, parts = activation_entry(self.detail.history[row], self.detail.site.timezone, fmt, zone)
            self.app.push_screen(HistoryEntryDialog(title, parts))

    @on(DataTable.RowSelected, "#act-history")
    def _entry_clicked(self) -> None:
        self.action_show_entry()

    # -- actions ----------------------------------------------------------------------
    def _selected(self) -> ActivationStep | None:
        if self.detail is None:
            return None
        table = self.query_one("#act-steps", DataTable)
        steps = self.detail.activation.steps
        return steps[table.cursor_row] if 0 <= table.cursor_row < len(steps) else None

    def action_menu(self) -> None:
        step = self._selected()
        if step is None or self.detail is None:
            return
        options = [
            (key, label)
            for key, label in menu_options(self.detail, step)
            if (self.may_write(key) if key in EXTRA_KEYS else self.may_write("act", (key,)))
        ]
        if step.status is StepStatus.CANCELLED and self.may_write("reinstate"):
            options.append(("reinstate", f"{REINSTATE_KEY}  Reinstate (undo the cancellation)"))
        if not options:
            self.notify(f"Nothing more can happen to this {step.kind.label.lower()}: it is {step.status.label_for(step.kind)}.")
            return
        title = f"{step.kind.label} ({step.status.label_for(step.kind)}): choose an action"

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if key in EXTRA_KEYS or key == "reinstate":
                getattr(self, f"action_{key}")()
            else:
                self.action_act(key)

        self.app.push_screen(ActionMenu(title, options), chosen)

    def action_act(self, name: str) -> None:
        step = self._selected()
        if step is None or self.detail is None:
            return
        action = Action(name)
        try:
            check_action(self.detail.activation, step, action, self.services.now())
        except (IllegalMove, ActionRefused) as refused:
            self.notify(_sentence(str(refused)), title="Refused", severity="error", timeout=8, markup=False)
            return
        services, detail = self.services, self.detail
        if action in GUARDED_ACTIONS:
            self._open_fee_guard(step, action)
        elif action is Action.REQUEST:
            self.app.push_screen(request_dialog(services, detail, step), self._after)
        elif action is Action.VALIDATE:
            self.app.push_screen(validate_dialog(services, detail, step), self._after)
        else:
            banner = ""
            facts = detail.facts.get(step.kind)
            if action is Action.NO_SHOW and facts is not None and facts.on_call:
                banner = f"After hours: call the on-call manager now, {self.app_settings.oncall_phone}."
            self.app.push_screen(note_dialog(services, detail, step, action, banner=banner), self._after)

    @work(thread=True, group="act-quote")
    def _open_fee_guard(self, step: ActivationStep, action: Action) -> None:
        """Quote in a thread (it reads the event's sites), then show the guard."""
        assert self.detail is not None
        guard, versions = None, {step.id: step.version}
        if step.start is not None:
            try:
                guard, versions = self.services.calendar.quote(step.id, action)
            except ValueError as error:  # a broken fee file names its line
                self.app.call_from_thread(self.notify, str(error), title="Fee schedule", severity="error", markup=False)
                return
        dialog = FeeGuardDialog(self.services, self.detail, step, action, guard, versions)
        self.app.call_from_thread(push_if_active, self, dialog, self._after)  # not over what the user went to meanwhile

    def action_note(self) -> None:
        step = self._selected()
        if step is None:
            return
        self.app.push_screen(history_note_dialog(self.services, step.id), self._after)

    def action_ip_letter(self) -> None:
        if self.detail is None:
            return
        if not self.detail.activation.service.managed:
            service = self.detail.activation.service.value
            self.notify(f"{service} has no equipment to configure: no IP letter is sent.", severity="warning")
            return
        self.app.push_screen(ip_letter_dialog(self.services, self.detail), self._after)

    def action_traffic(self) -> None:
        if self.detail is None:
            return
        step = self.detail.activation.step(StepKind.ACTIVATION)
        if step is None or step.status is not StepStatus.COMPLETED:
            self.notify("Traffic can only pass once the activation call is marked activated (d).", severity="warning")
            return
        self.app.push_screen(traffic_dialog(self.services, self.detail), self._after)

    def action_reminder(self) -> None:
        step = self._selected()
        if step is None or self.detail is None:
            return
        facts = self.detail.facts.get(step.kind)
        kind = facts.reminder.kind if facts is not None and facts.reminder is not None else None
        if kind is None:
            self.notify("No reminder is due for this step today.", severity="warning")
            return
        title = f"{self.detail.customer.name}, {step.kind.label.lower()}"
        dialog = reminder_dialog(self.services, step.id, step.version, kind, self.detail.contacts, title)
        self.app.push_screen(dialog, self._after)

    def _after(self, saved: object) -> None:
        if saved is not None:
            self.notify("Saved; it is in the history.")
            self.reload()

    # -- reinstating a cancelled event ---------------------------------------------------
    @on(DataTable.RowHighlighted, "#act-steps")
    def _step_picked(self) -> None:
        self.refresh_bindings()  # Reinstate shows on a cancelled step only

    def action_reinstate(self) -> None:
        step = self._selected()
        if step is not None and step.status is StepStatus.CANCELLED:
            self._plan_reinstatement(step)

    @work(thread=True, exclusive=True, group="act-reinstate")
    def _plan_reinstatement(self, step: ActivationStep) -> None:
        """Read what the cancellation changed (in a thread), then ask."""
        assert self.detail is not None
        try:
            plan = self.services.calendar.reinstatement(step.id)
        except (CannotReinstate, StoreError) as refused:
            self.app.call_from_thread(self._refused, refused)
            return
        what = f"{self.detail.activation.service.value} {step.kind.label.lower()}, {self.detail.customer.name}"
        dialog = reinstate_dialog(plan, what, self.app_formatter)

        def answered(yes: bool | None) -> None:
            if yes:
                self._reinstate(step.id, plan.versions)

        self.app.call_from_thread(push_if_active, self, dialog, answered)

    @work(thread=True, group="act-reinstate-write")
    def _reinstate(self, step_id: int, versions: dict[int, int]) -> None:
        calendar = self.services.calendar
        try:
            plan = self.write_retrying(lambda: calendar.reinstate(step_id, versions))
        except (CannotReinstate, StoreError) as refused:  # changed meanwhile, the order closed, busy
            self.app.call_from_thread(self._refused, refused)
            self.app.call_from_thread(self.reload)
            return
        sites = f" at {len(plan.steps)} sites" if len(plan.steps) > 1 else ""
        self.app.call_from_thread(self.notify, f"Reinstated{sites}; it is in the history.")
        self.app.call_from_thread(self.reload)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's main actions, for the command palette."""
        step = self._selected()
        yield SystemCommand("Activation: actions", "What can happen to the selected step (a)", self.action_menu)
        if step is not None and step.status is StepStatus.CANCELLED and self.may_write("reinstate"):
            yield SystemCommand(
                "Activation: reinstate", "Undo the cancellation, every site it cancelled (i)", self.action_reinstate
            )
        yield SystemCommand("Activation: note", "A note on the history (n)", self.action_note)
        yield SystemCommand(
            "Activation: history entry in full", "The highlighted history line, nothing cut (enter on it)", self.action_show_entry
        )

    def _refused(self, error: Exception) -> None:
        self.notify(_sentence(str(error)), title="Not reinstated", severity="error", timeout=10, markup=False)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
