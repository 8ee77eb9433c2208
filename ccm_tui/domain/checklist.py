"""Checklist templates and items: what has to be done before, during and
after an activation, by whom, and by when.

A template is data (a TOML file per service kind, parsed at the edge and
validated here). Each item is due a number of business days before the step
it belongs to, counted in the site's calendar: the installation phases count
back from the equipment installation, the others from the activation event.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from ccm_tui.domain.calendar import SiteCalendar, add_business_days
from ccm_tui.domain.model import ServiceKind, StepKind

TEMPLATE_VERSION = 1
MAX_TEXT = 400  # the column's width
MAX_DUE_BUSINESS_DAYS = 30  # six weeks ahead is planning, not a checklist
_TOP_KEYS = ("service", "version", "applies_to", "items")
_ITEM_KEYS = ("phase", "text", "owner", "due_business_days", "blocking")
E = TypeVar("E", bound=enum.StrEnum)


class Phase(enum.StrEnum):
    """In lifecycle order: the enum's order is the checklist's order."""

    BEFORE_INSTALLATION = "before_installation"
    INSTALLATION_VISIT = "installation_visit"
    BEFORE_ACTIVATION = "before_activation"
    DURING_CALL = "during_call"
    AFTER_ACTIVATION = "after_activation"

    @property
    def label(self) -> str:
        return {
            Phase.BEFORE_INSTALLATION: "Before the installation visit",
            Phase.INSTALLATION_VISIT: "The installation visit",
            Phase.BEFORE_ACTIVATION: "Before the activation call",
            Phase.DURING_CALL: "During the activation call",
            Phase.AFTER_ACTIVATION: "After activation: if traffic does not pass",
        }[self]

    @property
    def step(self) -> StepKind:
        """The step whose start the phase's due dates count back from."""
        if self in (Phase.BEFORE_INSTALLATION, Phase.INSTALLATION_VISIT):
            return StepKind.INSTALLATION
        return StepKind.ACTIVATION

    @property
    def readiness(self) -> bool:
        """Counts towards readiness; the troubleshooting phase is only for when traffic fails."""
        return self is not Phase.AFTER_ACTIVATION


INSTALLATION_PHASES = tuple(p for p in Phase if p.step is StepKind.INSTALLATION)


class Owner(enum.StrEnum):
    CUSTOMER = "customer"
    PROVIDER = "provider"


