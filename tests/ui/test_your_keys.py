"""Your keys in the app: a key remapped in config.toml works, the old one no longer does, and `?` and the footer say so."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from textual.widgets import DataTable

from ccm_tui.app import CcmApp
from ccm_tui.config import Settings
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.help import HelpScreen
from ccm_tui.screens.keymap import check_keymap
from ccm_tui.services import Services
from ccm_tui.widgets.fitted_footer import FittedFooter
from tests.pilot_helpers import settle


async def test_a_remapped_key_works_the_old_one_does_not_and_help_shows_it(
    demo_services: Services, settings: Settings, demo_app: CcmApp
) -> None:
    keys = check_keymap({"book.new": "N", "app.help": "f1"}, CcmApp)
    app = CcmApp(replace(settings, keys=MappingProxyType(dict(keys))), demo_app.clock, demo_app.book, services=demo_services)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        book = app.screen
        assert isinstance(book, CustomerBookScreen)
        footer = {entry.key: entry.description for entry in book.query_one(FittedFooter).entries}
        assert footer.get("N") == "New" and "n" not in footer
        assert footer.get("f1") == "Help" and "question_mark" not in footer

        await pilot.press("n", "question_mark")  # the old keys: nothing opens
        await settle(pilot, app)
        assert app.screen is book

        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert rows["New"] == "N"
        assert rows["Help"] == "f1"
        table.move_cursor(row=[str(table.get_row_at(i)[1]) for i in range(table.row_count)].index("New"))
        await settle(pilot, app)
        foot = str(app.screen.query_one("#help-foot").render())
        assert foot.startswith("book.new · its name in config.toml [keys]")
        await pilot.press("escape")
        await settle(pilot, app)

        await pilot.press("N")
        await settle(pilot, app)
        assert isinstance(app.screen, FormDialog), "N opens the new customer's form"
