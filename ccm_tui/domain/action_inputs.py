"""The activation action forms' text, checked and typed.

A window is typed in the *site's* wall-clock time (that is how the customer
says it) and becomes UTC here. A wall time the site's clocks skip (the
spring-forward hour) is refused; one they pass twice (the fall-back hour)
means its first occurrence, as the help line says. Every validator raises
`InvalidInput` naming each bad field, like the book's forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ccm_tui.domain.validation import InvalidInput

MAX_WINDOW = timedelta(hours=24)
MAX_REASON = 900  # the history column holds 1000; room for the fee note


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


def _text(values: Mapping[str, str], name: str) -> str:
    return (values.get(name) or "").strip()


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date; use YYYY-MM-DD") from None


def _clock(text: str, what: str) -> time:
    try:
        parsed = time.fromisoformat(text if len(text) != 4 or ":" in text else f"{text[:2]}:{text[2:]}")
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a time; use HH:MM (24-hour), e.g. 09:30") from None
    return parsed.replace(second=0, microsecond=0)


def site_instant(day: date, clock: time, zone: str) -> datetime:
    """The UTC instant of a site's wall-clock time; ValueError if the clocks skip it."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, clock, tzinfo=tz)
    back = local.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError(
            f"{clock:%H:%M} does not exist on {day.isoformat()} in {zone}: the clocks go forward; "
            f"pick {back:%H:%M} or later"
        )
    return local.astimezone(UTC)


def validate_window(
    values: Mapping[str, str], zone: str, now: datetime, *, reason_required: bool = False
) -> WindowInput:
    """Fields `day`, `start`, `end` (site time; an end at or before the start is the next day) and `reason`."""
    errors: dict[str, str] = {}
    parsed: dict[str, object] = {}
    for name, what, parse in (("day", "day", _day), ("start", "start", _clock), ("end", "end", _clock)):
        text = _text(values, name)
        if not text:
            errors[name] = f"{what} is required"
            continue
        try:
            parsed[name] = parse(text, what)  # type: ignore[operator]
        except ValueError as err:
            errors[name] = str(err)
    reason = _text(values, "reason")
    if reason_required and not reason:
        errors["reason"] = "say why (it is kept in the activation's history)"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"reason is {len(reason)} characters; keep it under {MAX_REASON}"
    start = end = None
    if "day" in parsed and "start" in parsed:
        day, begins = parsed["day"], parsed["start"]
        assert isinstance(day, date) and isinstance(begins, time)
        try:
            start = site_instant(day, begins, zone)
        except ValueError as err:
            errors["start"] = str(err)
        else:
            if start <= now:
                site_now = now.astimezone(ZoneInfo(zone))
                errors["start"] = f"the window must start in the future (now it is {site_now:%Y-%m-%d %H:%M} at the site)"
        if start is not None and "end" in parsed:
            ends = parsed["end"]
            assert isinstance(ends, time)
            end_day = day if ends > begins else day + timedelta(days=1)
            try:
                end = site_instant(end_day, ends, zone)
            except ValueError as err:
                errors["end"] = str(err)
            else:
                if end - start > MAX_WINDOW:
                    errors["end"] = "a window is at most 24 hours"
    if errors:
        raise InvalidInput(errors)
    assert start is not None and end is not None
    return WindowInput(start=start, end=end, reason=reason)


def validate_ip_letter(values: Mapping[str, str], site_today: date, contact_ids: set[int]) -> IpLetterInput:
    """Fields `sent_on` (YYYY-MM-DD, not in the future) and `contact_id` (one of the customer's)."""
    errors: dict[str, str] = {}
    sent_on = site_today
    text = _text(values, "sent_on")
    if not text:
        errors["sent_on"] = "the date the letter was sent is required"
    else:
        try:
            sent_on = _day(text, "date")
        except ValueError as err:
            errors["sent_on"] = str(err)
        else:
            if sent_on > site_today:
                errors["sent_on"] = f"{sent_on.isoformat()} is in the future; record the letter once it is sent"
    contact_id = 0
    raw = _text(values, "contact_id")
    if not raw:
        errors["contact_id"] = "pick the contact the letter went to"
    else:
        try:
            contact_id = int(raw)
        except ValueError:
            errors["contact_id"] = "pick the contact the letter went to"
        else:
            if contact_id not in contact_ids:
                errors["contact_id"] = "that person is not a contact of this customer"
    if errors:
        raise InvalidInput(errors)
    return IpLetterInput(sent_on=sent_on, contact_id=contact_id)


def validate_traffic(values: Mapping[str, str], zone: str, now: datetime, not_before: datetime | None) -> TrafficInput:
    """Fields `day` and `time` (site time) when traffic first passed; not in the future."""
    errors: dict[str, str] = {}
    passed_at = now
    try:
        day = _day(_text(values, "day"), "day")
        clock = _clock(_text(values, "time"), "time")
        passed_at = site_instant(day, clock, zone)
    except ValueError as err:
        field = "time" if "time" in str(err) or "exist" in str(err) else "day"
        errors[field] = str(err)
    else:
        if passed_at > now:
            errors["time"] = "that is in the future; record traffic once it has passed"
        elif not_before is not None and passed_at < not_before:
            errors["time"] = "that is before the activation call started"
    if errors:
        raise InvalidInput(errors)
    return TrafficInput(passed_at=passed_at)
