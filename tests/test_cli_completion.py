"""`ccm completion bash|zsh|fish`: a script made from the parser, so it knows every command and option."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ccm_tui.__main__ import EXIT_USAGE, main
from tests.test_cli import PINNED

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def script(shell: str, capsys: pytest.CaptureFixture[str], env: dict[str, str] | None = None) -> str:
    assert main(["completion", shell], env={**PINNED, **(env or {})}) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_command_and_option_is_in_the_script(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = script(shell, capsys)
    for word in ("seed", "export", "import", "oncall", "agenda", "checklist", "team", "completion", "dry-run", "skip-invalid"):
        assert word in out, word  # fish writes an option as `-l dry-run`


def test_no_config_clock_or_book_is_needed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "config.toml"
    broken.write_text("this is = = not toml", encoding="utf-8")
    out = script("bash", capsys, {"CCM_NOW": "not a date", "CCM_CONFIG": str(broken)})
    assert "_shtab_ccm" in out


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["completion", "cmd.exe"], env=dict(PINNED))
    assert caught.value.code == EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err


@needs_bash
def test_bash_completes_commands_options_and_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ccm.bash"
    path.write_text(script("bash", capsys), encoding="utf-8")
    (tmp_path / "customers.csv").write_text("", encoding="utf-8")
    (tmp_path / "exports").mkdir()

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        program = (
            f"source {path}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
            f"COMP_LINE='{line}'; COMP_POINT={len(line)}; _shtab_ccm; printf '%s\\n' \"${{COMPREPLY[@]}}\""
        )
        done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, cwd=tmp_path, timeout=30)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("ccm", "ex") == ["export"]
    assert complete("ccm", "--v") == ["--version"]
    assert complete("ccm", "import", "customers", "--d") == ["--dry-run"]
    assert "customers.csv" in complete("ccm", "import", "customers", "cu")  # a FILE completes as a path
    assert complete("ccm", "export", "csv", "ex")[0].rstrip("/") == "exports"  # a DIR too
