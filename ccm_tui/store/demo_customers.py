"""The demo's customers, each with its sites and contacts.

Customers are spread over the regions by the settings' weights, named from
their home country's list, and given one to three sites (the head office in
the home city, the others mostly in the same country) and two to five
contacts: always a designated and a site technical contact; the others take
the executive, billing and further site technical roles, and where there
are more roles than people someone holds two. A few contacts are overdue a
review, a couple never had one.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.model import ContactRole, Region
from ccm_tui.domain.search_text import customer_search_text, customer_sort_name
from ccm_tui.store.convert import roles_text
from ccm_tui.store.demo_model import DemoBook, DemoContact, DemoCustomer, DemoSite

_SITE_KINDS = ("branch", "data center", "warehouse", "distribution center", "regional office", "plant")


def region_sequence(book: DemoBook) -> list[Region]:
    """Customers per region by weight (each region at least one), shuffled."""
    total = book.cfg.customers
    weights = book.cfg.regions
    counts = {r: max(1, round(total * w / sum(weights.values()))) for r, w in weights.items()}
    biggest = max(counts, key=lambda r: counts[r])
    counts[biggest] += total - sum(counts.values())
    sequence = [r for r in Region if r in counts for _ in range(counts[r])]
    book.rng.shuffle(sequence)
    return sequence


def add_customer(book: DemoBook, region: Region) -> None:
    rng, cfg = book.rng, book.cfg
    used = sum(1 for c in book.customers if c.region is region)
    pool = _name_pool(book, region)
    country, name = pool[used % len(pool)]
    if used >= len(pool):
        name = f"{name} {used // len(pool) + 1}"
    account = f"{region.value}-{_account_number(book)}"
    ccm = cfg.demo_user if rng.random() < cfg.demo_user_share else rng.choice(cfg.ccms)
    customer = DemoCustomer(
        id=book.next_id("customer"),
        name=name,
        account=account,
        region=region,
        ccm=ccm,
        hours=rng.choice(cfg.package_hours),
        home=rng.choice([p for p in cfg.places_in(region) if p.country == country]),
    )
    book.customers.append(customer)
    _sites(book, customer)
    _contacts(book, customer)
    created = book.now - timedelta(days=rng.randint(120, 1500), minutes=rng.randint(0, 600))
    contact_names = [c.name for c in customer.contacts]
    cities = [s.place.city for s in customer.sites]
    book.rows["customers"].append(
        {
            "id": customer.id,
            "account_number": account,
            "name": name,
            "sort_name": customer_sort_name(name),
            "region": region.value,
            "ccm": ccm,
            "hours_per_month_minutes": customer.hours * 60,
            "notes": rng.choice(cfg.notes) if rng.random() < 0.35 else "",
            "search_text": customer_search_text(name, account, contact_names, cities),
            "version": 1,
            "created_at": created,
            "updated_at": min(book.now, created + timedelta(days=rng.randint(0, 90))),
        }
    )


def _name_pool(book: DemoBook, region: Region) -> list[tuple[str, str]]:
    if region not in book.name_pools:
        pool = book.cfg.names_in(region)
        book.rng.shuffle(pool)
        book.name_pools[region] = pool
    return book.name_pools[region]


def _account_number(book: DemoBook) -> int:
    taken = {int(c.account.split("-")[1]) for c in book.customers}
    while True:
        number = book.rng.randint(10000, 99999)
        if number not in taken:
            return number


def _sites(book: DemoBook, customer: DemoCustomer) -> None:
    rng = book.rng
    count = rng.choices((1, 2, 3), (55, 30, 15))[0]
    region_places = book.cfg.places_in(customer.region)
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
        site = DemoSite(book.next_id("site"), name, place, cal)
        customer.sites.append(site)
        street = rng.choice(place.streets).replace("#", str(rng.randint(1, 40 if "-" in place.streets[0] else 480)))
        postcode = _digits(book, rng.choice(place.postcodes))
        book.rows["sites"].append(
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


def _digits(book: DemoBook, pattern: str) -> str:
    return "".join(str(book.rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)


def _contacts(book: DemoBook, customer: DemoCustomer) -> None:
    rng = book.rng
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
            first = rng.choice(book.cfg.first_names[country])
            last = rng.choice(book.cfg.last_names[country])
            if f"{first} {last}" not in names:
                break
        name = f"{first} {last}"
        names.append(name)
        contact = DemoContact(book.next_id("contact"), name, held)
        customer.contacts.append(contact)
        roll = rng.random()
        if roll < 0.05:
            reviewed = None
        elif roll < 0.3:
            reviewed = book.today - timedelta(days=rng.randint(91, 320))
        else:
            reviewed = book.today - timedelta(days=rng.randint(3, 85))
        book.rows["contacts"].append(
            {
                "id": contact.id,
                "customer_id": customer.id,
                "name": name,
                "roles": roles_text(held),
                "phone": _digits(book, customer.home.phone),
                "email": f"{_slug(first, '')}.{_slug(last, '')}@{domain}",
                "last_reviewed": reviewed,
                "version": 1,
            }
        )
    technicians = [c for c in customer.contacts if ContactRole.SITE_TECHNICAL in c.roles]
    for index, site in enumerate(customer.sites):
        site.tech_contact_id = technicians[index % len(technicians)].id


def ensure_review_mix(book: DemoBook) -> None:
    """A couple of contacts never reviewed, whatever the seed drew."""
    never = [r for r in book.rows["contacts"] if r["last_reviewed"] is None]
    for row in book.rows["contacts"][3::17][: max(0, 2 - len(never))]:
        row["last_reviewed"] = None


def _slug(text: str, join: str = "") -> str:
    """ASCII letters and digits of the first two words (for e-mail names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in w if ch.isalnum()).lower() for w in ascii_text.split()]
    return join.join([w for w in words if w][:2])
