"""`ccm import` with bad values: every problem at its file, line and column, never the catch-all.

The sweep writes, for every column of every kind, a file whose rows each
carry one nasty value in that column, and checks the import reports them
the way it reports any bad row: exit 0 or 1, nothing on stderr, every
problem naming its column. Then the book still exports, as JSON and CSV.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from ccm_tui.__main__ import EXIT_USAGE, main
from ccm_tui.domain.imports import COLUMNS, ImportKind

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}

NASTY = [
    "\x00",
    "\x1b[31m",
    "a\nb",
    "a\rb",
    "\t",
    "\u2028",
    "²",
    "٣",
    "١٢",
    "1e999999",
    "9" * 5000,
    "-1",
    "NaN",
    "Infinity",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59+14:00",
    "0001-01-01T00:00-12:00",
    "1899-12-31T23:59",
    "2201-01-01T00:00",
    "2026-02-30T10:00",
    "2026-11-23T24:00",
    "2026-03-08T02:30",
    "2030-01-01T00:00",
    "٢٠٢٦-١١-٢٣T09:00",
    "２０２６-01-01",
    "2026-W01-1",
    "'=1+1",
    "x" * 10_000,
    'a"b',
    "US-XX",
    "Europe/Paris\x00",
]
GOOD = {
    ImportKind.CUSTOMERS: {"account_number": "NA-1001", "name": "Harbor Freight Lines", "region": "NA"},
    ImportKind.CONTACTS: {"account_number": "NA-1001", "name": "Dana Whitfield", "roles": "designated"},
    ImportKind.SITES: {"account_number": "NA-1001", "site_name": "Seattle HQ", "country": "US", "timezone": "America/Los_Angeles"},
    ImportKind.ORDERS: {
        "order_number": "SO-1",
        "account_number": "NA-1001",
        "services": "MRS+INTERNET",
        "mrc": "1250",
        "currency": "USD",
        "ccd": "2026-12-15",
    },
    ImportKind.ACTIVATIONS: {
        "order_number": "SO-1",
        "account_number": "NA-1001",
        "site_name": "Seattle HQ",
        "service": "MRS",
        "activation_start": "2026-11-10T09:00",
        "activation_end": "2026-11-10T11:00",
        "activation_status": "completed",
    },
}
ACTIVATION_HEADER = (
    "order_number,account_number,site_name,service,activation_start,activation_end,activation_status,traffic_passed_at\n"
)


@pytest.fixture(scope="module")
def imported_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture book imported once per module through the CLI; each test gets a copy."""
    folder = tmp_path_factory.mktemp("imported")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        assert main(["import", "all", str(FIXTURES / "book")], env={**PINNED, "CCM_DB": str(folder / "book.sqlite")}) == 0
    return folder / "book.sqlite"


@pytest.fixture
def env(tmp_path: Path, imported_book: Path) -> dict[str, str]:
    path = tmp_path / "book.sqlite"
    with closing(sqlite3.connect(imported_book)) as master, closing(sqlite3.connect(path)) as copy:
        master.backup(copy)  # a consistent copy, whatever is still in the master's WAL
    return {**PINNED, "CCM_DB": str(path)}


def write_rows(path: Path, names: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(names)
        out.writerows(rows)
    return path


def problem_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("  line ")]


