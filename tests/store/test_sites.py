"""Sites: add and edit; names unique per customer; cities searchable."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.model import Region
from ccm_tui.domain.validation import CustomerInput, InvalidInput, SiteInput
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import tables
from ccm_tui.store.book_page import book_page
from ccm_tui.store.customer_detail import customer_detail
from ccm_tui.store.customers import add_customer
from ccm_tui.store.engine import read_session
from ccm_tui.store.sites import add_site, update_site
from tests.actors import ACTOR, AT

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def places(engine):
    return engine  # a migrated book of its own, on each engine (tests/store/conftest.py)


def new_customer(engine, name, account):
    return add_customer(engine, CustomerInput(name, account, Region.EMEA, "Dana", Decimal(8), ""), NOW, actor=ACTOR)


def lyon(name="Depot"):
    return SiteInput(name, "3 rue de la Gare", "Lyon", "FR", "Europe/Paris")


def matching(engine, text):
    return [r.name for r in book_page(engine, BookQuery(text=text), NOW, date(2026, 3, 1), BusinessHours()).rows]


def site_rows(engine):
    with read_session(engine) as session:
        return [r.model_dump() for r in session.exec(select(tables.SiteRow).order_by(tables.SiteRow.id))]


def test_add_site_round_trips_and_its_city_is_searchable(places):
    acme = new_customer(places, "Acme", "EM-1")
    made = add_site(places, acme.id, lyon(), actor=ACTOR, now=AT)
    assert (made.customer_id, made.name, made.address, made.city, made.country, made.timezone, made.version) == (
        acme.id,
        "Depot",
        "3 rue de la Gare",
        "Lyon",
        "FR",
        "Europe/Paris",
        1,
    )
    assert customer_detail(places, acme.id, NOW, date(2026, 3, 1)).sites == (made,)
    assert matching(places, "lyon") == ["Acme"]


def test_a_city_is_listed_once_in_the_search_text(places):
    acme = new_customer(places, "Acme", "EM-1")
    add_site(places, acme.id, lyon("Depot"), actor=ACTOR, now=AT)
    add_site(places, acme.id, lyon("Store"), actor=ACTOR, now=AT)
    with read_session(places) as session:
        text = session.get(tables.CustomerRow, acme.id).search_text
    assert text == "acme\nem-1\nlyon"


def test_a_second_site_with_the_same_name_is_refused(places):
    acme = new_customer(places, "Acme", "EM-1")
    other = new_customer(places, "Bolt", "EM-2")
    add_site(places, acme.id, lyon(), actor=ACTOR, now=AT)
    add_site(places, other.id, lyon(), actor=ACTOR, now=AT)  # another customer may use the name
    before = site_rows(places)
    with pytest.raises(InvalidInput) as raised:
        add_site(places, acme.id, lyon(), actor=ACTOR, now=AT)
    assert set(raised.value.errors) == {"name"}
    assert "Depot" in raised.value.errors["name"]
    assert site_rows(places) == before


def test_update_site_saves_and_refreshes_search(places):
    acme = new_customer(places, "Acme", "EM-1")
    made = add_site(places, acme.id, lyon(), actor=ACTOR, now=AT)
    saved = update_site(places, made.id, 1, SiteInput("Depot", "1 Kings Rd", "Leeds", "GB", "Europe/London"), actor=ACTOR, now=AT)
    assert (saved.city, saved.country, saved.timezone, saved.version) == ("Leeds", "GB", "Europe/London", 2)
    assert matching(places, "leeds") == ["Acme"]
    assert matching(places, "lyon") == []


def test_renaming_onto_a_sibling_site_is_refused(places):
    acme = new_customer(places, "Acme", "EM-1")
    add_site(places, acme.id, lyon("Depot"), actor=ACTOR, now=AT)
    store = add_site(places, acme.id, lyon("Store"), actor=ACTOR, now=AT)
    before = site_rows(places)
    with pytest.raises(InvalidInput) as raised:
        update_site(places, store.id, 1, lyon("Depot"), actor=ACTOR, now=AT)
    assert set(raised.value.errors) == {"name"}
    assert site_rows(places) == before


def test_stale_site_edit_writes_nothing(places):
    acme = new_customer(places, "Acme", "EM-1")
    made = add_site(places, acme.id, lyon(), actor=ACTOR, now=AT)
    update_site(places, made.id, 1, lyon("Main depot"), actor=ACTOR, now=AT)
    before = site_rows(places)
    with pytest.raises(StaleEdit):
        update_site(places, made.id, 1, lyon("Lost"), actor=ACTOR, now=AT)
    assert site_rows(places) == before


def test_missing_rows_are_not_found(places):
    with pytest.raises(NotFound):
        add_site(places, 42, lyon(), actor=ACTOR, now=AT)
    with pytest.raises(NotFound):
        update_site(places, 42, 1, lyon(), actor=ACTOR, now=AT)


def test_moving_a_site_to_another_zone_makes_the_calendar_judge_its_steps_again(demo_services) -> None:  # type: ignore[no-untyped-def]
    """The calendar stores per-step flags (after hours, holiday); a new zone must not keep stale ones."""
    from sqlalchemy import select

    from ccm_tui.domain.validation import validate_site
    from ccm_tui.store.engine import read_session, write_session
    from ccm_tui.store.tables import ActivationRow, ActivationStepRow, SiteRow

    with read_session(demo_services.engine) as session:
        site = session.scalars(select(SiteRow).join(ActivationRow, ActivationRow.site_id == SiteRow.id)).first()
        assert site is not None
        site_id, version = site.id, site.version
        values = {"name": site.name, "address": site.address, "city": site.city, "country": "JP", "timezone": "Asia/Tokyo"}
    with write_session(demo_services.engine) as session:  # as the calendar leaves them after a read
        session.execute(
            ActivationStepRow.__table__.update()
            .where(ActivationStepRow.activation_id.in_(select(ActivationRow.id).where(ActivationRow.site_id == site_id)))
            .values(calendar_flags=0)
        )
    demo_services.book.update_site(site_id, version, validate_site(values))
    with read_session(demo_services.engine) as session:
        flags = session.scalars(
            select(ActivationStepRow.calendar_flags).where(
                ActivationStepRow.activation_id.in_(select(ActivationRow.id).where(ActivationRow.site_id == site_id))
            )
        ).all()
    assert flags and all(f is None for f in flags)
