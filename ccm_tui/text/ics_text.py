"""iCalendar (RFC 5545) text for the export, written directly: a VEVENT is a
few content lines, and building each through the icalendar library's
objects cost about 1 ms an event (two thirds of a 90-day export).

What RFC 5545 asks of the text, and how it is met here:

- TEXT values escape backslash, semicolon and comma with a backslash and
  write a line break as `\\n` (section 3.3.11); a CR LF or a lone CR is a
  line break too. Other control characters are not allowed in TEXT and are
  left out (a tab is kept).
- Content lines end in CR LF and are folded to at most 75 octets (section
  3.1): the first line holds 75 octets, each continuation a space and 74.
  A fold never splits a UTF-8 character, nor a backslash from the character
  it escapes (some readers unfold a `\\` at a line end wrongly).

The icalendar library stays the reader that checks this output
(tests/test_ics.py, tests/test_ics_text.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ccm_tui.domain.model import ContactRole, StepStatus
from ccm_tui.domain.schedule import ExportEvent

LINE_OCTETS = 75
_TIMES_KEPT = 8192  # local times remembered (memory stays flat on any range)
UID_DOMAIN = "ccm-tui"
_STATUS = {
    StepStatus.REQUESTED: "TENTATIVE",
    StepStatus.CONFIRMED: "CONFIRMED",
    StepStatus.VALIDATED: "CONFIRMED",
    StepStatus.COMPLETED: "CONFIRMED",
    StepStatus.NOT_READY: "CANCELLED",
    StepStatus.NO_SHOW: "CANCELLED",
    StepStatus.CANCELLED: "CANCELLED",
}
_ROLE_WORDS = {
    ContactRole.DESIGNATED: "designated contact",
    ContactRole.SITE_TECHNICAL: "site technical contact",
    ContactRole.AUTHORISED: "authorised contact",
}
_LISTED_ROLES = frozenset(_ROLE_WORDS)
_BACKSLASH = ord("\\")


def uid(activation_id: int, kind: str) -> str:
    """Stable per step, so exporting again updates the event in a calendar program rather than copying it."""
    return f"activation-{activation_id}-{kind}@{UID_DOMAIN}"


def text_value(value: str) -> str:
    """A TEXT value, escaped (RFC 5545 3.3.11); control characters other than tab left out."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\n", "\\n")
    if not value.isprintable():  # rare: the check is in C, the filter per character
        value = "".join(ch for ch in value if ch == "\t" or unicodedata.category(ch) != "Cc")
    return value


def content_line(line: str) -> str:
    """`line` folded to 75 octets a line (RFC 5545 3.1), with its CR LF."""
    if len(line) <= LINE_OCTETS and (line.isascii() or len(line.encode("utf-8")) <= LINE_OCTETS):
        return line + "\r\n"
    data = line.encode("utf-8")
    parts = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: fold before its character
            end -= 1
        last = end - 1
        while last >= start and data[last] == _BACKSLASH:
            last -= 1
        if (end - 1 - last) % 2:  # the line would end on an escaping backslash: keep the pair together
            end -= 1
        parts.append(data[start:end])
        start, room = end, LINE_OCTETS - 1  # a continuation starts with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form: 20261120T203000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class VeventWriter:
    """VEVENT text for the export's events, stamped `stamp` (DTSTAMP)."""

    def __init__(self, stamp: datetime, oncall_phone: str) -> None:
        self.stamp = utc_stamp(stamp)
        self.oncall_phone = oncall_phone
        self._zones: dict[str, ZoneInfo] = {}  # held: zoneinfo's own cache keeps only the last 8
        self._times: dict[tuple[datetime, str], str] = {}

    def _local(self, instant: datetime, zone: str) -> str:
        """`instant` as a local DATE-TIME in `zone`; remembered, as events share their starts and ends."""
        found = self._times.get((instant, zone))
        if found is None:
            if len(self._times) >= _TIMES_KEPT:
                self._times.clear()
            tz = self._zones.get(zone)
            if tz is None:
                tz = self._zones[zone] = ZoneInfo(zone)
            found = self._times[instant, zone] = instant.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        return found

    def vevents(self, events: Iterable[ExportEvent]) -> str:
        return "".join(self.vevent(event) for event in events)

    def vevent(self, event: ExportEvent) -> str:
        step, site = event.step, event.site
        assert step.start is not None
        end = step.end if step.end is not None and step.end > step.start else step.start + timedelta(hours=1)
        zone = site.timezone
        summary = f"{event.service} {step.kind.label.lower()}: {event.customer_name}, {site.name}"
        location = ", ".join(part for part in (site.name, site.address, site.city, site.country) if part)
        lines = (
            "BEGIN:VEVENT\r\n",
            content_line("SUMMARY:" + text_value(summary)),
            f"DTSTART;TZID={zone}:{self._local(step.start, zone)}\r\n",
            f"DTEND;TZID={zone}:{self._local(end, zone)}\r\n",
            f"DTSTAMP:{self.stamp}\r\n",
            content_line("UID:" + text_value(uid(event.activation_id, step.kind.value))),
            f"SEQUENCE:{event.sequence}\r\n",
            content_line(f"CATEGORIES:{text_value(event.service)},{text_value(step.kind.value)}"),
            content_line("DESCRIPTION:" + text_value(self._description(event))),
            content_line("LOCATION:" + text_value(location)),
            f"STATUS:{_STATUS.get(step.status, 'TENTATIVE')}\r\n",
            "END:VEVENT\r\n",
        )
        return "".join(lines)

    def _description(self, event: ExportEvent) -> str:
        step = event.step
        lines = [
            f"{event.customer_name} ({event.account_number}), order {event.order_number}",
            f"{event.service} {step.kind.label.lower()} at {event.site.name}; status: {step.status.label_for(step.kind)}",
            f"Times are the site's ({event.site.timezone}).",
        ]
        contacts = [c for c in event.contacts if c.roles & _LISTED_ROLES]
        if contacts:
            lines.append("Contacts:")
            for contact in contacts:
                roles = ", ".join(words for role, words in _ROLE_WORDS.items() if role in contact.roles)
                reach = ", ".join(part for part in (contact.phone, contact.email) if part)
                lines.append(f"- {contact.name} ({roles}){': ' + reach if reach else ''}")
        if event.on_call:
            lines.append(f"After hours: on-call manager {self.oncall_phone}")
        return "\n".join(lines)
