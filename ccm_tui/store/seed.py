"""A large generated book for benchmarks (50,000 customers in seconds).

The demo's realism in a simpler form: customers in every region with 1-3
sites in real zones (with the state or province whose holidays apply, as
`data/demo.toml` gives it) and 1-3 contacts (always a designated and a site
technical contact; no name twice in a customer), orders whose services each
get an activation per site, steps spread from 60 days ago to 120 days ahead
in every status with a history that follows the status machine, and this
month's time entries. Besides, what a book in use has: service reviews and
incidents (`store.seed_reviews`) and checklists for the activations around
today (`store.seed_checklists`). Every natural key the CSV files match on is
unique, so `ccm export csv` then `ccm import all` gives the same book.

Speed comes from SQLAlchemy Core: ids are generated here (no round trip per
row), rows are built as plain dicts and inserted with executemany, a chunk
of customers at a time in foreign-key order, all in one transaction.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select

from ccm_tui.data_files import load_checklist_templates
from ccm_tui.domain.imports import fold_name
from ccm_tui.domain.model import ContactRole, OrderStatus, Region, ServiceKind, StepKind, StepStatus, TaskCategory
from ccm_tui.store import tables as t
from ccm_tui.store.convert import roles_text
from ccm_tui.store.demo import Place, load_demo_settings
from ccm_tui.store.engine import write_session
from ccm_tui.domain.search_text import customer_search_text, fold
from ccm_tui.store.seed_checklists import seed_checklists
from ccm_tui.store.seed_reviews import ReviewSeeder

CHUNK_CUSTOMERS = 2_000  # customers generated and inserted at a time
SCHEDULING_TEAM = "scheduling team"

_S = StepStatus
_KINDS = tuple(ServiceKind)
_CATEGORIES = tuple(c.value for c in TaskCategory)
_CCMS = ("Alex Morgan", "Priya Raman", "Jonas Weber", "Lucía Fernández", "Sam Okafor", "Mei Chen")
_PREFIXES = (
    "Harbor", "Cedar", "Summit", "Bluewater", "Granite", "Lakeshore", "Prairie", "Red Rock", "Pacific", "Evergreen",
    "Ironbridge", "Golden", "Northstar", "Riverbend", "Copperline", "Silverline", "Maple", "Atlas", "Beacon",
    "Crescent", "Falcon", "Juniper", "Meridian", "Oakridge", "Pinnacle", "Quarry", "Sterling", "Tidewater",
    "Union", "Vanguard", "Westfield", "Yellowstone", "Zenith", "Aurora", "Bayside", "Coastal",
)  # fmt: skip
_CORES = (
    "Logistics", "Health", "Outfitters", "Credit Union", "Insurance", "Dental", "Energy", "Hospitality",
    "Software", "Title", "Manufacturing", "Biotech", "Analytics", "Schools", "Mining", "Legal", "Labs", "Foods",
    "Freight", "Media", "Capital", "Textiles", "Travel", "Retail", "Pharmacy", "Construction", "Farms", "Motors",
)  # fmt: skip
_SUFFIXES = {
    "US": ("Inc.", "LLC", "Corp.", "Group"), "CA": ("Ltd.", "Inc."), "MX": ("S.A. de C.V.",), "BR": ("Ltda.", "S.A."),
    "AR": ("S.A.", "S.R.L."), "GB": ("Ltd", "plc"), "DE": ("GmbH", "AG"), "FR": ("SA", "SAS", "SARL"),
    "ZA": ("(Pty) Ltd",), "AE": ("LLC", "FZ-LLC"), "IN": ("Pvt Ltd",), "SG": ("Pte Ltd",), "JP": ("K.K.", "Co., Ltd."),
    "AU": ("Pty Ltd",), "NZ": ("Ltd",),
}  # fmt: skip
_CURRENCY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "AU": "AUD"}
_REGION_WEIGHTS = {Region.NORTH_AMERICA: 15, Region.EMEA: 11, Region.ASIA_PACIFIC: 9, Region.LATIN_AMERICA: 5}
_PAST_STATUSES = ((_S.COMPLETED, 80), (_S.NOT_READY, 6), (_S.NO_SHOW, 3), (_S.CANCELLED, 6), (_S.REQUESTED, 5))
_FUTURE_STATUSES = ((_S.UNSCHEDULED, 10), (_S.REQUESTED, 30), (_S.CONFIRMED, 30), (_S.VALIDATED, 25), (_S.CANCELLED, 5))
_CHAIN = {  # history actions leading to each status, in order
    _S.REQUESTED: ("request",),
    _S.CONFIRMED: ("request", "confirm"),
    _S.VALIDATED: ("request", "confirm", "validate"),
    _S.COMPLETED: ("request", "confirm", "validate", "complete"),
    _S.NOT_READY: ("request", "confirm", "validate", "not_ready"),
    _S.NO_SHOW: ("request", "confirm", "validate", "no_show"),
    _S.CANCELLED: ("request", "cancel"),
}
_TO_STATUS = {
    "request": "requested",
    "confirm": "confirmed",
    "validate": "validated",
    "complete": "completed",
    "not_ready": "not_ready",
    "no_show": "no_show",
    "cancel": "cancelled",
}
_R = ContactRole
# Roles of the first, second and third contact (the one contact, if alone), as stored.
_ROLES = tuple(roles_text(r) for r in ({_R.DESIGNATED, _R.AUTHORISED}, {_R.SITE_TECHNICAL}, {_R.BILLING, _R.EXECUTIVE}))
_ROLES_ALONE = (roles_text({_R.DESIGNATED, _R.AUTHORISED, _R.SITE_TECHNICAL}),)
_PAST = (tuple(s for s, _ in _PAST_STATUSES), tuple(accumulate(w for _, w in _PAST_STATUSES)))
_FUTURE = (tuple(s for s, _ in _FUTURE_STATUSES), tuple(accumulate(w for _, w in _FUTURE_STATUSES)))
_HOUR, _DAY = timedelta(hours=1), timedelta(days=1)
_PASSED = (_S.CONFIRMED, _S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW)


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """Rows written per table."""

    customers: int = 0
    contacts: int = 0
    sites: int = 0
    orders: int = 0
    order_services: int = 0
    activations: int = 0
    activation_steps: int = 0
    activation_changes: int = 0
    time_entries: int = 0
    service_reviews: int = 0
    agenda_items: int = 0
    action_items: int = 0
    incidents: int = 0
    checklist_items: int = 0
    checklist_changes: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


_TABLES: tuple[tuple[Table, str], ...] = (
    (t.CustomerRow.__table__, "customers"),  # type: ignore[attr-defined]
    (t.ContactRow.__table__, "contacts"),  # type: ignore[attr-defined]
    (t.SiteRow.__table__, "sites"),  # type: ignore[attr-defined]
    (t.OrderRow.__table__, "orders"),  # type: ignore[attr-defined]
    (t.OrderServiceRow.__table__, "order_services"),  # type: ignore[attr-defined]
    (t.ActivationRow.__table__, "activations"),  # type: ignore[attr-defined]
    (t.ActivationStepRow.__table__, "activation_steps"),  # type: ignore[attr-defined]
    (t.ActivationChangeRow.__table__, "activation_changes"),  # type: ignore[attr-defined]
    (t.TimeEntryRow.__table__, "time_entries"),  # type: ignore[attr-defined]
    (t.ServiceReviewRow.__table__, "service_reviews"),  # type: ignore[attr-defined]
    (t.AgendaItemRow.__table__, "agenda_items"),  # type: ignore[attr-defined]
    (t.ActionItemRow.__table__, "action_items"),  # type: ignore[attr-defined]
    (t.IncidentRow.__table__, "incidents"),  # type: ignore[attr-defined]
)


def seed_book(
    engine: Engine,
    customers: int,
    activations: int,
    today: date,
    rng_seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> SeedSummary:
    """Add `customers` customers and `activations` activations, in one transaction."""
    if customers < 1 or activations < 0:
        raise ValueError("seed at least one customer and no negative number of activations")
    report = progress or (lambda _message: None)
    counts = dict.fromkeys((key for _, key in _TABLES), 0)
    with write_session(engine) as session:
        conn = session.connection()
        seeder = _Seeder(conn, today, random.Random(rng_seed), ReviewSeeder(today, _noon(today), rng_seed))
        first_activation = seeder.next_id["activations"]
        base, extra = divmod(activations, customers)
        for first in range(0, customers, CHUNK_CUSTOMERS):
            last = min(customers, first + CHUNK_CUSTOMERS)
            rows = seeder.chunk([base + (1 if i < extra else 0) for i in range(first, last)])
            for table, key in _TABLES:
                if rows[key]:
                    conn.execute(insert(table), rows[key])
                    counts[key] += len(rows[key])
            report(f"customers {last:,}/{customers:,}, activations {counts['activations']:,}/{activations:,}")
        report("checklists")
        # the shipped templates, never a user's copy: the same seed gives the same book everywhere
        templates = load_checklist_templates().templates
        items, changes = seed_checklists(conn, templates, first_activation, _noon(today))
        meta = t.BookMetaRow.__table__  # type: ignore[attr-defined]
        conn.execute(delete(meta).where(meta.c.key.in_(("kind", "seed_anchor"))))
        conn.execute(insert(meta), [{"key": "kind", "value": "seed"}, {"key": "seed_anchor", "value": today.isoformat()}])
        report("committing")
    return SeedSummary(**counts, checklist_items=items, checklist_changes=changes)


def _noon(today: date) -> datetime:
    """The seed's "now": noon UTC (naive, as stored) on its day."""
    return datetime.combine(today, time(12, 0))