@pytest.mark.parametrize("kind", list(ImportKind), ids=lambda kind: kind.value)
def test_every_column_takes_any_value_to_the_report(
    kind: ImportKind, env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [column.name for column in COLUMNS[kind]]
    for column in names:
        rows = [[value if name == column else GOOD[kind].get(name, "") for name in names] for value in NASTY]
        path = write_rows(tmp_path / f"{kind.value}-{column}.csv", names, rows)
        code = main(["import", kind.value, str(path), "--dry-run"], env=env)
        out, err = capsys.readouterr()
        assert code in (0, 1) and err == "", (column, code, err)
        assert out.startswith(f"{path}: "), (column, out[:200])
        for line in problem_lines(out):
            where = line.split(":", 1)[0]
            assert where.count(",") >= 1 or "more cells than the header" in line, (column, line)  # a column is named
            assert "\x1b" not in line and "\x00" not in line  # shown escaped, never sent to the terminal


def test_the_row_that_broke_the_json_export_is_refused_at_its_line(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "activations.csv"
    path.write_text(
        ACTIVATION_HEADER
        + "SO-1,NA-1001,seattle hq,INTERNET,0001-01-01T00:00,0001-01-01T02:00,requested,\n"
        + "SO-3,AP-3003,Osaka plant,MSS,9999-12-31T20:00,9999-12-31T22:00,requested,\n"
        + "SO-2,EU-2002,Head office,VPN,2026-10-27T09:00,2026-10-27T11:00,completed,0001-01-01T00:00\n",
        encoding="utf-8",
    )
    assert main(["import", "activations", str(path), "--skip-invalid"], env=env) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert problem_lines(out) == [
        '  line 2, activation_start "0001-01-01T00:00": activation_start 0001-01-01 is out of range; use a date from 1900 to 2200',
        '  line 2, activation_end "0001-01-01T02:00": activation_end 0001-01-01 is out of range; use a date from 1900 to 2200',
        '  line 3, activation_start "9999-12-31T20:00": activation_start 9999-12-31 is out of range; use a date from 1900 to 2200',
        '  line 3, activation_end "9999-12-31T22:00": activation_end 9999-12-31 is out of range; use a date from 1900 to 2200',
        '  line 4, traffic_passed_at "0001-01-01T00:00": traffic_passed_at 0001-01-01 is out of range; '
        "use a date from 1900 to 2200",
    ]
    assert main(["export", "json"], env=env) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["customers"]) == 3


def test_windows_at_the_edges_of_the_range_still_export(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "account_number,site_name,country,timezone\nNA-1001,East,KI,Pacific/Kiritimati\nNA-1001,West,AS,Pacific/Pago_Pago\n"
    )
    orders = tmp_path / "orders.csv"
    orders.write_text("order_number,account_number,services,mrc,currency,ccd\nSO-X,NA-1001,MRS+VPN,10,USD,2200-12-31\n")
    activations = tmp_path / "activations.csv"
    activations.write_text(
        ACTIVATION_HEADER
        + "SO-X,NA-1001,East,MRS,2200-12-31T22:00,2200-12-31T23:59,requested,\n"
        + "SO-X,NA-1001,West,VPN,1900-01-01T00:00,1900-01-01T01:00,completed,1900-01-01T00:30\n"
    )
    for kind, path in (("sites", sites), ("orders", orders), ("activations", activations)):
        assert main(["import", kind, str(path)], env=env) == 0, capsys.readouterr().out
    capsys.readouterr()
    assert main(["export", "json"], env=env) == 0
    assert json.loads(capsys.readouterr().out)["customers"]
    assert main(["export", "csv", str(tmp_path / "out")], env=env) == 0


def test_a_cr_only_file_imports_from_the_command_line(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"account_number,name,region\rNA-7,Seven,NA\rNA-8,Eight,NA\r")
    assert main(["import", "customers", str(path)], env=env) == 0
    out, err = capsys.readouterr()
    assert err == "" and "2 rows: 2 created" in out


def test_a_zone_of_another_country_is_a_warning_line(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("account_number,site_name,country,timezone\nEU-2002,Boston lab,GB,America/New_York\n")
    assert main(["import", "sites", str(path)], env=env) == 0  # a warning does not stop the row
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("1 row: 1 created, 0 updated, 0 unchanged, 0 rejected")
    assert out[1] == (
        '  line 2, timezone "America/New_York": warning: America/New_York is a time zone of US, not GB: '
        "check the country (its holidays apply)"
    )


def test_the_subdivision_round_trips_through_the_csv_export(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("account_number,site_name,country,subdivision,timezone\nNA-1001,Sydney,AU,nsw,Australia/Sydney\n")
    assert main(["import", "sites", str(path)], env=env) == 0
    assert main(["export", "csv", str(tmp_path / "first")], env=env) == 0
    sites = (tmp_path / "first" / "sites.csv").read_text(encoding="utf-8-sig").splitlines()
    assert sites[0] == "account_number,site_name,address,city,country,subdivision,timezone"
    assert "NA-1001,Sydney,,,AU,AU-NSW,Australia/Sydney" in sites
    copy = {**env, "CCM_DB": str(tmp_path / "copy.sqlite")}
    assert main(["import", "all", str(tmp_path / "first")], env=copy) == 0
    assert main(["export", "csv", str(tmp_path / "second")], env=copy) == 0
    for kind in ImportKind:
        first = (tmp_path / "first" / kind.file_name).read_bytes()
        assert (tmp_path / "second" / kind.file_name).read_bytes() == first, kind


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["export", "ics", "--from", "9999-12-31"], "date 9999-12-31 is out of range"),
        (["export", "ics", "--from", "0001-01-01"], "date 0001-01-01 is out of range"),
        (["agenda", "NA-1001", "--date", "0001-01-01"], "date 0001-01-01 is out of range"),
        (["oncall", "--hours", "٣"], "is not a whole number of hours"),
        (["checklist", "99999999999999999999999"], "is not an activation number"),
        (["checklist", "²"], "is not an activation number"),
    ],
)
def test_dates_and_numbers_on_the_command_line_are_usage_errors(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv, env=env)
    assert caught.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err and "Error:" not in err
