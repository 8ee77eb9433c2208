"""The review agenda's forms: a new review, attendees, an action item, an
incident, and where to export the agenda.

Each builder returns a FormDialog whose save callback validates with the
domain and writes through `services.agenda`; it dismisses with what was
saved, or None if the user cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ccm_tui.domain.incidents import IncidentKind
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.review_inputs import (
    validate_action,
    validate_attendees,
    validate_incident,
    validate_review_setup,
)
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.domain.service_review import ActionItem, ServiceReview
from ccm_tui.domain.validation import InvalidInput
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.text.agenda_text import KIND_TITLES

if TYPE_CHECKING:  # the services import the ORM; screens load before it
    from ccm_tui.domain.incidents import Incident
    from ccm_tui.services import Services
    from ccm_tui.services.agenda import ExportResult

SETUP_FIELDS = (
    FormField("kind", "Review type", "select", options=tuple((label, kind.value) for kind, label in KIND_TITLES.items())),
    FormField("held_on", "Date", "date", placeholder="YYYY-MM-DD", help="the day the review is held"),
    FormField(
        "cadence",
        "Cadence",
        "select",
        options=(("Monthly (every 3rd quarterly)", "monthly"), ("Quarterly", "quarterly")),
        help="how often this customer is reviewed",
    ),
)


def setup_dialog(
    services: Services, customer_id: int, customer_name: str, kind: ReviewKind, cadence: ReviewCadence
) -> FormDialog[ServiceReview]:
    today = services.today()

    def save(raw: dict[str, str]) -> ServiceReview:
        return services.agenda.prepare(customer_id, validate_review_setup(raw, today))

    values = {"kind": kind.value, "held_on": today.isoformat(), "cadence": cadence.value}
    return FormDialog(f"Prepare a review for {customer_name}", SETUP_FIELDS, values, save)


def attendees_dialog(services: Services, review: ServiceReview) -> FormDialog[tuple[str, ...]]:
    fields = (FormField("attendees", "Attendees", placeholder="Ann Lee (customer); Bo Chen (CCM)", help="separate names with ;"),)

    def save(raw: dict[str, str]) -> tuple[str, ...]:
        names = validate_attendees(raw)
        services.agenda.set_attendees(review.id, names)
        return names

    return FormDialog("Who attends", fields, {"attendees": "; ".join(review.attendees)}, save)


ACTION_FIELDS = (
    FormField("text", "Action", placeholder="what is to be done"),
    FormField("owner", "Owner", placeholder="who does it"),
    FormField("due", "Due", "date", placeholder="YYYY-MM-DD (blank: no date)"),
)


def action_dialog(services: Services, review: ServiceReview, action: ActionItem | None = None) -> FormDialog[ActionItem]:
    owners = tuple(dict.fromkeys(name.split(" (")[0] for name in review.attendees))
    fields = (ACTION_FIELDS[0], FormField("owner", "Owner", placeholder="who does it", suggestions=owners), ACTION_FIELDS[2])
    if action is None:

        def save(raw: dict[str, str]) -> ActionItem:
            return services.agenda.add_action(review.id, validate_action(raw, review.held_on, services.today()))

        return FormDialog("New action item", fields, {}, save)

    values = {"text": action.text, "owner": action.owner, "due": action.due.isoformat() if action.due else ""}

    def update(raw: dict[str, str]) -> ActionItem:
        return services.agenda.update_action(action.id, validate_action(raw, review.held_on, services.today()))

    return FormDialog("Edit action item", fields, values, update)


INCIDENT_FIELDS = (
    FormField(
        "kind",
        "Kind",
        "select",
        options=(("Incident", IncidentKind.INCIDENT.value), ("Escalation", IncidentKind.ESCALATION.value)),
    ),
    FormField("severity", "Severity", "select", options=(("1 critical", "1"), ("2 high", "2"), ("3 medium", "3"), ("4 low", "4"))),
    FormField("summary", "Summary", placeholder="what happened, where"),
    FormField("opened_at", "Opened", placeholder="YYYY-MM-DD HH:MM"),
    FormField("closed_at", "Closed", placeholder="YYYY-MM-DD HH:MM (blank: still open)"),
)


def incident_dialog(services: Services, customer_id: int, customer_name: str) -> FormDialog[Incident]:
    zone = services.settings.time_zone

    def save(raw: dict[str, str]) -> Incident:
        return services.agenda.log_incident(customer_id, validate_incident(raw, services.now(), zone))

    opened = services.now().astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    fields = (
        *INCIDENT_FIELDS[:3],
        FormField("opened_at", "Opened", placeholder="YYYY-MM-DD HH:MM", help=f"times in {zone}"),
        INCIDENT_FIELDS[4],
    )
    values = {"kind": "incident", "severity": "3", "opened_at": opened}
    # kind, severity and time come filled in: the cursor starts in the summary, the one thing always to type
    return FormDialog(f"Log an incident for {customer_name}", fields, values, save, focus="summary")


def export_dialog(services: Services, review: ServiceReview) -> FormDialog[ExportResult]:
    fields = (FormField("path", "File", help="Markdown, readable as an e-mail; an existing file is replaced"),)

    def save(raw: dict[str, str]) -> ExportResult:
        text = (raw.get("path") or "").strip()
        if not text:
            raise InvalidInput({"path": "give the file to write"})
        try:
            return services.agenda.export(review.id, Path(text))
        except (ValueError, OSError) as error:
            raise InvalidInput({"path": str(error)}) from None

    return FormDialog("Export the agenda as Markdown", fields, {"path": str(services.agenda.default_export_path(review))}, save)
