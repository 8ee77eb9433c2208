"""The activation actions' forms (all but the fee guard): request a window,
a note to confirm an outcome, validate (pick the contact), IP letter sent,
traffic passed, reminder sent.

Each builder returns a FormDialog whose save callback checks the input with
the domain and writes through the calendar service in the dialog's worker.
A refusal from the rules (illegal move, MRS/MSS gate, stale edit) shows in
the dialog's banner and nothing is written. A contact without the expected
role is warned about under the field; pressing ctrl+s again records it
anyway (the CCM may know better), and the warning is kept in the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ccm_tui.domain.action_inputs import (
    validate_ip_letter,
    validate_traffic,
    validate_window,
)
from ccm_tui.domain.action_rules import ActionRefused
from ccm_tui.domain.authority import (
    contact_order,
    ip_letter_warning,
    validation_warning,
)
from ccm_tui.domain.calendar import SiteCalendar, add_business_days
from ccm_tui.domain.fee_guard import FeeChanged
from ccm_tui.domain.model import ActivationStep, Contact, ContactRole, StepKind
from ccm_tui.domain.reminders import ReminderKind
from ccm_tui.domain.schedule import ActivationDetail
from ccm_tui.domain.status import Action, IllegalMove
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.screens.form_dialog import FormDialog, FormField

if TYPE_CHECKING:
    from ccm_tui.services import Services

ROLE_CODES = {
    ContactRole.DESIGNATED: "designated",
    ContactRole.SITE_TECHNICAL: "technical",
    ContactRole.AUTHORISED: "authorised",
    ContactRole.EXECUTIVE: "executive",
    ContactRole.BILLING: "billing",
}


class ActionDialog(FormDialog[object]):
    """A FormDialog that starts in its first field, so the CCM can type at once."""

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()


def refusals_in_banner(save: Callable[[dict[str, str]], object]) -> Callable[[dict[str, str]], object]:
    """Rule refusals become the dialog's banner (FormDialog shows errors of unknown fields there)."""

    def guarded(raw: dict[str, str]) -> object:
        try:
            return save(raw)
        except (IllegalMove, ActionRefused, FeeChanged) as refused:
            raise InvalidInput({"action": str(refused)}) from None

    return guarded


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


def zone_help(services: Services, zone: str) -> str:
    abbreviation = services.now().astimezone(ZoneInfo(zone)).strftime("%Z")
    return f"site time, {zone} ({abbreviation})"


# -- request a window -------------------------------------------------------------------


def window_fields(services: Services, zone: str, reason_label: str = "Note") -> tuple[FormField, ...]:
    return (
        FormField("day", "Day", placeholder="YYYY-MM-DD"),
        FormField("start", "Start", placeholder="HH:MM", help=zone_help(services, zone)),
        FormField("end", "End", placeholder="HH:MM (before the start: the next day)"),
        FormField("reason", reason_label, placeholder="why (kept in the history)"),
    )


