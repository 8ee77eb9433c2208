"""`-o PATH` on the command line: never a rename over anything
but a regular file; devices and FIFOs written in place, symlinks followed on
purpose, `-o -` for standard output.

In-process `main(argv, env)`, as tests/test_cli.py does, on an empty book.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from tests.store.test_files import FifoReader, dev_null, needs_fifo  # noqa: F401 - dev_null is a fixture
from tests.test_cli import PINNED, one_error_line

ICS_START = "BEGIN:VCALENDAR"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "book.sqlite"


def export_ics(db: Path, output: str) -> int:
    return main(["--db", str(db), "export", "ics", "-o", output], env=dict(PINNED))


def test_export_to_dev_null_keeps_the_device(db: Path, dev_null: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811 - the fixture
    before = os.stat(dev_null)
    assert export_ics(db, str(dev_null)) == 0
    after = os.stat(dev_null)
    assert stat.S_ISCHR(after.st_mode) and (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )
    assert capsys.readouterr().err == ""


def test_dash_is_standard_output(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert export_ics(db, "-") == 0
    assert capsys.readouterr().out.startswith(ICS_START)
    assert main(["--db", str(db), "export", "json", "-o", "-"], env=dict(PINNED)) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "ccm-book"
    assert not (tmp_path / "-").exists()


@needs_fifo
def test_export_into_a_fifo(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "calendar.pipe"
    os.mkfifo(fifo, 0o600)
    reader = FifoReader(fifo)
    assert export_ics(db, str(fifo)) == 0
    assert reader.result().decode().startswith(ICS_START)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_through_a_symlink(db: Path, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "calendar.ics"
    real.write_text("last week's")
    link = tmp_path / "calendar.ics"
    link.symlink_to(real)

    assert export_ics(db, str(link)) == 0

    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith(ICS_START)
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


@pytest.mark.parametrize("command", [["export", "ics"], ["export", "json"]])
def test_a_folder_as_output_is_one_line(db: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out"
    target.mkdir()
    code = main(["--db", str(db), *command, "-o", str(target)], env=dict(PINNED))
    line = one_error_line(capsys.readouterr().err)
    assert code != 0
    assert line == f"ccm: {target} is a folder; give a file name"
    assert list(target.iterdir()) == []


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`ccm --demo export ics -o - | head -3`: the pipe closes early; quiet, like any Unix tool."""
    import subprocess
    import sys

    env = {**os.environ, **PINNED, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("CCM_DEBUG", None)
    ccm = subprocess.Popen(
        [sys.executable, "-m", "ccm_tui", "--demo", "export", "ics", "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert ccm.stdout is not None and ccm.stderr is not None
    assert ccm.stdout.readline().decode().strip() == ICS_START
    ccm.stdout.close()  # the reader has what it wanted
    errors = ccm.stderr.read().decode()
    assert ccm.wait(timeout=120) == 141
    assert errors == ""
