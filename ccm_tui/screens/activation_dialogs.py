"""The activation actions' menu and forms (all but the fee guard): request
a window, a note to confirm an outcome, validate (pick the contact), IP
letter sent, traffic passed, reminder sent.

Each builder returns a FormDialog whose save callback checks the input with
the domain and writes through the calendar service in the dialog's worker.
A refusal from the rules (illegal move, MRS/MSS gate, stale edit) shows in
the dialog's banner and nothing is written. A contact without the expected
role is warned about under the field; pressing ctrl+s again records it
anyway (the CCM may know better), and the warning is kept in the history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ccm_tui.domain.action_inputs import (
    validate_ip_letter,
    validate_traffic,
    validate_window,
)
from ccm_tui.domain.authority import (
    contact_order,
    ip_letter_warning,
    validation_warning,
)
from ccm_tui.domain.model import ActivationStep, Contact, ContactRole, StepKind, StepStatus
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import ActivationDetail
from ccm_tui.domain.status import Action, allowed_actions
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.screens.dialogs.base import Dialog
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.screens.fee_guard_dialog import SiteTimeForm, default_window, site_today, window_fields, zone_help

if TYPE_CHECKING:
    from ccm_tui.services import Services

ROLE_CODES = {
    ContactRole.DESIGNATED: "designated",
    ContactRole.SITE_TECHNICAL: "technical",
    ContactRole.AUTHORISED: "authorised",
    ContactRole.EXECUTIVE: "executive",
    ContactRole.BILLING: "billing",
}


def _dialog(
    title: str, fields: Sequence[FormField], values: dict[str, str], save: Callable[[dict[str, str]], object], *, banner: str = ""
) -> FormDialog[object]:
    """A form that starts in its first field, so the CCM can type at once."""
    return FormDialog(title, fields, values, save, banner=banner, focus=fields[0].name)


def contact_label(contact: Contact) -> str:
    roles = ", ".join(word for role, word in ROLE_CODES.items() if role in contact.roles) or "no role"
    phone = f" {contact.phone}" if contact.phone else ""
    return f"{contact.name} ({roles}){phone}"


def contact_options(contacts: tuple[Contact, ...], preferred: ContactRole) -> tuple[tuple[str, str], ...]:
    ordered = sorted(contacts, key=lambda c: contact_order(c, preferred))
    return tuple((contact_label(c), str(c.id)) for c in ordered)


def _first_with(contacts: tuple[Contact, ...], role: ContactRole) -> str:
    found = next((c for c in sorted(contacts, key=lambda c: contact_order(c, role)) if role in c.roles), None)
    return str(found.id) if found else ""


def _step_title(detail: ActivationDetail, step: ActivationStep) -> str:
    return f"{detail.activation.service.value} {step.kind.label.lower()}, {detail.customer.name} at {detail.site.name}"


# -- request a window ---------------------------------------------------------------------


def request_dialog(services: Services, detail: ActivationDetail, step: ActivationStep) -> FormDialog[object]:
    zone = detail.site.timezone

    def save(raw: dict[str, str]) -> object:
        window = validate_window(raw, zone, services.now())
        services.calendar.request(step.id, step.version, window)
        return True

    title = f"Request a window: {_step_title(detail, step)}"
    return SiteTimeForm(services, zone, title, window_fields(services, zone), default_window(services, detail, step), save)


# -- confirm, complete, no-show -----------------------------------------------------------


def note_dialog(
    services: Services, detail: ActivationDetail, step: ActivationStep, action: Action, *, banner: str = ""
) -> FormDialog[object]:
    titles = {
        Action.CONFIRM: "Scheduling team confirmed",
        Action.COMPLETE: "Installed" if step.kind is StepKind.INSTALLATION else "Activated",
        Action.NO_SHOW: "Provider did not show",
    }

    def save(raw: dict[str, str]) -> object:
        services.calendar.move(step.id, step.version, action, reason=(raw.get("reason") or "").strip())
        return True

    fields = (FormField("reason", "Note", placeholder="optional; kept in the history"),)
    title = f"{titles.get(action, action.verb)}: {_step_title(detail, step)}"
    return _dialog(title, fields, {}, save, banner=banner)


# -- validate -------------------------------------------------------------------------------


def validate_dialog(services: Services, detail: ActivationDetail, step: ActivationStep) -> FormDialog[object]:
    contacts = {c.id: c for c in detail.contacts}
    warned: set[int] = set()

    def save(raw: dict[str, str]) -> object:
        contact = _picked(raw, contacts, "pick the contact who validated the date")
        note = (raw.get("reason") or "").strip()
        warning = validation_warning(contact, detail.customer.name)
        if warning is not None and contact.id not in warned:
            warned.add(contact.id)
            raise InvalidInput({"contact_id": f"{warning}. Press ctrl+s again to record it anyway."})
        reason = f"Validated by {contact.name}"
        if warning is not None:
            reason += " (not a designated or authorised contact; recorded after a warning)"
        full = "; ".join(p for p in (reason, note) if p)
        services.calendar.move(step.id, step.version, Action.VALIDATE, reason=full, contact_id=contact.id)
        return True

    fields = (
        FormField("contact_id", "Validated by", "select", options=contact_options(detail.contacts, ContactRole.DESIGNATED)),
        FormField("reason", "Note", placeholder="how (e-mail, call); optional"),
    )
    values = {"contact_id": _first_with(detail.contacts, ContactRole.DESIGNATED)}
    return _dialog(f"Validated by the customer: {_step_title(detail, step)}", fields, values, save)


def _picked(raw: dict[str, str], contacts: dict[int, Contact], message: str) -> Contact:
    try:
        return contacts[int(raw.get("contact_id") or "")]
    except (ValueError, KeyError):
        raise InvalidInput({"contact_id": message}) from None


# -- IP letter, traffic, reminder -------------------------------------------------------------


def ip_letter_dialog(services: Services, detail: ActivationDetail) -> FormDialog[object]:
    contacts = {c.id: c for c in detail.contacts}
    zone = detail.site.timezone
    today = site_today(services, zone)
    warned: set[int] = set()
    activation = detail.activation

    def save(raw: dict[str, str]) -> object:
        data = validate_ip_letter(raw, today, set(contacts))
        warning = ip_letter_warning(contacts[data.contact_id])
        if warning is not None and data.contact_id not in warned:
            warned.add(data.contact_id)
            raise InvalidInput({"contact_id": f"{warning}. Press ctrl+s again to record it anyway."})
        services.calendar.ip_letter(activation.id, activation.version, data)
        return True

    fields = (
        FormField("contact_id", "Sent to", "select", options=contact_options(detail.contacts, ContactRole.SITE_TECHNICAL)),
        FormField("sent_on", "Sent on", "date", placeholder="YYYY-MM-DD", help=f"the site's date ({zone})"),
    )
    values = {"contact_id": _first_with(detail.contacts, ContactRole.SITE_TECHNICAL), "sent_on": today.isoformat()}
    title = f"IP configuration letter sent: {detail.customer.name} at {detail.site.name}"
    return FormDialog(title, fields, values, save, focus=fields[0].name, today=today)


def traffic_dialog(services: Services, detail: ActivationDetail) -> FormDialog[object]:
    zone = detail.site.timezone
    activation = detail.activation
    step = activation.step(StepKind.ACTIVATION)
    now_local = services.now().astimezone(ZoneInfo(zone))

    def save(raw: dict[str, str]) -> object:
        data = validate_traffic(raw, zone, services.now(), step.start if step else None)
        services.calendar.traffic(activation.id, activation.version, data.passed_at)
        return True

    fields = (
        FormField("day", "Day", "date", placeholder="YYYY-MM-DD"),
        FormField("time", "Time", placeholder="HH:MM", help=f"when traffic first passed, {zone_help(services, zone)}"),
    )
    values = {"day": now_local.date().isoformat(), "time": f"{now_local:%H:%M}"}
    title = f"Traffic passing: {detail.customer.name} at {detail.site.name}"
    return SiteTimeForm(services, zone, title, fields, values, save, time_field="time", lead="when traffic first passed")


def reminder_dialog(
    services: Services,
    step_id: int,
    version: int,
    kind: ReminderKind,
    contacts: tuple[Contact, ...],
    title: str,
) -> FormDialog[object]:
    by_id = {c.id: c for c in contacts}

    def save(raw: dict[str, str]) -> object:
        contact = _picked(raw, by_id, "pick who was reminded")
        return services.calendar.mark_reminder(step_id, version, kind, contact.id)

    fields = (FormField("contact_id", "Reminded", "select", options=contact_options(contacts, ContactRole.DESIGNATED)),)
    values = {"contact_id": _first_with(contacts, ContactRole.DESIGNATED)}
    return _dialog(f"{kind.label} sent: {title}", fields, values, save)


# -- the actions menu -------------------------------------------------------------------

# Key per action, shown in the actions menu and bound on the screen.
ACTION_KEYS: dict[Action, str] = {
    Action.REQUEST: "R",
    Action.CONFIRM: "c",
    Action.VALIDATE: "v",
    Action.COMPLETE: "d",
    Action.NOT_READY: "N",
    Action.NO_SHOW: "S",
    Action.RESCHEDULE: "s",
    Action.CANCEL: "x",
}
EXTRA_KEYS = {"ip_letter": "l", "traffic": "T", "reminder": "m"}


def action_label(action: Action, kind: StepKind) -> str:
    if action is Action.COMPLETE:
        return "Installed" if kind is StepKind.INSTALLATION else "Activated"
    labels = {
        Action.REQUEST: "Request a window",
        Action.CONFIRM: "Scheduling team confirmed",
        Action.VALIDATE: "Validated by the customer",
        Action.NOT_READY: "Customer not ready (fee)",
        Action.NO_SHOW: "Provider did not show",
        Action.RESCHEDULE: "Reschedule (fee guard)",
        Action.CANCEL: "Cancel (fee guard)",
    }
    return labels[action]


def menu_options(detail: ActivationDetail, step: ActivationStep) -> list[tuple[str, str]]:
    """The actions open for `step` (and the activation's own), as (action, "key  label")."""
    options = [
        (action.value, f"{ACTION_KEYS[action]}  {action_label(action, step.kind)}")
        for action in allowed_actions(step.kind, step.status)
    ]
    if detail.activation.service.managed:
        options.append(("ip_letter", f"{EXTRA_KEYS['ip_letter']}  IP configuration letter sent"))
    if step.kind is StepKind.ACTIVATION and step.status is StepStatus.COMPLETED:
        options.append(("traffic", f"{EXTRA_KEYS['traffic']}  Traffic passing (for trouble routing)"))
    facts = detail.facts.get(step.kind)
    if facts is not None and facts.reminder is not None:
        options.append(("reminder", f"{EXTRA_KEYS['reminder']}  {facts.reminder.kind.label} sent"))
    return options


class ActionMenu(Dialog[str | None]):
    """The actions open for the selected step, with their keys."""

    DEFAULT_CSS = """
    ActionMenu > Vertical {
        width: 60;
    }
    ActionMenu OptionList {
        height: auto;
        max-height: 14;
    }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close", id="menu.close")]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.menu_title = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.menu_title, classes="menu-title", markup=False)
            yield OptionList(*[Option(label, id=key) for key, label in self.options])

    # once: two enters in a burst each select; the second dismissal popped the screen below
    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss_once(event.option.id)