def default_window(services: Services, detail: ActivationDetail, step: ActivationStep) -> dict[str, str]:
    """The step's own window if it has one, else 09:00-12:00 two business days out (site time)."""
    zone = detail.site.timezone
    if step.start is not None and step.end is not None:
        start, end = step.start.astimezone(ZoneInfo(zone)), step.end.astimezone(ZoneInfo(zone))
        return {"day": start.date().isoformat(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    cal = SiteCalendar(zone, detail.site.country, services.business_hours, detail.site.subdivision)
    day = add_business_days(services.now().astimezone(ZoneInfo(zone)).date(), 2, cal)
    return {"day": day.isoformat(), "start": "09:00", "end": "12:00" if step.kind is StepKind.ACTIVATION else "13:00"}


def request_dialog(services: Services, detail: ActivationDetail, step: ActivationStep) -> ActionDialog:
    zone = detail.site.timezone

    @refusals_in_banner
    def save(raw: dict[str, str]) -> object:
        window = validate_window(raw, zone, services.now())
        services.calendar.request(step.id, step.version, window)
        return True

    title = f"Request a window: {_step_title(detail, step)}"
    return ActionDialog(title, window_fields(services, zone), default_window(services, detail, step), save)  # type: ignore[arg-type]


# -- confirm, complete, no-show -----------------------------------------------------------


def note_dialog(
    services: Services, detail: ActivationDetail, step: ActivationStep, action: Action, *, banner: str = ""
) -> ActionDialog:
    titles = {
        Action.CONFIRM: "Scheduling team confirmed",
        Action.COMPLETE: "Installed" if step.kind is StepKind.INSTALLATION else "Activated",
        Action.NO_SHOW: "Provider did not show",
    }

    @refusals_in_banner
    def save(raw: dict[str, str]) -> object:
        services.calendar.move(step.id, step.version, action, reason=(raw.get("reason") or "").strip())
        return True

    fields = (FormField("reason", "Note", placeholder="optional; kept in the history"),)
    title = f"{titles.get(action, action.verb)}: {_step_title(detail, step)}"
    return ActionDialog(title, fields, {}, save, banner=banner)  # type: ignore[arg-type]


# -- validate -------------------------------------------------------------------------------


def validate_dialog(services: Services, detail: ActivationDetail, step: ActivationStep) -> ActionDialog:
    contacts = {c.id: c for c in detail.contacts}
    warned: set[int] = set()

    @refusals_in_banner
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
    return ActionDialog(f"Validated by the customer: {_step_title(detail, step)}", fields, values, save)  # type: ignore[arg-type]


def _picked(raw: dict[str, str], contacts: dict[int, Contact], message: str) -> Contact:
    try:
        return contacts[int(raw.get("contact_id") or "")]
    except (ValueError, KeyError):
        raise InvalidInput({"contact_id": message}) from None


# -- IP letter, traffic, reminder -------------------------------------------------------------


def ip_letter_dialog(services: Services, detail: ActivationDetail) -> ActionDialog:
    contacts = {c.id: c for c in detail.contacts}
    zone = detail.site.timezone
    site_today = services.now().astimezone(ZoneInfo(zone)).date()
    warned: set[int] = set()
    activation = detail.activation

    @refusals_in_banner
    def save(raw: dict[str, str]) -> object:
        data = validate_ip_letter(raw, site_today, set(contacts))
        warning = ip_letter_warning(contacts[data.contact_id])
        if warning is not None and data.contact_id not in warned:
            warned.add(data.contact_id)
            raise InvalidInput({"contact_id": f"{warning}. Press ctrl+s again to record it anyway."})
        services.calendar.ip_letter(activation.id, activation.version, data)
        return True

    fields = (
        FormField("contact_id", "Sent to", "select", options=contact_options(detail.contacts, ContactRole.SITE_TECHNICAL)),
        FormField("sent_on", "Sent on", placeholder="YYYY-MM-DD", help=f"the site's date ({zone})"),
    )
    values = {"contact_id": _first_with(detail.contacts, ContactRole.SITE_TECHNICAL), "sent_on": site_today.isoformat()}
    title = f"IP configuration letter sent: {detail.customer.name} at {detail.site.name}"
    return ActionDialog(title, fields, values, save)  # type: ignore[arg-type]


def traffic_dialog(services: Services, detail: ActivationDetail) -> ActionDialog:
    zone = detail.site.timezone
    activation = detail.activation
    step = activation.step(StepKind.ACTIVATION)
    now_local = services.now().astimezone(ZoneInfo(zone))

    @refusals_in_banner
    def save(raw: dict[str, str]) -> object:
        data = validate_traffic(raw, zone, services.now(), step.start if step else None)
        services.calendar.traffic(activation.id, activation.version, data.passed_at)
        return True

    fields = (
        FormField("day", "Day", placeholder="YYYY-MM-DD"),
        FormField("time", "Time", placeholder="HH:MM", help=f"when traffic first passed, {zone_help(services, zone)}"),
    )
    values = {"day": now_local.date().isoformat(), "time": f"{now_local:%H:%M}"}
    title = f"Traffic passing: {detail.customer.name} at {detail.site.name}"
    return ActionDialog(title, fields, values, save)  # type: ignore[arg-type]


def reminder_dialog(
    services: Services,
    step_id: int,
    version: int,
    kind: ReminderKind,
    contacts: tuple[Contact, ...],
    title: str,
) -> ActionDialog:
    by_id = {c.id: c for c in contacts}

    @refusals_in_banner
    def save(raw: dict[str, str]) -> object:
        contact = _picked(raw, by_id, "pick who was reminded")
        return services.calendar.mark_reminder(step_id, version, kind, contact.id)

    fields = (FormField("contact_id", "Reminded", "select", options=contact_options(contacts, ContactRole.DESIGNATED)),)
    values = {"contact_id": _first_with(contacts, ContactRole.DESIGNATED)}
    return ActionDialog(f"{kind.label} sent: {title}", fields, values, save)  # type: ignore[arg-type]

