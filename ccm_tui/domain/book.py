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


class BookFlag(enum.StrEnum):
    """A flag the book's rows show, and can be narrowed to (key f)."""

    LATE = "late"  # the next event is inside its late-change window
    CCD = "ccd"  # an order past its commitment date
    NOT_READY = "nr"  # an activation at not-ready risk
    HOURS_OVER = "over"  # this month's hours over the package

    @property
    def label(self) -> str:
        """As the Flags column and the status line show it."""
        return {BookFlag.LATE: "LATE", BookFlag.CCD: "CCD", BookFlag.NOT_READY: "NR", BookFlag.HOURS_OVER: "hours over"}[self]

    @property
    def meaning(self) -> str:
        return {
            BookFlag.LATE: "the next event is inside its late-change window",
            BookFlag.CCD: "an order is past its commitment date",
            BookFlag.NOT_READY: "an activation is at not-ready risk",
            BookFlag.HOURS_OVER: "this month's hours are over the package",
        }[self]


def describe_flags(flags: frozenset[BookFlag]) -> str:
    """The flags as words ("LATE and CCD"), in the Flags column's order."""
    return " and ".join(flag.label for flag in BookFlag if flag in flags)


@dataclass(frozen=True, slots=True)
class BookQuery:
    text: str = ""
    ccm: CcmFilter | None = None  # only one CCM's customers ("my customers": key m)
    flags: frozenset[BookFlag] = frozenset()  # only customers showing every one of these flags
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
    # A first glance, read before the book was open (store/book_glance.py): the name, account, region, CCM and
    # package are the book's; next event, hours used and flags are not read yet (shown as such, never as "none")
    pending: bool = False


@dataclass(frozen=True, slots=True)
class BookPage:
    rows: tuple[BookRow, ...]
    total: int  # the customers the filter matches (the whole book when there is no filter)
    offset: int
    book_total: int | None = None  # with a filter on: every customer in the book ("29 of 40"); None without one


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
