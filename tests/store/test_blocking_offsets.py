"""Each activation's largest outstanding offsets (store/blocking_offsets.py) are derived as its items are
written: whoever writes them (a checklist made from its template, an item added or ticked, an undo, the seed,
the demo, migration 0013 for books made before), the stored offsets must equal what the items say
(`checklist_readiness.largest_offsets`), on both engines."""

from __future__ import annotations

import ast
import contextlib
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from sqlmodel import select

from ccm_tui.data_files import load_checklist_templates
from ccm_tui.domain.checklist import ItemState, Owner, Phase
from ccm_tui.domain.checklist_input import AdhocItemInput
from ccm_tui.domain.model import StepKind
from ccm_tui.store import checklists
from ccm_tui.store.blocking_offsets import COLUMNS, refresh_blocking_offsets
from ccm_tui.store.checklist_readiness import largest_offsets
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.migrate import alembic_config, upgrade
from ccm_tui.store.seed import seed_book
from ccm_tui.store.sql_types import table_of
from ccm_tui.store.tables import ActivationRow, ChecklistItemRow
from ccm_tui.store.undo import UndoRefused
from tests.store.test_change_log import DANA, NOW, Book, _import_activation
from tests.store.test_change_log import book as book
from tests.store.test_undo import undo

pytestmark = pytest.mark.own_database  # seeds advance PostgreSQL's sequences; one test changes the schema

TODAY = date(2026, 11, 20)


def stored_and_derived(
    engine: Engine,
) -> tuple[dict[int, tuple[int | None, int | None]], dict[int, tuple[int | None, int | None]]]:
    """Every activation's stored offsets (installation, activation), and those its items give now."""
    with read_session(engine) as session:
        rows = session.exec(
            select(ActivationRow.id, ActivationRow.blocking_offset_installation, ActivationRow.blocking_offset_activation)
        ).all()
        stored = {activation_id: (installation, activation) for activation_id, installation, activation in rows}
        found = largest_offsets(session, sorted(stored))
    derived = {a: (found.get((a, StepKind.INSTALLATION.value)), found.get((a, StepKind.ACTIVATION.value))) for a in stored}
    return stored, derived


def assert_derived(engine: Engine) -> None:
    stored, derived = stored_and_derived(engine)
    assert stored, "the book has activations"
    assert stored == derived


def test_a_seeded_book_has_them(engine: Engine) -> None:
    seed_book(engine, 30, 120, TODAY)
    stored, _ = stored_and_derived(engine)
    assert any(offsets != (None, None) for offsets in stored.values())  # the seed leaves items outstanding
    assert_derived(engine)


def test_the_demo_book_has_them(engine: Engine) -> None:
    build_demo_book(engine, TODAY, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))  # not the machine's zone
    assert_derived(engine)


def test_migration_0013_derives_them_for_a_book_made_before(engine: Engine, tmp_path: Path) -> None:
    from alembic import command

    seed_book(engine, 20, 60, TODAY)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert "blocking_offset_installation" not in {c["name"] for c in _columns(engine, "activation")}
    upgrade(engine, None, tmp_path, NOW)
    assert_derived(engine)


def _columns(engine: Engine, table: str) -> list[dict[str, object]]:
    from sqlalchemy import inspect

    return list(inspect(engine).get_columns(table))


_PHASES = [p for p in Phase]
OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(_PHASES), st.sampled_from(list(Owner)), st.integers(0, 12), st.booleans()),
    st.tuples(st.just("state"), st.integers(0, 10_000), st.sampled_from(list(ItemState))),
    # the outstanding customer blocking item with the largest offset, the one that decides: to any state
    st.tuples(st.just("largest"), st.sampled_from(list(ItemState))),
    # every outstanding customer blocking item done: the offsets become none
    st.tuples(st.just("all done")),
    st.tuples(st.just("undo")),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=6))
def test_every_write_of_items_keeps_them(book: Book, operations: list[tuple[object, ...]]) -> None:
    # one book for every example: the offsets must hold after any sequence, from wherever the last one left it
    engine = book.engine
    activation = _activation(book)
    for operation in operations:
        if operation[0] == "add":
            _, phase, owner, days, blocking = operation
            data = AdhocItemInput("Item", owner, phase, days, blocking)  # type: ignore[arg-type]
            checklists.add_item(engine, activation, data, NOW, DANA)
        elif operation[0] in ("state", "largest"):
            with read_session(engine) as session:
                items = session.exec(select(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation)).all()
            if operation[0] == "state":
                item = items[operation[1] % len(items)]  # type: ignore[operator]
            else:
                deciding = [i for i in items if i.owner == "customer" and i.blocking and i.state in ("open", "blocked")]
                if not deciding:
                    continue
                item = max(deciding, key=lambda i: i.due_offset_days)
            assert item.id is not None
            checklists.set_state(engine, item.id, item.version, operation[-1], "", NOW, DANA)  # type: ignore[arg-type]
        elif operation[0] == "all done":
            with read_session(engine) as session:
                items = session.exec(select(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation)).all()
            for item in items:
                if item.owner == "customer" and item.blocking and item.state in ("open", "blocked"):
                    assert item.id is not None
                    checklists.set_state(engine, item.id, item.version, ItemState.DONE, "", NOW, DANA)
        else:
            with contextlib.suppress(UndoRefused):  # nothing (more) this user may undo: the offsets hold all the same
                undo(engine)
        assert_derived(engine)


