"""The seeded book's customers, a chunk at a time: each with its sites,
contacts, review history, orders and this month's time entries.

Customers are in every region, with 1-3 sites in real zones (with the state
or province whose holidays apply, as `data/demo.toml` gives it) and 1-3
contacts: always a designated and a site technical contact, and no name
twice in a customer (a name is the contact's key in the CSV files). Every
natural key the CSV files match on is unique. Reviews and incidents come
from `store.seed_reviews`, orders from `store.seed_activations`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ccm_tui.domain.import_rows import fold_name
from ccm_tui.domain.model import ContactRole, Region, ServiceKind, TaskCategory
from ccm_tui.domain.search_text import customer_search_text, customer_sort_name
from ccm_tui.store.convert import roles_text
from ccm_tui.store.demo_settings import DemoSettings, Place
from ccm_tui.store.seed_activations import OrderSeeder
from ccm_tui.store.seed_ids import Rows, SeedIds, empty_rows
from ccm_tui.store.seed_reviews import ReviewSeeder

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
_R = ContactRole
# Roles of the first, second and third contact (the one contact, if alone), as stored.
_ROLES = tuple(roles_text(r) for r in ({_R.DESIGNATED, _R.AUTHORISED}, {_R.SITE_TECHNICAL}, {_R.BILLING, _R.EXECUTIVE}))
_ROLES_ALONE = (roles_text({_R.DESIGNATED, _R.AUTHORISED, _R.SITE_TECHNICAL}),)


class CustomerSeeder:
    """Writes customers with all they hold; one random stream for the whole seed."""

    def __init__(
        self,
        today: date,
        now: datetime,
        rng: random.Random,
        ids: SeedIds,
        settings: DemoSettings,
        reviews: ReviewSeeder,
        orders: OrderSeeder,
    ) -> None:
        self.today = today
        self.now = now
        self.rng = rng
        self.ids = ids
        self.reviews = reviews
        self.orders = orders
        self.places: dict[Region, list[Place]] = {r: list(settings.places_in(r)) for r in Region}
        self.first_names = settings.first_names
        self.last_names = settings.last_names
        self.month_days = [d for d in _month_so_far(today) if d.weekday() < 5] or _month_so_far(today)

    def chunk(self, activation_counts: list[int]) -> Rows:
        rows = empty_rows()
        regions = self.rng.choices(list(_REGION_WEIGHTS), list(_REGION_WEIGHTS.values()), k=len(activation_counts))
        for region, count in zip(regions, activation_counts, strict=True):
            self._customer(rows, region, count)
        return rows

    def _customer(self, rows: Rows, region: Region, n_activations: int) -> None:
        rng = self.rng
        (cid,) = self.ids.take("customers", 1)
        home = rng.choice(self.places[region])
        country = home.country
        name = f"{rng.choice(_PREFIXES)} {rng.choice(_CORES)} {rng.choice(_SUFFIXES.get(country, ('Ltd',)))}"
        account = f"{region.value}-{100000 + cid}"
        ccm = _CCMS[0] if rng.random() < 0.4 else rng.choice(_CCMS)
        hours = rng.choice((4, 8, 12, 16, 24))

        n_sites = 1 if rng.random() < 0.6 else 2 if rng.random() < 0.75 else 3
        site_ids = self.ids.take("sites", n_sites)
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
        contact_ids = self.ids.take("contacts", n_contacts)
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

        cities = [p.city for _, p in sites]
        created = self.now - timedelta(days=rng.randint(30, 1500))
        executive = next((n for n, r in zip(names, roles, strict=True) if ContactRole.EXECUTIVE.value in r.split(",")), None)
        site_names = [row["name"] for row in rows["sites"][-n_sites:]]
        review_columns = self.reviews.customer(rows, self.ids.take, cid, ccm, names[0], executive, site_names)
        rows["customers"].append(
            {
                "id": cid,
                "account_number": account,
                "name": name,
                "sort_name": customer_sort_name(name),
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
            self.orders.order(rows, cid, ccm, sites, technical, _CURRENCY.get(country, "USD"), rng.sample(_KINDS, size))

        for day in (rng.choice(self.month_days) for _ in range(rng.randint(2, 4))):
            (tid,) = self.ids.take("time_entries", 1)
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


def _month_so_far(today: date) -> list[date]:
    return [today.replace(day=d) for d in range(1, today.day + 1)]
