"""PathSuggester alone: what it offers for a typed path, and an Input taking the offer with the right arrow."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from ccm_tui.widgets.path_suggester import PathSuggester
from tests.pilot_helpers import settle
from tests.widgets.harness import Harness


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "exports").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "customers.csv").write_text("")
    (tmp_path / "contacts.CSV").write_text("")
    (tmp_path / "notes.txt").write_text("")
    return tmp_path


@pytest.mark.parametrize(
    ("typed", "suffixes", "folders_only", "offered"),
    [
        ("cu", (".csv",), False, "customers.csv"),
        ("co", (".csv",), False, "contacts.CSV"),  # suffixes match in any case
        ("no", (".csv",), False, None),  # not a wanted file
        ("no", (), False, "notes.txt"),  # any file when no suffix is wanted
        ("cu", (), True, None),  # folders only
        ("ex", (".csv",), True, "exports/"),  # a folder ends with the separator, for the next part
        ("h", (), False, None),
        (".h", (), False, ".hidden/"),  # hidden only once a dot is typed
        ("customers.csv", (".csv",), False, None),  # typed in full: nothing more to offer
    ],
)
async def test_offers_the_first_matching_entry(
    folder: Path, typed: str, suffixes: tuple[str, ...], folders_only: bool, offered: str | None
) -> None:
    suggestion = await PathSuggester(suffixes, folders_only).get_suggestion(f"{folder}/{typed}")
    assert suggestion == (f"{folder}/{offered}" if offered else None)


@pytest.mark.parametrize("typed", ["~nobody-here-at-all/x", "a\x00b", "/tmp/\x00", "x" * 5000 + "/"])
async def test_path_suggester_offers_nothing_for_a_path_that_cannot_be(typed: str) -> None:
    # (from the monkey test's findings: each of these once raised out of the suggester)
    suggester = PathSuggester((".csv",))
    assert await suggester.get_suggestion(typed) is None
    app = Harness(Input(suggester=PathSuggester((".csv",))))
    async with app.run_test() as pilot:
        app.query_one(Input).value = typed
        await settle(pilot)
        assert app.return_code is None


async def test_the_right_arrow_takes_the_offer(folder: Path) -> None:
    field = Input(suggester=PathSuggester((".csv",)))
    app = Harness(field)
    async with app.run_test() as pilot:
        field.value = f"{folder}/cu"
        field.cursor_position = len(field.value)
        await settle(pilot)  # the suggestion is worked out in a worker
        await pilot.press("right")
        assert field.value == f"{folder}/customers.csv"