class ItemState(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    BLOCKED = "blocked"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return "n/a" if self is ItemState.NOT_APPLICABLE else self.value

    @property
    def outstanding(self) -> bool:
        """Still to be done: open, or stuck on something."""
        return self in (ItemState.OPEN, ItemState.BLOCKED)


class ItemSource(enum.StrEnum):
    TEMPLATE = "template"
    ADHOC = "adhoc"


def toggled(state: ItemState) -> ItemState:
    """Space on an item: done becomes open again, anything else becomes done."""
    return ItemState.OPEN if state is ItemState.DONE else ItemState.DONE


def links_to_ip_letter(text: str) -> bool:
    """The item is about the IP configuration letter, which the activation records."""
    folded = text.casefold()
    return "ip configuration letter" in folded or "ip letter" in folded


def visible_phases(service: ServiceKind, activated: bool) -> tuple[Phase, ...]:
    """The phases a checklist shows: no installation for unmanaged services,
    and the troubleshooting phase only once the service is activated."""
    return tuple(
        p for p in Phase if (service.managed or p.step is StepKind.ACTIVATION) and (activated or p is not Phase.AFTER_ACTIVATION)
    )


def item_due_date(event_start: datetime, due_business_days: int, cal: SiteCalendar) -> date:
    """The site-local date an item is due: the step's local start date, less
    `due_business_days` business days in the site's calendar (0: the day itself)."""
    if due_business_days < 0:
        raise ValueError(f"a due offset counts days before the event; got {due_business_days}")
    return add_business_days(cal.local(event_start).date(), -due_business_days, cal)


# -- templates ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateItem:
    phase: Phase
    text: str
    owner: Owner
    due_business_days: int
    blocking: bool


@dataclass(frozen=True, slots=True)
class ChecklistTemplate:
    """One template file: the items, in order, for the service kinds it applies to."""

    name: str  # the file's `service`, e.g. "MRS" or "unmanaged"
    applies_to: frozenset[ServiceKind]
    items: tuple[TemplateItem, ...]
    version: int = TEMPLATE_VERSION


class TemplateError(ValueError):
    """A template that cannot be used; `item` (1-based) and `key` say where."""

    def __init__(self, problem: str, *, item: int | None = None, key: str | None = None) -> None:
        self.problem = problem
        self.item = item
        self.key = key
        super().__init__(f"{self.where}: {problem}" if self.where else problem)

    @property
    def where(self) -> str:
        parts = []
        if self.item is not None:
            parts.append(f"item {self.item}")
        if self.key is not None:
            parts.append(self.key)
        return ", ".join(parts)


def parse_template(data: Mapping[str, object]) -> ChecklistTemplate:
    """Build a template from a parsed TOML mapping, refusing anything doubtful.

    Unknown keys are refused (a typo must not silently drop a field), and
    an unmanaged service may not have installation phases: it has no
    installation step to count them from.
    """
    for key in data:
        if key not in _TOP_KEYS:
            raise TemplateError(f"unknown key; a template holds {', '.join(_TOP_KEYS)}", key=str(key))
    version = data.get("version")
    if version != TEMPLATE_VERSION or isinstance(version, bool):
        raise TemplateError(f"must be {TEMPLATE_VERSION} (got {version!r})", key="version")
    name = data.get("service")
    if not isinstance(name, str) or not name.strip():
        raise TemplateError('is missing; name the service kind, e.g. service = "MRS"', key="service")
    applies_to = _applies_to(name.strip(), data.get("applies_to"))
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise TemplateError("must be one or more [[items]] tables", key="items")
    managed = all(kind.managed for kind in applies_to)
    items = tuple(_item(index, raw, managed) for index, raw in enumerate(raw_items, start=1))
    return ChecklistTemplate(name=name.strip(), applies_to=applies_to, items=items)


def _applies_to(name: str, value: object) -> frozenset[ServiceKind]:
    if value is None:
        kind = _service_kind(name)
        if kind is None:
            raise TemplateError(f"{name!r} is not a service kind ({_kinds()}); or list them in applies_to", key="service")
        return frozenset({kind})
    if not isinstance(value, list) or not value:
        raise TemplateError(f"must be a list of service kinds ({_kinds()})", key="applies_to")
    kinds = []
    for entry in value:
        kind = _service_kind(entry) if isinstance(entry, str) else None
        if kind is None:
            raise TemplateError(f"{entry!r} is not a service kind ({_kinds()})", key="applies_to")
        kinds.append(kind)
    found = frozenset(kinds)
    if len({k.managed for k in found}) > 1:
        raise TemplateError("mixes managed (MRS, MSS) and unmanaged services; they need separate templates", key="applies_to")
    return found


def _service_kind(text: str) -> ServiceKind | None:
    try:
        return ServiceKind(text.strip().upper())
    except ValueError:
        return None


def _kinds() -> str:
    return ", ".join(k.value for k in ServiceKind)


def _item(index: int, raw: object, managed: bool) -> TemplateItem:
    if not isinstance(raw, Mapping):
        raise TemplateError("must be a table of phase, text, owner, due_business_days, blocking", item=index)
    for key in raw:
        if key not in _ITEM_KEYS:
            raise TemplateError(f"unknown key; an item holds {', '.join(_ITEM_KEYS)}", item=index, key=str(key))
    for key in _ITEM_KEYS:
        if key not in raw:
            raise TemplateError("is missing", item=index, key=key)
    phase = _choice(Phase, raw["phase"], index, "phase")
    if not managed and phase.step is StepKind.INSTALLATION:
        raise TemplateError(
            "unmanaged services have no installation step; use before_activation, during_call or after_activation",
            item=index,
            key="phase",
        )
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        raise TemplateError("must be the task, as text", item=index, key="text")
    if len(text.strip()) > MAX_TEXT:
        raise TemplateError(f"is longer than {MAX_TEXT} characters", item=index, key="text")
    days = raw["due_business_days"]
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DUE_BUSINESS_DAYS:
        raise TemplateError(
            f"must be a whole number of business days from 0 to {MAX_DUE_BUSINESS_DAYS} (got {days!r})",
            item=index,
            key="due_business_days",
        )
    blocking = raw["blocking"]
    if not isinstance(blocking, bool):
        raise TemplateError(f"must be true or false (got {blocking!r})", item=index, key="blocking")
    return TemplateItem(
        phase=phase,
        text=text.strip(),
        owner=_choice(Owner, raw["owner"], index, "owner"),
        due_business_days=days,
        blocking=blocking,
    )


def _choice(enum_type: type[E], value: object, index: int, key: str) -> E:
    choices = " or ".join(m.value for m in enum_type)
    if isinstance(value, str):
        try:
            return enum_type(value.strip().lower())
        except ValueError:
            pass
    raise TemplateError(f"must be {choices} (got {value!r})", item=index, key=key)


# -- items of an activation's checklist ---------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: int
    activation_id: int
    phase: Phase
    position: int
    text: str
    owner: Owner
    due_business_days: int
    blocking: bool
    state: ItemState
    note: str = ""
    source: ItemSource = ItemSource.TEMPLATE
    version: int = 1
    updated_at: datetime | None = None  # UTC
    updated_by: str = ""


@dataclass(frozen=True, slots=True)
class ChecklistChange:
    """One line of an item's history."""

    id: int
    item_id: int
    activation_id: int
    at: datetime  # UTC
    who: str
    from_state: ItemState | None  # None: the item was added
    to_state: ItemState
    note: str = ""


def sort_items(items: Sequence[ChecklistItem]) -> list[ChecklistItem]:
    """Phase order first, then the template's order (ad-hoc items after, in the order added)."""
    order = {p: i for i, p in enumerate(Phase)}
    return sorted(items, key=lambda i: (order[i.phase], i.position, i.id))
