"""iCalendar export: each step a VEVENT a calendar program can keep in step.

- UID is stable per step (activation and step kind), so exporting again
  updates the event rather than adding a copy;
- SEQUENCE counts the changes to the step's window or status since it was
  requested, so a reschedule or cancellation wins over the older copy;
- DTSTART/DTEND carry the site's TZID, and a VTIMEZONE for each zone is
  included (RFC 5545), so the times stay right across DST changes;
- STATUS is TENTATIVE while requested, CONFIRMED once confirmed (and after),
  CANCELLED when cancelled or when it did not take place (not ready, no-show).

The text is produced a chunk of events at a time (the VTIMEZONEs of every
site zone in the book first), so a large export never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from ccm_tui.config import Settings
from ccm_tui.domain.model import ContactRole, StepStatus
from ccm_tui.domain.schedule import ExportEvent

PRODID = "-//ccm//activation calendar//EN"
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


def uid(activation_id: int, kind: str) -> str:
    return f"activation-{activation_id}-{kind}@{UID_DOMAIN}"


def ics_chunks(
    zones: Iterable[str], events: Iterable[Sequence[ExportEvent]], now: datetime, settings: Settings, days: tuple[date, date]
) -> Iterator[str]:
    """VCALENDAR text in pieces: the header and a VTIMEZONE per zone, then the events a chunk at a time, then the end."""
    stamp = now.astimezone(UTC)
    head = Calendar()
    head.add("prodid", PRODID)
    head.add("version", "2.0")
    head.add("calscale", "GREGORIAN")
    head.add("x-wr-calname", "ccm activations")
    head.add("x-wr-timezone", settings.time_zone)
    text = head.to_ical().decode("utf-8")
    opening, closing = text.split("END:VCALENDAR")
    yield opening
    first, last = days
    for zone in zones:
        vtimezone = Timezone.from_tzid(zone, first_date=first - timedelta(days=1), last_date=last + timedelta(days=1))
        yield vtimezone.to_ical().decode("utf-8")
    for chunk in events:
        yield "".join(vevent(event, stamp, settings).to_ical().decode("utf-8") for event in chunk)
    yield "END:VCALENDAR" + closing


def vevent(event: ExportEvent, stamp: datetime, settings: Settings) -> Event:
    step, site = event.step, event.site
    assert step.start is not None
    zone = ZoneInfo(site.timezone)
    end = step.end if step.end is not None and step.end > step.start else step.start + timedelta(hours=1)
    vevent = Event()
    vevent.add("uid", uid(event.activation_id, step.kind.value))
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", step.start.astimezone(zone))
    vevent.add("dtend", end.astimezone(zone))
    vevent.add("summary", f"{event.service} {step.kind.label.lower()}: {event.customer_name}, {site.name}")
    vevent.add("status", _STATUS.get(step.status, "TENTATIVE"))
    vevent.add("location", ", ".join(part for part in (site.name, site.address, site.city, site.country) if part))
    vevent.add("description", _description(event, settings))
    vevent.add("categories", [event.service, step.kind.value])
    return vevent


def _description(event: ExportEvent, settings: Settings) -> str:
    step = event.step
    lines = [
        f"{event.customer_name} ({event.account_number}), order {event.order_number}",
        f"{event.service} {step.kind.label.lower()} at {event.site.name}; status: {step.status.label_for(step.kind)}",
        f"Times are the site's ({event.site.timezone}).",
    ]
    contacts = [c for c in event.contacts if c.roles & set(_ROLE_WORDS)]
    if contacts:
        lines.append("Contacts:")
        for contact in contacts:
            roles = ", ".join(words for role, words in _ROLE_WORDS.items() if role in contact.roles)
            reach = ", ".join(part for part in (contact.phone, contact.email) if part)
            lines.append(f"- {contact.name} ({roles}){': ' + reach if reach else ''}")
    if event.on_call:
        lines.append(f"After hours: on-call manager {settings.oncall_phone}")
    return "\n".join(lines)
