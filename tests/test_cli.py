"""The `ccm` command line: help, `dirs`, `seed`, and how errors reach the terminal.

Most tests call `main(argv, env)` in-process with capsys; a few run the real
`python -m ccm_tui` and the `ccm` console script, to prove no traceback ever
reaches the terminal. The autouse fixture in conftest.py points XDG_DATA_HOME
and XDG_CONFIG_HOME at temporary folders, for these subprocesses too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ccm_tui.__main__ import EXIT_FAILED, EXIT_USAGE, main
from ccm_tui.store.migrate import head_revision

PYTHON = Path(sys.executable)
CCM_SCRIPT = PYTHON.parent / "ccm"
PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}
UNWRITABLE = Path("/proc/self/forbidden.sqlite")  # /proc/self refuses new files, even for root

needs_proc = pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc for an unwritable path")


def one_error_line(err: str) -> str:
    """The whole of stderr must be a single `ccm: ...` line; return it."""
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {err!r}"
    assert lines[0].startswith("ccm: "), lines[0]
    assert "Traceback" not in err
    return lines[0]


def data_home() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "ccm"


def config_home() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "ccm"


def run_ccm(*args: str, env: dict[str, str] | None = None, script: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real command, with the test's XDG folders and no stray CCM_* from the caller."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CCM_")}
    command = [str(CCM_SCRIPT)] if script else [str(PYTHON), "-m", "ccm_tui"]
    return subprocess.run(
        [*command, *args],
        env={**base, **PINNED, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def dirs_rows(out: str) -> dict[str, str]:
    rows = {}
    for line in out.splitlines():
        match = re.fullmatch(r"(\S.*?)\s{2,}(\S.*)", line)
        assert match, f"not a `label  path` row: {line!r}"
        rows[match.group(1)] = match.group(2)
    return rows


# --- help --------------------------------------------------------------------------------------------------------------


def test_help_documents_every_command_option_and_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"], env=dict(PINNED))
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ccm ")
    for word in ("--db", "--demo", "--no-mouse", "dirs", "seed", "CCM_NOW", "CCM_DB", "CCM_CONFIG", "-h, --help"):
        assert word in out, word


def test_seed_help_documents_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["seed", "--help"], env=dict(PINNED))
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ccm seed ")
    for word in ("PATH", "--customers", "--activations", "--force"):
        assert word in out, word


def test_help_through_the_console_script() -> None:
    done = run_ccm("--help", script=True)
    assert done.returncode == 0
    assert "CCM_NOW" in done.stdout and "seed" in done.stdout and "dirs" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["bogus"], id="unknown-command"),
        pytest.param(["--bogus"], id="unknown-option"),
        pytest.param(["seed"], id="seed-without-path"),
        pytest.param(["seed", "x.sqlite", "--customers", "many"], id="seed-customers-not-a-number"),
    ],
)
def test_usage_errors_exit_2_with_argparse_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv, env=dict(PINNED))
    assert caught.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("usage: ccm")
    assert "Traceback" not in err


# --- dirs --------------------------------------------------------------------------------------------------------------


def test_dirs_prints_every_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dirs"], env=dict(PINNED)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    rows = dirs_rows(captured.out)
    assert rows == {
        "book": str(data_home() / "book.sqlite"),
        "demo book": str(data_home() / "demo.sqlite"),
        "config file": str(config_home() / "config.toml"),
        "checklist templates": str(config_home() / "checklists"),
        "backups": str(data_home() / "backups"),
        "data folder": str(data_home()),
    }


def test_dirs_creates_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dirs"], env=dict(PINNED)) == 0
    assert not data_home().exists()
    assert not config_home().exists()


def test_dirs_book_follows_db_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "elsewhere.sqlite"
    assert main(["--db", str(book), "dirs"], env=dict(PINNED)) == 0
    rows = dirs_rows(capsys.readouterr().out)
    assert rows["book"] == str(book)
    assert rows["demo book"] == str(data_home() / "demo.sqlite"), "--db never moves the demo book"


def test_dirs_book_follows_ccm_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "from-env.sqlite"
    assert main(["dirs"], env={**PINNED, "CCM_DB": str(book)}) == 0
    assert dirs_rows(capsys.readouterr().out)["book"] == str(book)


def test_db_option_wins_over_ccm_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    option, variable = tmp_path / "option.sqlite", tmp_path / "variable.sqlite"
    assert main(["--db", str(option), "dirs"], env={**PINNED, "CCM_DB": str(variable)}) == 0
    assert dirs_rows(capsys.readouterr().out)["book"] == str(option)


def test_empty_ccm_db_means_the_default_book(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dirs"], env={**PINNED, "CCM_DB": ""}) == 0
    assert dirs_rows(capsys.readouterr().out)["book"] == str(data_home() / "book.sqlite")


def test_dirs_through_a_real_process(tmp_path: Path) -> None:
    book = tmp_path / "proc.sqlite"
    done = run_ccm("dirs", env={"CCM_DB": str(book)})
    assert done.returncode == 0, done.stderr
    rows = dirs_rows(done.stdout)
    assert rows["book"] == str(book)
    assert rows["config file"] == str(config_home() / "config.toml")


# --- seed --------------------------------------------------------------------------------------------------------------


def book_facts(path: Path) -> tuple[str | None, dict[str, int]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
            counts = {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("customer", "activation", "site", "contact")
            }
            meta = dict(connection.execute(text("SELECT key, value FROM book_meta")).all())
            counts["seeded"] = int(meta.get("kind") == "seed")
    finally:
        engine.dispose()
    return revision, counts


def test_seed_writes_a_migrated_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bench.sqlite"
    assert main(["seed", str(path), "--customers", "200", "--activations", "600"], env=dict(PINNED)) == 0
    captured = capsys.readouterr()

    revision, counts = book_facts(path)
    assert revision == head_revision()
    assert counts["customer"] == 200
    assert counts["activation"] == 600
    assert counts["site"] >= 200 and counts["contact"] >= 400  # every customer has a site and two contacts
    assert counts["seeded"] == 1

    summary = captured.out.splitlines()
    assert len(summary) == 1, captured.out
    assert summary[0].startswith(f"seeded {path} in ")
    assert "200 customers" in summary[0] and "600 activations" in summary[0]
    assert re.search(r" in \d+\.\d s: ", summary[0])
    assert "Traceback" not in captured.err
    assert not (data_home() / "book.sqlite").exists(), "seed never touches the user's book"


def test_seed_refuses_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A mistyped folder used to grow a tree and a book in it.
    path = tmp_path / "a" / "b" / "bench.sqlite"
    assert main(["seed", str(path), "--customers", "3", "--activations", "0"], env=dict(PINNED)) == EXIT_FAILED
    assert f"{tmp_path / 'a' / 'b'} does not exist" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "a").exists()


def test_seed_refuses_an_existing_file_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bench.sqlite"
    assert main(["seed", str(path), "--customers", "20", "--activations", "30"], env=dict(PINNED)) == 0
    before = path.read_bytes()
    stat = path.stat()
    capsys.readouterr()

    assert main(["seed", str(path), "--customers", "50", "--activations", "60"], env=dict(PINNED)) == EXIT_USAGE
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert line == f"ccm: {path} already exists; pass --force to replace it"
    assert captured.out == ""
    assert path.read_bytes() == before, "the file is untouched"
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert book_facts(path)[1]["customer"] == 20


def test_seed_refuses_any_existing_file_even_not_a_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("precious\n", encoding="utf-8")
    assert main(["seed", str(path), "--customers", "5", "--activations", "5"], env=dict(PINNED)) == EXIT_USAGE
    assert "already exists; pass --force" in one_error_line(capsys.readouterr().err)
    assert path.read_text(encoding="utf-8") == "precious\n"


def test_seed_with_force_replaces_the_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bench.sqlite"
    assert main(["seed", str(path), "--customers", "20", "--activations", "30"], env=dict(PINNED)) == 0
    Path(f"{path}-wal").write_bytes(b"")  # a stale WAL must go too, or SQLite would replay it
    assert main(["seed", str(path), "--customers", "7", "--activations", "9", "--force"], env=dict(PINNED)) == 0
    revision, counts = book_facts(path)
    assert revision == head_revision()
    assert (counts["customer"], counts["activation"]) == (7, 9), "replaced, not added to"


@pytest.mark.parametrize(
    "numbers",
    [
        pytest.param(["--customers", "0"], id="no-customers"),
        pytest.param(["--customers", "-5"], id="negative-customers"),
        pytest.param(["--customers", "10", "--activations", "-1"], id="negative-activations"),
    ],
)
def test_seed_rejects_bad_counts(tmp_path: Path, numbers: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bench.sqlite"
    assert main(["seed", str(path), *numbers], env=dict(PINNED)) == EXIT_USAGE
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "--customers must be at least 1" in line
    assert captured.out == ""
    assert not path.exists(), "nothing written"


def test_seed_through_the_console_script(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite"
    done = run_ccm("seed", str(path), "--customers", "10", "--activations", "15", script=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"seeded {path} in ")
    assert "Traceback" not in done.stderr
    assert book_facts(path)[1]["activation"] == 15

    again = run_ccm("seed", str(path), "--customers", "10", "--activations", "15", script=True)
    assert again.returncode == EXIT_USAGE
    assert one_error_line(again.stderr).endswith("already exists; pass --force to replace it")


# --- CCM_NOW -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["dirs"], [], ["--demo"]], ids=["dirs", "the-app", "the-demo"])
def test_bad_ccm_now_is_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # Without a command this would open the app: the error comes first, so nothing starts.
    assert main(argv, env={**PINNED, "CCM_NOW": "tomorrow"}) == EXIT_USAGE
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert line.startswith("ccm: CCM_NOW='tomorrow' ")
    assert captured.out == ""


def test_bad_ccm_now_stops_seed_before_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bench.sqlite"
    assert main(["seed", str(path), "--customers", "5"], env={**PINNED, "CCM_NOW": "2026-02-30"}) == EXIT_USAGE
    assert one_error_line(capsys.readouterr().err).startswith("ccm: CCM_NOW=")
    assert not path.exists()


@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
@pytest.mark.parametrize("argv", [["dirs"], []], ids=["dirs", "the-app"])
def test_bad_ccm_now_in_a_real_process_has_no_traceback(argv: list[str], script: bool) -> None:
    done = run_ccm(*argv, env={"CCM_NOW": "tomorrow"}, script=script)
    assert done.returncode == EXIT_USAGE
    assert one_error_line(done.stderr).startswith("ccm: CCM_NOW=")
    assert done.stdout == ""


def test_a_good_ccm_now_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("2026-03-14", "2026-03-14T16:30", "2026-03-14T16:30+01:00", ""):
        assert main(["dirs"], env={**PINNED, "CCM_NOW": value}) == 0, value
    assert capsys.readouterr().err == ""


# --- config file -------------------------------------------------------------------------------------------------------


BAD_CONFIGS = [
    pytest.param('theme = "nord\n', id="broken-toml"),
    pytest.param('colour = "red"\n', id="unknown-key"),
    pytest.param('time_zone = "Mars/Olympus_Mons"\n', id="bad-time-zone"),
    pytest.param('business_start = "17:00"\nbusiness_end = "08:00"\n', id="end-before-start"),
    pytest.param('business_start = "8 o\'clock"\n', id="bad-time"),
    pytest.param("hours_warning_ratio = [0.8]\n", id="ratio-not-a-number"),
    pytest.param('locale = "klingon"\n', id="unknown-locale"),
]


@pytest.mark.parametrize("content", BAD_CONFIGS)
def test_bad_config_file_is_one_line_naming_the_file(tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "my config.toml"
    config.write_text(content, encoding="utf-8")
    assert main(["dirs"], env={**PINNED, "CCM_CONFIG": str(config)}) == EXIT_USAGE
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert line.startswith(f"ccm: {config}: ")
    assert captured.out == ""


def test_the_default_config_file_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    config_home().mkdir(parents=True)
    (config_home() / "config.toml").write_text("bogus = 1\n", encoding="utf-8")
    assert main(["dirs"], env=dict(PINNED)) == EXIT_USAGE
    assert one_error_line(capsys.readouterr().err).startswith(f"ccm: {config_home() / 'config.toml'}: unknown setting 'bogus'")


def test_ccm_config_pointing_nowhere_means_defaults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dirs"], env={**PINNED, "CCM_CONFIG": str(tmp_path / "missing.toml")}) == 0
    assert capsys.readouterr().err == ""


def test_ccm_now_is_read_in_the_configured_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bare CCM_NOW date is 09:00 in the config's time_zone: the seed anchor shows which day it is."""
    config = tmp_path / "config.toml"
    config.write_text('time_zone = "Pacific/Kiritimati"\n', encoding="utf-8")  # UTC+14
    path = tmp_path / "bench.sqlite"
    env = {**PINNED, "CCM_CONFIG": str(config), "CCM_NOW": "2026-03-14"}
    assert main(["seed", str(path), "--customers", "2", "--activations", "0"], env=env) == 0
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        anchor = connection.execute(text("SELECT value FROM book_meta WHERE key = 'seed_anchor'")).scalar_one()
    engine.dispose()
    assert anchor == "2026-03-14"


