"""Checklist templates: the shipped ones, parsing and validation, a user's
overrides, and broken files reported with their file and line."""

from __future__ import annotations

import copy
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from ccm_tui.data_files import load_checklist_templates
from ccm_tui.domain.checklist import (
    ChecklistTemplate,
    Owner,
    Phase,
    TemplateError,
    parse_template,
)
from ccm_tui.domain.model import ServiceKind

GOOD = {
    "service": "MRS",
    "version": 1,
    "items": [
        {"phase": "before_installation", "text": "Rack space", "owner": "customer", "due_business_days": 3, "blocking": True},
        {"phase": "during_call", "text": "Roll call", "owner": "provider", "due_business_days": 0, "blocking": False},
    ],
}

GOOD_TOML = """\
service = "MRS"
version = 1

[[items]]
phase = "before_installation"
text = "Rack space"
owner = "customer"
due_business_days = 3
blocking = true

[[items]]
phase = "during_call"
text = "Roll call"
owner = "provider"
due_business_days = 0
blocking = false
"""


def _shipped(name: str) -> dict:
    return tomllib.loads(files("ccm_tui").joinpath("data", "checklists", name).read_text(encoding="utf-8"))


# -- the shipped templates ----------------------------------------------------------


def test_shipped_templates_cover_every_service_kind_without_warnings() -> None:
    loaded = load_checklist_templates()
    assert set(loaded.templates) == set(ServiceKind)
    assert loaded.warnings == ()
    assert all(source.startswith("shipped ") for source in loaded.sources.values())


@pytest.mark.parametrize("kind", list(ServiceKind), ids=lambda k: k.value)
def test_shipped_phases_fit_the_service(kind: ServiceKind) -> None:
    template = load_checklist_templates().templates[kind]
    phases = {item.phase for item in template.items}
    installation = {Phase.BEFORE_INSTALLATION, Phase.INSTALLATION_VISIT}
    assert (phases >= installation) if kind.managed else not (phases & installation)
    assert Phase.AFTER_ACTIVATION in phases
    assert any(i.owner is Owner.CUSTOMER and i.blocking for i in template.items)


def test_unmanaged_template_applies_to_its_kinds() -> None:
    template = parse_template(_shipped("unmanaged.toml"))
    assert template.name == "unmanaged"
    assert template.applies_to == {ServiceKind.INTERNET, ServiceKind.ETHERNET, ServiceKind.VPN}


# -- parsing ---------------------------------------------------------------------------


def test_parse_good_template() -> None:
    template = parse_template(GOOD)
    assert template == ChecklistTemplate(name="MRS", applies_to=frozenset({ServiceKind.MRS}), items=template.items)
    first, second = template.items
    assert (first.phase, first.owner, first.due_business_days, first.blocking) == (
        Phase.BEFORE_INSTALLATION,
        Owner.CUSTOMER,
        3,
        True,
    )
    assert (second.phase, second.owner, second.blocking) == (Phase.DURING_CALL, Owner.PROVIDER, False)


def test_service_and_choices_are_case_insensitive() -> None:
    data = copy.deepcopy(GOOD)
    data["service"] = "mrs"
    data["items"][0]["owner"] = "Customer"
    data["items"][0]["phase"] = "BEFORE_INSTALLATION"
    template = parse_template(data)
    assert template.applies_to == {ServiceKind.MRS}
    assert template.items[0].owner is Owner.CUSTOMER


