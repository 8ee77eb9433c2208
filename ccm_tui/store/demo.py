"""The demo book: a realistic book of customers, built from `data/demo.toml`.

It is generated, not shipped: a fixed seed gives the same book for the same
day, and every date is counted from `today` (history from `now`), so the demo
always shows last month's activations, the next two months' schedule, this
month's hours and recent reviews. It covers what the app has to show: every
step status, after-hours and weekend windows, changes inside the late-change
window, an order past its CCD, one at risk, fees, overdue contact reviews,
customers near or over their hours, open action items.

Windows are chosen in the site's local time (zoneinfo) and stored as naive
UTC, like everything the store writes. All rows go in with one transaction.
"""

from __future__ import annotations

import random
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, func, insert, select

from ccm_tui.data_files import load_checklist_templates, load_fee_schedule
from ccm_tui.domain.calendar import SiteCalendar, add_business_days, late_change_cutoff
from ccm_tui.domain.checklist import ItemState, Owner, Phase, TemplateItem, item_due_date, links_to_ip_letter
from ccm_tui.domain.fees import FeeSchedule, NoFeeSchedule
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ReviewKind,
    ServiceKind,
    StepKind,
    StepStatus,
    TaskCategory,
)
from ccm_tui.store import tables as t
from ccm_tui.store.convert import roles_text
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.errors import StoreError
from ccm_tui.domain.search_text import customer_search_text, fold

SCHEDULING_TEAM = "scheduling team"
_S = StepStatus
_INSTALL = StepKind.INSTALLATION
_ACTIVATE = StepKind.ACTIVATION


# -- settings (data/demo.toml) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A city where sites are: its zone, state or province, streets, postcodes and phone pattern."""

    region: Region
    country: str
    zone: str
    city: str
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    phone: str
    subdivision: str = ""  # ISO 3166-2 ("AU-NSW"): its holidays apply too


@dataclass(frozen=True, slots=True)
class DemoSettings:
    seed: int
    customers: int
    regions: dict[Region, int]  # weights
    demo_user: str
    demo_user_share: float
    ccms: tuple[str, ...]
    package_hours: tuple[int, ...]
    names: dict[str, tuple[str, ...]]  # per country
    first_names: dict[str, tuple[str, ...]]  # per country
    last_names: dict[str, tuple[str, ...]]
    places: tuple[Place, ...]
    notes: tuple[str, ...]

    def places_in(self, region: Region) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.region is region)

    def names_in(self, region: Region) -> list[tuple[str, str]]:
        """(country, customer name) for the countries that have places in `region`."""
        countries = dict.fromkeys(p.country for p in self.places_in(region))
        return [(country, name) for country in countries for name in self.names.get(country, ())]


def _data_toml(*parts: str) -> dict[str, Any]:
    resource = files("ccm_tui").joinpath("data", *parts)
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def load_demo_settings() -> DemoSettings:
    """The shipped demo settings (seed, size, CCMs, names and places)."""
    raw = _data_toml("demo.toml")
    regions = {Region.parse(k): int(v) for k, v in raw["regions"].items()}
    return DemoSettings(
        seed=int(raw["seed"]),
        customers=int(raw["customers"]),
        regions=regions,
        demo_user=str(raw["demo_user"]),
        demo_user_share=float(raw["demo_user_share"]),
        ccms=tuple(raw["ccms"]),
        package_hours=tuple(int(h) for h in raw["package_hours"]),
        names={k: tuple(v) for k, v in raw["names"].items()},
        first_names={k: tuple(v["first"]) for k, v in raw["people"].items()},
        last_names={k: tuple(v["last"]) for k, v in raw["people"].items()},
        places=tuple(
            Place(
                region=Region.parse(p["region"]),
                country=p["country"],
                zone=p["zone"],
                city=p["city"],
                streets=tuple(p["streets"]),
                postcodes=tuple(p["postcodes"]),
                phone=p["phone"],
                subdivision=p.get("subdivision", ""),
            )
            for p in raw["places"]
        ),
        notes=tuple(raw["notes"]["lines"]),
    )


def _task_texts() -> dict[TaskCategory, tuple[tuple[str, tuple[str, ...], str, str], ...]]:
    """Per category: (item text, review kinds, item key, area label) from the task catalogue."""
    raw = _data_toml("task_catalogue.toml")
    return {
        TaskCategory(area["category"]): tuple(
            (i["text"], tuple(i["reviews"]), i["key"], area["label"]) for i in area["items"]
        )
        for area in raw["areas"]
    }


# -- what was written --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """Rows written per table."""

    book_meta: int = 0
    customers: int = 0
    contacts: int = 0
    sites: int = 0
    orders: int = 0
    order_services: int = 0
    activations: int = 0
    activation_steps: int = 0
    activation_changes: int = 0
    checklist_items: int = 0
    checklist_changes: int = 0
    time_entries: int = 0
    service_reviews: int = 0
    agenda_items: int = 0
    action_items: int = 0
    incidents: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


# Table, and the DemoSummary field that counts it, in foreign-key order.
_TABLES: tuple[tuple[Table, str], ...] = (
    (t.BookMetaRow.__table__, "book_meta"),  # type: ignore[attr-defined]
    (t.CustomerRow.__table__, "customers"),  # type: ignore[attr-defined]
    (t.ContactRow.__table__, "contacts"),  # type: ignore[attr-defined]
    (t.SiteRow.__table__, "sites"),  # type: ignore[attr-defined]
    (t.OrderRow.__table__, "orders"),  # type: ignore[attr-defined]
    (t.OrderServiceRow.__table__, "order_services"),  # type: ignore[attr-defined]
    (t.ActivationRow.__table__, "activations"),  # type: ignore[attr-defined]
    (t.ActivationStepRow.__table__, "activation_steps"),  # type: ignore[attr-defined]
    (t.ActivationChangeRow.__table__, "activation_changes"),  # type: ignore[attr-defined]
    (t.ChecklistItemRow.__table__, "checklist_items"),  # type: ignore[attr-defined]
    (t.ChecklistChangeRow.__table__, "checklist_changes"),  # type: ignore[attr-defined]
    (t.TimeEntryRow.__table__, "time_entries"),  # type: ignore[attr-defined]
    (t.ServiceReviewRow.__table__, "service_reviews"),  # type: ignore[attr-defined]
    (t.AgendaItemRow.__table__, "agenda_items"),  # type: ignore[attr-defined]
    (t.ActionItemRow.__table__, "action_items"),  # type: ignore[attr-defined]
    (t.IncidentRow.__table__, "incidents"),  # type: ignore[attr-defined]
)


def build_demo_book(engine: Engine, today: date, now: datetime) -> DemoSummary:
    """Write the demo book into an empty book, in one transaction."""
    builder = _Builder(load_demo_settings(), today, now)
    rows = builder.build()
    with write_session(engine) as session:
        present = session.execute(select(func.count()).select_from(t.CustomerRow.__table__)).scalar_one()  # type: ignore[attr-defined]
        if present:
            raise StoreError(f"the demo book is only built into an empty book; this one has {present} customers")
        for table, key in _TABLES:
            if rows[key]:
                session.connection().execute(insert(table), rows[key])
    return DemoSummary(**{key: len(rows[key]) for _, key in _TABLES})


def demo_is_current(engine: Engine, today: date) -> bool:
    """True when the book holds a demo built for `today`."""
    with read_session(engine) as session:
        anchor = session.get(t.BookMetaRow, "demo_anchor")
        return anchor is not None and anchor.value == today.isoformat()


# -- the generator -------------------------------------------------------------------


