"""The things a CCM's book holds, as plain immutable values.

Storage returns these; screens display them; rules take them as arguments.
Money is `Decimal` in the order's currency, hours are `Decimal`, every
datetime is time-zone aware and kept in UTC (shown in the site's zone).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


class Region(enum.StrEnum):
    NORTH_AMERICA = "NA"
    LATIN_AMERICA = "LATAM"
    EMEA = "EMEA"
    ASIA_PACIFIC = "APAC"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Region:
        """Accept the code or the full name, in any case."""
        wanted = text.strip().casefold()
        for region in cls:
            if wanted in (region.value.casefold(), region.label.casefold()):
                return region
        choices = ", ".join(f"{r.value} ({r.label})" for r in cls)
        raise ValueError(f"unknown region {text!r}: choose one of {choices}")


_REGION_LABELS = {
    Region.NORTH_AMERICA: "North America",
    Region.LATIN_AMERICA: "Latin America",
    Region.EMEA: "EMEA",
    Region.ASIA_PACIFIC: "Asia Pacific",
}


class ContactRole(enum.StrEnum):
    DESIGNATED = "designated"
    SITE_TECHNICAL = "technical"
    AUTHORISED = "authorised"
    EXECUTIVE = "executive"
    BILLING = "billing"

    @property
    def label(self) -> str:
        return {
            ContactRole.DESIGNATED: "Designated contact",
            ContactRole.SITE_TECHNICAL: "Site technical contact",
            ContactRole.AUTHORISED: "Authorised contact",
            ContactRole.EXECUTIVE: "Executive",
            ContactRole.BILLING: "Billing",
        }[self]


class ServiceKind(enum.StrEnum):
    MRS = "MRS"
    MSS = "MSS"
    INTERNET = "INTERNET"
    ETHERNET = "ETHERNET"
    VPN = "VPN"

    @property
    def managed(self) -> bool:
        """Managed services have an equipment installation before the event."""
        return self in (ServiceKind.MRS, ServiceKind.MSS)


class StepKind(enum.StrEnum):
    INSTALLATION = "installation"
    ACTIVATION = "activation"

    @property
    def label(self) -> str:
        return "Equipment installation" if self is StepKind.INSTALLATION else "Activation event"

    @property
    def short(self) -> str:
        """For narrow table columns."""
        return "Install" if self is StepKind.INSTALLATION else "Activation"


class StepStatus(enum.StrEnum):
    UNSCHEDULED = "unscheduled"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    VALIDATED = "validated"
    COMPLETED = "completed"
    NOT_READY = "not_ready"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    def label_for(self, kind: StepKind) -> str:
        if self is StepStatus.COMPLETED:
            return "installed" if kind is StepKind.INSTALLATION else "activated"
        return self.value.replace("_", " ")

    @property
    def open(self) -> bool:
        """Still on the calendar: not finished, not cancelled."""
        return self in (StepStatus.REQUESTED, StepStatus.CONFIRMED, StepStatus.VALIDATED)


class OrderStatus(enum.StrEnum):
    PROVISIONING = "provisioning"
    INSTALLATION_COMPLETE = "installation_complete"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskCategory(enum.StrEnum):
    """The customer-success work areas time is logged against."""

    RELATIONSHIP = "relationship"
    INCIDENTS = "incidents"
    CONFIGURATION = "configuration"
    SERVICE_LEVEL = "service_level"
    FINANCE = "finance"
    ACTIVATIONS = "activations"

    @property
    def label(self) -> str:
        return {
            TaskCategory.RELATIONSHIP: "Relationship",
            TaskCategory.INCIDENTS: "Incidents and problems",
            TaskCategory.CONFIGURATION: "Configuration",
            TaskCategory.SERVICE_LEVEL: "Service level",
            TaskCategory.FINANCE: "Finance",
            TaskCategory.ACTIVATIONS: "Activations",
        }[self]


class ReviewKind(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    EXECUTIVE = "executive"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    account_number: str
    name: str
    region: Region
    ccm: str
    hours_per_month: Decimal
    notes: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    customer_id: int
    name: str
    roles: frozenset[ContactRole]
    phone: str = ""
    email: str = ""
    last_reviewed: date | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    customer_id: int
    name: str
    address: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA zone name
    version: int = 1
    subdivision: str = ""  # ISO 3166-2 ("AU-NSW"): its holidays apply too; "" for none


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    customer_id: int
    number: str
    services: tuple[ServiceKind, ...]
    mrc: Decimal
    nrc: Decimal
    currency: str
    ccd: date
    status: OrderStatus
    completed_on: date | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class ActivationStep:
    id: int
    activation_id: int
    kind: StepKind
    start: datetime | None  # UTC
    end: datetime | None  # UTC
    status: StepStatus
    version: int = 1


@dataclass(frozen=True, slots=True)
class Activation:
    id: int
    customer_id: int
    order_id: int
    site_id: int
    service: ServiceKind
    field_dispatch: bool
    steps: tuple[ActivationStep, ...] = ()
    ip_letter_sent_on: date | None = None
    traffic_passed_at: datetime | None = None
    version: int = 1

    def step(self, kind: StepKind) -> ActivationStep | None:
        return next((s for s in self.steps if s.kind is kind), None)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One line of an activation's history: nothing is overwritten silently."""

    id: int
    activation_id: int
    step_kind: StepKind
    at: datetime
    who: str
    action: str
    from_status: StepStatus | None
    to_status: StepStatus
    from_start: datetime | None = None
    to_start: datetime | None = None
    reason: str = ""
    fee: Money | None = None


@dataclass(frozen=True, slots=True)
class TimeEntry:
    id: int
    customer_id: int
    day: date
    hours: Decimal
    category: TaskCategory
    note: str = ""
    who: str = ""