class _Seeder:
    def __init__(self, conn: Connection, today: date, rng: random.Random, reviews: ReviewSeeder) -> None:
        self.today = today
        self.now = _noon(today)
        self.rng = rng
        self.reviews = reviews
        settings = load_demo_settings()
        self.places: dict[Region, list[Place]] = {r: list(settings.places_in(r)) for r in Region}
        self.first_names = settings.first_names
        self.last_names = settings.last_names
        self.zones = {p.zone: ZoneInfo(p.zone) for p in settings.places}
        self._utc_cache: dict[tuple[str, date, int], datetime] = {}
        # Continue after whatever the book already holds.
        self.next_id = {
            key: (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1 for table, key in _TABLES
        }
        self.month_days = [d for d in _month_so_far(today) if d.weekday() < 5] or _month_so_far(today)

    def _ids(self, key: str, n: int) -> range:
        start = self.next_id[key]
        self.next_id[key] = start + n
        return range(start, start + n)

    def _utc(self, zone: str, day: date, hour: int) -> datetime:
        key = (zone, day, hour)
        found = self._utc_cache.get(key)
        if found is None:
            local = datetime(day.year, day.month, day.day, hour, tzinfo=self.zones[zone])
            found = self._utc_cache[key] = local.astimezone(UTC).replace(tzinfo=None)
        return found

    def chunk(self, activation_counts: list[int]) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {key: [] for _, key in _TABLES}
        regions = self.rng.choices(list(_REGION_WEIGHTS), list(_REGION_WEIGHTS.values()), k=len(activation_counts))
        for region, count in zip(regions, activation_counts, strict=True):
            self._customer(rows, region, count)
        return rows

    def _customer(self, rows: dict[str, list[dict[str, Any]]], region: Region, n_activations: int) -> None:
        rng = self.rng
        (cid,) = self._ids("customers", 1)
        home = rng.choice(self.places[region])
        country = home.country
        name = f"{rng.choice(_PREFIXES)} {rng.choice(_CORES)} {rng.choice(_SUFFIXES.get(country, ('Ltd',)))}"
        account = f"{region.value}-{100000 + cid}"
        ccm = _CCMS[0] if rng.random() < 0.4 else rng.choice(_CCMS)
        hours = rng.choice((4, 8, 12, 16, 24))

        n_sites = 1 if rng.random() < 0.6 else 2 if rng.random() < 0.75 else 3
        site_ids = self._ids("sites", n_sites)
        sites: list[tuple[int, Place]] = []
        for index, sid in enumerate(site_ids):
            place = home if index == 0 else rng.choice(self.places[region])
            sites.append((sid, place))
            street = rng.choice(place.streets).replace("#", str(rng.randint(1, 480)))
            rows["sites"].append(
                {
                    "id": sid,
                    "customer_id": cid,
                    "name": "Head office" if index == 0 else f"{place.city} site {index + 1}",
                    "address": f"{street}, {place.postcodes[0].replace('#', '0')}",
                    "city": place.city,
                    "country": place.country,
                    "subdivision": place.subdivision,
                    "timezone": place.zone,
                    "version": 1,
                }
            )

        n_contacts = rng.choice((1, 2, 2, 3))
        roles = _ROLES_ALONE if n_contacts == 1 else _ROLES[:n_contacts]
        contact_ids = self._ids("contacts", n_contacts)
        names: list[str] = []
        for cont_id, held in zip(contact_ids, roles, strict=True):
            while True:  # a name is the contact's key within the customer
                first, last = rng.choice(self.first_names[country]), rng.choice(self.last_names[country])
                if fold_name(f"{first} {last}") not in {fold_name(n) for n in names}:
                    break
            names.append(f"{first} {last}")
            roll = rng.random()
            rows["contacts"].append(
                {
                    "id": cont_id,
                    "customer_id": cid,
                    "name": f"{first} {last}",
                    "roles": held,
                    "phone": home.phone.replace("#", "5"),
                    "email": f"contact{cont_id}@customer{cid}.example.com",
                    "last_reviewed": None if roll < 0.05 else self.today - timedelta(days=int(roll * 200)),
                    "version": 1,
                }
            )
        technical = contact_ids[1] if n_contacts > 1 else contact_ids[0]

        cities = list(dict.fromkeys(fold(p.city) for _, p in sites))
        created = self.now - timedelta(days=rng.randint(30, 1500))
        executive = next((n for n, r in zip(names, roles, strict=True) if ContactRole.EXECUTIVE.value in r.split(",")), None)
        site_names = [row["name"] for row in rows["sites"][-n_sites:]]
        review_columns = self.reviews.customer(rows, self._ids, cid, ccm, names[0], executive, site_names)
        rows["customers"].append(
            {
                "id": cid,
                "account_number": account,
                "name": name,
                "sort_name": fold(name),
                "region": region.value,
                "ccm": ccm,
                "hours_per_month_minutes": hours * 60,
                "notes": "",
                "search_text": customer_search_text(name, account, names, cities),
                "version": 1,
                "created_at": created,
                "updated_at": created,
                **review_columns,
            }
        )

        remaining = n_activations
        while remaining > 0:
            size = min(remaining, rng.randint(1, 3))
            remaining -= size
            self._order(rows, cid, ccm, sites, technical, _CURRENCY.get(country, "USD"), rng.sample(_KINDS, size))

        for day in (rng.choice(self.month_days) for _ in range(rng.randint(2, 4))):
            (tid,) = self._ids("time_entries", 1)
            rows["time_entries"].append(
                {
                    "id": tid,
                    "customer_id": cid,
                    "day": day,
                    "minutes": rng.randint(2, 12) * 15,
                    "category": rng.choice(_CATEGORIES),
                    "note": "",
                    "who": ccm,
                }
            )

    def _order(
        self,
        rows: dict[str, list[dict[str, Any]]],
        cid: int,
        ccm: str,
        sites: list[tuple[int, Place]],
        technical: int,
        currency: str,
        kinds: list[ServiceKind],
    ) -> None:
        rng = self.rng
        (oid,) = self._ids("orders", 1)
        provisioning = rng.random() < 0.08
        act_days: list[date] = []
        statuses: list[StepStatus] = []
        for kind, aid in zip(kinds, self._ids("activations", len(kinds)), strict=True):
            sid, place = rng.choice(sites)
            status, day = self._activation(rows, cid, ccm, oid, aid, sid, place, technical, kind, provisioning)
            statuses.append(status)
            if day is not None:
                act_days.append(day)
        for kind, osid in zip(kinds, self._ids("order_services", len(kinds)), strict=True):
            rows["order_services"].append({"id": osid, "order_id": oid, "kind": kind.value})
        completed_on = None
        if provisioning:
            order_status, ccd = OrderStatus.PROVISIONING, self.today + timedelta(days=rng.randint(20, 90))
        elif all(s is _S.COMPLETED for s in statuses):
            completed_on = max(act_days)
            order_status, ccd = OrderStatus.COMPLETED, completed_on + timedelta(days=rng.randint(-2, 10))
        elif all(s is _S.CANCELLED for s in statuses):
            order_status, ccd = OrderStatus.CANCELLED, self.today + timedelta(days=rng.randint(0, 60))
        else:
            planned = max(act_days, default=self.today + timedelta(days=30))
            # about one order in ten slips past its CCD
            ccd = planned + timedelta(days=rng.randint(-20, -1) if rng.random() < 0.1 else rng.randint(0, 20))
            order_status = OrderStatus.INSTALLATION_COMPLETE
        rows["orders"].append(
            {
                "id": oid,
                "customer_id": cid,
                "number": f"SO-{oid:07d}",
                "status": order_status.value,
                "mrc_cents": rng.randint(40, 600) * 500,
                "nrc_cents": rng.randint(0, 20) * 5000,
                "currency": currency,
                "ccd": ccd,
                "completed_on": completed_on,
                "version": 1,
            }
        )

    def _activation(
        self,
        rows: dict[str, list[dict[str, Any]]],
        cid: int,
        ccm: str,
        oid: int,
        aid: int,
        sid: int,
        place: Place,
        technical: int,
        kind: ServiceKind,
        provisioning: bool,
    ) -> tuple[StepStatus, date | None]:
        rng = self.rng
        offset = rng.randint(-60, 120)
        day = self.today + timedelta(days=offset)
        roll = rng.random()
        hour, length = (19, 4) if roll < 0.1 else (9, 3)
        if roll >= 0.17 and day.weekday() >= 5:  # most windows are on weekdays
            day += timedelta(days=7 - day.weekday())
        if provisioning:
            status = _S.UNSCHEDULED
        else:
            statuses, weights = _PAST if day < self.today else _FUTURE
            status = statuses[bisect(weights, rng.random() * weights[-1])]
        start = end = None
        if status is not _S.UNSCHEDULED:
            start = self._utc(place.zone, day, hour)
            end = self._utc(place.zone, day, hour) + timedelta(hours=length)

        letter: date | None = None
        if kind.managed:
            install_day = day - timedelta(days=rng.randint(3, 8))
            if status in _PASSED or (status is _S.REQUESTED and install_day < self.today):
                install_day = min(install_day, self.today - timedelta(days=2))
                install_status = _S.COMPLETED
                if status is not _S.REQUESTED or rng.random() < 0.5:
                    letter = install_day + timedelta(days=1)
            elif status is _S.REQUESTED:
                install_status = rng.choice((_S.REQUESTED, _S.CONFIRMED, _S.VALIDATED))
            else:  # unscheduled or cancelled alike
                install_status = status
            install_start = None if install_status is _S.UNSCHEDULED else self._utc(place.zone, install_day, 8)
            self._step(rows, cid, ccm, aid, StepKind.INSTALLATION, install_status, install_start, 4, None)
        self._step(rows, cid, ccm, aid, StepKind.ACTIVATION, status, start, length, letter)
        rows["activations"].append(
            {
                "id": aid,
                "customer_id": cid,
                "order_id": oid,
                "site_id": sid,
                "service": kind.value,
                "field_dispatch": roll > 0.75,
                "ip_letter_sent_on": letter,
                "ip_letter_contact_id": technical if letter else None,
                "traffic_passed_at": start + timedelta(hours=1) if status is _S.COMPLETED and start else None,
                "version": 1,
            }
        )
        return status, (day if start is not None else None)

    def _step(
        self,
        rows: dict[str, list[dict[str, Any]]],
        cid: int,
        ccm: str,
        aid: int,
        kind: StepKind,
        status: StepStatus,
        start: datetime | None,
        hours: int,
        letter: date | None,
    ) -> None:
        (step_id,) = self._ids("activation_steps", 1)
        rows["activation_steps"].append(
            {
                "id": step_id,
                "activation_id": aid,
                "customer_id": cid,
                "kind": kind.value,
                "start_at": start,
                "end_at": start + timedelta(hours=hours) if start else None,
                "status": status.value,
                "version": 1,
            }
        )
        if start is None:
            return
        now = self.now
        # Agreed before the window (and, for a managed activation, after the IP letter).
        agreed = [min(start - 10 * _DAY, now - 3 * _DAY), min(start - 8 * _DAY, now - 2 * _DAY), min(start - 4 * _DAY, now - _DAY)]
        if letter is not None:
            after = datetime.combine(letter, time(18))
            agreed[1:] = [max(agreed[1], after), max(agreed[2], after + 2 * _HOUR)]
        previous: str | None = None
        chain = _CHAIN[status]
        changes = rows["activation_changes"]
        change_id = self.next_id["activation_changes"]
        self.next_id["activation_changes"] += len(chain)
        for index, action in enumerate(chain):
            if action == "cancel":
                at = min(start - 3 * _DAY, now - _HOUR)
            elif index < 3:
                at = agreed[index]
            else:
                at = start + _HOUR
            change_id += 1
            changes.append(
                {
                    "id": change_id - 1,
                    "activation_id": aid,
                    "step_kind": kind.value,
                    "at": at,
                    "who": SCHEDULING_TEAM if action == "confirm" else ccm,
                    "action": action,
                    "from_status": previous,
                    "to_status": _TO_STATUS[action],
                    "from_start": None,
                    "to_start": start if action == "request" else None,
                    "reason": "",
                    "fee_cents": None,
                    "fee_currency": None,
                }
            )
            previous = _TO_STATUS[action]


def _month_so_far(today: date) -> list[date]:
    return [today.replace(day=d) for d in range(1, today.day + 1)]

