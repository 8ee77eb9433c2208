"""A dialog closes once, and only itself; an answer that comes after it closed goes nowhere.

A save's answer comes from a thread, whenever the book lets it: after esc
(ctrl+s, esc in one burst), or while the user looks at something else (the
help, another mode). Keys typed in one burst all reach the dialog, even after
its first answer. Dismissing again popped whatever was on top: the screen
below, or a mode's root (ScreenStackError). An answer that looked for a
closed dialog's widgets found none (NoMatches). The monkey test hit each.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList

from ccm_tui.app import CcmApp
from ccm_tui.screens.activation_dialogs import ActionMenu
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.screens.help import HelpScreen
from ccm_tui.screens.import_dialog import ImportDialog
from ccm_tui.screens.import_report import ImportReportDialog
from ccm_tui.screens.review_dialogs import ConfirmDialog, EditorDialog, PickDialog
from tests.pilot_helpers import burst, settle

Save = Callable[[dict[str, str]], str]
DIALOGS: dict[str, Callable[[Save], ModalScreen[Any]]] = {
    "form": lambda save: FormDialog("A form", [FormField("name", "Name")], {}, save),
    "review editor": lambda save: EditorDialog("An item's minutes", save, body_label="Minutes"),
}


class Root(Screen[None]):
    pass


class Harness(App[None]):
    """Two modes, as CcmApp has; a dialog whose save waits until the test lets it finish."""

    MODES = {"one": Root, "two": Root}

    def __init__(self, dialog: Callable[[Save], ModalScreen[Any]]) -> None:
        super().__init__()
        self.make_dialog = dialog
        self.saving, self.release = threading.Event(), threading.Event()
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.switch_mode("one")

    def save(self, values: dict[str, str]) -> str:
        self.saving.set()
        self.release.wait(10)
        return "saved"

    def open_dialog(self) -> ModalScreen[Any]:
        dialog = self.make_dialog(self.save)
        self.push_screen(dialog, self.results.append)
        return dialog


async def start_saving(pilot, app: Harness) -> ModalScreen[Any]:  # type: ignore[no-untyped-def]
    await settle(pilot)
    dialog = app.open_dialog()
    await settle(pilot)
    await pilot.press("ctrl+s")
    assert await asyncio.to_thread(app.saving.wait, 10)
    return dialog


@pytest.mark.parametrize("kind", DIALOGS)
async def test_an_answer_after_esc_pops_nothing_more(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """esc, then the save's answer, before Textual has removed the dialog: it dismissed again and popped the root."""
    app = Harness(DIALOGS[kind])
    async with app.run_test() as pilot:
        dialog = await start_saving(pilot, app)
        removing = asyncio.Event()
        replace_screen = app._replace_screen

        async def slow_removal(screen: Screen[Any]) -> Screen[Any]:
            await removing.wait()  # the dialog stays attached until the answer has landed
            return await replace_screen(screen)

        monkeypatch.setattr(app, "_replace_screen", slow_removal)
        try:
            dialog.action_cancel()  # type: ignore[attr-defined]  # esc: popped at once, removed later
            assert len(app.screen_stack) == 1 and dialog.is_attached
            app.release.set()
            # The answer runs on the event loop, not in the app's (now busy) message queue.
            await asyncio.wait_for(asyncio.gather(*(worker.wait() for worker in app.workers), return_exceptions=True), 10)
        finally:
            removing.set()  # else a failure above waits for ever as the app shuts down
        await settle(pilot)
        assert app.return_code is None
        assert isinstance(app.screen, Root) and len(app.screen_stack) == 1
        assert app.results == [None]  # esc's answer; the save is only notified
        assert any("Saved after all" in note.message for note in app._notifications)


async def cover_with_a_screen(app: Harness) -> Callable[[], object]:
    app.push_screen(Screen())
    return app.pop_screen


async def cover_with_another_mode(app: Harness) -> Callable[[], object]:
    app.switch_mode("two")
    return lambda: app.switch_mode("one")


@pytest.mark.parametrize("kind", DIALOGS)
@pytest.mark.parametrize("cover", [cover_with_a_screen, cover_with_another_mode])
async def test_an_answer_while_covered_closes_the_dialog_when_the_user_is_back(kind: str, cover: Callable[[Harness], Any]) -> None:
    """The help (or the palette) over the dialog: the answer popped that instead; another mode: its root."""
    app = Harness(DIALOGS[kind])
    async with app.run_test() as pilot:
        dialog = await start_saving(pilot, app)
        uncover = await cover(app)
        await pilot.pause()  # not settle(): it would wait for the save, held until released
        covering = app.screen
        app.release.set()
        await settle(pilot)
        assert app.return_code is None
        assert app.screen is covering and app.results == []  # left as it was
        uncover()
        await settle(pilot)
        assert app.results == ["saved"]
        assert not dialog.is_attached and isinstance(app.screen, Root) and len(app.screen_stack) == 1


