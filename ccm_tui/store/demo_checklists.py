"""The demo's checklists: each activation's template, ticked as far as its
story has got, with the history of every item not left open.

The checklists draw from their own random stream, so tuning them leaves
the rest of the book as it is. Now and then an activation still open has
an item added by hand (source "adhoc").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from ccm_tui.domain.checklist import (
    ItemState,
    Owner,
    Phase,
    TemplateItem,
    item_due_date,
    links_to_ip_letter,
)
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.store.demo_model import DemoActivation, DemoBook

_S = StepStatus

_BLOCKED_NOTES = (
    "Waiting for the customer's network team; chased by e-mail",
    "The customer's change board meets on Thursday to approve it",
    "Site technical contact on leave until Monday; the deputy has no access",
    "Waiting for a third party (landlord or carrier); no date yet",
)
_NOT_APPLICABLE = (
    ("vpn peers", "No site-to-site VPN at this site"),
    ("existing firewall rules exported", "New site: there is no firewall to migrate from"),
    ("test plan written", "The customer tests with the provider's standard plan"),
)
_ADHOC_ITEMS: tuple[tuple[str, Owner, Phase, int, bool], ...] = (
    ("Parking permit arranged for the field technician's van", Owner.CUSTOMER, Phase.BEFORE_INSTALLATION, 2, False),
    ("Security induction booked for the technician (site rule)", Owner.CUSTOMER, Phase.BEFORE_INSTALLATION, 3, True),
    ("Change ticket raised and approved in the customer's change system", Owner.CUSTOMER, Phase.BEFORE_ACTIVATION, 3, True),
    ("Out-of-band modem tested for remote access during the call", Owner.PROVIDER, Phase.BEFORE_ACTIVATION, 1, False),
)


def _mirrors_record(item: TemplateItem) -> bool:
    """Its state follows a record (a validation, a confirmation, the IP letter), not chance."""
    text = item.text.casefold()
    return links_to_ip_letter(item.text) or any(
        words in text for words in ("validates the", "confirmed by the scheduling team", "installation marked complete")
    )


def _done_if(condition: bool) -> tuple[ItemState, str]:
    return (ItemState.DONE if condition else ItemState.OPEN), ""


def add_checklist(book: DemoBook, act: DemoActivation) -> None:
    """The activation's checklist, ticked as far as its story has got.

    Items that mirror a record (a validation, the scheduling team's
    confirmation, the installation, the IP letter) follow it; the rest are
    done the likelier the nearer their due date. Customer items that gate
    the event are done once due, except where a risk is wanted: some
    activations in the coming week keep one overdue, so the checklist
    screen has not-ready risks to lead with.
    """
    rng = book.checklist_rng
    template = book.templates[act.service]
    risky = _risky_item(book, act, template.items)
    position = 0
    for item in template.items:
        position += 1
        if item is risky:
            state, note = (ItemState.BLOCKED, rng.choice(_BLOCKED_NOTES)) if rng.random() < 0.3 else (ItemState.OPEN, "")
        else:
            state, note = _item_state(book, act, item)
        _checklist_row(book, act, position, item, state, note, "template")
    if act.status.open and rng.random() < 0.12:
        text, owner, phase, days, blocking = rng.choice(_ADHOC_ITEMS)
        if not act.service.managed and phase.step is StepKind.INSTALLATION:
            phase = Phase.BEFORE_ACTIVATION
        extra = TemplateItem(phase, text, owner, days, blocking)
        position += 1
        state = ItemState.DONE if rng.random() < 0.3 else ItemState.OPEN
        _checklist_row(book, act, position, extra, state, "", "adhoc")


def _step_of(act: DemoActivation, phase: Phase) -> tuple[StepStatus | None, datetime | None]:
    if phase.step is StepKind.INSTALLATION:
        return act.install_status, act.install_start
    return act.status, act.start


def _due(act: DemoActivation, item: TemplateItem) -> date | None:
    _, start = _step_of(act, item.phase)
    if start is None:
        return None
    return item_due_date(start.replace(tzinfo=UTC), item.due_business_days, act.site.cal)


def _risky_item(book: DemoBook, act: DemoActivation, items: Sequence[TemplateItem]) -> TemplateItem | None:
    """A customer item that gates an event in the coming week, left open past its due date."""
    rng = book.checklist_rng
    soon = book.now + timedelta(days=8)
    wanted = []
    for item in items:
        status, start = _step_of(act, item.phase)
        if status is None or not status.open or start is None or not book.now < start <= soon:
            continue
        due = _due(act, item)
        if item.owner is Owner.CUSTOMER and item.blocking and due is not None and due < book.today and not _mirrors_record(item):
            wanted.append(item)
    if not wanted or rng.random() >= 0.35:
        return None
    return rng.choice(wanted)


def _item_state(book: DemoBook, act: DemoActivation, item: TemplateItem) -> tuple[ItemState, str]:
    rng = book.checklist_rng
    status, _start = _step_of(act, item.phase)
    text = item.text.casefold()
    happened = status in (_S.COMPLETED, _S.NOT_READY, _S.NO_SHOW)
    if "validates the" in text:
        return _done_if(status in (_S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW))
    if "confirmed by the scheduling team" in text:
        return _done_if(status in (_S.CONFIRMED, _S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW))
    if "installation marked complete" in text:
        return _done_if(act.install_status is _S.COMPLETED)
    if links_to_ip_letter(item.text) and item.owner is Owner.PROVIDER:
        return _done_if(act.ip_letter_sent_on is not None)
    if item.phase is Phase.AFTER_ACTIVATION:
        if act.status is not _S.COMPLETED:
            return ItemState.OPEN, ""
        if act.traffic_passed_at is not None:
            return ItemState.NOT_APPLICABLE, "Traffic passed at activation"
        if "traffic never passed" in text:
            return ItemState.DONE, "Post-activation support engaged"
        if "traffic passed for 12 hours" in text:
            return ItemState.NOT_APPLICABLE, "Traffic has never passed"
        return _done_if(rng.random() < 0.4)
    if item.phase is Phase.DURING_CALL:
        if act.status is _S.COMPLETED:
            return ItemState.DONE, ""
        return _done_if(happened and item.owner is Owner.PROVIDER and rng.random() < 0.5)
    if item.phase is Phase.INSTALLATION_VISIT:
        return _done_if(act.install_status is _S.COMPLETED)
    if status is _S.COMPLETED or (happened and item.owner is Owner.PROVIDER):
        return ItemState.DONE, ""
    if status is _S.NOT_READY and item.owner is Owner.CUSTOMER and item.blocking:
        return _done_if(rng.random() < 0.7)
    for words, note in _NOT_APPLICABLE:
        if words in text and rng.random() < 0.3:
            return ItemState.NOT_APPLICABLE, note
    if links_to_ip_letter(item.text) and act.ip_letter_sent_on is None:
        return ItemState.OPEN, ""  # the customer cannot have a letter not yet sent
    due = _due(act, item)
    if due is None:
        return ItemState.OPEN, ""
    if due < book.today:
        if item.owner is Owner.CUSTOMER and item.blocking:
            return ItemState.DONE, ""
        return _done_if(rng.random() < 0.9)
    if item.owner is Owner.CUSTOMER and rng.random() < 0.04:
        return ItemState.BLOCKED, rng.choice(_BLOCKED_NOTES)
    return _done_if(rng.random() < (0.5 if due == book.today else 0.25))


def _checklist_row(
    book: DemoBook, act: DemoActivation, position: int, item: TemplateItem, state: ItemState, note: str, source: str
) -> None:
    rng = book.checklist_rng
    item_id = book.next_id("checklist")
    changed = state is not ItemState.OPEN
    at = book.now - timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 900)) if changed else None
    book.rows["checklist_items"].append(
        {
            "id": item_id,
            "activation_id": act.id,
            "phase": item.phase.value,
            "position": position,
            "text": item.text,
            "owner": item.owner.value,
            "due_offset_days": item.due_business_days,
            "blocking": item.blocking,
            "state": state.value,
            "note": note,
            "version": 2 if changed else 1,
            "updated_at": at,
            "updated_by": act.customer.ccm if changed else "",
            "source": source,
        }
    )
    if source == "adhoc":
        added = (at or book.now) - timedelta(days=rng.randint(1, 4))
        _checklist_change(book, act, item_id, added, None, ItemState.OPEN, "added")
    if changed:
        assert at is not None
        _checklist_change(book, act, item_id, at, ItemState.OPEN, state, note)


def _checklist_change(
    book: DemoBook, act: DemoActivation, item_id: int, at: datetime, before: ItemState | None, after: ItemState, note: str
) -> None:
    book.rows["checklist_changes"].append(
        {
            "id": book.next_id("checklist_change"),
            "item_id": item_id,
            "activation_id": act.id,
            "at": at,
            "who": act.customer.ccm,
            "from_state": before.value if before else None,
            "to_state": after.value,
            "note": note,
        }
    )