def test_bad_config_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('business_start = "18:00"\nbusiness_end = "09:00"\n', encoding="utf-8")
    done = run_ccm("dirs", env={"CCM_CONFIG": str(config)}, script=True)
    assert done.returncode == EXIT_USAGE
    assert one_error_line(done.stderr) == f"ccm: {config}: business_end must be after business_start"


# --- unexpected failures -----------------------------------------------------------------------------------------------


@needs_proc
def test_an_unexpected_failure_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", str(UNWRITABLE), "--customers", "1", "--activations", "0"], env=dict(PINNED)) == EXIT_FAILED
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "/proc/self/forbidden" in line
    assert line.endswith("(set CCM_DEBUG=1 for details)")
    assert captured.out == ""


@needs_proc
def test_ccm_debug_lets_the_exception_through() -> None:
    with pytest.raises(OSError):
        main(["seed", str(UNWRITABLE), "--customers", "1", "--activations", "0"], env={**PINNED, "CCM_DEBUG": "1"})


@needs_proc
@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
def test_an_unexpected_failure_in_a_real_process_has_no_traceback(script: bool) -> None:
    done = run_ccm("seed", str(UNWRITABLE), "--customers", "1", "--activations", "0", script=script)
    assert done.returncode == EXIT_FAILED
    assert one_error_line(done.stderr).endswith("(set CCM_DEBUG=1 for details)")


