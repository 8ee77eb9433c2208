"""A large book's CSV and JSON exports in two processes (services/export_half.py): the same bytes as one pass,
nothing left beside them, one pass again when the book was written meanwhile, and a clear error, with no
export and no part left behind, when the second process fails."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pytest

from ccm_tui.domain.imports import ImportKind
from ccm_tui.services import Services, book_halves, export_half, ics
from ccm_tui.store import exports
from tests.store.test_files import FifoReader

NAMES = sorted(kind.file_name for kind in ImportKind)
DAYS = (date(2026, 11, 1), date(2027, 1, 31))  # the demo book's calendar, three months of it


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


@pytest.fixture(params=["fork", "spawn"])
def in_halves(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """Either way of starting the second process (a fork, as `ccm export` does; a new interpreter, as the app
    does), with the demo book's few dozen customers and couple of hundred events going in two halves."""
    monkeypatch.setattr(export_half, "can_fork", lambda: request.param == "fork")
    for module, name in [(book_halves, "START_CUSTOMERS"), (book_halves, "FORKED_START_CUSTOMERS")]:
        monkeypatch.setattr(module, name, 0)
    for name in ("START_EVENTS", "FORKED_START_EVENTS"):
        monkeypatch.setattr(ics, name, 0)
    return str(request.param)


def one_pass(demo_services: Services, tmp_path: Path) -> tuple[Path, Path]:
    """The demo book's CSV folder and JSON file, written in one pass (a second process would not pay)."""
    with pytest.MonkeyPatch.context() as undo:
        for name in ("START_CUSTOMERS", "FORKED_START_CUSTOMERS"):
            undo.setattr(book_halves, name, 10**9)  # a start no book makes up for
        return _written(demo_services, tmp_path)


def _written(demo_services: Services, tmp_path: Path) -> tuple[Path, Path]:
    folder, file = tmp_path / "one-csv", tmp_path / "one" / "book.json"
    file.parent.mkdir()
    demo_services.exchange.export_csv(folder)
    demo_services.exchange.export_json(file)
    return folder, file


@pytest.mark.usefixtures("in_halves")
def test_two_halves_write_the_bytes_one_pass_writes(demo_services: Services, tmp_path: Path, appended: list[int]) -> None:
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
    written = ics.write_ics(demo_services, *DAYS, tmp_path / "book.ics")
    assert appended == []
    assert (tmp_path / "book.ics").read_bytes() == "".join(ics.export_ics(demo_services, *DAYS)).encode()
    assert written == (tmp_path / "book.ics").read_text(encoding="utf-8").count("BEGIN:VEVENT")


def fail_second_half(monkeypatch: pytest.MonkeyPatch, mode: str, says_why: bool) -> None:
    """The second half fails, saying why (the disk is full) or not (it is killed), started either way."""
    if mode == "spawn":
        code = "import sys; print('OSError: the disk is full', flush=True); sys.exit(3)" if says_why else "import os; os._exit(9)"
        monkeypatch.setattr(export_half._OtherHalf, "command", (sys.executable, "-c", code))
        return

    def run(*_args: object) -> None:  # in the fork, the copy of this process
        if says_why:
            raise OSError("the disk is full")
        os._exit(9)

    for job in (book_halves.CsvHalf, book_halves.JsonHalf, ics.IcsHalf):
        monkeypatch.setattr(job, "run", run)


