"""iCalendar export: each step a VEVENT a calendar program can keep in step.

- UID is stable per step (activation and step kind), so exporting again
  updates the event rather than adding a copy;
- SEQUENCE counts the changes to the step's window or status since it was
  requested, so a reschedule or cancellation wins over the older copy;
- DTSTART/DTEND carry the site's TZID, and a VTIMEZONE for each zone is
  included once (RFC 5545), so the times stay right across DST changes;
- STATUS is TENTATIVE while requested, CONFIRMED once confirmed (and after),
  CANCELLED when cancelled or when it did not take place (not ready, no-show).

The text is produced a chunk of events at a time (the VTIMEZONEs of every
site zone in the book first), so a large export never sits in memory whole.
All of it is written by ccm itself: the events by ccm_tui/text/ics_text.py,
much faster than one icalendar object per property, and the VTIMEZONEs
(their DST rules, from the zone database) by ccm_tui/text/ics_zones.py, as
the icalendar library writes them. The library stays the reader the tests
check the text with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ccm_tui.config import Settings
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.text.ics_text import VeventWriter, content_line, text_value
from ccm_tui.text.ics_zones import vtimezone

if TYPE_CHECKING:
    from ccm_tui.services import Services

PRODID = "-//ccm//activation calendar//EN"


def export_ics(services: Services, first: date, last: date, tally: Callable[[int], None] | None = None) -> Iterator[str]:
    """The iCalendar text of every step starting on `first`..`last` (the CCM's days), in pieces.

    Not a calendar service method: `ccm export ics` then imports none of what the calendar's other doors
    need (a tenth of a second of its start). `tally(n)` is told each time n more events have been written.
    """
    from ccm_tui.store import calendar_export, calendar_flags
    from ccm_tui.store.calendar import local_midnight

    if not services.access.read_only:  # derived step columns filled in; a read-only session reads them as they are
        calendar_flags.derive_missing(services.engine, services.business_hours)
    zone = services.settings.time_zone
    start, end = local_midnight(first, zone), local_midnight(last + timedelta(days=1), zone)
    zones = calendar_export.site_zones(services.engine)
    events = calendar_export.export_chunks(services.engine, start, end)
    return ics_chunks(zones, events, services.now(), services.settings, (first, last), tally)


def ics_chunks(
    zones: Iterable[str],
    events: Iterable[Sequence[ExportEvent]],
    now: datetime,
    settings: Settings,
    days: tuple[date, date],
    tally: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """VCALENDAR text in pieces: the header and a VTIMEZONE per zone, then the events a chunk at a time, then the end.

    `tally(n)` is told after each chunk of n events is handed on.
    """
    yield "".join(
        (
            "BEGIN:VCALENDAR\r\n",
            content_line("PRODID:" + text_value(PRODID)),
            "VERSION:2.0\r\n",
            "CALSCALE:GREGORIAN\r\n",
            "X-WR-CALNAME:ccm activations\r\n",
            content_line("X-WR-TIMEZONE:" + text_value(settings.time_zone)),
        )
    )
    yield "".join(vtimezone(zone, *days) for zone in zones)
    writer = VeventWriter(now, settings.oncall_phone)
    for chunk in events:
        yield writer.vevents(chunk)
        if tally is not None:
            tally(len(chunk))
    yield "END:VCALENDAR\r\n"
