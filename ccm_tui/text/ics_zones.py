"""VTIMEZONE text for the export (RFC 5545 3.6.5): the offsets a zone has over the days exported.

The text is the icalendar library's (`Timezone.from_tzid(zone, first_date, last_date).to_ical()`,
which ccm wrote before): the same search for where each offset ends, the same components and
property order. Written here, an export need not import the library (about 50 ms of a 30-day export)
and the search stops at a horizon past the range rather than the year 9999: for a zone without
daylight saving time the library walks on until the dates run out, some 50,000 steps, 10 ms a zone.
tests/test_ics_zones.py checks the text is the library's, zone by zone, for ranges of every kind.

The search (the library's): from the first day, step ahead 64 days, then 32, ... then a second, while
the offset holds; where it stops, a new offset starts. Each offset, with the one before it, its name
and whether it is standard time, is one component: its first start is DTSTART, the others RDATEs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ccm_tui.text.ics_text import text_value

_STEPS = (
    *(timedelta(days=days) for days in (64, 32, 16, 8, 4, 2, 1)),
    timedelta(hours=4),
    timedelta(hours=1),
    timedelta(minutes=20),
    timedelta(minutes=5),
    timedelta(minutes=1),
    timedelta(seconds=20),
    timedelta(seconds=5),
    timedelta(seconds=1),
)
# A step starts from a time the search has found with the offset, and is at most 64 days: one that
# reaches past this is only taken once the offset holds past the range, when the search is done.
_HORIZON = timedelta(days=66)
_NO_TIME = timedelta(0)
_LINE_OCTETS = 75
Key = tuple[timedelta | None, timedelta, str, bool]  # offset before, offset, name, standard time


def vtimezone(zone: str, first: date, last: date) -> str:
    """The VTIMEZONE of `zone` for an export of the days `first`..`last` (a day's margin each side)."""
    first_date, last_date = first - timedelta(days=1), last + timedelta(days=1)
    lines = [
        "BEGIN:VTIMEZONE\r\n",
        _line("TZID:" + text_value(zone)),
        _line(f"COMMENT:This timezone only works from {first_date} to {last_date}."),
    ]
    for (offset_from, offset_to, name, standard), starts in _offsets(ZoneInfo(zone), first_date, last_date).items():
        first_start = min(starts)
        starts.remove(first_start)
        if first_start.date() == last_date:
            first_start = datetime(last_date.year, last_date.month, last_date.day)
        kind = "STANDARD" if standard else "DAYLIGHT"
        lines.append(f"BEGIN:{kind}\r\nDTSTART:{_stamp(first_start)}\r\n")
        if starts:
            lines.append(_line("RDATE:" + ",".join(map(_stamp, starts))))
        lines.append(_line("TZNAME:" + text_value(name)))
        lines.append(f"TZOFFSETFROM:{_offset(offset_to if offset_from is None else offset_from)}\r\n")
        lines.append(f"TZOFFSETTO:{_offset(offset_to)}\r\nEND:{kind}\r\n")
    lines.append("END:VTIMEZONE\r\n")
    return "".join(lines)


def _offsets(zone: ZoneInfo, first_date: date, last_date: date) -> dict[Key, list[datetime]]:
    """Each offset in the range, with the local times it starts at (the library's search)."""
    start = datetime(first_date.year, first_date.month, first_date.day, tzinfo=zone)
    last = datetime(last_date.year, last_date.month, last_date.day, tzinfo=zone)
    horizon = last + _HORIZON  # compared on the wall clock: the same zone
    offsets: dict[Key, list[datetime]] = defaultdict(list)
    offset_to = None
    while start < last:
        offset_from, end = offset_to, start
        offset_to = end.utcoffset()
        assert offset_to is not None
        for step in _STEPS:
            last_end, end = end, end + step
            while end <= horizon and end.utcoffset() == offset_to:
                last_end, end = end, end + step
            if end > horizon:  # the library's search runs out of dates here, and stops
                break
            end = last_end
        name = start.tzname()
        if name is None:
            name = str(offset_to)
        offsets[offset_from, offset_to, name, start.dst() == _NO_TIME].append(start.replace(tzinfo=None))
        start = end + _STEPS[-1]
    return offsets


def _stamp(moment: datetime) -> str:
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


def _line(line: str) -> str:
    """`line` folded as the library folds it: 74 octets a line (the first too), an escape kept whole."""
    parts: list[str] = []
    part: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if part and size + octets >= _LINE_OCTETS:
            carried = [part.pop()] if len(part) > 1 and part[-1] in "\\^" else []
            parts.append("".join(part))
            part, size = carried, sum(len(c.encode("utf-8")) for c in carried)
        part.append(char)
        size += octets
    parts.append("".join(part))
    return "\r\n ".join(parts) + "\r\n"


def _offset(offset: timedelta) -> str:
    """A UTC-OFFSET value: +0530, -0500, +001730 when it has seconds."""
    sign = "-" if offset < _NO_TIME else "+"
    seconds = int(abs(offset).total_seconds())
    hours, minutes, seconds = seconds // 3600, seconds // 60 % 60, seconds % 60
    return f"{sign}{hours:02}{minutes:02}{seconds:02}" if seconds else f"{sign}{hours:02}{minutes:02}"
