"""`ccm import` and `ccm export`: the report, exit codes, one-line errors, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ccm_tui.__main__ import EXIT_USAGE, main
from ccm_tui.domain.imports import COLUMNS, ImportKind

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**PINNED, "CCM_DB": str(tmp_path / "book.sqlite")}


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ccm: ") and "Traceback" not in err, err
    return lines[0]


def test_import_then_again_exits_0_and_says_what_happened(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "all", str(FIXTURES / "book")], env=env) == 0
    out = capsys.readouterr().out
    assert "customers.csv: 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert out.rstrip().endswith("Imported: 18 records written.")
    assert main(["import", "customers", str(FIXTURES / "book" / "customers.csv")], env=env) == 0
    assert "3 rows: 0 created, 0 updated, 3 unchanged, 0 rejected" in capsys.readouterr().out


def test_problems_exit_1_and_list_every_bad_row(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", "all", str(FIXTURES / "book")], env=env)
    capsys.readouterr()
    assert main(["import", "contacts", str(FIXTURES / "errors" / "contacts.csv")], env=env) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("contacts.csv: 4 rows: would create 0, update 0; 0 unchanged, 4 rejected")
    assert out[1] == "  line 2, email \"pat@@example\": e-mail 'pat@@example' is not an address like name@example.com"
    assert out[4].startswith('  line 5, account_number "ZZ-404": no customer with account number ZZ-404')
    assert out[5] == "Nothing written: 4 rows with problems (all or nothing)."
    assert "--skip-invalid" in out[6]


@pytest.mark.parametrize(("option", "written"), [("--dry-run", False), ("--skip-invalid", True)])
def test_modes(env: dict[str, str], capsys: pytest.CaptureFixture[str], option: str, written: bool) -> None:
    main(["import", "all", str(FIXTURES / "book")], env=env)
    capsys.readouterr()
    assert main(["import", "customers", str(FIXTURES / "errors" / "customers.csv"), option], env=env) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("Imported the good rows (2 records written)" if written else "Dry run: nothing written")
    # a dry run claims nothing: its counts say what the import would do
    assert ("rows: 1 created, 1 updated, " if written else "rows: would create 1, update 1; ") in out[0]


def test_a_clean_dry_run_says_would_create(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    customers = str(FIXTURES / "book" / "customers.csv")
    assert main(["import", "customers", customers, "--dry-run"], env=env) == 0
    out = capsys.readouterr().out
    assert "customers.csv: 3 rows: would create 3, update 0; 0 unchanged, 0 rejected" in out
    assert "created" not in out and out.rstrip().endswith("Dry run: nothing written; no problems.")
    assert main(["import", "customers", customers], env=env) == 0
    assert "customers.csv: 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out


def test_dry_run_and_skip_invalid_exclude_each_other(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["import", "customers", "x.csv", "--dry-run", "--skip-invalid"], env=env)
    assert caught.value.code == EXIT_USAGE
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("nothere.csv", "nothere.csv does not exist"),
        ("customers_latin1.csv", "customers_latin1.csv is not UTF-8 text (byte 0xE9 at line 2)"),
    ],
)
def test_unreadable_files_are_one_line_and_exit_2(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], name: str, fragment: str
) -> None:
    assert main(["import", "customers", str(FIXTURES / name)], env=env) == EXIT_USAGE
    captured = capsys.readouterr()
    assert fragment in one_error_line(captured.err) and captured.out == ""


def test_a_missing_file_creates_no_book(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", "sites", "nothere.csv"], env=env)
    assert not Path(env["CCM_DB"]).exists()


def test_unreadable_file_in_a_real_process(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CCM_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ccm_tui",
            "--db",
            str(tmp_path / "b.sqlite"),
            "import",
            "customers",
            str(FIXTURES / "customers_latin1.csv"),
        ],
        env={**base, **PINNED},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == EXIT_USAGE
    assert "is not UTF-8 text" in one_error_line(done.stderr)


def test_import_help_documents_every_column(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"], env=dict(PINNED))
    out = capsys.readouterr().out
    for kind in ImportKind:
        assert f"{kind.file_name} columns" in out
        for column in COLUMNS[kind]:
            assert column.name in out
    assert "exit status" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_export_csv_and_json(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", "all", str(FIXTURES / "book")], env=env)
    capsys.readouterr()
    assert main(["export", "csv", str(tmp_path / "out")], env=env) == 0
    assert capsys.readouterr().out.startswith("Wrote 3 customers, 4 contacts, 4 sites, 3 orders, 4 activations to ")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(k.file_name for k in ImportKind)

    assert main(["export", "json"], env=env) == 0
    captured = capsys.readouterr()
    assert [c["account_number"] for c in json.loads(captured.out)["customers"]] == ["AP-3003", "EU-2002", "NA-1001"]
    assert captured.err.startswith("Wrote 3 customers")

    assert main(["export", "json", "-o", str(tmp_path / "book.json")], env=env) == 0
    assert json.loads((tmp_path / "book.json").read_text())["format"] == "ccm-book"


def test_export_into_a_missing_folder_is_one_line(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "json", "-o", str(tmp_path / "no" / "book.json")], env=env) == EXIT_USAGE
    assert "does not exist" in one_error_line(capsys.readouterr().err)