@dataclass(eq=False)
class _Contact:
    id: int
    name: str
    roles: set[ContactRole]


@dataclass(eq=False)
class _Site:
    id: int
    name: str
    place: Place
    cal: SiteCalendar
    tech_contact_id: int | None = None


@dataclass(eq=False)
class _Customer:
    id: int
    name: str
    account: str
    region: Region
    ccm: str
    hours: int
    home: Place
    sites: list[_Site] = field(default_factory=list)
    contacts: list[_Contact] = field(default_factory=list)

    def with_role(self, role: ContactRole) -> _Contact:
        return next(c for c in self.contacts if role in c.roles)


@dataclass(eq=False)
class _Order:
    id: int
    customer: _Customer
    number: str
    services: tuple[ServiceKind, ...]
    sites: list[_Site]
    state: str  # done | scheduling | provisioning | cancelled
    special: str = ""  # past_ccd | at_risk
    activations: list[_Activation] = field(default_factory=list)


@dataclass(eq=False)
class _Activation:
    id: int
    order: _Order
    site: _Site
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
    def customer(self) -> _Customer:
        return self.order.customer


@dataclass
class _Event:
    """One history line before its time is known (`at` None = fill in)."""

    action: str
    status: StepStatus
    who: str
    at: datetime | None = None
    new_start: datetime | None = None  # for request / reschedule
    reason: str = ""
    fee: tuple[int, str] | None = None


_CURRENCY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "AU": "AUD"}
_FX = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "AUD": 1.52}
_PRICES = {  # USD per site: monthly (low, high), one-time (low, high)
    ServiceKind.MRS: ((350, 900), (250, 600)),
    ServiceKind.MSS: ((450, 1200), (400, 900)),
    ServiceKind.INTERNET: ((250, 2200), (0, 500)),
    ServiceKind.ETHERNET: ((600, 2800), (0, 1000)),
    ServiceKind.VPN: ((150, 700), (0, 250)),
}
_M, _S2, _I, _E, _V = ServiceKind.MRS, ServiceKind.MSS, ServiceKind.INTERNET, ServiceKind.ETHERNET, ServiceKind.VPN
_BUNDLES: tuple[tuple[tuple[ServiceKind, ...], int], ...] = (
    ((_M, _I), 20),
    ((_M,), 10),
    ((_M, _S2, _I), 10),
    ((_S2,), 8),
    ((_I,), 12),
    ((_E,), 8),
    ((_V,), 6),
    ((_M, _V), 8),
    ((_M, _E), 6),
    ((_S2, _I), 6),
)
_SITE_KINDS = ("branch", "data center", "warehouse", "distribution center", "regional office", "plant")

# Activation scenarios for orders being scheduled: weights of the random ones.
_RANDOM_SCENARIOS: tuple[tuple[str, int], ...] = (
    ("completed", 20),
    ("completed_no_traffic", 2),
    ("requested", 14),
    ("confirmed", 16),
    ("validated", 16),
    ("not_ready", 3),
    ("no_show", 1),
    ("cancelled_past", 3),
    ("unscheduled", 6),
    ("install_upcoming", 8),
    ("rescheduled", 5),
    ("after_hours", 5),
    ("weekend", 4),
)
_MANAGED_ONLY = {"install_upcoming"}

_RESCHEDULE_REASONS = (
    "Customer asked to move it: rack space in the communications room not ready",
    "Customer asked to move it: the site technical contact is on leave that week",
    "Customer asked to move it: building power work at the site",
    "Scheduling team: no activation technician available for the original window",
    "Customer asked to move it: change freeze at the customer",
    "Customer asked for an after-hours window to avoid business disruption",
)
_CANCEL_REASONS = (
    "Customer cancelled: the site is being relocated; will re-request with the new address",
    "Customer cancelled: landlord has not approved the building works",
    "Customer cancelled: waiting for their own firewall replacement",
)
_NOT_READY_REASONS = (
    "Customer not ready: configuration from the IP letter not loaded on the device",
    "Customer not ready: no one on site to give the technician access",
    "Customer not ready: cabling from the demarcation point not in place",
    "Customer not ready: site technical contact did not join the call",
)
_NO_SHOW_REASONS = (
    "Activation technician did not join the call; on-call manager called (844-427-2875)",
    "Field technician did not arrive; on-call manager called (844-427-2875)",
)
_MINUTES = {
    TaskCategory.RELATIONSHIP: (
        "Customer is pleased with the response times; asked about the new SD-WAN option.",
        "Two new contacts introduced; contact list updated during the meeting.",
        "Walked through the service guide sections on change requests.",
    ),
    TaskCategory.INCIDENTS: (
        "Two incidents this period, both resolved within SLA; no repeat causes.",
        "Recurring packet loss at one site traced to the customer's switch; closed.",
        "One escalation through the NOC; root cause report shared.",
    ),
    TaskCategory.CONFIGURATION: (
        "Firewall rules reviewed; three unused rules to remove.",
        "Monitoring thresholds reviewed; interface alerts tuned for the backup link.",
        "Infrastructure diagram updated with the new site.",
    ),
    TaskCategory.SERVICE_LEVEL: (
        "Availability 99.98% against a 99.9% target; all SLAs met.",
        "SLA report accepted; one credit claim discussed.",
        "Service development plan: bandwidth upgrade planned for next quarter.",
    ),
    TaskCategory.FINANCE: (
        "Invoice layout change explained; no open billing queries.",
        "Service credit for last month's outage approved.",
        "Billing query about accrued charges answered.",
    ),
    TaskCategory.ACTIVATIONS: (
        "Upcoming activations and readiness checklists reviewed.",
        "Customer confirmed site access for next month's installations.",
        "Not-ready fee explained; new date agreed.",
    ),
}
_ACTIONS = (
    ("Send the updated authorised contact list", "customer"),
    ("Share the SLA report for the quarter", "ccm"),
    ("Schedule the quarterly firewall rule review", "ccm"),
    ("Confirm rack space and power for the new site", "customer"),
    ("Raise the service credit request for the outage", "ccm"),
    ("Book control portal training for the new IT staff", "ccm"),
    ("Send the test plan for the next activation", "customer"),
    ("Propose dates for a data-center tour", "ccm"),
)


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


_INCIDENTS = (
    "Packet loss on the primary circuit at {site}",
    "Router at {site} rebooted unexpectedly; service restored",
    "DNS resolution failures for users at {site}",
    "Backup link did not take over during a carrier outage at {site}",
    "High latency to the data center from {site}",
    "Firewall blocked a business application after a rule change at {site}",
    "Monitoring alert storm: interface flapping at {site}",
    "Internet circuit down at {site}; carrier fault",
)
_ESCALATIONS = (
    "Escalated to the NOC duty manager: repeat outage at {site}",
    "Customer escalation: slow repair of the circuit fault at {site}",
    "Escalated: field technician missed the repair window at {site}",
    "Executive escalation: service credits for last month's outage at {site}",
)


def _confirm() -> _Event:
    return _Event("confirm", _S.CONFIRMED, SCHEDULING_TEAM)


