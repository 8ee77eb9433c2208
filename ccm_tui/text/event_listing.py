"""`ccm events`: the calendar's events as one line each, or one JSON object each.

A line, for a person and for grep (columns padded with ASCII spaces; user
text last, so the columns before it line up):

    2026-11-24 10:00 EST   yours 16:00 CET        AL    confirmed  VPN activation    Acme Ltd (EMEA-1)  HQ, Paris FR

- the start at the site, with its zone's abbreviation;
- the start in the CCM's zone when it reads differently ("yours 16:00 CET";
  with the month and day when the date differs too), else blank;
- the calendar's markers (text/event_text.py): A after hours, weekend or
  holiday; L inside the late-change window; ! past CCD or ? CCD at risk;
  N not-ready risk;
- the status (as the calendar says it for the step), service and step,
  customer (account number), site, city and country.

Dates and times are ISO (2026-11-24 10:00, 24-hour), whatever the locale:
the listing is for scripts and grep as much as for reading.

A JSON line holds the same with instants in ISO 8601 (UTC, `Z`), the local
starts with their offsets, and each flag by name (see `event_object`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ccm_tui.domain.after_hours import HoursFlag
from ccm_tui.domain.model import StepKind, StepStatus
from ccm_tui.domain.schedule import CalendarEvent, CcdState
from ccm_tui.text.event_text import (
    AT_RISK_MARK,
    LATE_MARK,
    NOT_READY_MARK,
    ON_CALL_MARK,
    PAST_CCD_MARK,
)
from ccm_tui.text.markdown_escape import plain_line

# Widths that keep the columns in line (a longer zone abbreviation only pushes its line along).
_SITE_WIDTH = len("2026-11-24 10:00 AEDT")
_YOURS_WIDTH = len("yours 11-25 02:00 AEDT")
_MARKS_WIDTH = len("AL!N")
_STATUS_WIDTH = max(len(s.label_for(k)) for s in StepStatus for k in StepKind)
_WHAT_WIDTH = len("INTERNET installation")
_CACHE_LIMIT = 4096  # cached time strings: a month has a few thousand distinct starts; memory stays flat
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_CCD_WORDS = {CcdState.ON_TRACK: None, CcdState.PAST: "past", CcdState.AT_RISK: "at_risk"}


def marks(event: CalendarEvent) -> str:
    """The calendar's one-letter markers, in the legend's order: 'AL!N', 'A', ''."""
    facts = event.facts
    text = ON_CALL_MARK if facts.on_call else ""
    if facts.late:
        text += LATE_MARK
    if event.ccd_state is CcdState.PAST:
        text += PAST_CCD_MARK
    elif event.ccd_state is CcdState.AT_RISK:
        text += AT_RISK_MARK
    if facts.not_ready_risk:
        text += NOT_READY_MARK
    return text


def _plain(text: str) -> str:
    # Most names are printable already: plain_line would return them stripped, at a cost per character.
    return text.strip() if text.isprintable() else plain_line(text)


class EventLines:
    """Lines (or JSON lines) of events for a CCM whose own times are in `zone`.

    Times are cached per (instant, zone): a month of events has far fewer
    distinct starts than events.
    """

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self._local: dict[tuple[datetime, str], datetime] = {}
        self._times: dict[tuple[datetime, str], str] = {}
        self._zones: dict[str, ZoneInfo] = {}

    def _at(self, instant: datetime, zone: str) -> datetime:
        """The instant on the zone's wall clock."""
        key = (instant, zone)
        found = self._local.get(key)
        if found is None:
            if len(self._local) >= _CACHE_LIMIT:
                self._local.clear()
            tz = self._zones.get(zone)
            if tz is None:  # held: zoneinfo's own cache keeps only the last 8 zones
                tz = self._zones[zone] = ZoneInfo(zone)
            found = self._local[key] = instant.astimezone(tz)
        return found

    def _time_columns(self, instant: datetime, site_zone: str) -> str:
        """The site's start and, when it reads differently, the CCM's: the line's first two columns."""
        key = (instant, site_zone)
        found = self._times.get(key)
        if found is None:
            if len(self._times) >= _CACHE_LIMIT:
                self._times.clear()
            local, mine = self._at(instant, site_zone), self._at(instant, self.zone)
            at_site = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
            yours = ""
            if (f"{mine:%Y-%m-%d %H:%M}", mine.tzname()) != (f"{local:%Y-%m-%d %H:%M}", local.tzname()):
                day = "" if mine.date() == local.date() else f"{mine:%m-%d} "
                yours = f"yours {day}{mine:%H:%M} {mine.tzname()}"
            found = self._times[key] = f"{at_site:<{_SITE_WIDTH}}  {yours:<{_YOURS_WIDTH}}"
        return found

    def line(self, event: CalendarEvent) -> str:
        site, step = event.site, event.step
        what = f"{event.activation.service.value} {step.kind.value}"
        place = ", ".join(part for part in (_plain(site.name), _plain(site.city)) if part)
        return (
            f"{self._time_columns(event.start, site.timezone)}  {marks(event):<{_MARKS_WIDTH}}  "
            f"{step.status.label_for(step.kind):<{_STATUS_WIDTH}}  {what:<{_WHAT_WIDTH}}  "
            f"{_plain(event.customer_name)} ({_plain(event.account_number)})  {place} {site.country}\n"
        )

    def json_line(self, event: CalendarEvent) -> str:
        return _JSON.encode(self.event_object(event)) + "\n"

    def event_object(self, event: CalendarEvent) -> dict[str, Any]:
        """The event as JSON values: instants in UTC (`Z`), local starts with their offsets, flags by name."""
        site, step, facts = event.site, event.step, event.facts
        local = self._at(event.start, site.timezone)
        mine = self._at(event.start, self.zone)
        return {
            "start": _instant(event.start),
            "end": _instant(step.end) if step.end is not None else None,
            "site_start": local.isoformat(),
            "site_zone": site.timezone,
            "your_start": mine.isoformat(),
            "your_zone": self.zone,
            "step": step.kind.value,
            "status": step.status.value,
            "service": event.activation.service.value,
            "customer": event.customer_name,
            "account": event.account_number,
            "region": event.region.value,
            "ccm": event.ccm,
            "site": site.name,
            "city": site.city,
            "country": site.country,
            "order": event.order_number,
            "ccd": event.ccd.isoformat(),
            "flags": {
                "after_hours": HoursFlag.AFTER_HOURS in facts.hours_flags,
                "weekend": HoursFlag.WEEKEND in facts.hours_flags,
                "holiday": HoursFlag.HOLIDAY in facts.hours_flags,
                "late_change": facts.late,
                "ccd": _CCD_WORDS[event.ccd_state],
                "not_ready_risk": facts.not_ready_risk,
            },
            "marks": marks(event),
            "step_id": step.id,
            "activation_id": event.activation.id,
        }


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
