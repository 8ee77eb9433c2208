"""What the store gathers about a customer for a review agenda.

Plain values, read in one go; the agenda generator (`domain.agenda`) judges
them against the review date, so it can be tested from fixed facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from ccm_tui.domain.book import OrderLine
from ccm_tui.domain.hours import HoursUsage
from ccm_tui.domain.incidents import Incident
from ccm_tui.domain.model import (
    Contact,
    Customer,
    Money,
    ReviewKind,
    ServiceKind,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.service_review import ActionItem


@dataclass(frozen=True)
class ReviewRef:
    id: int
    kind: ReviewKind
    held_on: date


@dataclass(frozen=True)
class StepFact:
    """One installation or activation event, with where it happens."""

    activation_id: int
    kind: StepKind
    service: ServiceKind
    status: StepStatus
    start: datetime | None  # UTC
    site_name: str
    zone: str
    order_number: str

    @property
    def happened(self) -> bool:
        """Over, one way or another: activated, not ready, no show or cancelled."""
        return not self.status.open and self.status is not StepStatus.UNSCHEDULED


@dataclass(frozen=True)
class FeeFact:
    """A cancellation fee charged: a late change, or the customer not ready."""

    at: datetime  # UTC
    action: str  # the history line's action: not_ready, cancel, reschedule
    step_kind: StepKind
    site_name: str
    zone: str  # the site's: the day the fee was charged is the site's day
    fee: Money
    reason: str = ""


@dataclass(frozen=True)
class CustomerFacts:
    customer: Customer
    as_of: date  # the day the live data was read (the CCM's today)
    zone: str  # the CCM's zone: months and "since" days are counted in it
    since: date  # the last review, or one review period back
    last_review: ReviewRef | None = None
    activations: tuple[StepFact, ...] = ()  # happened since `since`, and still to come
    fees: tuple[FeeFact, ...] = ()  # charged since `since`
    orders: tuple[OrderLine, ...] = ()  # open orders, judged at `as_of`
    hours: tuple[HoursUsage, ...] = ()  # the month of `as_of` first, then the three before
    contacts: tuple[Contact, ...] = ()
    incidents: tuple[Incident, ...] = ()  # opened in the trend months, or still open
    open_actions: tuple[ActionItem, ...] = ()  # open action items of the last review
    last_covered: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))  # item key -> last covered
    warning_ratio: float = 0.8
