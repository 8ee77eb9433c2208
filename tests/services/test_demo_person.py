"""Who acts on the demo book: its own CCM, unless config.toml names you."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery
from ccm_tui.services import open_book
from tests.conftest import demo_book


@pytest.mark.parametrize(("configured", "acts_as"), [("", "Alex Morgan"), ("Dana Whitfield", "Dana Whitfield")])
def test_the_demo_is_its_ccms_book_unless_you_have_a_name(
    tmp_path: Path, settings: Settings, clock: FixedClock, demo_master: Path, configured: str, acts_as: str
) -> None:
    path = tmp_path / "demo.sqlite"
    with closing(sqlite3.connect(demo_master)) as master, closing(sqlite3.connect(path)) as copy:
        master.backup(copy)
    services, _ = open_book(demo_book(path), replace(settings, ccm_name=configured), clock)
    try:
        assert services.actor.name == acts_as
        mine = services.book.my_customers()
        page = services.book.book_page(BookQuery(ccm=mine))
        assert (page.total > 0) == (acts_as == "Alex Morgan")  # the demo's customers are Alex Morgan's
    finally:
        services.engine.dispose()
