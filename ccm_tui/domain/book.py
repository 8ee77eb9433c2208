"""Read models of the customer book: what a page of the book and one
customer's detail hold. The store fills them; the screens show them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ccm_tui.domain.ccm_filter import CcmFilter
from ccm_tui.domain.model import (
    Activation,
    Contact,
    Customer,
    Order,
    Region,
    Site,
    StepKind,
    StepStatus,
    TimeEntry,
)


class BookSort(enum.StrEnum):
    NAME = "name"
    ACCOUNT = "account"
    REGION = "region"
    CCM = "ccm"
    NEXT_ACTIVATION = "next"
    HOURS = "hours"


@dataclass(frozen=True, slots=True)
class BookQuery:
    text: str = ""
    ccm: CcmFilter | None = None  # only one CCM's customers ("my customers": key m)
    sort: BookSort = BookSort.NAME
    descending: bool = False
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True, slots=True)
class NextEvent:
    """A customer's next open step, with the zone it is shown in."""

    activation_id: int
    kind: StepKind
    start: datetime  # UTC
    site_name: str
    zone: str
    country: str
    status: StepStatus
    subdivision: str = ""  # ISO 3166-2, for the site's holidays


@dataclass(frozen=True, slots=True)
class BookRow:
    customer_id: int
    name: str
    account_number: str
    region: Region
    ccm: str
    next_event: NextEvent | None
    hours_used: Decimal  # this month
    hours_package: Decimal
    past_ccd: bool
    late_change_window: bool  # the next event is past its late-change cut-off
    not_ready_risk: bool = False  # an activation has an overdue customer item (domain.readiness)


@dataclass(frozen=True, slots=True)
class BookPage:
    rows: tuple[BookRow, ...]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class OrderLine:
    order: Order
    accrued: Decimal  # billing accrued since the CCD while the service is not complete
    past_ccd: bool
    at_risk: bool


@dataclass(frozen=True, slots=True)
class ActivationLine:
    activation: Activation
    site: Site
    order_number: str


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    customer: Customer
    contacts: tuple[Contact, ...]
    sites: tuple[Site, ...]
    orders: tuple[OrderLine, ...]
    activations: tuple[ActivationLine, ...]  # coming first (soonest), then recent
    time_entries: tuple[TimeEntry, ...]  # this month


@dataclass(frozen=True, slots=True)
class CustomerHit:
    """A palette result: enough to name and open a customer."""

    customer_id: int
    name: str
    account_number: str
