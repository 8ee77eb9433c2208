"""The checklist's forms: an ad-hoc item, and the note that blocks an item.

Like `validation.py`, each validator reads raw field text and returns a
typed input, or raises InvalidInput naming every bad field at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from ccm_tui.domain.checklist import MAX_DUE_BUSINESS_DAYS, MAX_TEXT, Owner, Phase
from ccm_tui.domain.fields import multi_line, shown, single_line, whole_number
from ccm_tui.domain.model import ServiceKind, StepKind
from ccm_tui.domain.validation import InvalidInput

MAX_NOTE = 1000  # the column's width
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class AdhocItemInput:
    text: str
    owner: Owner
    phase: Phase
    due_business_days: int
    blocking: bool


def validate_adhoc_item(values: Mapping[str, str], service: ServiceKind) -> AdhocItemInput:
    errors: dict[str, str] = {}
    text = (values.get("text") or "").strip()
    if not text:
        errors["text"] = "the task is required"
    else:
        try:
            single_line(text, "the task", MAX_TEXT)
        except ValueError as err:
            errors["text"] = str(err)
    owner = _enum(Owner, values.get("owner"), "owner", "customer or provider", errors)
    phase = _enum(Phase, values.get("phase"), "phase", ", ".join(p.value for p in Phase), errors)
    if phase is not None and phase.step is StepKind.INSTALLATION and not service.managed:
        errors["phase"] = f"{service.value} has no equipment installation; choose a phase of the activation"
    raw_days = (values.get("due_business_days") or "").strip() or "0"
    days = 0
    try:
        # ASCII digits only: "²".isdigit() is true, and int("²") would end the app
        days = whole_number(raw_days, "business days before the event", 0, MAX_DUE_BUSINESS_DAYS)
    except ValueError:
        errors["due_business_days"] = (
            f"business days before the event: a whole number from 0 (on the day) to {MAX_DUE_BUSINESS_DAYS}"
        )
    raw_blocking = (values.get("blocking") or "").strip().casefold()
    if raw_blocking not in _YES | _NO:
        errors["blocking"] = "yes if the event cannot go ahead without it, otherwise no"
    if errors:
        raise InvalidInput(errors)
    assert owner is not None and phase is not None
    return AdhocItemInput(text=text, owner=owner, phase=phase, due_business_days=days, blocking=raw_blocking in _YES)


def validate_block_note(values: Mapping[str, str]) -> str:
    """Blocking an item needs a note saying what it waits for."""
    note = (values.get("note") or "").strip()
    if not note:
        raise InvalidInput({"note": "say what the item is waiting for (who, what, until when)"})
    try:
        return multi_line(note, "the note", MAX_NOTE)
    except ValueError as err:
        raise InvalidInput({"note": str(err)}) from None


def _enum(enum_type: type[E], raw: str | None, field: str, choices: str, errors: dict[str, str]) -> E | None:
    text = (raw or "").strip().casefold()
    if not text:
        errors[field] = f"choose {choices}"
        return None
    for member in enum_type:
        if text in (member.value, member.value.replace("_", " ")):
            return member
    errors[field] = f"{shown(raw or '')} is not one of {choices}"
    return None
