"""The export walk's shortcuts (store/exports.py, export_rows.py, export_readiness.py) give what the plain ways give.

- Each batch's readiness, read from the steps the walk holds and only the
  open steps that can be late handed over, is the checklists' own
  `readiness_for`, at risk with the same reason, on both engines.
- The walk leaves no reference cycles behind, batch after batch: the
  exports pause the cyclic collector while it runs (services/exchange.py).
- `maker` builds the same records as their `__init__`, and refuses a class
  whose `__init__` would do more.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Activation, ActivationStep, Customer, Region, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.readiness import NO_CHECKLIST
from ccm_tui.store import checklist_readiness, exports
from ccm_tui.store.export_readiness import ReadinessAt
from ccm_tui.store.export_rows import maker
from ccm_tui.store.seed import seed_book

TODAY = date(2026, 11, 20)
MONTH = date(2026, 11, 1)
HOURS = BusinessHours()


def walked_readiness(engine: Engine, now: datetime, batch: int) -> dict[int, object]:
    found: dict[int, object] = {}
    for walked in exports.book_walk(engine, MONTH, batch, readiness=ReadinessAt(now, HOURS)):
        assert walked.readiness is not None
        assert set(walked.readiness) == {a.id for records in walked.records for a in records.activations}
        found |= walked.readiness
    return found


@pytest.mark.parametrize("days", [0, 6, 20], ids=["today", "in-a-week", "later"])
def test_the_walks_readiness_is_the_checklists(engine: Engine, days: int) -> None:
    seed_book(engine, 40, 160, TODAY)
    now = datetime(2026, 11, 20, 15, 30, tzinfo=UTC) + timedelta(days=days)  # more events overdue as time goes by
    walked = walked_readiness(engine, now, batch=7)
    expected = checklist_readiness.readiness_for(engine, list(walked), now, HOURS)
    assert walked == expected
    assert any(r.at_risk for r in expected.values())  # the seeded checklists have overdue customer tasks: risks compared
    assert any(r is NO_CHECKLIST for r in walked.values()) and any(r.required for r in expected.values())


def test_the_walk_without_readiness_gives_none(engine: Engine) -> None:
    seed_book(engine, 5, 10, TODAY)
    assert all(walked.readiness is None for walked in exports.book_walk(engine, MONTH, 2))


def test_the_walk_leaves_no_cycles_to_collect(engine: Engine) -> None:
    seed_book(engine, 30, 90, TODAY)
    at = ReadinessAt(datetime(2026, 12, 10, tzinfo=UTC), HOURS)
    for _ in exports.book_walk(engine, MONTH, 3, readiness=at):  # the first walk compiles its statements
        pass
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in exports.book_walk(engine, MONTH, 1, readiness=at):  # 30 batches
            pass
        left = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert left < 30, f"{left} objects in cycles: something the walk builds per batch holds a cycle"


NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "made",
    [
        Customer(1, "NA-1", "Acme", Region.NORTH_AMERICA, "Alex", hours_per_month=Decimal(8)),
        ActivationStep(3, 2, StepKind.ACTIVATION, NOW, NOW + timedelta(hours=2), StepStatus.CONFIRMED, 4),
        Activation(2, 1, 5, 6, ServiceKind.MRS, True, (), None, NOW, 7),
    ],
    ids=lambda made: type(made).__name__,
)
def test_maker_makes_what_init_makes(made: object) -> None:
    fields = [getattr(made, name) for name in type(made).__dataclass_fields__]  # type: ignore[attr-defined]
    copy = maker(type(made))(*fields)
    assert copy == made and type(copy) is type(made)
    with pytest.raises(AttributeError):
        copy.id = 9  # type: ignore[attr-defined]  # still frozen


def test_maker_refuses_a_class_whose_init_does_more() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    @dataclass(frozen=True)
    class Unslotted:
        value: int

    for kind in (Checked, Unslotted):
        with pytest.raises(TypeError):
            maker(kind)