class _Builder:
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
        self.tasks = _task_texts()
        self.rows: dict[str, list[dict[str, Any]]] = {key: [] for _, key in _TABLES}
        self._ids: dict[str, int] = {}
        self.customers: list[_Customer] = []
        self.orders: list[_Order] = []
        self._shuffled: dict[Region, list[tuple[str, str]]] = {}

    def _id(self, key: str) -> int:
        self._ids[key] = self._ids.get(key, 0) + 1
        return self._ids[key]

    # -- whole book ------------------------------------------------------------

    def build(self) -> dict[str, list[dict[str, Any]]]:
        self.rows["book_meta"] += [
            {"key": "demo_anchor", "value": self.today.isoformat()},
            {"key": "kind", "value": "demo"},
        ]
        for region in self._region_sequence():
            self._customer(region)
        self._ensure_review_mix()
        for customer in self.customers:
            self._orders_for(customer)
        self._assign_scenarios()
        for order in self.orders:
            for activation in order.activations:
                self._schedule(activation)
            self._order_rows(order)
        for order in self.orders:
            for activation in order.activations:
                self._checklist(activation)
        self._time_entries()
        self._reviews()
        self._review_setup()
        return self.rows

    def _region_sequence(self) -> list[Region]:
        """Customers per region by weight (each region at least one), shuffled."""
        total = self.cfg.customers
        weights = self.cfg.regions
        counts = {r: max(1, round(total * w / sum(weights.values()))) for r, w in weights.items()}
        biggest = max(counts, key=lambda r: counts[r])
        counts[biggest] += total - sum(counts.values())
        sequence = [r for r in Region if r in counts for _ in range(counts[r])]
        self.rng.shuffle(sequence)
        return sequence

    # -- customers, sites, contacts -------------------------------------------------

    def _customer(self, region: Region) -> None:
        rng, cfg = self.rng, self.cfg
        used = sum(1 for c in self.customers if c.region is region)
        pool = self._name_pool(region)
        country, name = pool[used % len(pool)]
        if used >= len(pool):
            name = f"{name} {used // len(pool) + 1}"
        account = f"{region.value}-{self._account_number()}"
        ccm = cfg.demo_user if rng.random() < cfg.demo_user_share else rng.choice(cfg.ccms)
        customer = _Customer(
            id=self._id("customer"),
            name=name,
            account=account,
            region=region,
            ccm=ccm,
            hours=rng.choice(cfg.package_hours),
            home=rng.choice([p for p in cfg.places_in(region) if p.country == country]),
        )
        self.customers.append(customer)
        self._sites(customer)
        self._contacts(customer)
        created = self.now - timedelta(days=rng.randint(120, 1500), minutes=rng.randint(0, 600))
        contact_names = [c.name for c in customer.contacts]
        cities = list(dict.fromkeys(fold(s.place.city) for s in customer.sites))
        self.rows["customers"].append(
            {
                "id": customer.id,
                "account_number": account,
                "name": name,
                "sort_name": fold(name),
                "region": region.value,
                "ccm": ccm,
                "hours_per_month_minutes": customer.hours * 60,
                "notes": rng.choice(cfg.notes) if rng.random() < 0.35 else "",
                "search_text": customer_search_text(name, account, contact_names, cities),
                "version": 1,
                "created_at": created,
                "updated_at": min(self.now, created + timedelta(days=rng.randint(0, 90))),
            }
        )

    def _name_pool(self, region: Region) -> list[tuple[str, str]]:
        if region not in self._shuffled:
            pool = self.cfg.names_in(region)
            self.rng.shuffle(pool)
            self._shuffled[region] = pool
        return self._shuffled[region]

    def _account_number(self) -> int:
        taken = {int(c.account.split("-")[1]) for c in self.customers}
        while True:
            number = self.rng.randint(10000, 99999)
            if number not in taken:
                return number

    def _sites(self, customer: _Customer) -> None:
        rng = self.rng
        count = rng.choices((1, 2, 3), (55, 30, 15))[0]
        region_places = self.cfg.places_in(customer.region)
        kinds = list(_SITE_KINDS)
        rng.shuffle(kinds)
        for index in range(count):
            if index == 0:
                place, name = customer.home, "Head office"
            else:
                same_country = [p for p in region_places if p.country == customer.home.country]
                place = rng.choice(same_country if rng.random() < 0.7 else region_places)
                name = f"{place.city} {kinds.pop()}"
            cal = SiteCalendar(place.zone, place.country, subdivision=place.subdivision)
            site = _Site(self._id("site"), name, place, cal)
            customer.sites.append(site)
            street = rng.choice(place.streets).replace("#", str(rng.randint(1, 40 if "-" in place.streets[0] else 480)))
            postcode = self._digits(rng.choice(place.postcodes))
            self.rows["sites"].append(
                {
                    "id": site.id,
                    "customer_id": customer.id,
                    "name": name,
                    "address": f"{street}, {postcode}",
                    "city": place.city,
                    "country": place.country,
                    "subdivision": place.subdivision,
                    "timezone": place.zone,
                    "version": 1,
                }
            )

    def _digits(self, pattern: str) -> str:
        return "".join(str(self.rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)

    def _contacts(self, customer: _Customer) -> None:
        rng = self.rng
        count = rng.choices((2, 3, 4, 5), (25, 35, 25, 15))[0]
        roles: list[set[ContactRole]] = [{ContactRole.DESIGNATED, ContactRole.AUTHORISED}, {ContactRole.SITE_TECHNICAL}]
        extra = [ContactRole.EXECUTIVE, ContactRole.BILLING] + [ContactRole.SITE_TECHNICAL] * (len(customer.sites) - 1)
        rng.shuffle(extra)
        for _ in range(2, count):
            roles.append({extra.pop()} if extra else {ContactRole.AUTHORISED})
        for role in extra:  # more roles than people: someone holds two
            if role is not ContactRole.SITE_TECHNICAL and rng.random() < 0.7:
                roles[rng.randrange(len(roles))].add(role)
        if rng.random() < 0.3:
            roles[1].add(ContactRole.AUTHORISED)
        if rng.random() < 0.15:
            roles[0].add(ContactRole.SITE_TECHNICAL)
        country = customer.home.country
        domain = _slug(customer.name) + ".example.com"
        names: list[str] = []
        for held in roles:
            while True:
                first = rng.choice(self.cfg.first_names[country])
                last = rng.choice(self.cfg.last_names[country])
                if f"{first} {last}" not in names:
                    break
            name = f"{first} {last}"
            names.append(name)
            contact = _Contact(self._id("contact"), name, held)
            customer.contacts.append(contact)
            roll = rng.random()
            if roll < 0.05:
                reviewed = None
            elif roll < 0.3:
                reviewed = self.today - timedelta(days=rng.randint(91, 320))
            else:
                reviewed = self.today - timedelta(days=rng.randint(3, 85))
            self.rows["contacts"].append(
                {
                    "id": contact.id,
                    "customer_id": customer.id,
                    "name": name,
                    "roles": roles_text(held),
                    "phone": self._digits(customer.home.phone),
                    "email": f"{_slug(first, '')}.{_slug(last, '')}@{domain}",
                    "last_reviewed": reviewed,
                    "version": 1,
                }
            )
        technicians = [c for c in customer.contacts if ContactRole.SITE_TECHNICAL in c.roles]
        for index, site in enumerate(customer.sites):
            site.tech_contact_id = technicians[index % len(technicians)].id

    def _ensure_review_mix(self) -> None:
        """A couple of contacts never reviewed, whatever the seed drew."""
        never = [r for r in self.rows["contacts"] if r["last_reviewed"] is None]
        for row in self.rows["contacts"][3::17][: max(0, 2 - len(never))]:
            row["last_reviewed"] = None

    # -- orders and activations ---------------------------------------------------------

    def _orders_for(self, customer: _Customer) -> None:
        rng = self.rng
        states = []
        if rng.random() < 0.55:
            states.append("done")
        states.append(rng.choices(("scheduling", "provisioning"), (75, 25))[0])
        if rng.random() < 0.2:
            states.append("scheduling")
        for state in states:
            bundle = rng.choices([b for b, _ in _BUNDLES], [w for _, w in _BUNDLES])[0]
            sites = [rng.choice(customer.sites)]
            if len(customer.sites) > 1 and rng.random() < 0.25:
                sites = rng.sample(customer.sites, 2)
            order = _Order(self._id("order"), customer, self._order_number(), bundle, sites, state)
            self.orders.append(order)
            for site in sites:
                for service in bundle:
                    activation = _Activation(self._id("activation"), order, site, service, rng.random() < 0.25)
                    order.activations.append(activation)

    def _order_number(self) -> str:
        taken = {o.number for o in self.orders}
        while True:
            number = f"ORD-{self.rng.randint(400000, 999999)}"
            if number not in taken:
                return number

    def _assign_scenarios(self) -> None:
        """Every case the app must show gets one activation; the rest at random."""
        rng = self.rng
        if not any(o.state == "cancelled" for o in self.orders):
            provisioning = [o for o in self.orders if o.state == "provisioning"]
            if provisioning:
                provisioning[-1].state = "cancelled"
        scheduling = [o for o in self.orders if o.state == "scheduling"]
        na = [o for o in scheduling if o.customer.region is Region.NORTH_AMERICA]
        past_ccd = (na or scheduling)[0] if scheduling else None
        if past_ccd is not None:
            past_ccd.special = "past_ccd"
            first, *others = past_ccd.activations
            first.scenario, first.field_dispatch = "not_ready", False
            for activation in others:
                activation.scenario = "not_ready_rescheduled"
        at_risk = next((o for o in reversed(scheduling) if not o.special), None)
        if at_risk is not None:
            at_risk.special = "at_risk"
            for activation in at_risk.activations:
                activation.scenario = "at_risk"
        for order in self.orders:
            if order.state != "scheduling":
                scenario = {"done": "done", "provisioning": "unscheduled_all", "cancelled": "order_cancelled"}
                for activation in order.activations:
                    activation.scenario = scenario[order.state]
        pool = [a for o in scheduling for a in o.activations if not a.scenario]
        rng.shuffle(pool)
        na_or_apac = {Region.NORTH_AMERICA, Region.ASIA_PACIFIC}
        must: list[tuple[str, Any]] = [
            ("no_show", lambda a: True),
            ("cancelled_late", lambda a: a.customer.region in na_or_apac),
            ("cancelled_past", lambda a: True),
            ("late_change", lambda a: a.customer.region is Region.NORTH_AMERICA),
            ("late_change", lambda a: a.customer.region is not Region.NORTH_AMERICA),
            ("after_hours", lambda a: True),
            ("after_hours", lambda a: True),
            ("weekend", lambda a: True),
            ("weekend", lambda a: True),
            ("unscheduled", lambda a: a.service.managed),
            ("install_upcoming", lambda a: a.service.managed),
            ("install_upcoming", lambda a: a.service.managed),
            ("rescheduled", lambda a: True),
            ("completed_no_traffic", lambda a: True),
            ("not_ready", lambda a: a.customer.region is Region.ASIA_PACIFIC),
            ("requested", lambda a: True),
            ("confirmed", lambda a: True),
            ("validated", lambda a: True),
            ("validated", lambda a: True),
            ("completed", lambda a: True),
        ]
        for scenario, wanted in must:
            found = next((a for a in pool if not a.scenario and wanted(a)), None)
            if found is not None:
                found.scenario = scenario
        names = [s for s, _ in _RANDOM_SCENARIOS]
        weights = [w for _, w in _RANDOM_SCENARIOS]
        for activation in pool:
            if not activation.scenario:
                scenario = rng.choices(names, weights)[0]
                if scenario in _MANAGED_ONLY and not activation.service.managed:
                    scenario = "requested"
                activation.scenario = scenario
        for activation in (a for o in self.orders for a in o.activations):
            if activation.scenario in ("after_hours",):
                activation.style = "after_hours"
            elif activation.scenario == "weekend":
                activation.style = "weekend"
            elif activation.scenario == "no_show":
                activation.style = rng.choice(("after_hours", "weekend"))
            elif activation.scenario in ("late_change", "cancelled_late"):
                activation.style = "business"
            else:
                roll = rng.random()
                activation.style = "after_hours" if roll < 0.08 else "weekend" if roll < 0.13 else "business"

    # -- windows -----------------------------------------------------------------------

    def _window_on(self, day: date, site: _Site, kind: StepKind, style: str) -> tuple[datetime, datetime]:
        rng = self.rng
        if style == "after_hours":
            hour, hours = rng.choices(((19, 4), (18, 3), (21, 3), (22, 4)), (50, 20, 15, 15))[0]
        elif style == "weekend":
            hour, hours = rng.choices(((9, 4), (8, 4), (13, 4)), (60, 20, 20))[0]
        elif kind is _INSTALL:
            hour, hours = rng.choices(((8, 4), (13, 4)), (60, 40))[0]
        else:
            hour, hours = rng.choices(((9, 3), (10, 3), (13, 3), (14, 3)), (75, 10, 10, 5))[0]
        zone = ZoneInfo(site.place.zone)
        local = datetime.combine(day, time(hour), zone)
        start = local.astimezone(UTC).replace(tzinfo=None)
        end = (local + timedelta(hours=hours)).astimezone(UTC).replace(tzinfo=None)
        return start, end

    def _snap(self, day: date, site: _Site, style: str, forward: bool = True) -> date:
        step = timedelta(days=1 if forward else -1)
        if style == "weekend":
            while day.weekday() < 5:
                day += step
            return day
        while not site.cal.is_business_day(day):
            day += step
        return day

    def _window(
        self, site: _Site, kind: StepKind, style: str, when: str, low: int, high: int
    ) -> tuple[datetime, datetime]:
        """A window `low..high` days from today, wholly past or wholly future."""
        day = self._snap(self.today + timedelta(days=self.rng.randint(low, high)), site, style)
        start, end = self._window_on(day, site, kind, style)
        while (when == "past" and end >= self.now - timedelta(hours=1)) or (
            when == "future" and start <= self.now + timedelta(hours=2)
        ):
            shift = timedelta(days=-7 if when == "past" else 7)
            day = self._snap(day + shift, site, style, forward=when != "past")
            start, end = self._window_on(day, site, kind, style)
        return start, end

    def _late_window(self, site: _Site) -> tuple[datetime, datetime]:
        """The first business-hours slot after now: inside the late-change window."""
        zone = ZoneInfo(site.place.zone)
        moment = self.now.replace(minute=0) + timedelta(hours=2)
        for _ in range(24 * 14):
            local = moment.replace(tzinfo=UTC).astimezone(zone)
            if local.hour in (9, 10, 11, 13, 14) and site.cal.is_business_day(local.date()):
                start_local = local.replace(minute=0)
                start = start_local.astimezone(UTC).replace(tzinfo=None)
                end = (start_local + timedelta(hours=3)).astimezone(UTC).replace(tzinfo=None)
                return start, end
            moment += timedelta(hours=1)
        raise AssertionError("no business hour in two weeks")  # pragma: no cover

    def _local_date(self, instant: datetime, site: _Site) -> date:
        return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(site.place.zone)).date()

    # -- one activation ---------------------------------------------------------------

    def _schedule(self, act: _Activation) -> None:
        """Pick the windows and statuses of an activation's steps, and their history."""
        rng = self.rng
        ccm = act.customer.ccm
        scenario = act.scenario
        site = act.site
        events: list[_Event] = []
        window: tuple[datetime, datetime] | None = None
        first: tuple[datetime, datetime] | None = None  # the window first requested
        status = _S.UNSCHEDULED
        requested, confirm, validate = self._request(act), _confirm, self._validate(act)

        if scenario in ("completed", "done", "completed_no_traffic"):
            low, high = {"completed": (-25, -1), "done": (-28, -3), "completed_no_traffic": (-4, -1)}[scenario]
            window = self._window(site, _ACTIVATE, act.style, "past", low, high)
            status = _S.COMPLETED
            done_at = window[1] + timedelta(minutes=rng.randint(5, 40))
            reason = "Traffic passing; customer accepted the service"
            if scenario == "completed_no_traffic":
                reason = "Activated, but no traffic has passed yet: post-activation support engaged"
            else:
                act.traffic_passed_at = window[0] + timedelta(minutes=rng.randint(40, 150))
            events = [requested(window[0]), confirm(), validate(), _Event("complete", _S.COMPLETED, ccm, done_at, reason=reason)]
        elif scenario == "not_ready":
            window = self._window(site, _ACTIVATE, act.style, "past", -12, -1)
            status = _S.NOT_READY
            at = window[0] + timedelta(minutes=rng.randint(20, 50))
            events = [requested(window[0]), confirm(), validate(), self._not_ready(act, at)]
        elif scenario == "no_show":
            window = self._window(site, _ACTIVATE, act.style, "past", -14, -2)
            status = _S.NO_SHOW
            at = window[0] + timedelta(minutes=rng.randint(30, 50))
            reason = rng.choice(_NO_SHOW_REASONS)
            events = [requested(window[0]), confirm(), validate(), _Event("no_show", _S.NO_SHOW, ccm, at, reason=reason)]
        elif scenario == "cancelled_past":
            window = self._window(site, _ACTIVATE, act.style, "past", -20, -2)
            status = _S.CANCELLED
            cutoff = late_change_cutoff(window[0].replace(tzinfo=UTC), site.cal).replace(tzinfo=None)
            at = cutoff - timedelta(hours=rng.randint(2, 72))  # in good time: no fee
            events = [requested(window[0]), confirm(), _Event("cancel", _S.CANCELLED, ccm, at, reason=rng.choice(_CANCEL_REASONS))]
        elif scenario == "not_ready_rescheduled":
            first = self._window(site, _ACTIVATE, act.style, "past", -10, -3)
            window = self._window(site, _ACTIVATE, act.style, "future", 4, 15)
            status = _S.REQUESTED
            missed = first[0] + timedelta(minutes=rng.randint(20, 50))
            moved = min(missed + timedelta(hours=rng.randint(18, 40)), self.now - timedelta(hours=1))
            events = [
                requested(first[0]),
                confirm(),
                validate(),
                self._not_ready(act, missed),
                _Event("reschedule", _S.REQUESTED, ccm, moved, new_start=window[0], reason="New date asked for after the customer was not ready"),
            ]
        elif scenario in ("requested", "at_risk", "install_upcoming"):
            low, high = (8, 55) if scenario == "requested" else (10, 16) if scenario == "at_risk" else (12, 30)
            window = self._window(site, _ACTIVATE, act.style, "future", low, high)
            status = _S.REQUESTED
            events = [requested(window[0])]
        elif scenario in ("confirmed", "validated", "after_hours", "weekend"):
            low, high = {"confirmed": (4, 45), "validated": (1, 30)}.get(scenario, (2, 45))
            window = self._window(site, _ACTIVATE, act.style, "future", low, high)
            status = {"confirmed": _S.CONFIRMED, "validated": _S.VALIDATED}.get(scenario) or rng.choice((_S.CONFIRMED, _S.VALIDATED))
            events = [requested(window[0]), confirm()] + ([validate()] if status is _S.VALIDATED else [])
        elif scenario == "late_change":
            window = self._late_window(site)
            status = _S.VALIDATED
            events = [requested(window[0]), confirm(), validate()]
        elif scenario == "cancelled_late":
            window = self._late_window(site)
            status = _S.CANCELLED
            cutoff = late_change_cutoff(window[0].replace(tzinfo=UTC), site.cal).replace(tzinfo=None)
            at = max(self.now - timedelta(minutes=rng.randint(30, 240)), cutoff + timedelta(minutes=5))
            at = min(at, self.now - timedelta(minutes=1))
            fee = self._fee(act)
            reason = "Late cancellation (less than one business day before the start): site not ready"
            if fee is None:
                reason += f"; no fee schedule for {act.customer.region.label}"
            events = [requested(window[0]), confirm(), validate(), _Event("cancel", _S.CANCELLED, ccm, at, reason=reason, fee=fee)]
        elif scenario == "rescheduled":
            window = self._window(site, _ACTIVATE, act.style, "future", 6, 35)
            day = self._snap(self._local_date(window[0], site) - timedelta(days=rng.randint(5, 12)), site, act.style, False)
            first = self._window_on(day, site, _ACTIVATE, act.style)
            status = rng.choice((_S.CONFIRMED, _S.VALIDATED))
            bound = min(first[0], self.now) - timedelta(hours=1)
            moved = bound - timedelta(hours=rng.randint(6, 72))
            events = [
                requested(first[0]),
                confirm(),
                _Event("reschedule", _S.REQUESTED, ccm, moved, new_start=window[0], reason=rng.choice(_RESCHEDULE_REASONS)),
                confirm(),
            ] + ([validate()] if status is _S.VALIDATED else [])
        elif scenario == "order_cancelled":
            window = self._window(site, _ACTIVATE, act.style, "future", 10, 30)
            status = _S.CANCELLED
            at = self.now - timedelta(days=rng.randint(1, 2), minutes=rng.randint(0, 600))
            events = [requested(window[0]), _Event("cancel", _S.CANCELLED, ccm, at, reason="Order cancelled by the customer")]
        # "unscheduled" and "unscheduled_all" keep no window and no history.

        gate = self._installation(act, window, first, status, events)
        act.status = status
        act.start = window[0] if window else None
        if events and window is not None:
            start = (first or window)[0]
            low = min(start - timedelta(days=rng.randint(10, 21)), self.now - timedelta(days=rng.randint(3, 8)))
            timed = [e.at for e in events if e.at is not None]
            if timed:  # leave room for the untimed events before the first timed one
                low = min(low, min(timed) - timedelta(days=2))
            if gate is not None:  # the installation allowed for this room
                low = max(low, gate)
            self._history(act, _ACTIVATE, events, low, start, window[0])
        self._step(act, _ACTIVATE, status, window)
        self.rows["activations"].append(
            {
                "id": act.id,
                "customer_id": act.customer.id,
                "order_id": act.order.id,
                "site_id": site.id,
                "service": act.service.value,
                "field_dispatch": act.field_dispatch,
                "ip_letter_sent_on": act.ip_letter_sent_on,
                "ip_letter_contact_id": site.tech_contact_id if act.ip_letter_sent_on else None,
                "traffic_passed_at": act.traffic_passed_at,
                "version": 1,
            }
        )

    def _installation(
        self,
        act: _Activation,
        window: tuple[datetime, datetime] | None,
        first: tuple[datetime, datetime] | None,
        status: StepStatus,
        events: list[_Event],
    ) -> datetime | None:
        """The equipment installation of a managed service; returns the time
        after which the activation may be confirmed (installed, letter sent)."""
        if not act.service.managed:
            return None
        rng = self.rng
        site = act.site
        ccm = act.customer.ccm
        scenario = act.scenario
        style = act.style if act.style != "after_hours" or rng.random() < 0.5 else "business"
        past_confirmation = status in (_S.CONFIRMED, _S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW) or scenario in (
            "cancelled_late",
            "cancelled_past",
            "not_ready_rescheduled",
        )
        mode = "unscheduled"
        if past_confirmation:
            mode = "completed"
        elif scenario in ("requested", "at_risk"):
            mode = "completed" if rng.random() < 0.5 else "future"
        elif scenario in ("install_upcoming", "unscheduled"):
            mode = "future" if scenario == "install_upcoming" or rng.random() < 0.6 else "unscheduled"
        elif scenario == "order_cancelled":
            mode = "cancelled"
        if mode == "future" and window is not None:
            latest = add_business_days(self._local_date(window[0], site), -3, site.cal)
            if latest <= self.today + timedelta(days=1):
                mode = "completed"

        install_events: list[_Event] = []
        gate: datetime | None = None
        install: tuple[datetime, datetime] | None = None
        install_status = _S.UNSCHEDULED
        requested, confirm, validate = self._request(act), _confirm, self._validate(act)

        if mode == "completed":
            anchor = (first or window)[0] if (first or window) else self.now  # type: ignore[index]
            day = self._local_date(anchor, site)
            day = add_business_days(day, -rng.randint(3, 8), site.cal)
            latest = (self.now - timedelta(days=6)).date()
            day = self._snap(min(day, latest), site, style if style != "after_hours" else "business", forward=False)
            while True:
                install = self._window_on(day, site, _INSTALL, style if style == "weekend" and day.weekday() >= 5 else "business")
                letter = add_business_days(self._local_date(install[1], site), 1, site.cal)
                gate = datetime.combine(letter + timedelta(days=1), time(0))
                # room for the letter, then the request and confirmation before the
                # first event with a time (an outcome, a reschedule, a cancellation)
                earliest = min([anchor, self.now] + [e.at for e in events if e.at is not None])
                if letter <= self.today - timedelta(days=1) and gate <= earliest - timedelta(days=2):
                    break
                day = self._snap(day - timedelta(days=7), site, "business", forward=False)
            install_status = _S.COMPLETED
            done_at = install[1] - timedelta(minutes=rng.randint(0, 40))
            install_events = [
                requested(install[0]),
                confirm(),
                validate(),
                _Event("complete", _S.COMPLETED, SCHEDULING_TEAM, done_at, reason="Field technician installed and tested the equipment"),
            ]
            if past_confirmation or rng.random() < 0.5:
                act.ip_letter_sent_on = letter
            else:
                gate = None
        elif mode == "future":
            if window is not None:
                latest = add_business_days(self._local_date(window[0], site), -rng.randint(3, 6), site.cal)
                earliest = self.today + timedelta(days=2)
                day = self.today + timedelta(days=rng.randint(2, max(2, (latest - self.today).days)))
                day = max(earliest, min(day, latest))
            else:
                day = self.today + timedelta(days=rng.randint(3, 20))
            day = self._snap(day, site, "business")
            install = self._window_on(day, site, _INSTALL, "business")
            if install[0] <= self.now + timedelta(hours=2):
                install = self._window_on(self._snap(day + timedelta(days=7), site, "business"), site, _INSTALL, "business")
            if scenario == "install_upcoming":
                install_status = rng.choice((_S.CONFIRMED, _S.VALIDATED))
            else:
                install_status = rng.choice((_S.REQUESTED, _S.CONFIRMED))
            install_events = [requested(install[0]), confirm(), validate()][
                : {_S.REQUESTED: 1, _S.CONFIRMED: 2, _S.VALIDATED: 3}[install_status]
            ]
        elif mode == "cancelled":
            cancel = next(e for e in events if e.action == "cancel")
            assert window is not None and cancel.at is not None
            day = add_business_days(self._local_date(window[0], site), -rng.randint(3, 6), site.cal)
            install = self._window_on(day, site, _INSTALL, "business")
            if install[1] < cancel.at - timedelta(hours=2):
                install_status = _S.COMPLETED
                install_events = [
                    requested(install[0]),
                    confirm(),
                    validate(),
                    _Event("complete", _S.COMPLETED, SCHEDULING_TEAM, install[1], reason="Field technician installed and tested the equipment"),
                ]
            else:
                install_status = _S.CANCELLED
                install_events = [requested(install[0]), confirm(), _Event("cancel", _S.CANCELLED, ccm, cancel.at, reason=cancel.reason)]

        act.install_status = install_status
        act.install_start = install[0] if install else None
        if install_events:
            assert install is not None
            low = min(install[0] - timedelta(days=rng.randint(8, 20)), self.now - timedelta(days=rng.randint(3, 8)))
            self._history(act, _INSTALL, install_events, low, install[0], install[0])
        self._step(act, _INSTALL, install_status, install)
        return gate

    def _request(self, act: _Activation) -> Callable[[datetime], _Event]:
        return lambda start: _Event("request", _S.REQUESTED, act.customer.ccm, new_start=start)

    def _validate(self, act: _Activation) -> Callable[[], _Event]:
        designated = act.customer.with_role(ContactRole.DESIGNATED).name
        reason = f"Validated by {designated} (designated contact) by e-mail"
        return lambda: _Event("validate", _S.VALIDATED, act.customer.ccm, reason=reason)

    def _fee(self, act: _Activation) -> tuple[int, str] | None:
        try:
            money = self.fees.fee(act.customer.region, act.field_dispatch)
        except NoFeeSchedule:
            return None
        return int(money.amount * 100), money.currency

    def _not_ready(self, act: _Activation, at: datetime) -> _Event:
        fee = self._fee(act)
        reason = self.rng.choice(_NOT_READY_REASONS)
        if fee is None:
            reason += f"; no fee schedule for {act.customer.region.label}"
        return _Event("not_ready", _S.NOT_READY, act.customer.ccm, at, reason=reason, fee=fee)

    def _step(self, act: _Activation, kind: StepKind, status: StepStatus, window: tuple[datetime, datetime] | None) -> None:
        self.rows["activation_steps"].append(
            {
                "id": self._id("step"),
                "activation_id": act.id,
                "customer_id": act.customer.id,
                "kind": kind.value,
                "start_at": window[0] if window else None,
                "end_at": window[1] if window else None,
                "status": status.value,
                "version": 1,
            }
        )

    def _history(
        self, act: _Activation, kind: StepKind, events: list[_Event], low: datetime, first: datetime, last: datetime
    ) -> None:
        """History rows for one step; events without a time get one in order.

        Untimed events come after `low`, before now, and before the window
        they lead up to: the first window (`first`) until an event with a
        time (an outcome, a reschedule), the current window (`last`) after it.
        """
        margin = timedelta(minutes=30)
        times = self._fill_times([e.at for e in events], low, min(self.now, first) - margin, min(self.now, last) - margin)
        status: StepStatus | None = None
        start: datetime | None = None
        for event, at in zip(events, times, strict=True):
            moves = event.new_start is not None
            self.rows["activation_changes"].append(
                {
                    "id": self._id("change"),
                    "activation_id": act.id,
                    "step_kind": kind.value,
                    "at": at,
                    "who": event.who,
                    "action": event.action,
                    "from_status": status.value if status else None,
                    "to_status": event.status.value,
                    "from_start": start if moves else None,
                    "to_start": event.new_start if moves else None,
                    "reason": event.reason,
                    "fee_cents": event.fee[0] if event.fee else None,
                    "fee_currency": event.fee[1] if event.fee else None,
                }
            )
            status = event.status
            if moves:
                start = event.new_start

    def _fill_times(
        self, anchors: Sequence[datetime | None], low: datetime, before: datetime, trailing: datetime
    ) -> list[datetime]:
        """Give each missing time a minute between its neighbours, in order;
        never later than `before` ahead of a timed event, `trailing` after the last."""
        out = list(anchors)
        i = 0
        while i < len(out):
            if out[i] is not None:
                i += 1
                continue
            j = i
            while j < len(out) and out[j] is None:
                j += 1
            left = out[i - 1] if i > 0 else low
            right = min(out[j], before) if j < len(out) and out[j] is not None else trailing
            assert left is not None and right is not None
            span = int((right - left).total_seconds() // 60)
            count = j - i
            if span > count + 1:
                picks = sorted(self.rng.sample(range(1, span), count))
            else:
                picks = list(range(1, count + 1))
            for k, minutes in enumerate(picks):
                out[i + k] = left + timedelta(minutes=minutes)
            i = j
        return [o for o in out if o is not None]

    # -- orders ---------------------------------------------------------------------

    def _order_rows(self, order: _Order) -> None:
        rng = self.rng
        customer = order.customer
        currency = _CURRENCY.get(customer.home.country, "USD")
        mrc = nrc = 0
        for _site in order.sites:
            for service in order.services:
                (m_low, m_high), (n_low, n_high) = _PRICES[service]
                mrc += rng.randint(m_low // 5, m_high // 5) * 5
                nrc += rng.randint(n_low // 50, n_high // 50) * 50
        mrc = round(mrc * _FX[currency])
        nrc = round(nrc * _FX[currency])
        acts = order.activations
        dates = [self._local_date(a.start, a.site) for a in acts if a.start is not None and a.status is not _S.CANCELLED]
        completed_on: date | None = None
        if order.state == "done" or (order.state == "scheduling" and all(a.status is _S.COMPLETED for a in acts)):
            status = OrderStatus.COMPLETED
            completed_on = max(dates)
            ccd = completed_on + timedelta(days=rng.randint(-1, 14))
        elif order.state == "cancelled" or all(a.status is _S.CANCELLED for a in acts):
            status = OrderStatus.CANCELLED
            ccd = self.today + timedelta(days=rng.randint(10, 40))
        elif order.state == "provisioning":
            status = OrderStatus.PROVISIONING
            ccd = self.today + timedelta(days=rng.randint(20, 80))
        else:
            status = OrderStatus.INSTALLATION_COMPLETE
            if order.special == "past_ccd":
                ccd = self.today - timedelta(days=12)
            elif order.special == "at_risk":
                ccd = self.today + timedelta(days=6)
            else:
                planned = max((d for d in dates if d >= self.today), default=self.today + timedelta(days=20))
                ccd = planned + timedelta(days=rng.randint(2, 21))
        self.rows["orders"].append(
            {
                "id": order.id,
                "customer_id": customer.id,
                "number": order.number,
                "status": status.value,
                "mrc_cents": mrc * 100,
                "nrc_cents": nrc * 100,
                "currency": currency,
                "ccd": ccd,
                "completed_on": completed_on,
                "version": 1,
            }
        )
        for service in order.services:
            self.rows["order_services"].append({"id": self._id("order_service"), "order_id": order.id, "kind": service.value})

    # -- checklists -------------------------------------------------------------------

    def _checklist(self, act: _Activation) -> None:
        """The activation's checklist, ticked as far as its story has got.

        Items that mirror a record (a validation, the scheduling team's
        confirmation, the installation, the IP letter) follow it; the rest are
        done the likelier the nearer their due date. Customer items that gate
        the event are done once due, except where a risk is wanted: some
        activations in the coming week keep one overdue, so the checklist
        screen has not-ready risks to lead with.
        """
        rng = self.checklist_rng
        template = self.templates[act.service]
        risky = self._risky_item(act, template.items)
        position = 0
        for item in template.items:
            position += 1
            if item is risky:
                state, note = (ItemState.BLOCKED, rng.choice(_BLOCKED_NOTES)) if rng.random() < 0.3 else (ItemState.OPEN, "")
            else:
                state, note = self._item_state(act, item)
            self._checklist_row(act, position, item, state, note, "template")
        if act.status.open and rng.random() < 0.12:
            text, owner, phase, days, blocking = rng.choice(_ADHOC_ITEMS)
            if not act.service.managed and phase.step is _INSTALL:
                phase = Phase.BEFORE_ACTIVATION
            extra = TemplateItem(phase, text, owner, days, blocking)
            position += 1
            state = ItemState.DONE if rng.random() < 0.3 else ItemState.OPEN
            self._checklist_row(act, position, extra, state, "", "adhoc")

    def _step_of(self, act: _Activation, phase: Phase) -> tuple[StepStatus | None, datetime | None]:
        if phase.step is _INSTALL:
            return act.install_status, act.install_start
        return act.status, act.start

    def _due(self, act: _Activation, item: TemplateItem) -> date | None:
        _, start = self._step_of(act, item.phase)
        if start is None:
            return None
        return item_due_date(start.replace(tzinfo=UTC), item.due_business_days, act.site.cal)

    def _risky_item(self, act: _Activation, items: Sequence[TemplateItem]) -> TemplateItem | None:
        """A customer item that gates an event in the coming week, left open past its due date."""
        rng = self.checklist_rng
        soon = self.now + timedelta(days=8)
        wanted = []
        for item in items:
            status, start = self._step_of(act, item.phase)
            if status is None or not status.open or start is None or not self.now < start <= soon:
                continue
            due = self._due(act, item)
            if item.owner is Owner.CUSTOMER and item.blocking and due is not None and due < self.today:
                if not _mirrors_record(item):
                    wanted.append(item)
        if not wanted or rng.random() >= 0.35:
            return None
        return rng.choice(wanted)

    def _item_state(self, act: _Activation, item: TemplateItem) -> tuple[ItemState, str]:
        rng = self.checklist_rng
        status, start = self._step_of(act, item.phase)
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
        due = self._due(act, item)
        if due is None:
            return ItemState.OPEN, ""
        if due < self.today:
            if item.owner is Owner.CUSTOMER and item.blocking:
                return ItemState.DONE, ""
            return _done_if(rng.random() < 0.9)
        if item.owner is Owner.CUSTOMER and rng.random() < 0.04:
            return ItemState.BLOCKED, rng.choice(_BLOCKED_NOTES)
        return _done_if(rng.random() < (0.5 if due == self.today else 0.25))

    def _checklist_row(
        self, act: _Activation, position: int, item: TemplateItem, state: ItemState, note: str, source: str
    ) -> None:
        rng = self.checklist_rng
        item_id = self._id("checklist")
        changed = state is not ItemState.OPEN
        at = self.now - timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 900)) if changed else None
        self.rows["checklist_items"].append(
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
            added = (at or self.now) - timedelta(days=rng.randint(1, 4))
            self._checklist_change(act, item_id, added, None, ItemState.OPEN, "added")
        if changed:
            assert at is not None
            self._checklist_change(act, item_id, at, ItemState.OPEN, state, note)

    def _checklist_change(
        self, act: _Activation, item_id: int, at: datetime, before: ItemState | None, after: ItemState, note: str
    ) -> None:
        self.rows["checklist_changes"].append(
            {
                "id": self._id("checklist_change"),
                "item_id": item_id,
                "activation_id": act.id,
                "at": at,
                "who": act.customer.ccm,
                "from_state": before.value if before else None,
                "to_state": after.value,
                "note": note,
            }
        )

    # -- hours ------------------------------------------------------------------------

    def _time_entries(self) -> None:
        """This month and the three before; some customers near or over their package."""
        rng = self.rng
        categories = list(TaskCategory)
        weights = [{"relationship": 25, "activations": 25, "service_level": 15}.get(c.value, 12) for c in categories]
        month = self.today.replace(day=1)
        months = [month]
        for _ in range(3):
            months.append((months[-1] - timedelta(days=1)).replace(day=1))
        elapsed = self.today.day / _days_in_month(self.today)
        owned = [c for c in self.customers if c.ccm == self.cfg.demo_user] or self.customers
        over = set(c.id for c in owned[1:4:2])
        near = set(c.id for c in owned[5:11:2])
        for customer in self.customers:
            for start in months:
                if start == month:
                    if customer.id in over:
                        ratio = rng.uniform(1.05, 1.35)
                    elif customer.id in near:
                        ratio = rng.uniform(0.82, 0.97)
                    else:
                        ratio = rng.uniform(0.3, 0.85) * elapsed
                    last = self.today
                else:
                    ratio = rng.uniform(0.5, 1.08)
                    last = start.replace(day=_days_in_month(start))
                days = [start + timedelta(days=d) for d in range((last - start).days + 1)]
                days = [d for d in days if d.weekday() < 5] or days
                remaining = int(customer.hours * 60 * ratio) // 15 * 15
                while remaining >= 15:
                    minutes = min(remaining, rng.randint(2, 12) * 15)
                    remaining -= minutes
                    category = rng.choices(categories, weights)[0]
                    self.rows["time_entries"].append(
                        {
                            "id": self._id("time"),
                            "customer_id": customer.id,
                            "day": rng.choice(days),
                            "minutes": minutes,
                            "category": category.value,
                            "note": rng.choice(self.tasks[category])[0],
                            "who": customer.ccm,
                        }
                    )

    # -- service reviews ---------------------------------------------------------------

    def _reviews(self) -> None:
        rng = self.rng
        for customer in self.customers:
            held: list[tuple[ReviewKind, date]] = []
            month = self.today.replace(day=1)
            for _ in range(3):  # this month's, if it has been held, and the two before
                day = self._weekday(month + timedelta(days=rng.randint(1, 12)), forward=True)
                if day < self.today and rng.random() < 0.75:
                    held.append((ReviewKind.MONTHLY, day))
                month = (month - timedelta(days=1)).replace(day=1)
            if rng.random() < 0.6:
                held.append((ReviewKind.QUARTERLY, self._weekday(self.today - timedelta(days=rng.randint(40, 85)))))
            if rng.random() < 0.2:
                held.append((ReviewKind.EXECUTIVE, self._weekday(self.today - timedelta(days=rng.randint(60, 150)))))
            held.sort(key=lambda h: h[1])
            for index, (kind, day) in enumerate(held):
                self._review(customer, kind, day, latest=index == len(held) - 1)

    def _review(self, customer: _Customer, kind: ReviewKind, day: date, latest: bool) -> None:
        rng = self.rng
        review_id = self._id("review")
        designated = customer.with_role(ContactRole.DESIGNATED)
        attendees = [f"{designated.name} (designated contact)"]
        if kind is ReviewKind.EXECUTIVE:
            executive = next((c for c in customer.contacts if ContactRole.EXECUTIVE in c.roles), None)
            if executive is not None and executive is not designated:
                attendees.append(f"{executive.name} (executive)")
        attendees.append(f"{customer.ccm} (CCM)")
        self.rows["service_reviews"].append(
            {
                "id": review_id,
                "customer_id": customer.id,
                "kind": kind.value,
                "held_on": day,
                "status": "completed",
                "attendees": "; ".join(attendees),
                "version": 1,
                "completed_at": datetime.combine(day, time(21, 0)),
            }
        )
        offered = [
            (category, text, key, label)
            for category, items in self.tasks.items()
            for text, reviews, key, label in items
            if kind.value in reviews
        ]
        chosen = sorted(rng.sample(range(len(offered)), min(len(offered), rng.randint(4, 6))))
        for position, index in enumerate(chosen, start=1):
            category, text, key, label = offered[index]
            self.rows["agenda_items"].append(
                {
                    "id": self._id("agenda"),
                    "review_id": review_id,
                    "position": position,
                    "section": label,
                    "text": text,
                    "minutes": rng.choice(_MINUTES[category]),
                    "key": key,
                }
            )
        for text, owner in rng.sample(_ACTIONS, rng.randint(1, 3)):
            due = day + timedelta(days=rng.randint(7, 21))
            done = due < self.today and rng.random() < (0.4 if latest else 0.9)
            self.rows["action_items"].append(
                {
                    "id": self._id("action"),
                    "review_id": review_id,
                    "text": text,
                    "owner": customer.ccm if owner == "ccm" else designated.name,
                    "due": due,
                    "done": done,
                    "done_on": due if done else None,
                }
            )

    def _review_setup(self) -> None:
        """Review cadences, the last firewall and monitoring reviews (some due), and an
        incident log over the last four months. Its own random stream, so the rest of
        the book is the same with or without it."""
        rng = random.Random(f"{self.cfg.seed}-reviews")
        mine = [c for c in self.customers if c.ccm == self.cfg.demo_user] or self.customers
        busy = {c.id for c in mine[:6]}  # the demo user's first customers have plenty to review
        last_held: dict[int, date] = {}
        for review in self.rows["service_reviews"]:
            last_held[review["customer_id"]] = max(review["held_on"], last_held.get(review["customer_id"], review["held_on"]))
        for customer, row in zip(self.customers, self.rows["customers"], strict=True):
            row["last_review_on"] = last_held.get(customer.id)
            row["review_cadence"] = "quarterly" if rng.random() < 0.3 else "monthly"
            for column in ("firewall_reviewed_on", "monitoring_reviewed_on"):
                roll = rng.random()
                if roll < 0.15 and customer.id not in busy:
                    row[column] = None  # never reviewed
                elif roll < 0.55 or customer.id in busy:
                    row[column] = self.today - timedelta(days=rng.randint(95, 240))  # due
                else:
                    row[column] = self.today - timedelta(days=rng.randint(10, 85))
            count = rng.randint(3, 7) if customer.id in busy else rng.choices((0, 1, 2, 3, 4), (30, 25, 20, 15, 10))[0]
            for _ in range(count):
                self._incident(rng, customer)

    def _incident(self, rng: random.Random, customer: _Customer) -> None:
        escalation = rng.random() < 0.25
        summaries = _ESCALATIONS if escalation else _INCIDENTS
        opened = self.now - timedelta(days=rng.randint(0, 115), minutes=rng.randint(0, 1440))
        severity = rng.choices((1, 2, 3, 4), (5, 20, 45, 30))[0]
        hours_open = rng.randint(1, 6) if severity <= 2 else rng.randint(2, 96)
        closed = opened + timedelta(hours=hours_open, minutes=rng.randint(0, 59))
        site = rng.choice(customer.sites)
        self.rows["incidents"].append(
            {
                "id": self._id("incident"),
                "customer_id": customer.id,
                "kind": "escalation" if escalation else "incident",
                "severity": severity,
                "summary": rng.choice(summaries).format(site=site.name),
                "opened_at": opened,
                "closed_at": None if closed > self.now or rng.random() < 0.08 else closed,
                "who": customer.ccm,
            }
        )

    def _weekday(self, day: date, forward: bool = False) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1 if forward else -1)
        return day


def _days_in_month(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - day.replace(day=1)).days


def _slug(text: str, join: str = "") -> str:
    """ASCII letters and digits of the first two words (for e-mail names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in w if ch.isalnum()).lower() for w in ascii_text.split()]
    return join.join([w for w in words if w][:2])

