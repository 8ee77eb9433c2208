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

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ccm_tui.config import Settings
from ccm_tui.domain.schedule import ExportEvent
from ccm_tui.files import check_file_target, private_text_files
from ccm_tui.services.export_half import Tell, back_to_here, head_start, in_two, second_share
from ccm_tui.text.ics_text import VeventWriter, content_line, text_value
from ccm_tui.text.ics_zones import vtimezone

if TYPE_CHECKING:
    from ccm_tui.services import Services
    from ccm_tui.store.engine import Engine

PRODID = "-//ccm//activation calendar//EN"
ICS_END = "END:VCALENDAR\r\n"
# About how many events this process writes while a second one starts (a new interpreter's imports: half a
# second; a fork: its connection and first chunk): the second process's share is made smaller by as much
# (`second_share`); an export under some 14,000 events (a fork: 1,500) is written in one pass. A month of
# the 50,000-customer book is 30,000.
START_EVENTS, FORKED_START_EVENTS = 10_000, 1_000


def export_ics(services: Services, first: date, last: date, tally: Callable[[int], None] | None = None) -> Iterator[str]:
    """The iCalendar text of every step starting on `first`..`last` (the CCM's days), in pieces.

    Not a calendar service method: `ccm export ics` then imports none of what the calendar's other doors
    need (a tenth of a second of its start). `tally(n)` is told each time n more events have been written.
    """
    from ccm_tui.store import calendar_export

    start, end, zones = _prepared(services, first, last)
    events = calendar_export.export_chunks(services.engine, start, end)
    return ics_chunks(zones, events, services.now(), services.settings, (first, last), tally)


def write_ics(services: Services, first: date, last: date, path: Path, told: Callable[[int], None] | None = None) -> int:
    """`export_ics`'s text written to the file at `path` (whole or not at all); how many events it holds.

    A large export's later events are written meanwhile by a second process (services/export_half.py), the
    same text. `told(n)` hears how many events have been written so far.
    """
    from ccm_tui.store import calendar_export

    path = check_file_target(path)
    tell = told or (lambda _done: None)
    engine, now, settings = services.engine, services.now(), services.settings
    start, end, zones = _prepared(services, first, last)
    writer = VeventWriter(now, settings.oncall_phone)
    with private_text_files([path]) as (handle,):
        handle.write(ics_head(zones, settings, (first, last)))

        def walk(since: datetime, until: datetime) -> Callable[[Tell], Counter[str]]:
            def run(told_here: Tell) -> Counter[str]:
                return write_events(engine, since, until, writer, handle, told_here)

            return run

        middle = None
        if handle.seekable():  # a file, not a FIFO or a terminal
            behind = head_start(START_EVENTS, FORKED_START_EVENTS)
            middle = calendar_export.split_at(engine, start, end, lambda total: second_share(total, behind))
        if middle is None:
            counts = walk(start, end)(tell)
        else:

            def later(url: str, parts: tuple[str, ...]) -> IcsHalf:
                return IcsHalf(url, parts, middle, end, now, settings.oncall_phone)

            again = back_to_here(handle)
            counts = in_two(engine, path.parent, [handle], walk(start, middle), later, walk(start, end), again, tell, "events")
        handle.write(ICS_END)
    return counts["events"]


def write_events(engine: Engine, start: datetime, end: datetime, writer: VeventWriter, out: IO[str], tell: Tell) -> Counter[str]:
    """The VEVENTs of the steps starting in [start, end), written to `out`; `tell(n)` after each chunk."""
    from ccm_tui.store import calendar_export

    written = 0
    for chunk in calendar_export.export_chunks(engine, start, end):
        out.write(writer.vevents(chunk))
        written += len(chunk)
        tell(written)
    return Counter(events=written)


@dataclass(frozen=True)
class IcsHalf:
    """The later events of a large export, for the second process (services/export_half.py)."""

    url: str
    parts: tuple[str, ...]  # one: the VEVENTs after the first half's
    start: datetime
    end: datetime
    now: datetime  # the first half's DTSTAMP
    oncall_phone: str

    def run(self, engine: Engine, files: Sequence[IO[str]], tell: Tell) -> Counter[str]:
        return write_events(engine, self.start, self.end, VeventWriter(self.now, self.oncall_phone), files[0], tell)


def _prepared(services: Services, first: date, last: date) -> tuple[datetime, datetime, list[str]]:
    """The export's [start, end) from the CCM's days, and every site zone in the book (a VTIMEZONE each)."""
    from ccm_tui.store import calendar_export, calendar_flags
    from ccm_tui.store.calendar import local_midnight

    if not services.access.read_only:  # derived step columns filled in; a read-only session reads them as they are
        calendar_flags.derive_missing(services.engine, services.business_hours)
    zone = services.settings.time_zone
    start, end = local_midnight(first, zone), local_midnight(last + timedelta(days=1), zone)
    return start, end, calendar_export.site_zones(services.engine)


def ics_head(zones: Iterable[str], settings: Settings, days: tuple[date, date]) -> str:
    """The calendar's header and a VTIMEZONE per zone: what comes before the events."""
    return "".join(
        (
            "BEGIN:VCALENDAR\r\n",
            content_line("PRODID:" + text_value(PRODID)),
            "VERSION:2.0\r\n",
            "CALSCALE:GREGORIAN\r\n",
            "X-WR-CALNAME:ccm activations\r\n",
            content_line("X-WR-TIMEZONE:" + text_value(settings.time_zone)),
            *(vtimezone(zone, *days) for zone in zones),
        )
    )


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
    yield ics_head(zones, settings, days)
    writer = VeventWriter(now, settings.oncall_phone)
    for chunk in events:
        yield writer.vevents(chunk)
        if tally is not None:
            tally(len(chunk))
    yield ICS_END
