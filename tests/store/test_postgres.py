"""What only PostgreSQL does: its connection settings, its locks, its sequences, its upgrades."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, select, text

from ccm_tui.domain.model import ContactRole, Region
from ccm_tui.domain.validation import ContactInput, CustomerInput, SiteInput
from ccm_tui.errors import BookBusy
from ccm_tui.store import engine as engine_module
from ccm_tui.store import tables
from ccm_tui.store.contacts import add_contact
from ccm_tui.store.customers import add_customer
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.engine import make_engine, read_session, write_session
from ccm_tui.store.migrate import alembic_config, upgrade
from ccm_tui.store.seed import seed_book
from ccm_tui.store.sequences import advance_sequences
from ccm_tui.store.sites import add_site
from tests import postgres_books
from tests.actors import ACTOR

pytestmark = pytest.mark.postgresql_only

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)


def test_every_connection_waits_for_a_lock_then_gives_up_in_utc(engine: Engine) -> None:
    with engine.connect() as conn:
        waits = conn.execute(text("SELECT setting FROM pg_settings WHERE name = 'lock_timeout'")).scalar_one()
        assert waits == str(engine_module.BUSY_TIMEOUT_MS)  # in milliseconds
        assert conn.execute(text("SHOW TimeZone")).scalar_one() == "UTC"


def test_a_held_lock_is_book_busy(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)  # read when the engine is made
    impatient = make_engine(engine.url.render_as_string(hide_password=False))
    holder = psycopg.connect(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        holder.execute("LOCK TABLE book_meta IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(BookBusy), write_session(impatient) as session:
            session.add(tables.BookMetaRow(key="k", value="v"))
    finally:
        holder.close()
        impatient.dispose()


def _largest_and_next(engine: Engine, table: str) -> tuple[int, int]:
    with engine.begin() as conn:
        largest = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        following = conn.execute(text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")).scalar_one()
    return largest, following


def _add_one_of_each(engine: Engine) -> None:
    """A customer, a contact, a site and an activation's history line, each taking its id from its sequence."""
    customer = add_customer(engine, CustomerInput("Fresh Co", "NEW-1", Region.EMEA, "Dana", Decimal(4), ""), NOW, actor=ACTOR)
    add_contact(engine, customer.id, ContactInput("Ana", frozenset({ContactRole.DESIGNATED}), "", "", None), actor=ACTOR, now=NOW)
    add_site(engine, customer.id, SiteInput("Depot", "1 Quay", "Lyon", "FR", "Europe/Paris"), actor=ACTOR, now=NOW)
    with write_session(engine) as session:
        activation_id = session.execute(select(tables.ActivationRow.id).limit(1)).scalar_one()  # type: ignore[arg-type]
        session.add(
            tables.ActivationChangeRow(
                activation_id=activation_id,
                step_kind="activation",
                at=NOW.replace(tzinfo=None),
                action="note",
                to_status="requested",
            )
        )


@pytest.mark.parametrize("build", ["demo", "seed", "seed-on-demo"])
def test_after_a_bulk_build_new_rows_get_fresh_ids(engine: Engine, build: str) -> None:
    if build in ("demo", "seed-on-demo"):
        build_demo_book(engine, TODAY, NOW)
    if build in ("seed", "seed-on-demo"):
        seed_book(engine, 30, 90, TODAY)
    _add_one_of_each(engine)  # a duplicate key here was every new row of a seeded book
    for table in ("customer", "contact", "site", "activation_change", "checklist_item", "service_review", "incident"):
        largest, following = _largest_and_next(engine, table)
        assert following > largest, table


@pytest.mark.own_database  # on the shared book, an earlier test's VACUUM ANALYZE would answer for this one
def test_a_seeded_book_leaves_the_planner_its_statistics(engine: Engine) -> None:
    seed_book(engine, 30, 90, TODAY)
    with engine.connect() as conn:
        analyzed = conn.execute(
            text("SELECT last_analyze IS NOT NULL AND last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'customer'")
        ).scalar_one()
    assert analyzed, "a server with autovacuum off would plan the first page from no statistics"


def test_advancing_never_moves_a_sequence_back(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("SELECT setval(pg_get_serial_sequence('customer', 'id'), 500)"))
        advance_sequences(conn)
        assert conn.execute(text("SELECT last_value FROM customer_id_seq")).scalar_one() == 500


def test_times_are_stored_naive_in_utc(engine: Engine) -> None:
    customer = add_customer(engine, CustomerInput("Clock Co", "CLK-1", Region.EMEA, "", Decimal(1), ""), NOW, actor=ACTOR)
    with engine.connect() as conn:
        kind = conn.execute(
            text("SELECT data_type FROM information_schema.columns WHERE table_name = 'customer' AND column_name = 'created_at'")
        ).scalar_one()
        stored = conn.execute(text("SELECT created_at FROM customer WHERE id = :id"), {"id": customer.id}).scalar_one()
    assert kind == "timestamp without time zone"
    assert stored == NOW.replace(tzinfo=None)
    with read_session(engine) as session:
        row = session.get(tables.CustomerRow, customer.id)
        assert row is not None and row.created_at == NOW.replace(tzinfo=None)


def test_an_upgrade_on_a_server_keeps_no_file_copy_and_says_so(tmp_path: Path) -> None:
    from alembic import command

    if reason := postgres_books.probe():
        pytest.skip(reason)
    with postgres_books.scratch_database("ccm_old") as name:
        old = make_engine(postgres_books.book_url(name))
        try:
            with old.begin() as conn:
                config = alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, "0004")
            result = upgrade(old, None, tmp_path / "backups", NOW)
        finally:
            old.dispose()
    assert (result.from_revision, result.backup, result.backup_skipped) == ("0004", None, True)
    assert result.notice is not None and "pg_dump" in result.notice
    assert not (tmp_path / "backups").exists()


def _dump(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(table.select().order_by(*table.primary_key.columns)).fetchall()
            for table in tables.metadata.sorted_tables
        }


def test_the_demo_and_a_seed_are_the_same_rows_on_both_engines(engine: Engine, tmp_path: Path) -> None:
    on_file = make_engine(f"sqlite:///{tmp_path / 'book.sqlite'}")
    try:
        upgrade(on_file, tmp_path / "book.sqlite", tmp_path / "backups", NOW)
        for book in (on_file, engine):
            build_demo_book(book, TODAY, NOW)
            seed_book(book, 30, 90, TODAY)
        assert _dump(engine) == _dump(on_file)
    finally:
        on_file.dispose()
