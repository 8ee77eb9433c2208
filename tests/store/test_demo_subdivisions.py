"""The demo's places carry their state or province, and its sites keep it."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ccm_tui.domain.site_location import subdivision_code, zone_country_warning
from ccm_tui.services import Services
from ccm_tui.store import tables
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.demo_settings import Place, load_demo_settings
from ccm_tui.store.engine import make_engine, sqlite_url

PLACES = load_demo_settings().places


@pytest.mark.parametrize("place", PLACES, ids=[p.city for p in PLACES])
def test_each_place_is_consistent(place: Place) -> None:
    assert subdivision_code(place.country, place.subdivision) == place.subdivision  # known to the holidays package
    assert zone_country_warning(place.country, place.zone) is None


def test_the_places_named_in_the_issue_have_their_subdivision() -> None:
    by_city = {p.city: p.subdivision for p in PLACES}
    assert by_city["Sydney"] == "AU-NSW"
    assert by_city["Los Angeles"] == "US-CA"
    assert by_city["Berlin"].startswith("DE-")


def _sites(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT city, country, subdivision FROM site ORDER BY id"))]


def _demo(path: Path) -> Engine:
    engine = make_engine(sqlite_url(path))
    tables.metadata.create_all(engine)
    build_demo_book(engine, date(2026, 11, 20), datetime(2026, 11, 20, 20, 30, tzinfo=UTC))
    return engine


def test_demo_sites_take_their_places_subdivision_the_same_every_time(tmp_path: Path) -> None:
    first, second = _sites(_demo(tmp_path / "a.sqlite")), _sites(_demo(tmp_path / "b.sqlite"))
    assert first == second
    places = {(p.city, p.country): p.subdivision for p in PLACES}
    assert all(subdivision == places[city, country] for city, country, subdivision in first)
    assert ("Sydney", "AU", "AU-NSW") in first


def test_json_export_of_the_demo_carries_subdivisions(demo_services: Services) -> None:
    stream = io.StringIO()
    demo_services.exchange.write_json(stream)
    sites = [s for c in json.loads(stream.getvalue())["customers"] for s in c["sites"]]
    assert all("subdivision" in s for s in sites)
    assert {s["subdivision"] for s in sites if s["city"] == "Sydney"} == {"AU-NSW"}