@needs_proc
def test_ccm_debug_shows_the_traceback_in_a_real_process() -> None:
    done = run_ccm("seed", str(UNWRITABLE), "--customers", "1", "--activations", "0", env={"CCM_DEBUG": "1"})
    assert done.returncode != 0
    assert "Traceback (most recent call last)" in done.stderr
    assert "/proc/self/forbidden" in done.stderr


def test_seed_force_replaces_even_a_foreign_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "foreign.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE recipes (name TEXT)"))
    engine.dispose()
    assert main(["seed", str(path), "--customers", "1", "--activations", "0", "--force"], env=dict(PINNED)) == 0
    assert book_facts(path)[0] == head_revision()


def test_a_multi_line_error_message_still_prints_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLAlchemy appends [SQL: ...] and [parameters: ...] lines; the terminal gets only the first."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import ccm_tui.__main__ as cli

    def fail(*_args: object) -> int:
        raise OperationalError(
            "INSERT INTO customer (review_cadence) VALUES (?)", ("monthly",), sqlite3.OperationalError("no such column")
        )

    monkeypatch.setattr(cli, "cmd_dirs", fail)
    assert main(["dirs"], env=dict(PINNED)) == EXIT_FAILED
    line = one_error_line(capsys.readouterr().err)
    assert line == "ccm: OperationalError: (sqlite3.OperationalError) no such column (set CCM_DEBUG=1 for details)"


def test_a_multi_line_value_error_still_prints_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ccm_tui.__main__ as cli

    def fail(*_args: object) -> int:
        raise ValueError("\nfirst line\nsecond line\n")

    monkeypatch.setattr(cli, "cmd_dirs", fail)
    assert main(["dirs"], env=dict(PINNED)) == EXIT_USAGE
    assert one_error_line(capsys.readouterr().err) == "ccm: first line"


@pytest.mark.parametrize(("argv", "mouse"), [(["--demo"], True), (["--no-mouse", "--demo"], False)])
def test_no_mouse_leaves_the_mouse_to_the_terminal(argv: list[str], mouse: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from ccm_tui.app import CcmApp

    asked: dict[str, object] = {}
    monkeypatch.setattr(CcmApp, "run", lambda self, **options: asked.update(options))
    assert main(argv, env=dict(PINNED)) == 0
    assert asked == {"mouse": mouse}
