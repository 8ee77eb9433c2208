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

A VEVENT costs a few microseconds: an ASCII line (most are) is folded on
its text, not its octets, and what events share is worked out once (the
words of each status, kind and role, the CATEGORIES line of each service,
the local times). tests/test_ics_writer.py holds the writer as it was, one
`text_value` and `content_line` a property, and checks the two agree.

The icalendar library stays the reader that checks this output
(tests/test_ics.py, tests/test_ics_text.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ccm_tui.domain.model import Contact, ContactRole, StepKind, StepStatus
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
_KIND_WORDS = {kind: (kind.label.lower(), kind.value) for kind in StepKind}
_STATUS_WORDS = {(status, kind): status.label_for(kind) for status in StepStatus for kind in StepKind}
_HOUR = timedelta(hours=1)
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
    if line.isascii():  # most lines: an octet is a character, and the text need not be encoded
        return _fold_ascii(line)
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


def _fold_ascii(line: str) -> str:
    """content_line's folding for an ASCII line, on the text itself."""
    parts = []
    size, start, room = len(line), 0, LINE_OCTETS
    while size - start > room:
        end = start + room
        if line[end - 1] == "\\":  # keep an escape's backslash with its character
            last = end - 2
            while last >= start and line[last] == "\\":
                last -= 1
            if (end - 1 - last) % 2:
                end -= 1
        parts.append(line[start:end])
        start, room = end, LINE_OCTETS - 1
    parts.append(line[start:])
    return "\r\n ".join(parts) + "\r\n"


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
        self._stamp_line = f"DTSTAMP:{self.stamp}\r\n"
        self._after_hours = f"\nAfter hours: on-call manager {oncall_phone}"
        self._categories: dict[tuple[str, StepKind], str] = {}
        self._roles: dict[frozenset[ContactRole], str] = {}  # a book has a handful of role combinations

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
        return "".join(map(self.vevent, events))

    def vevent(self, event: ExportEvent) -> str:
        step, site = event.step, event.site
        start, kind, zone = step.start, step.kind, site.timezone
        assert start is not None
        end = step.end if step.end is not None and step.end > start else start + _HOUR
        label, kind_value = _KIND_WORDS[kind]
        categories = self._categories.get((event.service, kind))
        if categories is None:
            categories = content_line(f"CATEGORIES:{text_value(event.service)},{kind_value}")
            self._categories[event.service, kind] = categories
        summary = f"{event.service} {label}: {event.customer_name}, {site.name}"
        location = ", ".join([part for part in (site.name, site.address, site.city, site.country) if part])
        return "".join(
            (
                "BEGIN:VEVENT\r\n",
                content_line("SUMMARY:" + text_value(summary)),
                f"DTSTART;TZID={zone}:{self._local(start, zone)}\r\n",
                f"DTEND;TZID={zone}:{self._local(end, zone)}\r\n",
                self._stamp_line,
                # ids and the kind leave nothing to escape, and the line fits: written as it is
                f"UID:activation-{event.activation_id}-{kind_value}@{UID_DOMAIN}\r\n",
                f"SEQUENCE:{event.sequence}\r\n",
                categories,
                content_line("DESCRIPTION:" + text_value(self._description(event))),
                content_line("LOCATION:" + text_value(location)),
                f"STATUS:{_STATUS.get(step.status, 'TENTATIVE')}\r\n",
                "END:VEVENT\r\n",
            )
        )

    def _description(self, event: ExportEvent) -> str:
        """The DESCRIPTION's text, unescaped."""
        step = event.step
        text = (
            f"{event.customer_name} ({event.account_number}), order {event.order_number}\n"
            f"{event.service} {_KIND_WORDS[step.kind][0]} at {event.site.name}; "
            f"status: {_STATUS_WORDS[step.status, step.kind]}\n"
            f"Times are the site's ({event.site.timezone}).{self._contact_lines(event.contacts)}"
        )
        return text + self._after_hours if event.on_call else text

    def _contact_lines(self, contacts: tuple[Contact, ...]) -> str:
        """The listed contacts (those with a role the description names), a line each after "Contacts:"."""
        lines = []
        for contact in contacts:
            roles = self._roles.get(contact.roles)
            if roles is None:
                roles = self._roles[contact.roles] = ", ".join(w for r, w in _ROLE_WORDS.items() if r in contact.roles)
            if roles:
                phone, email = contact.phone, contact.email
                reach = f"{phone}, {email}" if phone and email else phone or email
                lines.append(f"\n- {contact.name} ({roles}): {reach}" if reach else f"\n- {contact.name} ({roles})")
        return "\nContacts:" + "".join(lines) if lines else ""
