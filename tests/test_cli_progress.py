"""The progress line of `ccm seed`, `ccm import` and the exports: on stderr,
only when stderr is a terminal, one line rewritten in place and wiped at the end."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.cli.progress import ProgressLine
from tests.test_cli_exchange import FIXTURES, PINNED


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, 40 columns wide (fileno() fails: the width falls back to 80)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**PINNED, "CCM_DB": str(tmp_path / "book.sqlite")}


def test_a_terminal_gets_one_line_rewritten_then_wiped() -> None:
    out = FakeTerminal()
    with ProgressLine(out) as progress:
        progress("customers 500/1,000")
        progress("checklists")
    # the shorter message blanks what is left of the longer; the end blanks the line and returns to its start
    assert out.getvalue() == "\rcustomers 500/1,000" + "\rchecklists" + " " * 9 + "\r" + " " * 10 + "\r"


def test_a_long_message_is_cut_to_the_width() -> None:
    out = FakeTerminal()
    ProgressLine(out)("x" * 200)
    assert out.getvalue() == "\r" + "x" * 79


def test_not_a_terminal_gets_nothing() -> None:
    out = io.StringIO()
    with ProgressLine(out) as progress:
        progress("customers 500/1,000")
    assert out.getvalue() == "" and not progress.enabled


def test_an_error_still_wipes_the_line() -> None:
    out = FakeTerminal()
    with pytest.raises(RuntimeError), ProgressLine(out) as progress:
        progress("customers 500/1,000")
        raise RuntimeError
    assert out.getvalue().endswith("\r" + " " * 19 + "\r")


# -- through the commands --------------------------------------------------------------


def test_piped_stderr_gets_no_progress(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", str(tmp_path / "seed.sqlite"), "--customers", "20", "--activations", "40"], env=dict(PINNED)) == 0
    assert main(["import", "all", str(FIXTURES / "book"), "--dry-run"], env=env) == 0
    assert main(["import", "all", str(FIXTURES / "book")], env=env) == 0
    assert main(["export", "csv", str(tmp_path / "out")], env=env) == 0
    assert main(["export", "json", "-o", str(tmp_path / "book.json")], env=env) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("argv", "seen"),
    [
        (["seed", "{tmp}/seed.sqlite", "--customers", "20", "--activations", "40"], "customers 20/20, activations 40/40"),
        (["import", "all", str(FIXTURES / "book")], "activations.csv: 4 rows"),
        (["export", "csv", "{tmp}/out"], "customers 3/3"),
        (["export", "json", "-o", "-"], "customers 3/3"),
    ],
    ids=["seed", "import", "export-csv", "export-json-to-stdout"],
)
def test_a_terminal_sees_the_progress(
    argv: list[str],
    seen: str,
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if argv[0] == "export":
        assert main(["import", "all", str(FIXTURES / "book")], env=env) == 0
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([arg.replace("{tmp}", str(tmp_path)) for arg in argv], env=env if argv[0] != "seed" else dict(PINNED)) == 0
    shown = terminal.getvalue()
    assert f"\r{seen}" in shown
    wiped = shown.rindex(" \r") + 2
    assert "\n" not in shown[:wiped], "progress is one line, never a log"
    # wiped, so what follows (`export json -o -` puts its summary on stderr) starts on a clean line
    assert shown[wiped:] == (
        "" if argv[-1] != "-" else "Wrote 3 customers, 4 contacts, 4 sites, 3 orders, 4 activations to standard output\n"
    )
