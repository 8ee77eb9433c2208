"""Seeing each other's work: another session's change shows without a key press; a stale edit says who."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from ccm_tui.app import CcmApp
from ccm_tui.clock import Clock
from ccm_tui.config import Settings
from ccm_tui.domain.people import Person, Role
from ccm_tui.domain.validation import validate_customer
from ccm_tui.screens.activation_detail import ActivationDetailScreen
from ccm_tui.screens.customer_detail import CustomerDetailScreen
from ccm_tui.screens.dialogs.form import FormDialog
from ccm_tui.screens.following import BookChanged, FollowsBook
from ccm_tui.screens.on_call import OnCallScreen
from ccm_tui.screens.reminders import RemindersScreen
from ccm_tui.screens.waiting_steps import WaitingStepsScreen
from ccm_tui.services import Services
from ccm_tui.store.engine import make_engine, read_session
from ccm_tui.store.tables import ActivationRow
from ccm_tui.widgets.customer_table import CustomerTable
from tests.book_edits import rename
from tests.pilot_helpers import settle, wait_until

# "Within about two seconds": half a second's poll, then a page's reload; slack for two shared cores.
SHOWN_WITHIN_S = 3.0
SAM = Person(login="slee", name="Sam Lee", role=Role.MEMBER)


@pytest.fixture
def other_engine(demo_services: Services) -> Iterator[Engine]:
    """Another ccm on the same book (its own engine and connections)."""
    engine = make_engine(str(demo_services.engine.url))
    yield engine
    engine.dispose()


@pytest.fixture
def sam(other_engine: Engine, settings: Settings, clock: Clock) -> Services:
    """Sam Lee, working in that other ccm."""
    return Services(other_engine, settings, clock, actor=SAM)


def names(table: CustomerTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_a_rename_elsewhere_shows_without_a_key_and_the_cursor_stays(demo_app: CcmApp, sam: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        table = demo_app.screen.query_one(CustomerTable)
        await pilot.press("down", "down", "down")
        kept = table.current()
        assert kept is not None and table.cursor_row == 3
        # The first row's customer sorts last once renamed: every row above the cursor moves up one.
        renamed = table._rows[0]
        rename(sam, renamed.customer_id, "Zulu Renamed Elsewhere")
        await wait_until(pilot, lambda: "Zulu Renamed Elsewhere" in names(table), "the rename to show", budget_s=SHOWN_WITHIN_S)
        await settle(pilot, demo_app)
        assert renamed.name not in names(table)
        now_on = table.current()
        assert now_on is not None and now_on.customer_id == kept.customer_id and table.cursor_row == 2
        assert demo_app.book_moves == 1
    # Quitting stopped the watcher: its thread is gone, nothing left to post to a closed app.
    assert not any(thread.name == "ccm-book-watcher" for thread in threading.enumerate())


async def test_own_save_is_not_taken_for_someone_elses(demo_app: CcmApp, demo_services: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await wait_until(pilot, lambda: demo_services.watch.following, "the app to follow the book")
        await pilot.press("e")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-notes", Input).value = "saved here"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert not isinstance(demo_app.screen, FormDialog)
        # The watcher has looked at the book twice since the save: it would have reported it by now.
        looked = demo_services.watch.checks
        await wait_until(pilot, lambda: demo_services.watch.checks >= looked + 2, "the watcher to look again")
        await settle(pilot, demo_app)
        assert demo_app.book_moves == 0


async def test_a_dialog_holds_the_reload_until_it_closes_and_keeps_its_input(demo_app: CcmApp, sam: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        book = demo_app.screen
        table = book.query_one(CustomerTable)
        renamed = table._rows[-1]
        await pilot.press("e")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        notes = dialog.query_one("#field-notes", Input)
        notes.value = "half typed"
        rename(sam, renamed.customer_id, "Renamed Under The Dialog")
        await wait_until(pilot, lambda: demo_app.book_moves == 1, "the change elsewhere", budget_s=SHOWN_WITHIN_S)
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog and notes.value == "half typed"
        assert "Renamed Under The Dialog" not in names(table), "nothing moves under the user's hands"
        await pilot.press("escape", "y")  # the form was changed: esc asks before discarding it
        await wait_until(pilot, lambda: "Renamed Under The Dialog" in names(table), "the book to reload beneath")


async def test_a_stale_edit_says_who_changed_it_and_when(
    demo_app: CcmApp, demo_services: Services, sam: Services, settings: Settings, clock: Clock
) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        current = demo_app.screen.query_one(CustomerTable).current()
        assert current is not None
        customer_id = current.customer_id
        await pilot.press("e")
        await settle(pilot, demo_app)
        dialog = demo_app.screen
        assert isinstance(dialog, FormDialog)
        customer = sam.book.get_customer(customer_id)
        sam.book.update_customer(customer.id, customer.version, validate_customer(dialog.values() | {"notes": "Sam's"}))
        dialog.query_one("#field-notes", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(pilot, demo_app)
        assert demo_app.screen is dialog
        banner = str(dialog.query_one("#form-banner", Static).render())
        at = demo_app.formatter.time_in(clock.now(), settings.time_zone)
        assert f"Sam Lee changed this customer at {at}; your input is kept" in banner
        assert dialog.query_one("#field-notes", Input).value == "mine"
    assert demo_services.book.get_customer(customer_id).notes == "Sam's"


async def test_a_customers_detail_follows_too(demo_app: CcmApp, sam: Services) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await pilot.press("enter")
        await settle(pilot, demo_app)
        detail = demo_app.screen
        assert isinstance(detail, CustomerDetailScreen)
        rename(sam, detail.customer_id, "Renamed While Open")
        summary = detail.query_one("#detail-summary", Static)
        await wait_until(
            pilot, lambda: "Renamed While Open" in str(summary.render()), "the detail to follow", budget_s=SHOWN_WITHIN_S
        )


def first_activation(services: Services) -> int:
    with read_session(services.engine) as session:
        activation_id = session.scalars(select(col(ActivationRow.id)).order_by(col(ActivationRow.id)).limit(1)).one()
    assert activation_id is not None
    return activation_id


Opener = Callable[[CcmApp, Services, Pilot[None]], Awaitable[None]]


def go(*keys: str) -> Opener:
    async def press(app: CcmApp, services: Services, pilot: Pilot[None]) -> None:
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)

    return press


async def activation_detail(app: CcmApp, services: Services, pilot: Pilot[None]) -> None:
    app.push_screen(ActivationDetailScreen(first_activation(services)))
    await settle(pilot, app)


def pushed(screen: Callable[[], Screen[None]]) -> Opener:
    async def push(app: CcmApp, services: Services, pilot: Pilot[None]) -> None:
        app.push_screen(screen())
        await settle(pilot, app)

    return push


@pytest.mark.parametrize(
    ("open_screen", "service", "read"),
    [
        (go("1"), "book", "book_page"),
        (go("1", "enter"), "book", "customer_detail"),
        (go("2"), "calendar", "month"),
        (activation_detail, "calendar", "detail"),
        (go("3"), "checklists", "checklist"),
        (go("4"), "agenda", "reviews_due"),
        # the on-call manager's screens at night, first of all
        (pushed(OnCallScreen), "calendar", "on_call"),
        (pushed(WaitingStepsScreen), "calendar", "waiting"),
        (pushed(RemindersScreen), "calendar", "reminders"),
    ],
    ids=["book", "customer detail", "calendar", "activation detail", "checklist", "agenda", "on-call", "waiting", "reminders"],
)
async def test_each_main_screen_reads_the_book_again_when_it_changes(
    demo_app: CcmApp,
    demo_services: Services,
    monkeypatch: pytest.MonkeyPatch,
    open_screen: Opener,
    service: str,
    read: str,
) -> None:
    feature = getattr(demo_services, service)
    original, calls = getattr(feature, read), []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(feature, read, counted)
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, demo_app)
        await open_screen(demo_app, demo_services, pilot)
        assert isinstance(demo_app.screen, FollowsBook)
        before = len(calls)
        assert before, f"{type(demo_app.screen).__name__} never read {service}.{read}"
        demo_app.post_message(BookChanged())
        await settle(pilot, demo_app)
        assert len(calls) > before