@pytest.mark.parametrize("kind", DIALOGS)
async def test_esc_twice_closes_the_dialog_once(kind: str) -> None:
    app = Harness(DIALOGS[kind])
    async with app.run_test() as pilot:
        await settle(pilot)
        dialog = app.open_dialog()
        await settle(pilot)
        dialog.action_cancel()  # type: ignore[attr-defined]
        dialog.action_cancel()  # type: ignore[attr-defined]  # a queued Cancel button press
        await settle(pilot)
        assert app.return_code is None and app.results == [None]
        assert isinstance(app.screen, Root)


def answer_twice(dialog: ModalScreen[Any]) -> None:
    """Two answers before the first pop is done: "y" then "n", two enters in a list."""
    if isinstance(dialog, ConfirmDialog):
        dialog.action_answer(True)
        dialog.action_answer(False)
        return
    listing = dialog.query_one(OptionList)
    for index in (0, 1):  # each enter posts a selection; the dialog handles them after both
        listing.highlighted = index
        listing.action_select()


@pytest.mark.parametrize(
    ("make", "first"),
    [
        (lambda: ConfirmDialog("Complete this review?", "It becomes read-only."), True),
        (lambda: PickDialog("Reviews of Acme", [("1", "first"), ("2", "second")]), "1"),
        (lambda: ActionMenu("Installation: choose an action", [("confirm", "c  Confirmed"), ("cancel", "x  Cancel")]), "confirm"),
    ],
    ids=["confirm", "pick", "action menu"],
)
async def test_two_answers_in_a_burst_close_a_dialog_once(make: Callable[[], ModalScreen[Any]], first: object) -> None:
    app = Harness(DIALOGS["form"])
    async with app.run_test() as pilot:
        await settle(pilot)
        dialog = make()
        app.push_screen(dialog, app.results.append)
        await settle(pilot)
        answer_twice(dialog)
        await settle(pilot)
        assert app.return_code is None and app.results == [first]
        assert isinstance(app.screen, Root) and len(app.screen_stack) == 1


# -- the import dialogs, on the demo book ---------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


async def test_a_check_that_ends_under_the_help_opens_its_report_when_the_help_closes(demo_app: CcmApp) -> None:
    """It was dropped: the dialog stayed, "Checking..." for ever; a failure left it refusing ctrl+s."""
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("i")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-path", Input).value = str(FIXTURES / "errors" / "customers.csv")
        demo_app.action_help()  # as "?" does where focus is not in a field
        await pilot.press("ctrl+s")  # the app's key while the help is in front: nothing
        dialog.action_check()  # the check asked for just before the help opened
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot, demo_app)
        assert isinstance(demo_app.screen, ImportReportDialog)
        report = demo_app.screen
        report.query_one("#report-close", Button).press()
        report.action_close()
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        assert [type(screen) for screen in demo_app.screen_stack] == [CustomerBookScreen]


@pytest.mark.parametrize(
    "keys", [["escape", "ctrl+p", "G", "tab"], ["escape", "3", "space", "x", "]", "ctrl+p", "G", "tab"], ["escape", "ctrl+p", "G"]]
)
async def test_a_palette_closed_with_typing_still_queued_starts_no_search(demo_app: CcmApp, keys: list[str]) -> None:
    """The monkey's seed 43: esc typed first reached the palette first (bindings are looked up where the user is
    when a key is handled); "G" then started a search that found the palette's list gone (NoMatches)."""
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, demo_app)
        await burst(pilot, keys)
        await settle(pilot, demo_app)
        assert demo_app.return_code is None
        assert len(demo_app.screen_stack) == 1  # the book, or the checklist ("3")


class SearchHarness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.dialog = PickDialog("Prepare a review for", search=lambda text: [("1", f"Acme ({text})")])

    def on_mount(self) -> None:
        self.push_screen(self.dialog)


@pytest.mark.parametrize("close", ["escape", "a mode's key"])
async def test_a_search_that_answers_while_the_pick_dialog_is_taken_down_shows_nothing(close: str) -> None:
    """The monkey's seed 4242 (5,000 keys): "/", typing, esc; the search answered while Textual was removing
    the dialog (its list gone, its worker not cancelled yet) and looked for the list: NoMatches."""
    app = SearchHarness()
    async with app.run_test() as pilot:
        await settle(pilot)
        dialog = app.dialog
        if close == "escape":
            dialog.action_cancel()
        else:
            app.pop_screen()  # as "4" on the agenda pops every screen over its root, dismissing none
        for _ in range(1000):  # the few turns of the loop while Textual takes the dialog apart
            if dialog.is_attached and not dialog.query("#pick-list"):
                break
            await asyncio.sleep(0)
        else:
            pytest.fail("never saw the dialog between losing its widgets and being detached")
        dialog._fill([("1", "Acme")])  # what the search's call_from_thread runs, in that moment
        await settle(pilot)
        assert app.return_code is None and len(app.screen_stack) == 1
