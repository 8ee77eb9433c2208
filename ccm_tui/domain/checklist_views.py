"""Read models of the checklist screen: the risk-sorted list of upcoming
activations, and one activation's checklist. The store fills them; the
screen and the Markdown export show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ccm_tui.domain.checklist import ChecklistItem, ItemState, Phase
from ccm_tui.domain.model import (
    Activation,
    Contact,
    Region,
    ServiceKind,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.readiness import Readiness, RiskCost

RECENT_DAYS = 14  # how far back "recently activated" looks


@dataclass(frozen=True, slots=True)
class UpcomingQuery:
    text: str = ""  # the `/` filter: customer name, account, contact or city
    offset: int = 0
    limit: int = 60
    recent: bool = False  # activated in the last RECENT_DAYS days instead of upcoming


@dataclass(frozen=True, slots=True)
class UpcomingRow:
    """An activation with a step on the calendar from now on, at its next step."""

    activation_id: int
    customer_id: int
    customer_name: str
    account_number: str
    region: Region
    site_name: str
    city: str
    zone: str
    service: ServiceKind
    step: StepKind
    start: datetime  # UTC
    status: StepStatus
    readiness: Readiness
    cost: RiskCost | None = None  # only when at risk
    traffic_passed: bool = False  # activated rows: has traffic passed?


@dataclass(frozen=True, slots=True)
class UpcomingPage:
    """Upcoming: risks first, then by next step. Recent: no traffic first, then latest first."""

    rows: tuple[UpcomingRow, ...]
    total: int | None  # activations matching the filter; None when not counted (a query of its own)
    at_risk: int  # upcoming: of which at risk; recent: of which traffic has not passed
    offset: int

    def more_after(self, limit: int) -> bool:
        """Whether rows follow this page."""
        if self.total is None:
            return len(self.rows) >= limit > 0
        return self.offset + len(self.rows) < self.total


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    item: ChecklistItem
    due: date | None  # site-local; None while its step has no window
    overdue: bool  # outstanding and past its due date


@dataclass(frozen=True, slots=True)
class PhaseProgress:
    phase: Phase
    done: int
    required: int  # items that apply (not "not applicable")


@dataclass(frozen=True, slots=True)
class ActivationChecklist:
    activation: Activation
    customer_name: str
    account_number: str
    region: Region
    site: Site
    order_number: str
    ccd: date
    ip_letter_contact: Contact | None  # whom the IP letter went to
    technical_contact: Contact | None  # who gets the customer's list: the letter's contact, else the site technical contact
    lines: tuple[ChecklistLine, ...]  # every item, in phase then template order
    phases: tuple[Phase, ...]  # the phases shown now
    readiness: Readiness
    cost: RiskCost | None  # when at risk

    @property
    def activated(self) -> bool:
        step = self.activation.step(StepKind.ACTIVATION)
        return step is not None and step.status is StepStatus.COMPLETED

    def shown(self) -> list[ChecklistLine]:
        """The lines of the phases shown now."""
        return [line for line in self.lines if line.item.phase in self.phases]

    def progress(self) -> list[PhaseProgress]:
        found = []
        for phase in self.phases:
            items = [line.item for line in self.lines if line.item.phase is phase]
            applying = [i for i in items if i.state is not ItemState.NOT_APPLICABLE]
            done = sum(1 for i in applying if i.state is ItemState.DONE)
            found.append(PhaseProgress(phase, done, len(applying)))
        return found
