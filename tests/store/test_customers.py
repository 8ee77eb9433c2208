"""The customer book repository: paging, sorting, filtering, detail and edits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from ccm_tui.domain.book import BookQuery, BookSort
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ServiceKind,
    StepKind,
    StepStatus,
    TaskCategory,
)
from ccm_tui.domain.validation import (
    ContactInput,
    CustomerInput,
    InvalidInput,
    SiteInput,
    TimeEntryInput,
)
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import tables
from ccm_tui.store.book_page import book_page, find_customers
from ccm_tui.store.contacts import add_contact
from ccm_tui.store.customer_detail import customer_detail, get_customer
from ccm_tui.store.customers import add_customer, update_customer
from ccm_tui.store.engine import make_engine, read_session, sqlite_url, write_session
from ccm_tui.store.sites import add_site
from ccm_tui.store.time_entries import log_time
from tests.actors import ACTOR, AT

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # a Tuesday
MONTH = date(2026, 3, 1)
HOURS = BusinessHours()


@pytest.fixture
def book(engine):
    return engine  # a migrated book of its own, on each engine (tests/store/conftest.py)


def customer(engine, name, account, region=Region.NORTH_AMERICA, ccm="Dana", hours="10"):
    data = CustomerInput(name, account, region, ccm, Decimal(hours), "")
    return add_customer(engine, data, NOW, actor=ACTOR)


def site(engine, customer_id, name="HQ", city="Boston", country="US", zone="America/New_York"):
    return add_site(engine, customer_id, SiteInput(name, "1 Main St", city, country, zone), actor=ACTOR, now=AT)


def order(engine, customer_id, number, ccd, status=OrderStatus.PROVISIONING, mrc=3100, completed_on=None):
    with write_session(engine) as session:
        row = tables.OrderRow(
            customer_id=customer_id,
            number=number,
            status=status.value,
            mrc_cents=mrc * 100,
            nrc_cents=50000,
            ccd=ccd,
            completed_on=completed_on,
        )
        session.add(row)
        session.flush()
        session.add(tables.OrderServiceRow(order_id=row.id, kind=ServiceKind.MRS.value))
        return row.id


def activation(engine, customer_id, order_id, site_id, steps):
    """`steps`: (kind, start, status) triples; start is aware UTC or None."""
    with write_session(engine) as session:
        row = tables.ActivationRow(customer_id=customer_id, order_id=order_id, site_id=site_id, service=ServiceKind.MRS.value)
        session.add(row)
        session.flush()
        for kind, start, status in steps:
            naive = start.astimezone(UTC).replace(tzinfo=None) if start else None
            session.add(
                tables.ActivationStepRow(
                    activation_id=row.id,
                    customer_id=customer_id,
                    kind=kind.value,
                    start_at=naive,
                    end_at=naive + timedelta(hours=2) if naive else None,
                    status=status.value,
                )
            )
        return row.id


def event(engine, customer_id, start, status=StepStatus.CONFIRMED, site_name="HQ"):
    """One activation event for the customer at `start` (makes the site and order)."""
    with read_session(engine) as session:
        found = session.exec(
            select(tables.SiteRow).where(tables.SiteRow.customer_id == customer_id, tables.SiteRow.name == site_name)
        ).first()
        orders = len(session.exec(select(tables.OrderRow)).all())
    site_id = found.id if found else site(engine, customer_id, site_name).id
    order_id = order(engine, customer_id, f"ORD-{customer_id}-{orders}", date(2026, 6, 1))
    return activation(engine, customer_id, order_id, site_id, [(StepKind.ACTIVATION, start, status)])


def log(engine, customer_id, day, hours):
    return log_time(engine, customer_id, TimeEntryInput(day, Decimal(hours), TaskCategory.RELATIONSHIP, ""), ACTOR, AT)


def page(engine, **query):
    return book_page(engine, BookQuery(**query), NOW, MONTH, HOURS)


def names(result):
    return [r.name for r in result.rows]


# -- paging and sorting ------------------------------------------------------


def test_page_has_offset_limit_and_the_total(book):
    for n, name in enumerate(["Echo", "alpha", "Delta", "bravo", "Charlie"]):
        customer(book, name, f"NA-{n}")
    result = page(book, offset=1, limit=2)
    assert names(result) == ["bravo", "Charlie"]
    assert (result.total, result.offset) == (5, 1)
    assert names(page(book, offset=4, limit=2)) == ["Echo"]
    assert page(book, offset=10).rows == ()


@pytest.fixture
def sorted_book(book):
    """Four customers, each column ordered differently; one duplicated name."""
    customer(book, "Acme", "NA-300", Region.NORTH_AMERICA, "Zoe")
    customer(book, "beta", "AP-100", Region.ASIA_PACIFIC, "Yann")
    customer(book, "Cobalt", "EM-200", Region.EMEA, "Yann")
    customer(book, "Cobalt", "LA-400", Region.ASIA_PACIFIC, "Abe")
    return book


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        (BookSort.NAME, ["Acme/NA-300", "beta/AP-100", "Cobalt/EM-200", "Cobalt/LA-400"]),
        (BookSort.ACCOUNT, ["beta/AP-100", "Cobalt/EM-200", "Cobalt/LA-400", "Acme/NA-300"]),
        (BookSort.REGION, ["beta/AP-100", "Cobalt/LA-400", "Cobalt/EM-200", "Acme/NA-300"]),
        (BookSort.CCM, ["Cobalt/LA-400", "beta/AP-100", "Cobalt/EM-200", "Acme/NA-300"]),
    ],
)
def test_column_sorts_both_ways_with_a_stable_tie_break(sorted_book, sort, ascending):
    def keys(descending):
        return [f"{r.name}/{r.account_number}" for r in page(sorted_book, sort=sort, descending=descending).rows]

    assert keys(False) == ascending
    # the exact reverse, duplicates included: the tie-break on id turns too
    assert keys(True) == ascending[::-1]


def test_next_activation_sort_puts_customers_with_nothing_coming_last(book):
    later = customer(book, "Later", "NA-1")
    sooner = customer(book, "Sooner", "NA-2")
    idle = customer(book, "Idle", "NA-3")
    past_only = customer(book, "Past only", "NA-4")
    cancelled_only = customer(book, "Cancelled only", "NA-5")
    event(book, later.id, NOW + timedelta(days=9))
    event(book, later.id, NOW + timedelta(days=30), site_name="Depot")
    event(book, sooner.id, NOW + timedelta(days=2), StepStatus.REQUESTED)
    event(book, past_only.id, NOW - timedelta(days=1))
    event(book, cancelled_only.id, NOW + timedelta(days=1), StepStatus.CANCELLED)
    nobody = ["Idle", "Past only", "Cancelled only"]  # by id within the group

    up = page(book, sort=BookSort.NEXT_ACTIVATION)
    assert names(up) == ["Sooner", "Later", *nobody]
    down = page(book, sort=BookSort.NEXT_ACTIVATION, descending=True)
    assert names(down) == ["Later", "Sooner", *nobody[::-1]]
    assert idle.id  # no event at all, still listed
    assert up.rows[1].next_event.start == NOW + timedelta(days=9)


def test_hours_sort_counts_only_this_month(book):
    busy = customer(book, "Busy", "NA-1")
    quiet = customer(book, "Quiet", "NA-2")
    none = customer(book, "None", "NA-3")
    log(book, busy.id, date(2026, 3, 2), "3")
    log(book, busy.id, date(2026, 3, 31), "2.5")
    log(book, quiet.id, date(2026, 3, 9), "1")
    log(book, quiet.id, date(2026, 2, 28), "20")  # last month
    log(book, none.id, date(2026, 4, 1), "20")  # next month
    up = page(book, sort=BookSort.HOURS)
    assert names(up) == ["None", "Quiet", "Busy"]
    assert [r.hours_used for r in up.rows] == [Decimal("0.00"), Decimal("1.00"), Decimal("5.50")]
    assert names(page(book, sort=BookSort.HOURS, descending=True)) == ["Busy", "Quiet", "None"]


@pytest.mark.parametrize("sort", list(BookSort))
def test_every_sort_pages_the_same_filtered_set(book, sort):
    for n in range(7):
        customer(book, f"Client {n}", f"NA-{n}")
    customer(book, "Other", "EM-1")
    first = page(book, text="client", sort=sort, limit=4)
    rest = page(book, text="client", sort=sort, offset=4, limit=4)
    assert first.total == rest.total == 7
    assert sorted(names(first) + names(rest)) == [f"Client {n}" for n in range(7)]


# -- filtering -----------------------------------------------------------------


@pytest.fixture
def searchable(book):
    acme = customer(book, "Acme Freight", "NA-1001")
    bolt = customer(book, "Bolt Logistics", "EM-2002", Region.EMEA)
    add_contact(book, acme.id, ContactInput("Jo Müller", frozenset({ContactRole.DESIGNATED}), "", "", None), actor=ACTOR, now=AT)
    site(book, bolt.id, "Depot", "São Paulo", "BR", "America/Sao_Paulo")
    return book


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["Acme Freight", "Bolt Logistics"]),
        ("acme", ["Acme Freight"]),
        ("  FREIGHT ", ["Acme Freight"]),
        ("em-2002", ["Bolt Logistics"]),
        ("müller", ["Acme Freight"]),
        ("MÜLLER", ["Acme Freight"]),
        ("são paulo", ["Bolt Logistics"]),
        ("nobody", []),
    ],
)
def test_filter_matches_name_account_contact_and_city(searchable, text, expected):
    result = page(searchable, text=text)
    assert names(result) == expected
    assert result.total == len(expected)


def test_like_metacharacters_match_literally(book):
    customer(book, "100% Fibre", "NA-1")
    customer(book, "1000 Fibre", "NA-2")
    customer(book, "a_b Corp", "NA-3")
    customer(book, "axb Corp", "NA-4")
    customer(book, "Back/slash", "NA-5")
    assert names(page(book, text="100%")) == ["100% Fibre"]
    assert names(page(book, text="a_b")) == ["a_b Corp"]
    assert names(page(book, text="k/s")) == ["Back/slash"]
    assert page(book, text="%").total == 1


# -- a page row's extras ----------------------------------------------------------


def test_row_shows_next_event_hours_and_ccd_flags(book):
    acme = customer(book, "Acme", "NA-1", hours="12.5")
    quiet = customer(book, "Quiet", "NA-2")
    tokyo = site(book, acme.id, "Tokyo office", "Tokyo", "JP", "Asia/Tokyo")
    late_order = order(book, acme.id, "ORD-1", date(2026, 3, 1))
    order(book, quiet.id, "ORD-2", date(2026, 3, 1), OrderStatus.COMPLETED, completed_on=date(2026, 3, 5))
    order(book, quiet.id, "ORD-3", date(2026, 2, 1), OrderStatus.CANCELLED)
    start = NOW + timedelta(days=6)
    act = activation(
        book,
        acme.id,
        late_order,
        tokyo.id,
        [
            (StepKind.INSTALLATION, NOW - timedelta(days=1), StepStatus.COMPLETED),
            (StepKind.ACTIVATION, start, StepStatus.VALIDATED),
        ],
    )
    log(book, acme.id, date(2026, 3, 3), "1.25")

    acme_row, quiet_row = page(book).rows
    assert acme_row.next_event.activation_id == act
    assert acme_row.next_event.kind is StepKind.ACTIVATION
    assert acme_row.next_event.status is StepStatus.VALIDATED
    assert acme_row.next_event.start == start
    assert (acme_row.next_event.site_name, acme_row.next_event.zone, acme_row.next_event.country) == (
        "Tokyo office",
        "Asia/Tokyo",
        "JP",
    )
    assert (acme_row.hours_used, acme_row.hours_package) == (Decimal("1.25"), Decimal("12.50"))
    assert acme_row.past_ccd is True
    assert acme_row.late_change_window is False
    assert quiet_row.next_event is None
    assert quiet_row.past_ccd is False  # completed and cancelled orders are settled
    assert quiet_row.late_change_window is False


def test_late_change_window_is_set_within_one_business_day(book):
    soon = customer(book, "Soon", "NA-1")
    weekend = customer(book, "Weekend", "NA-2")
    event(book, soon.id, NOW + timedelta(hours=20))
    # Monday 16 March 10:00 in New York; the cut-off is Friday 13 March 10:00
    event(book, weekend.id, datetime(2026, 3, 16, 14, 0, tzinfo=UTC))
    soon_row, weekend_row = page(book).rows
    assert soon_row.late_change_window is True
    assert weekend_row.late_change_window is False
    friday_noon = datetime(2026, 3, 13, 17, 0, tzinfo=UTC)
    friday = book_page(book, BookQuery(), friday_noon, MONTH, HOURS)
    assert friday.rows[1].late_change_window is True


# -- the palette -------------------------------------------------------------


def test_find_customers_puts_name_prefix_matches_first(book):
    customer(book, "Northwind", "EM-7")
    customer(book, "Acme North", "NA-1")
    customer(book, "Zenith", "NORTH-9")
    customer(book, "Other", "AP-3")
    hits = find_customers(book, "north")
    assert [h.name for h in hits] == ["Northwind", "Zenith", "Acme North"]
    assert hits[0].account_number == "EM-7"
    assert [h.name for h in find_customers(book, "na-1")] == ["Acme North"]
    assert len(find_customers(book, "", limit=2)) == 2
    assert find_customers(book, "%") == []


# -- one customer --------------------------------------------------------------


def test_get_customer_round_trips_and_reports_missing(book):
    made = customer(book, "Acme", "NA-1", Region.EMEA, "Zoe", "7.25")
    assert get_customer(book, made.id) == made
    assert made.hours_per_month == Decimal("7.25")
    assert made.version == 1
    with pytest.raises(NotFound):
        get_customer(book, made.id + 1)


def test_detail_lists_everything_in_order(book):
    acme = customer(book, "Acme", "NA-1")
    add_contact(book, acme.id, ContactInput("zed", frozenset({ContactRole.BILLING}), "", "", None), actor=ACTOR, now=AT)
    add_contact(book, acme.id, ContactInput("Amy", frozenset({ContactRole.DESIGNATED}), "", "", None), actor=ACTOR, now=AT)
    depot = site(book, acme.id, "depot", "Lyon", "FR", "Europe/Paris")
    hq = site(book, acme.id, "HQ", "Boston")
    # past CCD, not complete: accrues all of February and 9 of March's 31 days
    overdue = order(book, acme.id, "ORD-OLD", date(2026, 2, 1), mrc=3100)
    # CCD 20 March but the activation is planned for the 25th at the site: at risk
    risky = order(book, acme.id, "ORD-RISK", date(2026, 3, 20))
    done = order(book, acme.id, "ORD-DONE", date(2026, 1, 1), OrderStatus.COMPLETED, completed_on=date(2026, 1, 11))
    dropped = order(book, acme.id, "ORD-GONE", date(2026, 1, 1), OrderStatus.CANCELLED)
    coming_late = activation(
        book, acme.id, risky, hq.id, [(StepKind.ACTIVATION, datetime(2026, 3, 25, 14, tzinfo=UTC), StepStatus.CONFIRMED)]
    )
    coming_soon = activation(
        book,
        acme.id,
        overdue,
        depot.id,
        [
            (StepKind.INSTALLATION, NOW - timedelta(days=3), StepStatus.COMPLETED),
            (StepKind.ACTIVATION, NOW + timedelta(days=1), StepStatus.REQUESTED),
        ],
    )
    undated = activation(book, acme.id, overdue, hq.id, [(StepKind.ACTIVATION, None, StepStatus.UNSCHEDULED)])
    old = activation(book, acme.id, done, hq.id, [(StepKind.ACTIVATION, datetime(2026, 1, 10, tzinfo=UTC), StepStatus.COMPLETED)])
    older = activation(
        book, acme.id, dropped, hq.id, [(StepKind.ACTIVATION, datetime(2025, 12, 1, tzinfo=UTC), StepStatus.CANCELLED)]
    )
    log(book, acme.id, date(2026, 3, 2), "1")
    log(book, acme.id, date(2026, 3, 9), "2")
    log(book, acme.id, date(2026, 2, 27), "4")  # last month

    detail = customer_detail(book, acme.id, NOW, MONTH)

    assert detail.customer == get_customer(book, acme.id)
    assert [c.name for c in detail.contacts] == ["Amy", "zed"]
    assert [s.name for s in detail.sites] == ["depot", "HQ"]
    lines = {line.order.number: line for line in detail.orders}
    assert [line.order.number for line in detail.orders] == ["ORD-OLD", "ORD-RISK", "ORD-DONE", "ORD-GONE"]
    assert lines["ORD-OLD"].past_ccd and not lines["ORD-OLD"].at_risk
    assert lines["ORD-OLD"].accrued == Decimal("3100.00") + Decimal("900.00")
    assert lines["ORD-OLD"].order.services == (ServiceKind.MRS,)
    assert lines["ORD-OLD"].order.mrc == Decimal("3100.00")
    assert lines["ORD-RISK"].at_risk and not lines["ORD-RISK"].past_ccd
    assert lines["ORD-RISK"].accrued == Decimal("0.00")
    assert lines["ORD-DONE"].accrued == Decimal("1000.00")  # 10 days late in January
    assert not lines["ORD-DONE"].past_ccd
    assert lines["ORD-GONE"].accrued == Decimal("0.00") and not lines["ORD-GONE"].past_ccd
    assert [line.activation.id for line in detail.activations] == [coming_soon, coming_late, undated, old, older]
    first = detail.activations[0]
    assert (first.site.name, first.order_number) == ("depot", "ORD-OLD")
    assert [s.kind for s in first.activation.steps] == [StepKind.INSTALLATION, StepKind.ACTIVATION]
    assert first.activation.steps[1].start == NOW + timedelta(days=1)
    assert [(e.day, e.hours) for e in detail.time_entries] == [
        (date(2026, 3, 9), Decimal("2.00")),
        (date(2026, 3, 2), Decimal("1.00")),
    ]
    with pytest.raises(NotFound):
        customer_detail(book, acme.id + 1, NOW, MONTH)


def test_detail_caps_coming_and_past_activations(book, monkeypatch):
    from ccm_tui.store import customer_detail as module

    monkeypatch.setattr(module, "DETAIL_ACTIVATIONS", 2)
    acme = customer(book, "Acme", "NA-1")
    ids = [event(book, acme.id, NOW + timedelta(days=d)) for d in (3, 1, 2)]
    old = [event(book, acme.id, NOW - timedelta(days=d), StepStatus.COMPLETED) for d in (3, 1, 2)]
    got = [line.activation.id for line in customer_detail(book, acme.id, NOW, MONTH).activations]
    assert got == [ids[1], ids[2], old[1], old[2]]


# -- edits -----------------------------------------------------------------


def raw_customers(engine):
    with read_session(engine) as session:
        return [r.model_dump() for r in session.exec(select(tables.CustomerRow).order_by(tables.CustomerRow.id))]


def test_add_customer_stores_search_text_and_stamps(book):
    made = customer(book, "  Acme   Freight ", "NA-1")
    (row,) = raw_customers(book)
    assert row["sort_name"] == "acme freight"
    assert row["search_text"] == "acme freight\nna-1"
    assert row["created_at"] == row["updated_at"] == NOW.replace(tzinfo=None)
    assert made.name == "  Acme   Freight "  # stored as given; validation trims


@pytest.mark.parametrize("account", ["NA-1", "na-1"])
def test_add_refuses_an_account_number_in_use(book, account):
    customer(book, "Acme", "NA-1")
    before = raw_customers(book)
    with pytest.raises(InvalidInput) as raised:
        customer(book, "Other", account)
    assert raised.value.errors == {"account_number": "account number NA-1 is already used by Acme"}
    assert raw_customers(book) == before


def update(engine, made, version=None, **changes):
    fields = {
        "name": made.name,
        "account_number": made.account_number,
        "region": made.region,
        "ccm": made.ccm,
        "hours_per_month": made.hours_per_month,
        "notes": made.notes,
    } | changes
    later = NOW + timedelta(hours=1)
    return update_customer(
        engine, made.id, made.version if version is None else version, CustomerInput(**fields), later, actor=ACTOR
    )


def test_update_saves_bumps_version_and_refreshes_search(book):
    made = customer(book, "Acme", "NA-1")
    add_contact(book, made.id, ContactInput("Jo", frozenset({ContactRole.DESIGNATED}), "", "", None), actor=ACTOR, now=AT)
    saved = update(
        book, made, name="Zeta Corp", account_number="EM-9", region=Region.EMEA, hours_per_month=Decimal("3.5"), notes="vip"
    )
    assert saved.version == 2
    assert get_customer(book, made.id) == saved
    assert (saved.name, saved.account_number, saved.region, saved.hours_per_month, saved.notes) == (
        "Zeta Corp",
        "EM-9",
        Region.EMEA,
        Decimal("3.50"),
        "vip",
    )
    assert names(page(book, text="zeta")) == ["Zeta Corp"]
    assert names(page(book, text="jo")) == ["Zeta Corp"]  # contacts kept in the text
    assert page(book, text="acme").total == 0
    assert page(book, text="na-1").total == 0
    (row,) = raw_customers(book)
    assert row["updated_at"] == (NOW + timedelta(hours=1)).replace(tzinfo=None)
    assert row["created_at"] == NOW.replace(tzinfo=None)


def test_update_keeping_its_own_account_number_is_fine(book):
    made = customer(book, "Acme", "NA-1")
    assert update(book, made, account_number="na-1").account_number == "na-1"


def test_update_refuses_another_customers_account_number(book):
    customer(book, "Acme", "NA-1")
    other = customer(book, "Bolt", "NA-2")
    before = raw_customers(book)
    with pytest.raises(InvalidInput) as raised:
        update(book, other, account_number="NA-1")
    assert raised.value.errors["account_number"] == "account number NA-1 is already used by Acme"
    assert raw_customers(book) == before


def test_stale_edit_writes_nothing(book):
    made = customer(book, "Acme", "NA-1")
    update(book, made, notes="first")
    before = raw_customers(book)
    with pytest.raises(StaleEdit):
        update(book, made, name="Lost edit")  # still holds version 1
    assert raw_customers(book) == before


def test_update_of_a_missing_customer_is_not_found(book):
    made = customer(book, "Acme", "NA-1")
    with pytest.raises(NotFound):
        update_customer(book, made.id + 5, 1, CustomerInput("X", "NA-9", Region.EMEA, "", Decimal(0), ""), NOW, actor=ACTOR)


# -- the "next activation" walk agrees with the grouped query ----------------------


def test_next_activation_walk_matches_the_grouped_query(book, monkeypatch):
    """Random book with many tied starts; compare every page both ways."""
    import random

    from ccm_tui.store import book_page as module

    rnd = random.Random(4)
    made = [customer(book, f"{rnd.choice(['Acme', 'Bolt'])} {n}", f"NA-{n}") for n in range(40)]
    hq = {c.id: site(book, c.id).id for c in made}
    for c in made:
        order_id = order(book, c.id, f"ORD-{c.id}", date(2026, 6, 1))
        for _ in range(rnd.randint(0, 4)):
            start = NOW + timedelta(hours=rnd.choice([-5, 0, 1, 2, 3, 8, 30]))
            status = rnd.choice([StepStatus.CONFIRMED, StepStatus.REQUESTED, StepStatus.CANCELLED, StepStatus.VALIDATED])
            activation(book, c.id, order_id, hq[c.id], [(StepKind.ACTIVATION, start, status)])

    walks = []
    real_walk = module._walk_upcoming

    def spy(*args):
        walks.append(real_walk(*args))
        return walks[-1]

    def pages(text):
        return [
            [r.customer_id for r in page(book, text=text, sort=BookSort.NEXT_ACTIVATION, offset=o, limit=n).rows]
            for o, n in [(0, 5), (3, 7), (10, 10), (20, 20), (0, 40)]
        ]

    monkeypatch.setattr(module, "WALK_MIN_MATCHES", 10_000)
    grouped = {text: pages(text) for text in ("", "acme")}
    monkeypatch.setattr(module, "WALK_MIN_MATCHES", 0)
    monkeypatch.setattr(module, "WALK_FIRST_STEPS", 1)
    monkeypatch.setattr(module, "WALK_MAX_STEPS", 64)
    monkeypatch.setattr(module, "_walk_upcoming", spy)
    walked = {text: pages(text) for text in ("", "acme")}
    assert walked == grouped
    assert any(w is not None for w in walks) and any(w is None for w in walks)


def test_next_activation_walk_matches_on_a_seeded_book(tmp_path, monkeypatch):
    from ccm_tui.store import book_page as module
    from ccm_tui.store.seed import seed_book

    engine = make_engine(sqlite_url(tmp_path / "seeded.sqlite"))
    tables.metadata.create_all(engine)
    seed_book(engine, 600, 2400, NOW.date())

    def pages(text):
        return [
            [r.customer_id for r in page(engine, text=text, sort=BookSort.NEXT_ACTIVATION, offset=o, limit=50).rows]
            for o in (0, 50, 300)
        ]

    monkeypatch.setattr(module, "WALK_MIN_MATCHES", 10_000)
    grouped = {text: pages(text) for text in ("", "a")}
    monkeypatch.setattr(module, "WALK_MIN_MATCHES", 0)
    monkeypatch.setattr(module, "WALK_FIRST_STEPS", 10)
    assert {text: pages(text) for text in ("", "a")} == grouped
    assert grouped[""][0]  # the seeded book has upcoming steps
    engine.dispose()
