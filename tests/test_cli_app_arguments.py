"""`ccm` with global options only opens the app without importing every subcommand's module.

The quick read must agree with the whole parser on everything it accepts, and
hand anything else (a command, --help, a mistake) to the whole parser.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ccm_tui.__main__ import FEATURES, _app_arguments, build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--db", "book.sqlite"],
        ["--db=postgresql://ccm@127.0.0.1/book", "--read-only"],
        ["--no-mouse", "--demo", "--read-only"],
        ["--dem"],  # an abbreviation, as argparse allows it
    ],
)
def test_the_quick_read_agrees_with_the_whole_parser(argv: list[str]) -> None:
    quick = _app_arguments(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["dirs"], ["--demo", "events"], ["-h"], ["--help"], ["--db"], ["--demo", "--bogus"], ["export", "ics"]],
)
def test_anything_else_goes_to_the_whole_parser(argv: list[str]) -> None:
    assert _app_arguments(argv) is None


def test_opening_the_app_imports_no_subcommand_module(tmp_path: Path) -> None:
    # In a fresh interpreter: this one has imported them all for other tests.
    script = textwrap.dedent(
        f"""
        import sys
        import ccm_tui.__main__ as cli

        cli.run_app = lambda ctx, config: print(ctx.book_label) or 0
        code = cli.main(["--db", {str(tmp_path / "book.sqlite")!r}], env={{"CCM_CONFIG": {str(tmp_path / "none.toml")!r}}})
        print(code, sorted(name for name in {FEATURES!r} if name in sys.modules))
        """
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
