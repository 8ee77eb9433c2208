"""The activation action forms' text, checked and typed.

A window is typed in the *site's* wall-clock time (that is how the customer
says it) and becomes UTC here. A wall time the site's clocks skip (the
spring-forward hour) is refused; one they pass twice (the fall-back hour)
means its first occurrence, as the help line says. Every validator raises
`InvalidInput` naming each bad field, like the book's forms.

The rules a value must meet whichever door it comes in by (the CSV import
too) are functions here that take typed values: `check_window_length`,
`check_traffic`, `check_letter_day`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ccm_tui.domain.fields import shown, single_line, typed_day, whole_number
from ccm_tui.domain.site_time import LocalTime, site_instant
from ccm_tui.domain.validation import InvalidInput

MAX_WINDOW = timedelta(hours=24)
MAX_REASON = 900  # the history column holds 1000; room for the fee note
# 09:30 or 0930 (seconds, if typed, are dropped); ASCII digits only
_CLOCK = re.compile(r"([0-9]{2}):?([0-9]{2})(?::[0-9]{2})?")


@dataclass(frozen=True, slots=True)
class WindowInput:
    start: datetime  # UTC
    end: datetime  # UTC
    reason: str


@dataclass(frozen=True, slots=True)
class IpLetterInput:
    sent_on: date
    contact_id: int


@dataclass(frozen=True, slots=True)
class TrafficInput:
    passed_at: datetime  # UTC


# -- the rules every door shares ------------------------------------------------------


def check_window_length(start: datetime, end: datetime) -> None:
    """ValueError if a window (UTC instants, end after start) is longer than MAX_WINDOW."""
    if end - start > MAX_WINDOW:
        raise ValueError("a window is at most 24 hours")


def check_traffic(passed_at: datetime, now: datetime, not_before: datetime | None) -> None:
    """Traffic is recorded once it has passed, and not before the activation call began."""
    if passed_at > now:
        raise ValueError("that is in the future; record traffic once it has passed")
    if not_before is not None and passed_at < not_before:
        raise ValueError("that is before the activation call started")


def check_letter_day(sent_on: date, site_today: date) -> None:
    """The IP configuration letter is recorded once it is sent (the site's today)."""
    if sent_on > site_today:
        raise ValueError(f"{sent_on.isoformat()} is in the future; record the letter once it is sent")


# -- field parsers ----------------------------------------------------------------------


def _text(values: Mapping[str, str], name: str) -> str:
    return (values.get(name) or "").strip()


def parse_clock(text: str, what: str) -> time:
    """A form's time of day: HH:MM (24-hour) or HHMM; seconds, if typed, are dropped."""
    found = _CLOCK.fullmatch(text)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ValueError(f"{what} {shown(text)} is not a time; use HH:MM (24-hour), e.g. 09:30")
    return time(int(found[1]), int(found[2]))


def _at_site(day: date, clock: time, zone: str) -> datetime:
    """The UTC instant of a site's wall-clock time; ValueError if the clocks skip it."""
    return site_instant(LocalTime(datetime.combine(day, clock)), zone)


# -- the forms --------------------------------------------------------------------------


def validate_window(values: Mapping[str, str], zone: str, now: datetime, *, reason_required: bool = False) -> WindowInput:
    """Fields `day`, `start`, `end` (site time; an end at or before the start is the next day) and `reason`.

    The day may be words (`tomorrow`, `fri`): they count from the site's today, as the times are the site's.
    """
    site_today = now.astimezone(ZoneInfo(zone)).date()
    errors: dict[str, str] = {}
    day: date | None = None
    begins: time | None = None
    ends: time | None = None
    for name, what in (("day", "day"), ("start", "start"), ("end", "end")):
        text = _text(values, name)
        if not text:
            errors[name] = f"{what} is required"
            continue
        try:
            if name == "day":
                day = typed_day(text, what, site_today)
            elif name == "start":
                begins = parse_clock(text, what)
            else:
                ends = parse_clock(text, what)
        except ValueError as err:
            errors[name] = str(err)
    reason = _text(values, "reason")
    if reason_required and not reason:
        errors["reason"] = "say why (it is kept in the activation's history)"
    else:
        try:
            single_line(reason, "reason", MAX_REASON)
        except ValueError as err:
            errors["reason"] = str(err)
    start = end = None
    if day is not None and begins is not None:
        try:
            start = _at_site(day, begins, zone)
        except ValueError as err:
            errors["start"] = str(err)
        else:
            if start <= now:
                site_now = now.astimezone(ZoneInfo(zone))
                errors["start"] = f"the window must start in the future (now it is {site_now:%Y-%m-%d %H:%M} at the site)"
        if start is not None and ends is not None:
            end_day = day if ends > begins else day + timedelta(days=1)
            try:
                end = _at_site(end_day, ends, zone)
                check_window_length(start, end)
            except ValueError as err:
                errors["end"] = str(err)
    if errors:
        raise InvalidInput(errors)
    assert start is not None and end is not None
    return WindowInput(start=start, end=end, reason=reason)


def validate_ip_letter(values: Mapping[str, str], site_today: date, contact_ids: set[int]) -> IpLetterInput:
    """Fields `sent_on` (the site's date, not in the future; words count from `site_today`) and `contact_id`."""
    errors: dict[str, str] = {}
    sent_on = site_today
    text = _text(values, "sent_on")
    if not text:
        errors["sent_on"] = "the date the letter was sent is required"
    else:
        try:
            sent_on = typed_day(text, "date", site_today)
            check_letter_day(sent_on, site_today)
        except ValueError as err:
            errors["sent_on"] = str(err)
    contact_id = 0
    try:
        contact_id = whole_number(_text(values, "contact_id"), "contact", 1, 2**62)
    except ValueError:
        errors["contact_id"] = "pick the contact the letter went to"
    else:
        if contact_id not in contact_ids:
            errors["contact_id"] = "that person is not a contact of this customer"
    if errors:
        raise InvalidInput(errors)
    return IpLetterInput(sent_on=sent_on, contact_id=contact_id)


def validate_traffic(values: Mapping[str, str], zone: str, now: datetime, not_before: datetime | None) -> TrafficInput:
    """Fields `day` and `time` (site time) when traffic first passed; not in the future.

    The day may be words (`yesterday`, `last fri`), counted from the site's today.
    """
    site_today = now.astimezone(ZoneInfo(zone)).date()
    errors: dict[str, str] = {}
    day: date | None = None
    clock: time | None = None
    for name in ("day", "time"):
        text = _text(values, name)
        if not text:
            errors[name] = f"{name} is required"
            continue
        try:
            if name == "day":
                day = typed_day(text, name, site_today)
            else:
                clock = parse_clock(text, name)
        except ValueError as err:
            errors[name] = str(err)
    passed_at = now
    if day is not None and clock is not None:
        try:
            passed_at = _at_site(day, clock, zone)
            check_traffic(passed_at, now, not_before)
        except ValueError as err:
            errors["time"] = str(err)
    if errors:
        raise InvalidInput(errors)
    return TrafficInput(passed_at=passed_at)
