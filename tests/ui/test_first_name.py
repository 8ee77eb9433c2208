"""The first start on one's own book asks the name once: into config.toml and the book's people."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input

from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import ConfigError, Settings
from ccm_tui.config_file import write_setting
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.services.people import local_person
from ccm_tui.store.people import get_person
from tests.pilot_helpers import settle, wait_until


async def test_the_first_start_asks_your_name_once(tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# mine\nlocale = "en_US"\n', encoding="utf-8")
    monkeypatch.setenv("CCM_CONFIG", str(config))
    settings = Settings(time_zone="America/New_York")
    app = CcmApp(settings, clock, BookLocation.file(tmp_path / "book.sqlite"))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#field-name")), "the name dialog")
        app.screen.query_one("#field-name", Input).value = "Robin Quinn"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog), "the dialog closing")
        await settle(pilot, app)
        assert app.title == "Robin Quinn · lead"
        assert app.services is not None
        person = get_person(app.services.engine, local_person(settings).login)
        assert person is not None and person.name == "Robin Quinn"
    assert config.read_text(encoding="utf-8") == '# mine\nlocale = "en_US"\nccm_name = "Robin Quinn"\n'
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_write_setting_replaces_its_line_and_keeps_the_rest(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('ccm_name = "Old"  # me\ntheme = "nord"\n', encoding="utf-8")
    write_setting(config, "ccm_name", 'Ann "the" O\\Neil')
    assert tomllib.loads(config.read_text(encoding="utf-8")) == {"ccm_name": 'Ann "the" O\\Neil', "theme": "nord"}


def test_write_setting_writes_only_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text("", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    with pytest.raises(ConfigError, match="not a regular file"):
        write_setting(link, "ccm_name", "Robin")
    assert target.read_text(encoding="utf-8") == ""
