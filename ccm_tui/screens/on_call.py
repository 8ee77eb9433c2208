"""The on-call view: the next 72 hours of after-hours, weekend and holiday
events, with the on-call and repair numbers and the contacts' phones.

Made for the on-call manager over SSH at 80x24: the numbers are on top,
the events in a list, and the highlighted event's contacts under it. The
list is read first and shown; the contacts are read right after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from ccm_tui.domain.model import Contact, ContactRole
from ccm_tui.domain.oncall import DEFAULT_HOURS
from ccm_tui.domain.schedule import CalendarEvent, CalendarFilter
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.find_key import FIND_BINDING, FindGoesBack
from ccm_tui.screens.following import FollowsBook
from ccm_tui.text.event_text import hours_words
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.workers import work

HOURS_CHOICES = (24, 72, 168)


class OnCallScreen(FindGoesBack, FollowsBook, ServicesMixin, Screen[None]):
    BINDINGS = [
        FIND_BINDING,
        Binding("escape", "app.pop_screen", "Back", id="oncall.back"),
        Binding("h", "hours", "Hours ahead", tooltip="24, 72 or 168 hours", id="oncall.hours"),
        Binding("enter", "open", "Open", show=False, id="oncall.open"),
    ]

    @dataclass
    class Loaded(Message):
        hours: int
        events: list[CalendarEvent]

    @dataclass
    class ContactsLoaded(Message):
        events: list[CalendarEvent]  # the list they were read for
        contacts: dict[int, tuple[Contact, ...]]  # by customer id

    def __init__(self, flt: CalendarFilter | None = None) -> None:
        super().__init__()
        self.calendar_filter = flt or CalendarFilter()
        self.hours = DEFAULT_HOURS
        self._events: list[CalendarEvent] | None = None  # the list shown
        self._contacts_of: dict[int, tuple[Contact, ...]] | None = None  # its customers' contacts, once read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="oncall-numbers")
        yield EventTable(self.app_formatter, self.app_settings.time_zone, show_day=True, id="oncall-events")
        yield Static("", id="oncall-contacts")
        yield FittedFooter()

    def on_mount(self) -> None:
        self._numbers()
        self.query_one(EventTable).focus()
        self.when_services(self._load)

    def _numbers(self, count: int | None = None) -> None:
        settings = self.app_settings
        text = Text()
        text.append(f"On-call manager {settings.oncall_phone}", style="bold")
        text.append("  ·  ")
        text.append(f"Repair center {settings.repair_phone}", style="bold")
        shown = "loading..." if count is None else f"{count} event{'s' if count != 1 else ''}"
        text.append(f"\nAfter hours, weekends and holidays, the next {self.hours} h: {shown}")
        if not self.calendar_filter.is_default:
            text.append(f" ({self.calendar_filter.describe()})")
        self.query_one("#oncall-numbers", Static).update(text)

    def on_screen_resume(self) -> None:
        if self.moved_while_away():  # someone changed the book while an activation was open on top
            self.when_services(self._load)

    def reload_book(self) -> None:
        """Someone else changed the book: the events again, the cursor on the same event."""
        self.when_services(self._load)

    def _load(self) -> None:
        self._fetch(self.hours)

    @work(thread=True, exclusive=True, group="oncall")
    def _fetch(self, hours: int) -> None:
        calendar = self.services.calendar
        events = calendar.on_call(hours, self.calendar_filter, contacts=False)
        self.post_message(self.Loaded(hours, events))
        if not get_current_worker().is_cancelled:
            self.post_message(self.ContactsLoaded(events, calendar.customer_contacts({e.customer_id for e in events})))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        if message.hours != self.hours:
            return
        self._events, self._contacts_of = message.events, None
        table = self.query_one(EventTable)
        table.show_events(message.events, empty="Nothing outside business hours in that time.")
        self._numbers(len(message.events))
        self._contacts(table.current())

    @on(ContactsLoaded)
    def _show_contacts(self, message: ContactsLoaded) -> None:
        if message.events is not self._events:
            return  # read for a list since replaced
        self._contacts_of = message.contacts
        self._contacts(self.query_one(EventTable).current())

    @on(EventTable.Highlighted)
    def _highlighted(self, message: EventTable.Highlighted) -> None:
        self._contacts(message.event)

    def _contacts(self, event: CalendarEvent | None) -> None:
        text = Text()
        if event is not None:
            text.append(f"{event.customer_name} · {event.site.name}, {event.site.city} · {hours_words(event.facts.hours_flags)}\n")
            if self._contacts_of is None:
                text.append("Reading the contacts...", style="dim")
            else:
                contacts = self._contacts_of.get(event.customer_id, ())
                found = False
                for role, word in ((ContactRole.DESIGNATED, "Designated"), (ContactRole.SITE_TECHNICAL, "Technical")):
                    contact = next((c for c in contacts if role in c.roles), None)
                    if contact is not None:
                        found = True
                        text.append(f"{word}: {contact.name} {contact.phone or '(no phone)'}   ")
                if not found:
                    text.append("No designated or technical contact on file.", style="yellow")
        panel = self.query_one("#oncall-contacts", Static)
        panel.update(text)
        panel.display = bool(text.plain)

    def action_hours(self) -> None:
        at = HOURS_CHOICES.index(self.hours) if self.hours in HOURS_CHOICES else -1
        self.hours = HOURS_CHOICES[(at + 1) % len(HOURS_CHOICES)]
        self._numbers()
        self.when_services(self._load)

    @on(EventTable.Picked)
    def _picked(self, message: EventTable.Picked) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        self.app.push_screen(ActivationDetailScreen(message.event.activation.id, message.event.step.kind))

    def action_open(self) -> None:
        event = self.query_one(EventTable).current()
        if event is not None:
            self.post_message(EventTable.Picked(event))