def _broken(path: tuple, value: object) -> dict:
    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "item", "key", "problem"),
    [
        (_broken(("version",), 2), None, "version", "must be 1"),
        (_broken(("version",), True), None, "version", "must be 1"),
        (_broken(("service",), KeyError), None, "service", "is missing"),
        (_broken(("service",), "FRAME"), None, "service", "not a service kind"),
        (_broken(("colour",), "red"), None, "colour", "unknown key"),
        (_broken(("applies_to",), ["MRS", "VPN"]), None, "applies_to", "mixes managed"),
        (_broken(("applies_to",), ["FRAME"]), None, "applies_to", "not a service kind"),
        (_broken(("applies_to",), "VPN"), None, "applies_to", "must be a list"),
        (_broken(("items",), []), None, "items", "one or more"),
        (_broken(("items", 1), "roll call"), 2, None, "must be a table"),
        (_broken(("items", 1, "phase"), "after_lunch"), 2, "phase", "must be before_installation or"),
        (_broken(("items", 0, "owner"), "client"), 1, "owner", "must be customer or provider (got 'client')"),
        (_broken(("items", 0, "text"), "  "), 1, "text", "must be the task"),
        (_broken(("items", 0, "text"), "x" * 401), 1, "text", "longer than 400"),
        (_broken(("items", 0, "due_business_days"), -1), 1, "due_business_days", "from 0 to 30"),
        (_broken(("items", 0, "due_business_days"), 31), 1, "due_business_days", "from 0 to 30"),
        (_broken(("items", 0, "due_business_days"), 2.5), 1, "due_business_days", "whole number"),
        (_broken(("items", 0, "due_business_days"), True), 1, "due_business_days", "whole number"),
        (_broken(("items", 0, "blocking"), "yes"), 1, "blocking", "true or false"),
        (_broken(("items", 1, "blocking"), KeyError), 2, "blocking", "is missing"),
        (_broken(("items", 1, "due"), 2), 2, "due", "unknown key"),
    ],
    ids=[
        "version-2",
        "version-bool",
        "no-service",
        "unknown-service",
        "unknown-top-key",
        "mixed-applies-to",
        "unknown-applies-to",
        "applies-to-not-list",
        "no-items",
        "item-not-table",
        "unknown-phase",
        "unknown-owner",
        "blank-text",
        "long-text",
        "negative-days",
        "too-many-days",
        "fractional-days",
        "bool-days",
        "blocking-not-bool",
        "missing-key",
        "unknown-item-key",
    ],
)
def test_broken_template_names_item_and_key(data: dict, item: int | None, key: str | None, problem: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(data)
    assert (caught.value.item, caught.value.key) == (item, key)
    assert problem in caught.value.problem


def test_unmanaged_service_refuses_installation_phases() -> None:
    data = {"service": "VPN", "version": 1, "items": [dict(GOOD["items"][0])]}
    with pytest.raises(TemplateError, match="no installation step") as caught:
        parse_template(data)
    assert caught.value.where == "item 1, phase"


# -- the user's templates --------------------------------------------------------------


def _user_dir(tmp_path: Path, **files_: str) -> Path:
    folder = tmp_path / "checklists"
    folder.mkdir()
    for name, text in files_.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_missing_user_folder_means_shipped(tmp_path: Path) -> None:
    loaded = load_checklist_templates(tmp_path / "nowhere")
    assert loaded.warnings == () and len(loaded.templates[ServiceKind.MRS].items) > 30


def test_user_template_overrides_its_kind_only(tmp_path: Path) -> None:
    folder = _user_dir(tmp_path, mine=GOOD_TOML)
    loaded = load_checklist_templates(folder)
    assert loaded.warnings == ()
    assert [i.text for i in loaded.templates[ServiceKind.MRS].items] == ["Rack space", "Roll call"]
    assert loaded.sources[ServiceKind.MRS] == str(folder / "mine.toml")
    assert loaded.sources[ServiceKind.MSS] == "shipped mss.toml"
    assert len(loaded.templates[ServiceKind.MSS].items) > 30


def test_two_user_files_for_one_kind_warn_and_the_later_wins(tmp_path: Path) -> None:
    folder = _user_dir(tmp_path, a=GOOD_TOML, b=GOOD_TOML.replace("Rack space", "Rack space, b"))
    loaded = load_checklist_templates(folder)
    assert loaded.templates[ServiceKind.MRS].items[0].text == "Rack space, b"
    assert len(loaded.warnings) == 1 and "MRS is also in" in loaded.warnings[0]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (GOOD_TOML.replace('owner = "provider"', 'owner = "vendor"'), 14, "line 14: item 2, owner: must be customer or provider"),
        (GOOD_TOML.replace("blocking = true\n", ""), 4, "line 4: item 1, blocking: is missing"),
        (GOOD_TOML.replace("version = 1", "version = 1\ncolour = 3"), 3, "line 3: colour: unknown key"),
        (GOOD_TOML.replace("due_business_days = 0", "due_business_days = "), 15, "not valid TOML"),
        (GOOD_TOML.replace('[[items]]\nphase = "during_call"', '[[items]\nphase = "during_call"'), 11, "not valid TOML"),
    ],
    ids=["bad-owner-line-of-key", "missing-key-line-of-item", "top-level-key", "toml-missing-value", "toml-bad-header"],
)
def test_broken_user_file_is_reported_with_file_and_line_and_shipped_is_used(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    folder = _user_dir(tmp_path, mrs=text)
    loaded = load_checklist_templates(folder)
    (warning,) = loaded.warnings
    assert warning.startswith(f"{folder / 'mrs.toml'}, line {line}")
    assert says in warning
    assert warning.endswith("the shipped template for MRS is used")
    assert loaded.sources[ServiceKind.MRS] == "shipped mrs.toml"


def test_inline_items_point_at_the_items_key(tmp_path: Path) -> None:
    text = 'service = "VPN"\nversion = 1\nitems = [{phase = "during_call", text = "x", owner = "nobody", due_business_days = 0, blocking = false}]\n'
    (warning,) = load_checklist_templates(_user_dir(tmp_path, vpn=text)).warnings
    assert ", line 3: item 1, owner: must be" in warning and "for VPN is used" in warning


def test_user_file_that_is_not_utf8(tmp_path: Path) -> None:
    folder = _user_dir(tmp_path)
    (folder / "mss.toml").write_bytes(b"\xff\xfeservice")
    (warning,) = load_checklist_templates(folder).warnings
    assert "is not UTF-8 text" in warning and "for MSS is used" in warning


def test_unknown_file_falls_back_to_every_shipped_template(tmp_path: Path) -> None:
    (warning,) = load_checklist_templates(_user_dir(tmp_path, notes="what = [")).warnings
    assert warning.endswith("the shipped templates are used")
