"""The task catalogue as data: the shipped file parses, broken ones say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_tui.data_files import load_task_catalogue
from ccm_tui.domain.catalogue import Catalogue, CatalogueError, LiveFacts
from ccm_tui.domain.model import ReviewKind, TaskCategory


def test_the_shipped_catalogue() -> None:
    catalogue = load_task_catalogue()
    assert [a.category for a in catalogue.areas] == list(TaskCategory)
    quarterly = {i.key for _, i in catalogue.items_for(ReviewKind.QUARTERLY)}
    assert {"firewall_rule_review", "monitoring_review", "authorised_contact_review"} <= quarterly
    live = {i.live for a in catalogue.areas for i in a.items if i.live}
    assert live == set(LiveFacts)  # every kind of live data has an item to go under
    for kind in ReviewKind:
        assert catalogue.items_for(kind), kind
    assert catalogue.item("firewall_rule_review").cadence_months == 3  # type: ignore[union-attr]


def _valid() -> dict:
    return {
        "version": 1,
        "areas": [
            {
                "category": "relationship",
                "label": "Relationship",
                "items": [{"key": "calls", "text": "Calls", "reviews": ["monthly"]}],
            }
        ],
    }


def _with(path: list, value: object) -> dict:
    data = _valid()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "where", "problem"),
    [
        (_with(["version"], 2), "version", "must be 1"),
        (_with(["extra"], 1), "extra", "unknown key"),
        (_with(["areas"], []), "areas", "list of"),
        (_with(["areas", 0, "category"], "gossip"), "areas[0].category", "must be one of"),
        (_with(["areas", 0, "label"], " "), "areas[0].label", "non-empty"),
        (_with(["areas", 0, "items"], []), "areas[0].items", "at least one"),
        (_with(["areas", 0, "items", 0, "key"], "Bad Key"), "areas[0].items[0].key", "lower-case"),
        (_with(["areas", 0, "items", 0, "reviews"], ["weekly"]), "areas[0].items[0].reviews", "unknown review kind"),
        (_with(["areas", 0, "items", 0, "reviews"], []), "areas[0].items[0].reviews", "must list"),
        (_with(["areas", 0, "items", 0, "cadence_months"], 2), "areas[0].items[0].cadence_months", "must be one of"),
        (_with(["areas", 0, "items", 0, "cadence_months"], True), "areas[0].items[0].cadence_months", "must be one of"),
        (_with(["areas", 0, "items", 0, "live"], "weather"), "areas[0].items[0].live", "must be one of"),
        (_with(["areas", 0, "items", 0, "colour"], "red"), "areas[0].items[0].colour", "unknown key"),
    ],
    ids=[
        "version", "unknown-top-key", "no-areas", "bad-category", "blank-label", "no-items", "bad-key",
        "unknown-review", "no-reviews", "odd-cadence", "boolean-cadence", "unknown-live", "unknown-item-key",
    ],
)  # fmt: skip
def test_broken_catalogues_say_where(data: dict, where: str, problem: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        Catalogue.from_mapping(data)
    assert caught.value.where == where
    assert problem in caught.value.problem


def test_a_key_twice_is_refused() -> None:
    data = _valid()
    data["areas"].append(
        {"category": "finance", "label": "Finance", "items": [{"key": "calls", "text": "Again", "reviews": ["monthly"]}]}
    )
    with pytest.raises(CatalogueError, match="calls appears more than once"):
        Catalogue.from_mapping(data)


def test_a_user_catalogue_overrides_and_its_errors_name_the_file(tmp_path: Path) -> None:
    mine = tmp_path / "task_catalogue.toml"
    mine.write_text(
        'version = 1\n[[areas]]\ncategory = "finance"\nlabel = "Money"\n[[areas.items]]\nkey = "bills"\ntext = "Bills"\nreviews = ["monthly"]\n'
    )
    assert [a.label for a in load_task_catalogue(mine).areas] == ["Money"]
    mine.write_text("version = 1\n[[areas]\n")
    with pytest.raises(CatalogueError, match=r"task_catalogue.toml, line 2"):
        load_task_catalogue(mine)
    assert load_task_catalogue(tmp_path / "missing.toml").areas  # no file: the shipped one
