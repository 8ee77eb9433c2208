"""`in_ids` binds a list of ids as one value (a JSON array on SQLite, an array on PostgreSQL): it must select
exactly what `IN (...)` selects, negated too, for no ids, repeated ids, ids absent from the table and more
ids than SQLite takes as parameters; and its statement must be compiled once, whatever the ids."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert, select

from ccm_tui.store.sql_types import in_ids, table_of
from ccm_tui.store.tables import CustomerRow

CUSTOMER = table_of(CustomerRow)
STORED = list(range(1, 301))
WHEN = datetime(2026, 11, 20, tzinfo=UTC).replace(tzinfo=None)


def _customers(engine: Engine) -> None:
    rows = [
        {
            "id": i,
            "account_number": f"ACC-{i:05d}",
            "name": f"Customer {i}",
            "sort_name": f"customer {i}",
            "region": "amer",
            "ccm": "",
            "hours_per_month_minutes": 0,
            "notes": "",
            "search_text": f"customer {i}",
            "version": 1,
            "created_at": WHEN,
            "updated_at": WHEN,
        }
        for i in STORED
    ]
    with engine.begin() as connection:
        connection.execute(insert(CUSTOMER), rows)


CASES = {
    "none": [],
    "one": [7],
    "repeated and unsorted": [9, 3, 9, 250, 3],
    "absent ones too": [0, -4, 5, 301, 10**12],
    "every one": STORED,
    "more than SQLite's parameters": list(range(-20_000, 20_000)),
    "a random half": random.Random(13).sample(STORED, 150),
}


@pytest.mark.parametrize("ids", CASES.values(), ids=CASES.keys())
def test_in_ids_selects_what_in_selects(engine: Engine, ids: list[int]) -> None:
    _customers(engine)
    expected = sorted(set(ids) & set(STORED))
    with engine.connect() as connection:
        found = connection.execute(select(CUSTOMER.c.id).where(in_ids(CUSTOMER.c.id, ids)).order_by(CUSTOMER.c.id)).scalars()
        assert list(found) == expected
        left = connection.execute(select(CUSTOMER.c.id).where(~in_ids(CUSTOMER.c.id, ids)).order_by(CUSTOMER.c.id)).scalars()
        assert list(left) == sorted(set(STORED) - set(ids))


def test_in_ids_takes_an_orm_attribute_and_compiles_once(engine: Engine) -> None:
    _customers(engine)
    with engine.connect() as connection:
        connection.execute(select(CUSTOMER.c.id).where(in_ids(CustomerRow.id, [1])).order_by(CUSTOMER.c.id))
        compiled = len(engine._compiled_cache)  # type: ignore[attr-defined]  # SQLAlchemy's statement cache
        for ids in ([2], [3, 4], list(range(1, 200))):
            found = connection.execute(select(CUSTOMER.c.id).where(in_ids(CustomerRow.id, ids)).order_by(CUSTOMER.c.id))
            assert list(found.scalars()) == sorted(ids)
        assert len(engine._compiled_cache) == compiled  # type: ignore[attr-defined]
