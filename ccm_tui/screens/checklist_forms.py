"""The checklist's forms: block an item with a note, add an ad-hoc item.

Each builder returns a FormDialog whose save callback validates (domain)
and writes (services) in a thread; it dismisses with the saved item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccm_tui.domain.checklist import MAX_DUE_BUSINESS_DAYS, ChecklistItem, Owner, Phase
from ccm_tui.domain.model import ServiceKind, StepKind
from ccm_tui.screens.dialogs.form import FormDialog, FormField

if TYPE_CHECKING:  # the services import the ORM; screens load before it
    from ccm_tui.services import Services

BLOCK_FIELDS = (
    FormField(
        "note", "Waiting for", placeholder="what, from whom, until when", help="shown beside the item and kept in its history"
    ),
)


def block_dialog(services: Services, item: ChecklistItem) -> FormDialog[ChecklistItem]:
    def save(raw: dict[str, str]) -> ChecklistItem:
        return services.checklists.block(item, raw)

    return FormDialog(f"Block: {_short(item.text)}", BLOCK_FIELDS, {"note": item.note}, save)


def adhoc_fields(service: ServiceKind) -> tuple[FormField, ...]:
    phases = [p for p in Phase if service.managed or p.step is StepKind.ACTIVATION]
    return (
        FormField("text", "Task", placeholder="what has to be done"),
        FormField("owner", "Who", "select", options=(("Customer", Owner.CUSTOMER.value), ("Provider", Owner.PROVIDER.value))),
        FormField("phase", "Phase", "select", options=tuple((p.label, p.value) for p in phases)),
        FormField(
            "due_business_days",
            "Due",
            placeholder="1",
            help=f"business days before its step, in the site's calendar (0-{MAX_DUE_BUSINESS_DAYS}; 0: on the day)",
        ),
        FormField(
            "blocking",
            "Blocks the event",
            "select",
            options=(("No", "no"), ("Yes: the event cannot go ahead without it", "yes")),
        ),
    )


def adhoc_dialog(services: Services, activation_id: int, service: ServiceKind, title: str) -> FormDialog[ChecklistItem]:
    def save(raw: dict[str, str]) -> ChecklistItem:
        return services.checklists.add_item(activation_id, service, raw)

    values = {"owner": Owner.CUSTOMER.value, "phase": Phase.BEFORE_ACTIVATION.value, "due_business_days": "1", "blocking": "no"}
    return FormDialog(f"New item for {title}", adhoc_fields(service), values, save)


def _short(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
