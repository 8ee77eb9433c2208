"""Saved views on the calendar (config.toml [[views]], domain/views.py): `V`
and the palette's "View: <name>".

A view sets the filter, the layout and the day; "next N business days"
also ends the agenda at the range's last day (the CCM's Nth business day).
The view holds while its filter is on and, for a range, while the agenda
starts on the range's first day: the status line then starts with its name.
Moving on (another day, another layout, another filter) leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from ccm_tui.domain.schedule import CalendarFilter
from ccm_tui.domain.views import ME, BusinessDays, SavedView, ViewScreen, following_view, views_for
from ccm_tui.screens.calendar_loading import CalendarState
from ccm_tui.widgets.calendar_views import View
from ccm_tui.widgets.workers import work


@dataclass(frozen=True, slots=True)
class _Applied:
    view: SavedView
    flt: CalendarFilter  # the filter it set
    first: date | None = None  # a range's first and last days (its agenda)
    last: date | None = None


class CalendarSavedViews(CalendarState):
    _applied: _Applied | None = None

    @property
    def views(self) -> tuple[SavedView, ...]:
        return views_for(self.app_settings.views, ViewScreen.CALENDAR)

    def _holding(self) -> _Applied | None:
        applied = self._applied
        if applied is None or applied.flt != self.calendar_filter:
            return None
        if applied.last is not None and (self.view != "agenda" or self.cursor != applied.first):
            return None
        return applied

    def _view_name(self) -> str | None:
        applied = self._holding()
        return applied.view.name if applied is not None else None

    def _agenda_last(self) -> date | None:
        applied = self._holding()
        return applied.last if applied is not None else None

    def action_next_view(self) -> None:
        if not self.views:
            self.notify('No saved views for the calendar: add [[views]] with screen = "calendar" to config.toml.', markup=False)
            return
        held = self._holding()
        view = following_view(self.views, held.view if held is not None else None)
        self.show_view(view)
        self.notify(f"View: {view.name}" if view is not None else "No view: every event.", markup=False)

    def show_view(self, view: SavedView | None) -> None:
        """The view's filter, layout and dates (None: no filter, the layout as it is)."""
        self.when_services(lambda: self._find_view_ccm(view))

    @work(thread=True, exclusive=True, group="cal-view")
    def _find_view_ccm(self, view: SavedView | None) -> None:
        # "me": the name the session's customers are under (read in a worker: a scan of the CCM index);
        # a range's last day: the CCM's calendar (holidays read once)
        ccm = last = None
        if view is not None and view.ccm:
            if view.ccm.casefold() == ME:
                mine = self.services.book.my_customers()
                ccm = next(iter(mine.spellings), mine.who)
            else:
                ccm = view.ccm
        if view is not None and isinstance(view.dates, BusinessDays):
            last = self.services.calendar.last_day(view.dates)
        self.app.call_from_thread(self._show_view, view, ccm, last)

    def _show_view(self, view: SavedView | None, ccm: str | None, last: date | None) -> None:
        if view is None:
            self._applied = None
            self.calendar_filter = CalendarFilter()
            self._show_bar()
            return
        flt = CalendarFilter(
            region=view.region, status=view.status, ccm=ccm, after_hours_only=view.after_hours, flags=view.event_flags
        )
        first = view.dates.day(self.services.today()) if view.dates is not None else None
        self._applied = _Applied(view, flt, first if last is not None else None, last)
        before = (self.view, self.cursor, self.calendar_filter)
        if view.layout:
            self.view = cast("View", view.layout)
        if first is not None:
            self.cursor = first
        self.calendar_filter = flt
        if (self.view, self.cursor, self.calendar_filter) == before:
            self._reload()  # nothing changed that loads: the agenda still ends where the view's range does
        else:
            self._show_bar()
