"""`ccm --version`: the installed package's version, as pip knows it."""

from __future__ import annotations

import importlib.metadata

import pytest

from ccm_tui.__main__ import main
from tests.test_cli import PINNED, run_ccm


def test_version_is_the_installed_packages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"], env=dict(PINNED))
    assert caught.value.code == 0
    out, err = capsys.readouterr()
    assert out == f"ccm {importlib.metadata.version('ccm-tui')}\n"
    assert err == ""


def test_version_through_the_console_script() -> None:
    done = run_ccm("--version", script=True)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("ccm ") and done.stdout.strip().split(" ")[1][0].isdigit()


def test_help_mentions_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"], env=dict(PINNED))
    assert "--version" in capsys.readouterr().out
