"""A seeded book has what a book in use has, so the checklist and agenda screens have work.

Checklists for the activations around today, made from the shipped templates;
completed service reviews with their agendas and action items; incidents; and
the roll-ups the store keeps on those writes, as the store would have left them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.data_files import load_checklist_templates
from ccm_tui.domain.checklist_views import RECENT_DAYS, UpcomingQuery
from ccm_tui.domain.model import ServiceKind
from ccm_tui.domain.service_review import FIREWALL_KEY, MONITORING_KEY
from ccm_tui.domain.site_location import subdivision_code
from ccm_tui.services import BookLocation, open_book
from ccm_tui.store import tables
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.engine import make_engine, sqlite_url
from ccm_tui.store.seed import seed_book
from ccm_tui.store.seed_checklists import HORIZON_DAYS


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, date]:
    """A small seeded book, shared by the read-only tests here."""
    engine = make_engine(sqlite_url(tmp_path_factory.mktemp("seed") / "seed.sqlite"))
    tables.metadata.create_all(engine)
    today = date(2026, 11, 20)
    seed_book(engine, 300, 1_200, today)
    return engine, today


def rows(engine: Engine, sql: str) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql))]


def as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_time(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_the_services_find_checklists_reviews_and_incidents(tmp_path: Path, settings: Settings, clock: FixedClock) -> None:
    services, _ = open_book(BookLocation.file(tmp_path / "seed.sqlite"), settings, clock)
    summary = seed_book(services.engine, 300, 1_200, services.today())
    assert min(summary.checklist_items, summary.checklist_changes, summary.service_reviews) > 0
    assert min(summary.agenda_items, summary.action_items, summary.incidents) > 0

    upcoming = services.checklists.upcoming(UpcomingQuery(limit=50))
    assert upcoming.total and upcoming.rows
    assert upcoming.at_risk > 0, "some customer tasks are overdue: the screen leads with risks"
    assert all(row.readiness.required > 0 for row in upcoming.rows), "each row shows its checklist's progress"
    checklist = services.checklists.checklist(upcoming.rows[0].activation_id)
    assert checklist.lines
    assert services.checklists.upcoming(UpcomingQuery(recent=True)).rows, "recently activated, with their checklists"

    due, count = services.agenda.reviews_due()
    assert count and due
    customer_id = next(d.customer_id for d in due if d.last_held is not None)
    (latest, *_) = services.agenda.reviews_for(customer_id)
    workspace = services.agenda.workspace(latest.id)
    assert workspace.review.items and workspace.review.actions
    assert any(services.agenda.incidents(d.customer_id) for d in due)


def test_every_activation_near_today_has_its_templates_items(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    now = datetime(today.year, today.month, today.day, 12)
    templates = load_checklist_templates().templates
    items: dict[int, list[int]] = defaultdict(list)
    for item in rows(engine, "SELECT activation_id, position FROM checklist_item ORDER BY id"):
        items[item["activation_id"]].append(item["position"])
    events = rows(
        engine,
        "SELECT a.id, a.service, s.start_at, s.status FROM activation a"
        " JOIN activation_step s ON s.activation_id = a.id AND s.kind = 'activation'",
    )
    wanted = {
        e["id"]
        for e in events
        if e["start_at"] is not None
        and e["status"] != "cancelled"
        and now - timedelta(days=RECENT_DAYS) <= as_time(e["start_at"]) <= now + timedelta(days=HORIZON_DAYS)
    }
    assert wanted and set(items) == wanted
    for event in events:
        if event["id"] in wanted:
            count = len(templates[ServiceKind(event["service"])].items)
            assert items[event["id"]] == list(range(1, count + 1)), "the whole template, in order"


def test_checklist_states_follow_the_activations_records(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    now = datetime(today.year, today.month, today.day, 12)
    items = rows(
        engine,
        "SELECT i.*, s.status AS step_status, a.ip_letter_sent_on, a.traffic_passed_at FROM checklist_item i"
        " JOIN activation a ON a.id = i.activation_id"
        " JOIN activation_step s ON s.activation_id = a.id"
        "  AND s.kind = CASE WHEN i.phase IN ('before_installation', 'installation_visit') THEN 'installation' ELSE 'activation' END",
    )
    states = Counter(i["state"] for i in items)
    assert set(states) == {"open", "done", "blocked", "not_applicable"}
    for item in items:
        said = item["text"].casefold()
        if "validates the" in said:
            assert (item["state"] == "done") == (item["step_status"] in ("validated", "completed", "not_ready", "no_show"))
        elif "ip configuration letter sent" in said:
            assert (item["state"] == "done") == (item["ip_letter_sent_on"] is not None)
        if item["phase"] == "during_call":
            assert (item["state"] == "done") == (item["step_status"] == "completed")
        if item["state"] == "open":
            assert (item["version"], item["updated_at"], item["updated_by"]) == (1, None, "")
        else:
            assert item["version"] == 2 and item["updated_by"] and as_time(item["updated_at"]) <= now
    history = Counter(c["item_id"] for c in rows(engine, "SELECT item_id FROM checklist_change"))
    ticked = {i["id"] for i in items if i["state"] != "open"}
    assert set(history) == ticked and set(history.values()) == {1}, "one history line per ticked item"


def test_review_roll_ups_are_what_completing_the_reviews_leaves(seeded: tuple[Engine, date]) -> None:
    engine, today = seeded
    reviews = rows(engine, "SELECT * FROM service_review")
    assert {r["status"] for r in reviews} == {"completed"}
    held: dict[int, list[date]] = defaultdict(list)
    for review in reviews:
        day = as_date(review["held_on"])
        assert day < today and as_time(review["completed_at"]).date() == day
        held[review["customer_id"]].append(day)
    keys: dict[tuple[int, str], date] = {}
    for item in rows(
        engine, "SELECT r.customer_id, r.held_on, i.key FROM agenda_item i JOIN service_review r ON r.id = i.review_id"
    ):
        key = (item["customer_id"], item["key"])
        keys[key] = max(as_date(item["held_on"]), keys.get(key, date.min))
    customers = rows(engine, "SELECT * FROM customer")
    assert any(c["last_review_on"] is None for c in customers) and len(held) > len(customers) // 2
    for customer in customers:
        cid = customer["id"]
        last = max(held[cid]) if held[cid] else None
        assert (as_date(customer["last_review_on"]) if customer["last_review_on"] else None) == last
        assert customer["review_cadence"] in ("monthly", "quarterly")
        for key, column in ((FIREWALL_KEY, "firewall_reviewed_on"), (MONITORING_KEY, "monitoring_reviewed_on")):
            if (cid, key) in keys:
                assert as_date(customer[column]) >= keys[cid, key]

    latest = {r["id"] for r in reviews if as_date(r["held_on"]) == max(held[r["customer_id"]])}
    actions = rows(engine, "SELECT * FROM action_item")
    assert actions and all(a["done"] or a["review_id"] in latest for a in actions), "nothing left to carry over"
    assert all(bool(a["done"]) == (a["done_on"] is not None) for a in actions)

    incidents = rows(engine, "SELECT * FROM incident")
    assert {i["kind"] for i in incidents} == {"incident", "escalation"}
    assert any(i["closed_at"] is None for i in incidents)


def test_sites_have_the_state_whose_holidays_apply(seeded: tuple[Engine, date]) -> None:
    engine, _ = seeded
    sites = rows(engine, "SELECT city, country, subdivision FROM site")
    assert {s["subdivision"] for s in sites if s["city"] == "Sydney"} == {"AU-NSW"}
    assert {s["subdivision"] for s in sites if s["country"] == "JP"} == {""}
    for site in sites:
        assert subdivision_code(site["country"], site["subdivision"]) == site["subdivision"]


def test_seeding_on_top_of_the_demo_leaves_its_checklists(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "both.sqlite"))
    tables.metadata.create_all(engine)
    demo = build_demo_book(engine, date(2026, 11, 20), datetime(2026, 11, 20, 20, 30, tzinfo=UTC))
    summary = seed_book(engine, 60, 240, date(2026, 11, 20))
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM checklist_item")).scalar_one()
            == demo.checklist_items + summary.checklist_items
        )
        assert (
            conn.execute(text("SELECT count(*) FROM service_review")).scalar_one()
            == demo.service_reviews + summary.service_reviews
        )
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
