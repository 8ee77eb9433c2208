"""The CSV walk (store/export_csv.py `csv_batches`) writes rows from the driver's values, building no records:
its rows must be those the records' `*_row` functions (domain/exports.py) make from the record walk,
in the same order, however the customers are batched, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col

from ccm_tui.domain.exports import activation_row, contact_row, customer_row, order_row, site_row
from ccm_tui.store import export_csv, exports
from ccm_tui.store.export_rows import Span
from ccm_tui.store.seed import seed_book
from ccm_tui.store.tables import ActivationStepRow, ContactRow, CustomerRow
from tests.store.test_exports import MONTH, TODAY


def rows_from_records(engine: Engine) -> tuple[list[list[str]], ...]:
    """The five files' rows as `export_csv` made them from the records (and how many activations it read)."""
    out: tuple[list[list[str]], ...] = ([], [], [], [], [])
    customers, contacts, sites, orders, activations = out
    for batch in exports.book_batches(engine, MONTH):
        for records in batch:
            account = records.customer.account_number
            customers.append(customer_row(records.customer))
            contacts += [contact_row(account, c) for c in records.contacts]
            sites += [site_row(account, s) for s in records.sites]
            orders += [order_row(account, o) for o in records.orders]
            by_id = {s.id: s for s in records.sites}
            numbers = {o.id: o.number for o in records.orders}
            activations += [
                activation_row(account, numbers[a.order_id], by_id[a.site_id], a)
                for a in records.activations
                if a.order_id in numbers and a.site_id in by_id
            ]
    return out


def rows_walked(engine: Engine, batch: int) -> tuple[tuple[list[list[str]], ...], int]:
    out: tuple[list[list[str]], ...] = ([], [], [], [], [])
    read = 0
    for found in export_csv.csv_batches(engine, batch):
        for rows, more in zip(out, found.rows, strict=True):
            rows += more
        read += found.activations_read
    return out, read


@pytest.mark.parametrize("batch", [1, 500])
def test_the_csv_walk_writes_what_the_records_write(engine: Engine, batch: int) -> None:
    seed_book(engine, 24, 90, TODAY)
    with Session(engine) as session, session.begin():
        # cells a spreadsheet would run, and an unscheduled step without its window: the rules' rarer branches
        first = session.exec(update(ContactRow).where(col(ContactRow.id) == 1).values(name="=SUM(A1)", phone="+44 20"))
        session.exec(update(CustomerRow).where(col(CustomerRow.id) == 2).values(notes="@note", name="-Dash"))
        session.exec(
            update(ActivationStepRow)
            .where(col(ActivationStepRow.id) == 1)
            .values(status="unscheduled", start_at=None, end_at=None)
        )
        assert first.rowcount == 1
    expected = rows_from_records(engine)
    walked, read = rows_walked(engine, batch)
    assert walked == expected
    assert all(expected) and read == sum(len(records.activations) for b in exports.book_batches(engine, MONTH) for records in b)
    assert any(row[1].startswith("'=") for row in walked[1])  # the neutralised contact was compared


def test_spans_of_account_numbers_walk_the_book_between_them(engine: Engine) -> None:
    """Two processes write a large book's halves (services/export_half.py): the spans' walks, one after the
    other, are the whole walk, however the customers are batched; a server book is written in one pass."""
    seed_book(engine, 9, 20, TODAY)
    whole, _ = rows_walked(engine, 4)
    accounts = [row[0] for row in whole[0]]
    middle = accounts[4]
    halves = exports.split_at(engine, lambda _total: 0.5)
    spans = (Span(through=middle), Span(after=middle)) if engine.dialect.name == "postgresql" else halves
    assert spans is not None
    walked: tuple[list[list[str]], ...] = ([], [], [], [], [])
    for span in spans:
        for found in export_csv.csv_batches(engine, 4, span):
            for rows, more in zip(walked, found.rows, strict=True):
                rows += more
    assert walked == whole
    if engine.dialect.name == "postgresql":
        assert halves is None  # two sessions there could see two states of the book
    else:
        assert spans == (Span(through=middle), Span(after=middle))  # 9 customers: 4 in the second half
        assert exports.split_at(engine, lambda _total: 0.1) is None  # not one customer for a second half: one pass
