"""The demo book: realistic, complete, consistent, deterministic, current."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from ccm_tui.domain.calendar import SiteCalendar, late_change_cutoff
from ccm_tui.domain.model import (
    ContactRole,
    Region,
    ServiceKind,
    StepStatus,
    TaskCategory,
)
from ccm_tui.domain.search_text import fold
from ccm_tui.domain.status import Action, next_status
from ccm_tui.errors import StoreError
from ccm_tui.store import tables
from ccm_tui.store.demo import build_demo_book, demo_is_current
from ccm_tui.store.demo_settings import load_demo_settings
from ccm_tui.store.engine import make_engine, sqlite_url

TODAY = date(2025, 3, 14)  # a Friday, just after the US clocks went forward
NOW = datetime(2025, 3, 14, 14, 0, tzinfo=UTC)
# A Sunday that starts a month, and New Year's Eve late in the evening (UTC).
ANCHORS = [
    (TODAY, NOW),
    (date(2025, 6, 1), datetime(2025, 6, 1, 3, 0, tzinfo=UTC)),
    (date(2025, 12, 31), datetime(2025, 12, 31, 23, 30, tzinfo=UTC)),
]


def _engine(path: Path) -> Engine:
    engine = make_engine(sqlite_url(path))
    tables.metadata.create_all(engine)
    return engine


def _demo(path: Path, today: date = TODAY, now: datetime = NOW) -> Engine:
    engine = _engine(path)
    build_demo_book(engine, today, now)
    return engine


def _rows(engine: Engine, sql: str) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql))]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _demo(tmp_path_factory.mktemp("demo") / "demo.sqlite")


@pytest.fixture(scope="module", params=range(len(ANCHORS)), ids=["friday", "sunday-month-start", "new-years-eve"])
def anchored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, date, datetime]:
    today, now = ANCHORS[request.param]
    return _demo(tmp_path_factory.mktemp("anchored") / "demo.sqlite", today, now), today, now


def _steps(engine: Engine) -> list[dict]:
    return _rows(
        engine,
        "SELECT s.*, a.service, a.field_dispatch, a.ip_letter_sent_on, a.traffic_passed_at, "
        "t.timezone, t.country, t.subdivision, c.region FROM activation_step s "
        "JOIN activation a ON a.id = s.activation_id JOIN site t ON t.id = a.site_id "
        "JOIN customer c ON c.id = a.customer_id",
    )


def _dt(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _local(step: dict) -> datetime:
    start = _dt(step["start_at"])
    assert start is not None
    return start.replace(tzinfo=UTC).astimezone(ZoneInfo(step["timezone"]))


# -- the book's shape -------------------------------------------------------------


def test_about_forty_customers_in_every_region(demo: Engine) -> None:
    customers = _rows(demo, "SELECT * FROM customer")
    assert 35 <= len(customers) <= 45
    assert {c["region"] for c in customers} == {r.value for r in Region}
    assert len({c["account_number"] for c in customers}) == len(customers)
    settings = load_demo_settings()
    owners = Counter(c["ccm"] for c in customers)
    assert owners.most_common(1)[0][0] == settings.demo_user
    assert len(owners) >= 3
    assert {c["hours_per_month_minutes"] // 60 for c in customers} <= {4, 8, 12, 16, 24}
    for c in customers:
        assert c["account_number"].startswith(c["region"] + "-")
        assert c["sort_name"] == fold(c["name"])
        assert c["search_text"].strip()
        assert fold(c["name"]) in c["search_text"]


def test_sites_are_in_their_regions_real_zones_on_both_hemispheres(demo: Engine) -> None:
    sites = _rows(demo, "SELECT s.*, c.region FROM site s JOIN customer c ON c.id = s.customer_id")
    by_region = {p.zone: p.region.value for p in load_demo_settings().places}
    for site in sites:
        ZoneInfo(site["timezone"])
        assert by_region[site["timezone"]] == site["region"]
        assert site["address"] and site["city"]
    zones = {s["timezone"] for s in sites}
    assert len({s["country"] for s in sites}) >= 8
    assert zones & {"Australia/Sydney", "Australia/Perth", "Pacific/Auckland", "America/Sao_Paulo", "Africa/Johannesburg"}
    assert zones & {"America/New_York", "America/Chicago", "Europe/London", "Asia/Tokyo"}


def test_contacts_cover_every_role_and_every_customer_has_the_key_ones(demo: Engine) -> None:
    contacts = _rows(demo, "SELECT * FROM contact")
    roles_by_customer: dict[int, set[str]] = defaultdict(set)
    counts = Counter(c["customer_id"] for c in contacts)
    for contact in contacts:
        roles = set(contact["roles"].split(","))
        roles_by_customer[contact["customer_id"]] |= roles
        assert contact["email"].endswith(".example.com") and "@" in contact["email"]
        assert contact["phone"]
    assert set().union(*roles_by_customer.values()) == {r.value for r in ContactRole}
    assert any("," in c["roles"] for c in contacts)  # someone holds several roles
    customers = [c["id"] for c in _rows(demo, "SELECT id FROM customer")]
    for customer_id in customers:
        assert 2 <= counts[customer_id] <= 5
        assert {ContactRole.DESIGNATED.value, ContactRole.SITE_TECHNICAL.value} <= roles_by_customer[customer_id]
    reviewed = [c["last_reviewed"] for c in contacts]
    assert sum(r is None for r in reviewed) >= 2
    assert any(r is not None and (TODAY - date.fromisoformat(str(r))).days > 90 for r in reviewed)


def test_orders_carry_services_money_and_ccds(demo: Engine) -> None:
    orders = _rows(demo, "SELECT * FROM orders")
    services = _rows(demo, "SELECT * FROM order_service")
    kinds = {s["kind"] for s in services}
    assert kinds == {k.value for k in ServiceKind}
    assert {o["currency"] for o in orders} >= {"USD", "EUR", "GBP", "AUD"}
    assert all(o["mrc_cents"] > 0 for o in orders)
    past_ccd = [o for o in orders if date.fromisoformat(str(o["ccd"])) < TODAY and o["status"] not in ("completed", "cancelled")]
    assert past_ccd, "an order past its CCD that is not completed"
    at_risk = [
        o
        for o in orders
        if o["status"] == "installation_complete" and TODAY <= date.fromisoformat(str(o["ccd"])) <= TODAY + timedelta(days=14)
    ]
    assert at_risk
    for order in orders:
        assert (order["completed_on"] is not None) == (order["status"] == "completed")


# -- activations ------------------------------------------------------------------


def test_every_step_status_appears(demo: Engine) -> None:
    assert {s["status"] for s in _steps(demo)} == {s.value for s in StepStatus}


def test_managed_services_have_an_installation_first(demo: Engine) -> None:
    steps = _steps(demo)
    by_activation: dict[int, dict[str, dict]] = defaultdict(dict)
    for step in steps:
        by_activation[step["activation_id"]][step["kind"]] = step
    for pair in by_activation.values():
        service = ServiceKind(next(iter(pair.values()))["service"])
        assert set(pair) == ({"installation", "activation"} if service.managed else {"activation"})
        act = pair["activation"]
        if not service.managed:
            assert act["ip_letter_sent_on"] is None
            continue
        install = pair["installation"]
        if act["status"] in ("confirmed", "validated", "completed", "not_ready", "no_show"):
            assert install["status"] == "completed"
            assert _dt(install["end_at"]) < _dt(act["start_at"])
            assert act["ip_letter_sent_on"] is not None
            letter = date.fromisoformat(str(act["ip_letter_sent_on"]))
            assert _dt(install["end_at"]).date() <= letter <= TODAY
        if install["start_at"] and act["start_at"] and install["status"] != "cancelled":
            assert _dt(install["start_at"]) < _dt(act["start_at"])


def test_windows_are_mostly_mornings_with_some_after_hours_and_weekends(demo: Engine) -> None:
    scheduled = [s for s in _steps(demo) if s["start_at"] is not None and s["kind"] == "activation"]
    local = [_local(s) for s in scheduled]
    mornings = sum(t.hour == 9 for t in local)
    after_hours = [t for t in local if t.hour >= 17 or t.hour < 8]
    weekends = [t for t in local if t.weekday() >= 5]
    assert mornings > len(local) / 2
    assert len(after_hours) >= 2
    assert len(weekends) >= 2
    upcoming = [s for s, t in zip(scheduled, local, strict=True) if _dt(s["start_at"]) > NOW.replace(tzinfo=None)]
    assert any(_local(s).hour >= 17 for s in upcoming), "an after-hours activation is coming up"
    assert any(_local(s).weekday() >= 5 for s in upcoming), "a weekend activation is coming up"


def test_activations_span_last_month_and_the_next_two(demo: Engine) -> None:
    starts = [_dt(s["start_at"]).date() for s in _steps(demo) if s["start_at"] and s["kind"] == "activation"]
    assert min(starts) >= TODAY - timedelta(days=45)
    assert max(starts) <= TODAY + timedelta(days=70)
    assert any(d < TODAY - timedelta(days=14) for d in starts)
    assert any(d > TODAY + timedelta(days=30) for d in starts)


def test_fees_are_recorded_for_not_ready_in_north_america(demo: Engine) -> None:
    changes = _rows(
        demo,
        "SELECT h.*, c.region FROM activation_change h JOIN activation a ON a.id = h.activation_id "
        "JOIN customer c ON c.id = a.customer_id",
    )
    assert any(
        h["action"] == "not_ready" and h["region"] == "NA" and h["fee_cents"] == 25000 and h["fee_currency"] == "USD"
        for h in changes
    )
    assert any(h["action"] == "reschedule" and h["reason"] for h in changes)
    assert {h["who"] for h in changes} >= {"scheduling team", load_demo_settings().demo_user}


def test_history_is_consistent_with_every_step(anchored: tuple[Engine, date, datetime]) -> None:
    engine, _today, now = anchored
    naive_now = now.replace(tzinfo=None)
    history: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for change in _rows(engine, "SELECT * FROM activation_change ORDER BY at, id"):
        history[change["activation_id"], change["step_kind"]].append(change)
    for step in _steps(engine):
        lines = history.get((step["activation_id"], step["kind"]), [])
        if step["status"] == "unscheduled":
            assert not lines and step["start_at"] is None
            continue
        assert lines, step
        assert lines[0]["from_status"] is None and lines[0]["action"] == "request"
        current, start = StepStatus.UNSCHEDULED, None
        for line in lines:
            assert _dt(line["at"]) < naive_now
            assert (line["from_status"] or "unscheduled") == current.value
            current = next_status(step["kind"], current, Action(line["action"]))
            assert current.value == line["to_status"]
            if line["to_start"] is not None:
                start = _dt(line["to_start"])
            if line["fee_cents"] is not None:
                assert line["action"] in ("not_ready", "cancel") and line["fee_currency"] == "USD"
        assert current.value == step["status"]
        assert start == _dt(step["start_at"])
        first_start = _dt(lines[0]["to_start"])
        for line in lines:
            if line["action"] in ("request", "confirm", "validate"):
                # agreed before the window it leads to
                assert _dt(line["at"]) < max(first_start, _dt(step["start_at"]))
        if step["status"] in ("requested", "confirmed", "validated"):
            assert _dt(step["start_at"]) > naive_now - timedelta(hours=3)
        if step["status"] in ("completed", "not_ready", "no_show"):
            assert _dt(step["start_at"]) < naive_now


def test_managed_activation_is_confirmed_only_after_the_ip_letter(anchored: tuple[Engine, date, datetime]) -> None:
    engine, today, _now = anchored
    steps = {(s["activation_id"], s["kind"]): s for s in _steps(engine)}
    for change in _rows(engine, "SELECT * FROM activation_change WHERE step_kind = 'activation' AND action = 'confirm'"):
        step = steps[change["activation_id"], "activation"]
        if not ServiceKind(step["service"]).managed:
            continue
        install = steps[change["activation_id"], "installation"]
        assert install["status"] == "completed"
        letter = step["ip_letter_sent_on"]
        assert letter is not None
        assert _dt(change["at"]).date() > date.fromisoformat(str(letter))
        assert date.fromisoformat(str(letter)) <= today


def test_some_steps_start_inside_the_late_change_window(anchored: tuple[Engine, date, datetime]) -> None:
    engine, _today, now = anchored
    late = []
    for step in _steps(engine):
        if step["status"] not in ("confirmed", "validated") or step["start_at"] is None:
            continue
        start = _dt(step["start_at"]).replace(tzinfo=UTC)
        if (
            start > now
            and late_change_cutoff(start, SiteCalendar(step["timezone"], step["country"], subdivision=step["subdivision"])) <= now
        ):
            late.append(step)
    assert late


# -- hours and reviews ----------------------------------------------------------------


def test_time_entries_cover_four_months_and_some_customers_run_over(demo: Engine) -> None:
    entries = _rows(demo, "SELECT * FROM time_entry")
    days = [date.fromisoformat(str(e["day"])) for e in entries]
    assert max(days) <= TODAY
    assert min(days) >= date(2024, 12, 1)
    assert {(d.year, d.month) for d in days} == {(2024, 12), (2025, 1), (2025, 2), (2025, 3)}
    assert {e["category"] for e in entries} == {c.value for c in TaskCategory}
    used = Counter()
    for entry in entries:
        if date.fromisoformat(str(entry["day"])) >= TODAY.replace(day=1):
            used[entry["customer_id"]] += entry["minutes"]
    packages = {c["id"]: c["hours_per_month_minutes"] for c in _rows(demo, "SELECT * FROM customer")}
    assert any(used[c] > packages[c] for c in packages), "a customer over the package"
    assert any(0.8 * packages[c] <= used[c] <= packages[c] for c in packages), "a customer near the package"


def test_past_reviews_with_agendas_and_open_actions(demo: Engine) -> None:
    reviews = _rows(demo, "SELECT * FROM service_review")
    assert reviews and all(r["status"] == "completed" for r in reviews)
    assert all(date.fromisoformat(str(r["held_on"])) < TODAY for r in reviews)
    assert {r["kind"] for r in reviews} == {"monthly", "quarterly", "executive"}
    assert _rows(demo, "SELECT count(*) AS n FROM agenda_item")[0]["n"] >= len(reviews) * 3
    actions = _rows(demo, "SELECT * FROM action_item")
    assert any(not a["done"] for a in actions) and any(a["done"] for a in actions)


def test_checklists_show_readiness(demo: Engine) -> None:
    items = _rows(demo, "SELECT * FROM checklist_item")
    assert {i["owner"] for i in items} == {"customer", "provider"}
    assert {i["state"] for i in items} >= {"open", "done"}
    assert any(i["state"] == "open" and i["owner"] == "customer" and i["blocking"] for i in items)


# -- the book as a whole ------------------------------------------------------------------


def test_foreign_keys_hold(anchored: tuple[Engine, date, datetime]) -> None:
    engine, _, _ = anchored
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def test_meta_marks_the_demo_and_its_day(demo: Engine) -> None:
    meta = {r["key"]: r["value"] for r in _rows(demo, "SELECT * FROM book_meta")}
    # and the business hours its steps' calendar columns were judged with
    assert meta == {"demo_anchor": TODAY.isoformat(), "kind": "demo", "calendar_flags_basis": "08:00-17:00 days country"}
    assert demo_is_current(demo, TODAY)
    assert not demo_is_current(demo, TODAY + timedelta(days=1))


def test_not_current_in_an_empty_book(tmp_path: Path) -> None:
    assert not demo_is_current(_engine(tmp_path / "empty.sqlite"), TODAY)


def test_refuses_a_book_that_has_customers(demo: Engine) -> None:
    with pytest.raises(StoreError, match="empty book"):
        build_demo_book(demo, TODAY, NOW)


def _dump(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(table.select().order_by(*table.primary_key.columns)).fetchall()
            for table in tables.metadata.sorted_tables
        }


def test_same_day_same_book(tmp_path: Path, demo: Engine) -> None:
    again = _demo(tmp_path / "again.sqlite")
    assert _dump(again) == _dump(demo)


def test_dates_move_with_today(tmp_path: Path, demo: Engine) -> None:
    shift = timedelta(days=28)
    later = _demo(tmp_path / "later.sqlite", TODAY + shift, NOW + shift)
    before = _rows(demo, "SELECT * FROM contact ORDER BY id")
    after = _rows(later, "SELECT * FROM contact ORDER BY id")
    assert [c["name"] for c in before] == [c["name"] for c in after]
    for old, new in zip(before, after, strict=True):
        if old["last_reviewed"] is not None:
            moved = date.fromisoformat(str(new["last_reviewed"])) - date.fromisoformat(str(old["last_reviewed"]))
            assert moved == shift
    old_created = [_dt(c["created_at"]) for c in _rows(demo, "SELECT created_at FROM customer ORDER BY id")]
    new_created = [_dt(c["created_at"]) for c in _rows(later, "SELECT created_at FROM customer ORDER BY id")]
    assert all(n - o == shift for o, n in zip(old_created, new_created, strict=True))
    starts = [_dt(s["start_at"]).date() for s in _steps(later) if s["start_at"]]
    assert min(starts) >= TODAY + shift - timedelta(days=60)
    assert any(d > TODAY + shift + timedelta(days=30) for d in starts)
    reviews = [date.fromisoformat(str(r["held_on"])) for r in _rows(later, "SELECT held_on FROM service_review")]
    assert max(reviews) > TODAY
