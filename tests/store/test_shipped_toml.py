"""The TOML files the package ships parse and hold what their readers expect."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.model import Region, ReviewKind, ServiceKind, TaskCategory
from ccm_tui.store.demo_settings import load_demo_settings

PHASES = ["before_installation", "installation_visit", "before_activation", "during_call", "after_activation"]
ITEM_KEYS = {"phase", "text", "owner", "due_business_days", "blocking"}
CHECKLISTS = ["mrs.toml", "mss.toml", "unmanaged.toml"]


def _load(*parts: str) -> dict:
    return tomllib.loads(files("ccm_tui").joinpath("data", *parts).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_template(name: str) -> None:
    data = _load("checklists", name)
    assert data["version"] == 1
    kinds = [ServiceKind(k) for k in data.get("applies_to", [data["service"]])]
    items = data["items"]
    assert items
    for item in items:
        assert set(item) == ITEM_KEYS, item
        assert item["phase"] in PHASES
        assert item["owner"] in {"customer", "provider"}
        assert isinstance(item["due_business_days"], int) and item["due_business_days"] >= 0
        assert isinstance(item["blocking"], bool)
        assert item["text"].strip()
    phases = [item["phase"] for item in items]
    assert phases == sorted(phases, key=PHASES.index), "items are grouped by phase, in lifecycle order"
    if all(k.managed for k in kinds):
        assert set(phases) == set(PHASES)
    else:
        assert not any(k.managed for k in kinds)
        assert set(phases) == {"before_activation", "during_call", "after_activation"}
    assert {i["owner"] for i in items} == {"customer", "provider"}
    assert any(i["blocking"] and i["owner"] == "customer" for i in items)
    texts = " ".join(i["text"].casefold() for i in items if i["phase"] == "after_activation")
    for cause in ("cabling", "vlan", "default route", "firewall", "dns", "duplex", "circuit"):
        assert cause in texts, cause


def test_every_service_kind_has_a_checklist() -> None:
    covered: list[ServiceKind] = []
    for name in CHECKLISTS:
        data = _load("checklists", name)
        covered += [ServiceKind(k) for k in data.get("applies_to", [data["service"]])]
    assert sorted(covered) == sorted(ServiceKind)


def test_task_catalogue() -> None:
    data = _load("task_catalogue.toml")
    assert data["version"] == 1
    categories = [TaskCategory(area["category"]) for area in data["areas"]]
    assert sorted(categories) == sorted(TaskCategory)
    keys: list[str] = []
    for area in data["areas"]:
        assert area["label"].strip() and area["items"]
        for item in area["items"]:
            keys.append(item["key"])
            assert item["text"].strip()
            assert item["reviews"] and {ReviewKind(r) for r in item["reviews"]}
            assert item.get("cadence_months", 1) in (1, 3, 6, 12)
    assert len(keys) == len(set(keys))
    quarterly = {i["key"] for a in data["areas"] for i in a["items"] if i.get("cadence_months") == 3}
    assert {"firewall_rule_review", "monitoring_review"} <= quarterly
    reviews = {r for a in data["areas"] for i in a["items"] for r in i["reviews"]}
    assert reviews == {k.value for k in ReviewKind}


def test_demo_settings() -> None:
    settings = load_demo_settings()
    assert settings.seed and settings.customers > 0
    assert settings.demo_user and settings.demo_user not in settings.ccms
    assert set(settings.package_hours) == {4, 8, 12, 16, 24}
    assert set(settings.regions) == set(Region)
    for region in Region:
        assert settings.places_in(region) and settings.names_in(region)
    for place in settings.places:
        ZoneInfo(place.zone)
        assert place.streets and place.postcodes and place.phone
        assert place.country in settings.first_names and place.country in settings.last_names
    countries = {p.country for p in settings.places}
    assert set(settings.names) <= countries
