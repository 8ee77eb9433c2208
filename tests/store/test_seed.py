"""The benchmark seeder: the counts asked for, quickly, with the book's rules kept."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from ccm_tui.domain.model import ServiceKind, StepStatus
from ccm_tui.domain.search_text import fold
from ccm_tui.domain.status import Action, next_status
from ccm_tui.store import tables
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.engine import make_engine, sqlite_url
from ccm_tui.store.seed import SeedSummary, seed_book

TODAY = date(2025, 3, 14)


def _engine(path: Path) -> Engine:
    engine = make_engine(sqlite_url(path))
    tables.metadata.create_all(engine)
    return engine


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _rows(engine: Engine, sql: str) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql))]


def test_seeds_the_counts_asked_for_quickly(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "seed.sqlite")
    messages: list[str] = []
    started = time.perf_counter()
    summary = seed_book(engine, 500, 2_000, TODAY, progress=messages.append)
    assert time.perf_counter() - started < 10
    assert isinstance(summary, SeedSummary)
    assert summary.customers == _count(engine, "customer") == 500
    assert summary.activations == _count(engine, "activation") == 2_000
    for field, table in [
        ("contacts", "contact"),
        ("sites", "site"),
        ("orders", "orders"),
        ("order_services", "order_service"),
        ("activation_steps", "activation_step"),
        ("activation_changes", "activation_change"),
        ("time_entries", "time_entry"),
    ]:
        assert getattr(summary, field) == _count(engine, table) > 0, table
    assert messages and messages[-1] == "committing"
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"


def test_seeded_rows_follow_the_books_rules(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "seed.sqlite")
    seed_book(engine, 300, 1_200, TODAY, rng_seed=3)
    for customer in _rows(engine, "SELECT * FROM customer"):
        assert customer["sort_name"] == fold(customer["name"])
        assert customer["search_text"].startswith(fold(customer["name"]))
    roles: dict[int, set[str]] = defaultdict(set)
    for contact in _rows(engine, "SELECT customer_id, roles FROM contact"):
        roles[contact["customer_id"]] |= set(contact["roles"].split(","))
    assert all({"designated", "technical"} <= held for held in roles.values())
    assert len(roles) == 300

    steps = _rows(engine, "SELECT s.*, a.service FROM activation_step s JOIN activation a ON a.id = s.activation_id")
    assert {s["status"] for s in steps} == {s.value for s in StepStatus}
    kinds: dict[int, set[str]] = defaultdict(set)
    for step in steps:
        kinds[step["activation_id"]].add(step["kind"])
    for step in steps:
        expected = {"installation", "activation"} if ServiceKind(step["service"]).managed else {"activation"}
        assert kinds[step["activation_id"]] == expected

    history: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for change in _rows(engine, "SELECT * FROM activation_change ORDER BY at, id"):
        history[change["activation_id"], change["step_kind"]].append(change)
    now = datetime(2025, 3, 14, 12, 0)
    for step in steps:
        current = StepStatus.UNSCHEDULED
        for line in history.get((step["activation_id"], step["kind"]), []):
            assert datetime.fromisoformat(str(line["at"])) < now
            current = next_status(step["kind"], current, Action(line["action"]))
            assert current.value == line["to_status"]
        assert current.value == step["status"]

    orders = _rows(engine, "SELECT * FROM orders")
    assert any(date.fromisoformat(str(o["ccd"])) < TODAY and o["status"] == "installation_complete" for o in orders)
    entries = _rows(engine, "SELECT day FROM time_entry")
    assert all(TODAY.replace(day=1) <= date.fromisoformat(str(e["day"])) <= TODAY for e in entries)


def test_same_seed_same_rows(tmp_path: Path) -> None:
    first, second = _engine(tmp_path / "a.sqlite"), _engine(tmp_path / "b.sqlite")
    seed_book(first, 50, 120, TODAY)
    seed_book(second, 50, 120, TODAY)
    sql = "SELECT * FROM activation_step ORDER BY id"
    assert _rows(first, sql) == _rows(second, sql)


def test_seeds_on_top_of_the_demo_without_clashes(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "both.sqlite")
    demo = build_demo_book(engine, TODAY, datetime(2025, 3, 14, 14, 0, tzinfo=UTC))
    seed_book(engine, 60, 150, TODAY)
    assert _count(engine, "customer") == demo.customers + 60
    assert _count(engine, "activation") == demo.activations + 150
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
