"""Keys 2, 3 and 4 before the book is open: their book keys are dimmed, and what the CCM
did meanwhile (a move, a view, a filter, a customer asked for) is what the first load shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import ModalScreen

from ccm_tui.app import CcmApp
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.checklist_views import UpcomingQuery
from ccm_tui.domain.months import month_first
from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.screens.activation_calendar import ActivationCalendarScreen
from ccm_tui.screens.checklist import ChecklistScreen
from ccm_tui.screens.review_agenda import ReviewAgendaScreen
from ccm_tui.services import Services
from ccm_tui.services.checklists import ChecklistService
from tests.pilot_helpers import settle


def closed_app(monkeypatch: pytest.MonkeyPatch, services: Services, settings: Settings, clock: FixedClock) -> CcmApp:
    """The app on the demo book, which stays closed until the test sets `app.services`."""
    monkeypatch.setattr(CcmApp, "_open_book", lambda self: None)
    return CcmApp(settings, clock, BookLocation(url=str(services.engine.url), label="Demo book", demo=True))


def enabled(app: CcmApp, key: str) -> bool:
    return app.screen.active_bindings[key].enabled


async def test_the_calendar_starts_on_today_whatever_was_pressed_before(
    monkeypatch: pytest.MonkeyPatch, demo_services: Services, settings: Settings, clock: FixedClock
) -> None:
    app = closed_app(monkeypatch, demo_services, settings, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot, app)
        calendar = app.screen
        assert isinstance(calendar, ActivationCalendarScreen)
        assert not enabled(app, "t") and not enabled(app, "f")
        await pilot.press("right", "n", "w", "t", "f")  # nothing to load yet; t and f do nothing
        await settle(pilot, app)
        assert calendar.shown_month is None and len(app.screen_stack) == 1 and not app._notifications

        app.services = demo_services
        await settle(pilot, app)
        today = demo_services.today()
        assert enabled(app, "t") and enabled(app, "f")
        assert calendar.cursor == today and calendar.view == "week"
        assert calendar.shown_month == (month_first(today), CalendarFilter())


async def test_a_checklist_filter_typed_before_the_book_is_its_one_first_load(
    monkeypatch: pytest.MonkeyPatch, demo_services: Services, settings: Settings, clock: FixedClock
) -> None:
    word = demo_services.checklists.upcoming(UpcomingQuery(limit=1)).rows[0].customer_name.split()[0].lower()
    asked: list[UpcomingQuery] = []
    upcoming: Callable[..., Any] = ChecklistService.upcoming

    def counted(self: ChecklistService, query: UpcomingQuery, **kwargs: Any) -> Any:
        asked.append(query)
        return upcoming(self, query, **kwargs)

    monkeypatch.setattr(ChecklistService, "upcoming", counted)
    app = closed_app(monkeypatch, demo_services, settings, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot, app)
        await pilot.press("slash", *word, "enter")
        await settle(pilot, app)
        assert asked == []

        app.services = demo_services
        await settle(pilot, app)
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen)
        assert checklist.shown_query is not None and checklist.shown_query.text == word
        assert [query.text for query in asked] == [word]


async def test_a_review_asked_for_before_the_book_opens_once_it_is(
    monkeypatch: pytest.MonkeyPatch, demo_services: Services, settings: Settings, clock: FixedClock
) -> None:
    rows, _ = demo_services.agenda.reviews_due(1)
    app = closed_app(monkeypatch, demo_services, settings, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot, app)
        agenda = app.screen
        assert isinstance(agenda, ReviewAgendaScreen)
        assert not enabled(app, "slash")
        app.prepare_review(rows[0].customer_id)
        await settle(pilot, app)
        assert app.screen is agenda

        app.services = demo_services
        await settle(pilot, app)
        assert agenda.check_action("pick_customer", ()) is True
        assert isinstance(app.screen, ModalScreen) and app.screen_stack[0] is agenda  # the new review's setup
