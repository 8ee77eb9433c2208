"""No module of ccm_tui is over 400 lines: a reader can hold one whole.

A module that grows past it is split along its seams (a screen's tables or
its writes into a mixin, a store query's filters into their own module),
as screens/customer_tabs.py and store/book_flags.py were.
"""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 400
PACKAGE = Path(__file__).resolve().parents[1] / "ccm_tui"


def test_no_module_is_over_the_limit() -> None:
    sizes = {path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")}
    assert len(sizes) > 100  # the package was found
    assert {path: lines for path, lines in sizes.items() if lines > MAX_LINES} == {}