# by the book's engine, held weakly: an id() could come back for the next test's engine, and its other book
_ACTIVATIONS: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


def _activation(book: Book) -> int:
    """The book's imported activation, with its template checklist: made on the first example."""
    if book.engine not in _ACTIVATIONS:
        activation = _import_activation(book)
        made = checklists.create_checklist(book.engine, activation, load_checklist_templates().templates)
        assert made > 0
        assert_derived(book.engine)
        _ACTIVATIONS[book.engine] = activation
    return _ACTIVATIONS[book.engine]


def test_stale_offsets_are_caught(engine: Engine) -> None:
    """The comparison above can fail: a write that skips the derivation leaves the stored offsets behind."""
    seed_book(engine, 10, 40, TODAY)
    with write_session(engine) as session:
        session.execute(update(ActivationRow).values({COLUMNS[StepKind.INSTALLATION]: None}))
    stored, derived = stored_and_derived(engine)
    assert stored != derived


STORE = Path(__file__).parents[2] / "ccm_tui" / "store"
_WRITES = ("insert(", "session.add(", "session.delete(", "update(", ".delete(")


def test_each_store_module_writing_items_derives_the_offsets() -> None:
    """A module that writes checklist items calls `refresh_blocking_offsets` (migrations derive them in SQL)."""
    writers = set()
    for path in STORE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        names = {node.id for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}
        names |= {node.attr for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Attribute)}  # t.ChecklistItemRow
        if "ChecklistItemRow" in names and any(write in text for write in _WRITES):
            writers.add(path.name)
    assert {"checklists.py", "undo.py", "seed_checklists.py"} <= writers
    missing = sorted(
        name
        for name in writers - {"blocking_offsets.py", "tables.py"}
        if "refresh_blocking_offsets(" not in (STORE / name).read_text()
    )
    assert not missing, f"these write checklist items without deriving the offsets: {missing}"
    assert "refresh_blocking_offsets(" in (STORE / "demo.py").read_text()  # the demo's items come from demo_checklists


@pytest.mark.postgresql_only  # SQLite writes one at a time; on a server two checklists' writes can overlap
def test_two_people_changing_one_checklist_at_once_leave_the_offsets_right(book: Book) -> None:
    """The second writer's derivation waits for the first's commit and then sees its items: each closes the
    item with the largest offset of one step, in overlapping transactions; the stored offsets are then none."""
    engine = book.engine
    activation = _activation(book)
    with read_session(engine) as session:
        items = session.exec(select(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation)).all()
    deciding = [i for i in items if i.owner == "customer" and i.blocking and i.state in ("open", "blocked")]
    assert deciding, "the template leaves customer items outstanding"
    item = table_of(ChecklistItemRow)
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        first.execute(update(item).where(item.c.id.in_([i.id for i in deciding[: len(deciding) // 2]])).values(state="done"))
        refresh_blocking_offsets(first, [activation])  # holds the activation's row lock until it commits

        def other() -> None:
            with second.begin():
                rest = [i.id for i in deciding[len(deciding) // 2 :]]
                second.execute(update(item).where(item.c.id.in_(rest)).values(state="done"))
                refresh_blocking_offsets(second, [activation])

        worker = threading.Thread(target=other)
        worker.start()
        _wait_for(lambda: _waiting_for_a_lock(engine), "the second writer to wait for the first's lock")
        first.commit()
        worker.join(timeout=30)
        assert not worker.is_alive()
    stored, derived = stored_and_derived(engine)
    assert derived[activation] == (None, None)  # every outstanding customer item closed
    assert stored == derived


def _waiting_for_a_lock(engine: Engine) -> bool:
    with engine.connect() as connection:
        waiting = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).scalar_one()
    return bool(waiting)


def _wait_for(holds: Callable[[], bool], what: str, budget_s: float = 20.0) -> None:
    give_up = time.monotonic() + budget_s
    while not holds():
        if time.monotonic() > give_up:
            raise AssertionError(f"still waiting for {what} after {budget_s:.0f} s")
        time.sleep(0.01)
