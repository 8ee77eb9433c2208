"""A large book's CSV and JSON exports in two processes (services/export_half.py): the same bytes as one pass,
nothing left beside them, one pass again when the book was written meanwhile, and a clear error, with no
export and no part left behind, when the second process fails."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from ccm_tui.domain.imports import ImportKind
from ccm_tui.services import Services, export_half
from ccm_tui.store import exports

NAMES = sorted(kind.file_name for kind in ImportKind)


@pytest.fixture
def appended(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each part the first half appended (none: the export was written in one pass)."""
    sizes: list[int] = []
    append = export_half._append

    def recorded(handle: object, part: Path) -> None:
        sizes.append(part.stat().st_size)
        append(handle, part)  # type: ignore[arg-type]

    monkeypatch.setattr(export_half, "_append", recorded)
    return sizes


@pytest.fixture
def in_halves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_half, "HALVES_FROM", 2)  # the demo book's few dozen customers go in two halves


def one_pass(demo_services: Services, tmp_path: Path) -> tuple[Path, Path]:
    """The demo book's CSV folder and JSON file, written in one pass (the book is under `HALVES_FROM`)."""
    assert exports.customer_total(demo_services.engine) < export_half.HALVES_FROM
    folder, file = tmp_path / "one-csv", tmp_path / "one" / "book.json"
    file.parent.mkdir()
    demo_services.exchange.export_csv(folder)
    demo_services.exchange.export_json(file)
    return folder, file


@pytest.mark.usefixtures("in_halves")
def test_two_halves_write_the_bytes_one_pass_writes(demo_services: Services, tmp_path: Path, appended: list[int]) -> None:
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(export_half, "HALVES_FROM", 1_000_000)
        one_folder, one_file = one_pass(demo_services, tmp_path)
    told: list[str] = []
    summary = demo_services.exchange.export_csv(tmp_path / "csv", told.append)
    assert len(appended) == len(NAMES) and all(size > 0 for size in appended)  # the second process wrote every file
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == NAMES  # no part left
    for name in NAMES:
        assert (tmp_path / "csv" / name).read_bytes() == (one_folder / name).read_bytes(), name
    total = exports.customer_total(demo_services.engine)
    assert summary.counts["customers"] == total
    assert told[-1] == f"customers {total:,}/{total:,}"  # both halves' progress, counted together

    appended.clear()
    (tmp_path / "json").mkdir()
    summary = demo_services.exchange.export_json(tmp_path / "json" / "book.json")
    assert len(appended) == 1 and appended[0] > 0
    assert [p.name for p in (tmp_path / "json").iterdir()] == ["book.json"]
    assert (tmp_path / "json" / "book.json").read_bytes() == one_file.read_bytes()
    assert summary.counts["customers"] == total


@pytest.mark.usefixtures("in_halves")
def test_a_write_during_the_halves_writes_the_book_again_in_one_pass(
    demo_services: Services, tmp_path: Path, appended: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(export_half, "HALVES_FROM", 1_000_000)
        one_folder, one_file = one_pass(demo_services, tmp_path)
    marks = iter(range(100, 200))  # the change log moves between the halves' start and their end
    monkeypatch.setattr(export_half.change_log, "last_seq", lambda _engine: next(marks))
    summary = demo_services.exchange.export_csv(tmp_path / "csv")
    assert appended == []  # the second half's parts were not used
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == NAMES
    for name in NAMES:
        assert (tmp_path / "csv" / name).read_bytes() == (one_folder / name).read_bytes(), name
    assert summary.counts["customers"] == exports.customer_total(demo_services.engine)
    (tmp_path / "json").mkdir()
    demo_services.exchange.export_json(tmp_path / "json" / "book.json")
    assert appended == []
    assert (tmp_path / "json" / "book.json").read_bytes() == one_file.read_bytes()


@pytest.mark.usefixtures("in_halves")
@pytest.mark.parametrize(
    "fails",
    [
        pytest.param("import sys; print('the disk is full', flush=True); sys.exit(3)", id="says-why"),
        pytest.param("import os; os._exit(9)", id="silent"),
    ],
)
def test_a_failed_second_half_is_one_error_and_leaves_the_last_export_as_it_was(
    demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    folder = tmp_path / "csv"
    demo_services.exchange.export_csv(folder)  # the last export, which a failed one must leave alone
    before = {name: (folder / name).read_bytes() for name in NAMES}
    monkeypatch.setattr(export_half._OtherHalf, "command", (sys.executable, "-c", fails))
    with pytest.raises(export_half.ExportFailed) as failed:
        demo_services.exchange.export_csv(folder)
    said = str(failed.value)
    assert said.startswith("the export's second half failed: ")
    assert ("the disk is full" in said) if "disk" in fails else ("code 9" in said)
    assert {name: (folder / name).read_bytes() for name in NAMES} == before
    assert sorted(p.name for p in folder.iterdir()) == NAMES  # no part, no half-written file
    with pytest.raises(export_half.ExportFailed):
        demo_services.exchange.export_json(tmp_path / "book.json")
    assert list(tmp_path.glob("*.json")) == [] and list(tmp_path.glob(".ccm-export.*")) == []


def test_a_book_on_standard_output_is_written_in_one_pass(
    demo_services: Services, monkeypatch: pytest.MonkeyPatch, appended: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(export_half, "HALVES_FROM", 2)
    demo_services.exchange.write_json(sys.stdout)
    assert appended == [] and '"customers": [' in capsys.readouterr().out


def test_the_halves_split_the_book_at_its_middle_customer_and_leave_none_out(demo_services: Services) -> None:
    engine = demo_services.engine
    total = exports.customer_total(engine)
    assert exports.halves(engine, total + 1) is None  # a smaller book than asked: one pass
    spans = exports.halves(engine, 2)
    assert spans is not None
    counted = [sum(len(batch.records) for batch in exports.book_walk(engine, date(2026, 11, 1), 7, span=span)) for span in spans]
    assert counted == [total // 2, total - total // 2]
