"""The export walk (store/exports.py) reads columns and builds the domain objects itself, for speed:
it must give what the ORM rows, converted by store/convert.py as every other repository does, give,
in the same order, however the customers are batched, on both engines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ccm_tui.domain.book_facts import CustomerRecords
from ccm_tui.store import exports
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    customer_from_row,
    order_from_row,
    site_from_row,
    step_from_row,
)
from ccm_tui.store.seed import seed_book
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
)

TODAY = date(2026, 11, 20)
MONTH = date(2026, 11, 1)


def converted(engine: Engine) -> dict[str, tuple[object, ...]]:
    """Each customer's records as the ORM and store/convert.py read them, by account number, unsorted."""
    found: dict[str, tuple[object, ...]] = {}
    with Session(engine) as session:
        steps = defaultdict(list)
        for step in session.exec(select(ActivationStepRow)).all():
            steps[step.activation_id].append(step_from_row(step))
        services = defaultdict(list)
        for service in session.exec(select(OrderServiceRow).order_by(col(OrderServiceRow.id))).all():
            services[service.order_id].append(service.kind)
        for row in session.exec(select(CustomerRow)).all():
            customer = customer_from_row(row)
            found[customer.account_number] = (
                customer,
                {contact_from_row(r) for r in session.exec(select(ContactRow).where(ContactRow.customer_id == row.id))},
                {site_from_row(r) for r in session.exec(select(SiteRow).where(SiteRow.customer_id == row.id))},
                {
                    order_from_row(r, services[r.id or 0])
                    for r in session.exec(select(OrderRow).where(OrderRow.customer_id == row.id))
                },
                {
                    activation_from_row(r, steps[r.id or 0])
                    for r in session.exec(select(ActivationRow).where(ActivationRow.customer_id == row.id))
                },
            )
    return found


def walked(engine: Engine, batch: int) -> list[CustomerRecords]:
    return [records for chunk in exports.book_batches(engine, MONTH, batch) for records in chunk]


def test_the_walk_gives_what_the_orm_and_convert_give(engine: Engine) -> None:
    seed_book(engine, 30, 90, TODAY)
    expected = converted(engine)
    records = walked(engine, 7)
    assert [r.customer.account_number for r in records] == sorted(expected)  # every customer, in account order
    assert sum(len(r.activations) for r in records) == 90
    for r in records:
        customer, contacts, sites, orders, activations = expected[r.customer.account_number]
        assert r.customer == customer
        assert (set(r.contacts), set(r.sites), set(r.orders), set(r.activations)) == (contacts, sites, orders, activations)
        for activation in r.activations:  # installation first, as convert orders them
            assert [s.kind for s in activation.steps] == sorted(
                (s.kind for s in activation.steps), key=lambda k: k.value != "installation"
            )


def test_batching_does_not_change_the_walk(engine: Engine) -> None:
    seed_book(engine, 12, 30, TODAY)
    one = walked(engine, 100)
    assert walked(engine, 5) == one
    assert walked(engine, 1) == one
    assert exports.customer_total(engine) == len(one) == 12
