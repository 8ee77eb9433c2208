"""Export through `services.exchange`: the CSV round trip, formulas, JSON facts, file safety."""

from __future__ import annotations

import io
import json
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.imports import ImportKind, ImportMode
from ccm_tui.domain.model import ContactRole, Region
from ccm_tui.domain.validation import ContactInput, CustomerInput, SiteInput
from ccm_tui.files import UnwritableTarget
from ccm_tui.services import BookLocation, Services, open_book
from ccm_tui.store import change_log

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
NAMES = [kind.file_name for kind in ImportKind]


@pytest.fixture
def empty_book(tmp_path: Path, settings: Settings, clock: FixedClock) -> Services:
    services, _ = open_book(BookLocation.file(tmp_path / "empty.sqlite"), settings, clock)
    return services


def new_book(path: Path, settings: Settings, clock: FixedClock) -> Services:
    services, _ = open_book(BookLocation.file(path), settings, clock)
    return services


def test_export_import_export_gives_identical_files(
    demo_services: Services, tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    first = demo_services.exchange.export_csv(tmp_path / "first")
    assert first.counts["customers"] > 0 and first.counts["activations"] > 0
    copy = new_book(tmp_path / "copy.sqlite", settings, clock)
    report = copy.exchange.import_folder(tmp_path / "first", ImportMode.ALL_OR_NOTHING)
    assert report.ok and report.written, report.files
    assert {f.kind.value: f.created for f in report.files} == dict(first.counts)
    second = copy.exchange.export_csv(tmp_path / "second")
    assert second.counts == first.counts
    for name in NAMES:
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes(), name


def test_export_files_are_private_whole_and_replaced_together(demo_services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    demo_services.exchange.export_csv(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)  # no temporary files left
    for name in NAMES:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
        assert (folder / name).read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    (folder / "customers.csv").chmod(0o644)
    demo_services.exchange.export_csv(folder)  # over an earlier export
    assert stat.S_IMODE((folder / "customers.csv").stat().st_mode) == 0o600


def test_export_refuses_a_folder_that_is_a_file(demo_services: Services, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(UnwritableTarget, match="is a file"):
        demo_services.exchange.export_csv(tmp_path / "taken")
    with pytest.raises(UnwritableTarget, match="does not exist"):
        demo_services.exchange.export_csv(tmp_path / "no" / "such")
    with pytest.raises(UnwritableTarget, match="is a folder"):
        demo_services.exchange.export_json(tmp_path)


def test_formula_cells_are_neutralised_and_come_back(
    empty_book: Services, tmp_path: Path, settings: Settings, clock: FixedClock
) -> None:
    customer = empty_book.book.add_customer(
        CustomerInput('=HYPERLINK("http://x.example","open")', "NA-1", Region.NORTH_AMERICA, "@ccm", Decimal(1), "-not a formula")
    )
    empty_book.book.add_contact(customer.id, ContactInput("+Dana", frozenset({ContactRole.BILLING}), "+1 212 555 0100", "", None))
    empty_book.book.add_site(customer.id, SiteInput("=HQ", "", "-Springfield", "US", "America/Chicago"))
    empty_book.exchange.export_csv(tmp_path / "out")
    customers = (tmp_path / "out" / "customers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert customers[1] == """NA-1,"'=HYPERLINK(""http://x.example"",""open"")",NA,'@ccm,1,'-not a formula"""
    contacts = (tmp_path / "out" / "contacts.csv").read_text(encoding="utf-8-sig").splitlines()
    assert contacts[1] == "NA-1,'+Dana,billing,'+1 212 555 0100,,"
    copy = new_book(tmp_path / "copy.sqlite", settings, clock)
    assert copy.exchange.import_folder(tmp_path / "out", ImportMode.ALL_OR_NOTHING).ok
    detail = copy.book.customer_detail(copy.book.find_customers("NA-1")[0].customer_id)
    assert detail.customer.name == customer.name and detail.customer.ccm == "@ccm" and detail.customer.notes == "-not a formula"
    assert detail.contacts[0].name == "+Dana" and detail.contacts[0].phone == "+1 212 555 0100"
    assert (detail.sites[0].name, detail.sites[0].city) == ("=HQ", "-Springfield")


# -- JSON -----------------------------------------------------------------------------


@pytest.fixture
def fixture_book(empty_book: Services) -> Services:
    report = empty_book.exchange.import_folder(FIXTURES / "book", ImportMode.ALL_OR_NOTHING)
    assert report.ok
    return empty_book


def test_json_document_shape_and_facts(fixture_book: Services, tmp_path: Path) -> None:
    path = tmp_path / "book.json"
    summary = fixture_book.exchange.export_json(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text(encoding="utf-8"))
    assert summary.counts == {"customers": 3, "contacts": 4, "sites": 4, "orders": 3, "activations": 4}
    assert document["format"] == "ccm-book" and document["month"] == "2026-11"
    assert document["generated_at"] == "2026-11-20T20:30:00Z"
    assert [c["account_number"] for c in document["customers"]] == ["AP-3003", "EU-2002", "NA-1001"]

    harbor = document["customers"][2]
    assert harbor["hours"] == {"package": 12.0, "used_this_month": 0.0, "left": 12.0, "level": "ok"}
    assert [s["name"] for s in harbor["sites"]] == ["Seattle HQ", "Tacoma yard"]
    order = harbor["orders"][0]
    assert (order["number"], order["mrc"], order["nrc"], order["accrued_charges"]) == (
        "SO-1",
        "1250.00",
        "300.50",
        "0.00",
    )
    assert order["services"] == ["MRS", "INTERNET"] and order["past_ccd"] is False and order["ccd_at_risk"] is False

    mrs = next(a for a in harbor["activations"] if a["service"] == "MRS")
    install, event = mrs["steps"]
    # Monday 23 November 08:00 in Seattle: inside business hours; changes were late from Friday 08:00 PST
    assert install == {
        "kind": "installation",
        "status": "confirmed",
        "start": "2026-11-23T16:00:00Z",
        "end": "2026-11-23T20:00:00Z",
        "start_local": "2026-11-23T08:00:00-08:00",
        "end_local": "2026-11-23T12:00:00-08:00",
        "after_hours": [],
        "late_change_cutoff": "2026-11-20T16:00:00Z",
        "late_change_cutoff_local": "2026-11-20T08:00:00-08:00",
        "late_change_now": True,
    }
    # Monday 30 November 19:00-22:00: after hours; the business day before is Friday the 27th
    # (Thursday the 26th is Thanksgiving, no business day)
    assert event["after_hours"] == ["after_hours"]
    assert event["late_change_cutoff_local"] == "2026-11-27T19:00:00-08:00"
    assert event["late_change_now"] is False
    assert document["readiness_included"] is (fixture_book.exchange.readiness_source() is not None)
    if document["readiness_included"]:  # an imported activation has no checklist yet
        assert mrs["readiness"] in (
            None,
            {"done": 0, "required": 0, "percent": 100, "at_risk": False, "risk_reason": ""},
        )
    else:
        assert "readiness" not in mrs


def test_json_readiness_is_the_checklists(demo_services: Services) -> None:
    readiness_for = demo_services.exchange.readiness_source()
    if readiness_for is None:
        pytest.skip("the checklists are not part of this build")
    stream = io.StringIO()
    demo_services.exchange.write_json(stream)
    document = json.loads(stream.getvalue())
    hit = demo_services.book.find_customers(document["customers"][0]["account_number"])[0]
    detail = demo_services.book.customer_detail(hit.customer_id)
    expected = readiness_for([line.activation.id for line in detail.activations])
    exported = {(a["order_number"], a["site_name"], a["service"]): a["readiness"] for a in document["customers"][0]["activations"]}
    assert exported, "the first demo customer has activations"
    for line in detail.activations:
        found = exported[(line.order_number, line.site.name, line.activation.service.value)]
        want = expected.get(line.activation.id)
        assert found == (
            None
            if want is None
            else {
                "done": want.done,
                "required": want.required,
                "percent": want.percent,
                "at_risk": want.at_risk,
                "risk_reason": want.risk_reason,
            }
        )


def test_json_to_a_stream_is_the_same_document(fixture_book: Services, tmp_path: Path) -> None:
    fixture_book.exchange.export_json(tmp_path / "book.json")
    stream = io.StringIO()
    fixture_book.exchange.write_json(stream)
    assert stream.getvalue() == (tmp_path / "book.json").read_text(encoding="utf-8")
    entries = len(change_log.since(fixture_book.engine, 0))
    assert entries > 0  # the fixture book was imported: an entry per record
    # head, a line per customer, the change log's head, a line per entry, the close
    assert len(stream.getvalue().splitlines()) == 2 + 3 + 1 + entries


def test_json_of_an_empty_book_is_valid(empty_book: Services) -> None:
    stream = io.StringIO()
    empty_book.exchange.write_json(stream)
    assert json.loads(stream.getvalue())["customers"] == []


def test_json_includes_the_change_log_oldest_first(fixture_book: Services, tmp_path: Path) -> None:
    customer = fixture_book.book.customer_timeline(1, 1)[0].customer_id
    assert customer is not None
    detail = fixture_book.book.get_customer(customer)
    edit = CustomerInput(
        f"{detail.name} Ltd", detail.account_number, detail.region, detail.ccm, detail.hours_per_month, detail.notes
    )
    fixture_book.book.update_customer(customer, detail.version, edit)
    fixture_book.exchange.export_json(tmp_path / "book.json")
    log = json.loads((tmp_path / "book.json").read_text(encoding="utf-8"))["change_log"]
    assert [e["seq"] for e in log] == sorted(e["seq"] for e in log)
    assert {e["action"] for e in log[:-1]} == {"imported"}
    actor = fixture_book.actor
    assert log[-1] | {"seq": 0} == {
        "seq": 0,
        "at": "2026-11-20T20:30:00+00:00",
        "author": actor.login,
        "author_name": actor.author,
        "entity": "customer",
        "entity_id": customer,
        "customer_id": customer,
        "action": "changed",
        "changes": {"name": [detail.name, f"{detail.name} Ltd"]},
        "reason": "",
    }
