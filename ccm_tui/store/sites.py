"""A customer's sites: add, edit and remove.

Site cities are part of the customer's `/` text, so every write here
refreshes it in the same transaction. A customer's site names are unique.
A site with any activation, finished or not, is in use: the activation's
foreign key cascades, so removing the site would delete the activations
and their history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ccm_tui.domain.changes import CHANGED, CREATED, REMOVED, Entity
from ccm_tui.domain.model import Site
from ccm_tui.domain.people import Person
from ccm_tui.domain.validation import InvalidInput, SiteInput
from ccm_tui.errors import InUse, NotFound, StaleEdit
from ccm_tui.store import change_log
from ccm_tui.store.calendar_flags import forget_site
from ccm_tui.store.convert import site_from_row
from ccm_tui.store.customers import refresh_search_text
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.tables import ActivationRow, CustomerRow, OrderRow, SiteRow


def add_site(engine: Engine, customer_id: int, data: SiteInput, *, actor: Person, now: datetime) -> Site:
    try:
        with write_session(engine) as session:
            if session.get(CustomerRow, customer_id) is None:
                raise NotFound("customer", customer_id)
            _refuse_duplicate_name(session, customer_id, data.name, None)
            row = SiteRow(customer_id=customer_id, name=data.name, country=data.country, timezone=data.timezone)
            _fill(row, data)
            session.add(row)
            session.flush()
            refresh_search_text(session, customer_id)
            site = site_from_row(row)
            change_log.record(session, actor, now, Entity.SITE, site.id, customer_id, CREATED, {}, change_log.fields_of(row))
    except IntegrityError:
        _after_race(engine, customer_id, data.name, None)
        raise
    return site


def update_site(engine: Engine, site_id: int, expected_version: int, data: SiteInput, *, actor: Person, now: datetime) -> Site:
    """Save an edit made on version `expected_version`; StaleEdit if it moved on. One that changes nothing writes nothing."""
    customer_id = None
    try:
        with write_session(engine) as session:
            row = session.get(SiteRow, site_id, with_for_update=True)
            if row is None:
                raise NotFound("site", site_id)
            if row.version != expected_version:
                raise StaleEdit("site", site_id)
            customer_id = row.customer_id
            _refuse_duplicate_name(session, customer_id, data.name, site_id)
            moved = (row.timezone, row.country, row.subdivision) != (data.timezone, data.country, data.subdivision)
            before = change_log.fields_of(row)
            _fill(row, data)
            after = change_log.fields_of(row)
            if not change_log.differences(before, after):
                return site_from_row(row)  # the version stays: no other open form goes stale over nothing
            if moved:  # its steps' after-hours and late-change flags depend on the zone, weekend and holidays
                forget_site(session, site_id)
            row.version += 1
            session.add(row)
            session.flush()
            refresh_search_text(session, customer_id)
            site = site_from_row(row)
            change_log.record(session, actor, now, Entity.SITE, site_id, customer_id, CHANGED, before, after)
    except IntegrityError:
        if customer_id is not None:
            _after_race(engine, customer_id, data.name, site_id)
        raise
    return site


def remove_site(engine: Engine, site_id: int, expected_version: int, *, actor: Person, now: datetime) -> Site:
    """Remove the site shown at `expected_version`; InUse (nothing written) while any activation is at it."""
    with write_session(engine) as session:
        row = session.get(SiteRow, site_id, with_for_update=True)
        if row is None:
            raise NotFound("site", site_id)
        if row.version != expected_version:
            raise StaleEdit("site", site_id)
        if (reason := site_in_use(session, site_id)) is not None:
            raise InUse(reason)
        site = site_from_row(row)
        before = change_log.fields_of(row)
        session.delete(row)
        session.flush()
        refresh_search_text(session, site.customer_id)
        change_log.record(session, actor, now, Entity.SITE, site_id, site.customer_id, REMOVED, before, {})
        return site


def removal_refusal(engine: Engine, site_id: int) -> str | None:
    """Why removing the site would be refused now (`site_in_use`), or None: asked before the CCM confirms."""
    with read_session(engine) as session:
        return site_in_use(session, site_id)


_ORDERS_NAMED = 3  # a refusal names this many of the site's orders


def site_in_use(session: Session, site_id: int) -> str | None:
    """Why the site cannot be removed (activations are at it), or None."""
    site = session.get(SiteRow, site_id)
    if site is None:
        return None
    count = session.exec(select(func.count()).select_from(ActivationRow).where(ActivationRow.site_id == site_id)).one()
    if not count:
        return None
    numbers = session.exec(
        select(OrderRow.number)
        .join(ActivationRow, col(ActivationRow.order_id) == OrderRow.id)
        .where(ActivationRow.site_id == site_id)
        .distinct()
        .order_by(col(OrderRow.number))
        .limit(_ORDERS_NAMED + 1)
    ).all()
    orders = ", ".join(numbers[:_ORDERS_NAMED]) + (", …" if len(numbers) > _ORDERS_NAMED else "")
    activations = "an activation" if count == 1 else f"{count} activations"
    label = "order" if len(numbers) == 1 else "orders"
    return f"{site.name} has {activations} ({label} {orders}): removing the site would delete them and their history"


def _fill(row: SiteRow, data: SiteInput) -> None:
    row.name = data.name
    row.address = data.address
    row.city = data.city
    row.country = data.country
    row.subdivision = data.subdivision
    row.timezone = data.timezone


def _refuse_duplicate_name(session: Session, customer_id: int, name: str, other_than: int | None) -> None:
    stmt = select(SiteRow.id).where(SiteRow.customer_id == customer_id, SiteRow.name == name)
    if other_than is not None:
        stmt = stmt.where(SiteRow.id != other_than)
    if session.exec(stmt).first() is not None:
        raise InvalidInput({"name": f"this customer already has a site named {name}"})


def _after_race(engine: Engine, customer_id: int, name: str, other_than: int | None) -> None:
    """After an IntegrityError: say it was the site name, if it was."""
    with read_session(engine) as session:
        _refuse_duplicate_name(session, customer_id, name, other_than)
