"""The CLI beside another ccm's long write: it waits out the busy timeout, then one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.store import engine as engine_module
from tests.book_lock import HeldLock

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}


def test_an_import_while_another_ccm_writes_says_the_book_is_busy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "book.sqlite"
    env = {**PINNED, "CCM_DB": str(book)}
    assert main(["import", "all", str(FIXTURES / "book")], env=env) == 0
    capsys.readouterr()
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)  # not the real five seconds

    with HeldLock(book):  # the other ccm's import, mid-transaction
        code = main(["import", "customers", str(FIXTURES / "book" / "customers.csv")], env=env)

    out, err = capsys.readouterr()
    assert code != 0
    assert err == "ccm: the book is busy: another ccm is writing (an import?); try again\n"
    assert out == ""
