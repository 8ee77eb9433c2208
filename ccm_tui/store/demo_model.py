"""The demo book while it is built: the customers, sites, contacts, orders and
activations it has drawn so far, and the state every part of the builder
shares (the settings, the random streams, today and now, the rows per table
and the ids handed out).

Ids are counted here, from 1 per table: the demo is built into an empty
book, so nothing has to be read back. One random stream serves the whole
book, drawn in a fixed order (`store.demo.build_demo_rows`), so the same
seed and day give the same book; the checklists draw from their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table

from ccm_tui.data_files import load_checklist_templates, load_fee_schedule
from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.fees import FeeSchedule
from ccm_tui.domain.model import ContactRole, Region, ServiceKind, StepStatus
from ccm_tui.store import tables as t
from ccm_tui.store.demo_settings import DemoSettings, Place, load_task_texts
from ccm_tui.store.sql_types import table_of

Rows = dict[str, list[dict[str, Any]]]

# Table, and the DemoSummary field that counts it, in foreign-key order.
TABLES: tuple[tuple[Table, str], ...] = (
    (table_of(t.BookMetaRow), "book_meta"),
    (table_of(t.CustomerRow), "customers"),
    (table_of(t.ContactRow), "contacts"),
    (table_of(t.SiteRow), "sites"),
    (table_of(t.OrderRow), "orders"),
    (table_of(t.OrderServiceRow), "order_services"),
    (table_of(t.ActivationRow), "activations"),
    (table_of(t.ActivationStepRow), "activation_steps"),
    (table_of(t.ActivationChangeRow), "activation_changes"),
    (table_of(t.ChecklistItemRow), "checklist_items"),
    (table_of(t.ChecklistChangeRow), "checklist_changes"),
    (table_of(t.TimeEntryRow), "time_entries"),
    (table_of(t.ServiceReviewRow), "service_reviews"),
    (table_of(t.AgendaItemRow), "agenda_items"),
    (table_of(t.ActionItemRow), "action_items"),
    (table_of(t.IncidentRow), "incidents"),
)


@dataclass(eq=False)
class DemoContact:
    id: int
    name: str
    roles: set[ContactRole]


@dataclass(eq=False)
class DemoSite:
    id: int
    name: str
    place: Place
    cal: SiteCalendar
    tech_contact_id: int | None = None


@dataclass(eq=False)
class DemoCustomer:
    id: int
    name: str
    account: str
    region: Region
    ccm: str
    hours: int
    home: Place
    sites: list[DemoSite] = field(default_factory=list)
    contacts: list[DemoContact] = field(default_factory=list)

    def with_role(self, role: ContactRole) -> DemoContact:
        return next(c for c in self.contacts if role in c.roles)


@dataclass(eq=False)
class DemoOrder:
    id: int
    customer: DemoCustomer
    number: str
    services: tuple[ServiceKind, ...]
    sites: list[DemoSite]
    state: str  # done | scheduling | provisioning | cancelled
    special: str = ""  # past_ccd | at_risk
    activations: list[DemoActivation] = field(default_factory=list)


@dataclass(eq=False)
class DemoActivation:
    id: int
    order: DemoOrder
    site: DemoSite
    service: ServiceKind
    field_dispatch: bool
    scenario: str = ""
    style: str = "business"  # business | after_hours | weekend
    # filled while scheduling
    status: StepStatus = StepStatus.UNSCHEDULED
    start: datetime | None = None
    install_status: StepStatus | None = None
    install_start: datetime | None = None
    ip_letter_sent_on: date | None = None
    traffic_passed_at: datetime | None = None

    @property
    def customer(self) -> DemoCustomer:
        return self.order.customer


class DemoBook:
    """What every part of the builder reads and adds to."""

    def __init__(self, settings: DemoSettings, today: date, now: datetime) -> None:
        self.cfg = settings
        self.rng = random.Random(settings.seed)
        self.today = today
        naive = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
        self.now = naive.replace(second=0, microsecond=0)
        self.fees: FeeSchedule = load_fee_schedule()
        # the shipped templates (never a user's copy: the demo is the same everywhere)
        self.templates = load_checklist_templates().templates
        # its own generator: tuning checklists leaves the rest of the book as it is
        self.checklist_rng = random.Random(f"{settings.seed}-checklists")
        self.tasks = load_task_texts()
        self.rows: Rows = {key: [] for _, key in TABLES}
        self.customers: list[DemoCustomer] = []
        self.orders: list[DemoOrder] = []
        self.name_pools: dict[Region, list[tuple[str, str]]] = {}  # shuffled on first use
        self._ids: dict[str, int] = {}

    def next_id(self, key: str) -> int:
        self._ids[key] = self._ids.get(key, 0) + 1
        return self._ids[key]