@pytest.mark.parametrize("says_why", [True, False], ids=["says-why", "silent"])
def test_a_failed_second_half_is_one_error_and_leaves_the_last_export_as_it_was(
    demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_halves: str, says_why: bool
) -> None:
    folder = tmp_path / "csv"
    demo_services.exchange.export_csv(folder)  # the last export, which a failed one must leave alone
    before = {name: (folder / name).read_bytes() for name in NAMES}
    fail_second_half(monkeypatch, in_halves, says_why)
    with pytest.raises(export_half.ExportFailed) as failed:
        demo_services.exchange.export_csv(folder)
    said = str(failed.value)
    assert said == ("the export's second half failed: " + ("OSError: the disk is full" if says_why else "it ended with code 9"))
    assert {name: (folder / name).read_bytes() for name in NAMES} == before
    assert sorted(p.name for p in folder.iterdir()) == NAMES  # no part, no half-written file
    with pytest.raises(export_half.ExportFailed):
        demo_services.exchange.export_json(tmp_path / "book.json")
    with pytest.raises(export_half.ExportFailed):
        ics.write_ics(demo_services, DAYS[0], DAYS[1], tmp_path / "book.ics")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.sqlite")] == ["csv"]  # no JSON, ics, part


@pytest.mark.usefixtures("in_halves")
def test_a_calendar_in_two_halves_is_the_calendar_written_in_one(
    demo_services: Services, tmp_path: Path, appended: list[int]
) -> None:
    whole = "".join(ics.export_ics(demo_services, *DAYS))
    told: list[int] = []
    written = ics.write_ics(demo_services, *DAYS, tmp_path / "book.ics", told.append)
    assert len(appended) == 1 and appended[0] > 0  # the second process wrote the later events
    assert (tmp_path / "book.ics").read_bytes() == whole.encode()  # its CRLFs too
    assert written == whole.count("BEGIN:VEVENT") > 100 and told[-1] == written
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.sqlite")] == ["book.ics"]


@pytest.mark.usefixtures("in_halves")
def test_an_export_into_a_fifo_is_one_pass(demo_services: Services, tmp_path: Path, appended: list[int]) -> None:
    """Nothing can be appended to a pipe's reader after the fact: the whole export goes through it in order."""
    for name, export in [
        ("book.json", lambda path: demo_services.exchange.export_json(path)),
        ("book.ics", lambda path: ics.write_ics(demo_services, *DAYS, path)),
    ]:
        fifo = tmp_path / name
        os.mkfifo(fifo, 0o600)
        reader = FifoReader(fifo)
        export(fifo)
        text = reader.result().decode()
        assert text.endswith("]}\n" if name.endswith("json") else "END:VCALENDAR\r\n"), name
        assert appended == [], name


def test_a_book_on_standard_output_is_written_in_one_pass(
    demo_services: Services, monkeypatch: pytest.MonkeyPatch, appended: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(book_halves, "START_CUSTOMERS", 0)
    demo_services.exchange.write_json(sys.stdout)
    assert appended == [] and '"customers": [' in capsys.readouterr().out


def test_the_halves_split_the_book_where_asked_and_leave_none_out(demo_services: Services) -> None:
    engine = demo_services.engine
    total = exports.customer_total(engine)
    assert exports.split_at(engine, lambda _total: 0.0) is None  # no second half: one pass
    spans = exports.split_at(engine, lambda _total: 0.3)
    assert spans is not None
    counted = [sum(len(batch.records) for batch in exports.book_walk(engine, date(2026, 11, 1), 7, span=span)) for span in spans]
    assert counted == [total - int(total * 0.3), int(total * 0.3)]


@pytest.mark.parametrize(
    ("total", "start", "share"),
    [
        (50_000, 4_000, 0.46),  # the benchmark book: the second process starts 4,000 customers behind
        (10, 0, 0.5),  # no start to make up: halves
        (20_000, 4_000, 0.4),
        (5_000, 4_000, 0.0),  # 0.1 would not pay for the second process
        (5_714, 4_000, 0.0),  # just under the smallest share worth it (0.15)
        (5_715, 4_000, 0.150),
        (3_000, 4_000, 0.0),  # the first would be done before the second started
        (0, 4_000, 0.0),  # an empty book
    ],
)
def test_the_second_half_is_smaller_by_what_its_start_costs(total: int, start: int, share: float) -> None:
    assert export_half.second_share(total, start) == pytest.approx(share, abs=0.001)
