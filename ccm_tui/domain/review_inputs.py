"""Checking what a CCM types into the review forms: the review's type and
date, agenda items, minutes, attendees, action items and incidents.

Like `domain.validation`, each validator reads raw field text and returns a
frozen input or raises InvalidInput naming every bad field at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ccm_tui.domain.fields import in_book_range, multi_line, shown, typed_day
from ccm_tui.domain.incidents import SEVERITIES, IncidentKind
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.domain.service_review import ATTENDEE_SEPARATOR, split_attendees
from ccm_tui.domain.validation import Form, InvalidInput

MAX_ITEM_TEXT = 2000
MAX_DETAILS = 4000
MAX_MINUTES = 4000
MAX_ATTENDEES = 2000
MAX_SECTION = 64
MAX_ACTION = 1000
MAX_OWNER = 100
MAX_SUMMARY = 1000
REVIEW_DATE_RANGE_DAYS = 366  # a review is held within a year either side of today


@dataclass(frozen=True)
class ReviewSetup:
    kind: ReviewKind
    held_on: date
    cadence: ReviewCadence


@dataclass(frozen=True)
class AgendaItemInput:
    section: str
    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner: str
    due: date | None


@dataclass(frozen=True)
class IncidentInput:
    kind: IncidentKind
    severity: int
    summary: str
    opened_at: datetime  # UTC
    closed_at: datetime | None  # UTC


def validate_review_setup(values: Mapping[str, str], today: date) -> ReviewSetup:
    form = Form(values)
    form.required("kind", "review type")
    form.required("held_on", "review date")
    kind = form.parse("kind", _review_kind, ReviewKind.MONTHLY)
    held_on = form.parse("held_on", _review_day(today), today)
    cadence = form.parse("cadence", lambda t: ReviewCadence.parse(t or "monthly"), ReviewCadence.MONTHLY)
    form.finish()
    return ReviewSetup(kind=kind, held_on=held_on, cadence=cadence)


def validate_agenda_item(values: Mapping[str, str]) -> AgendaItemInput:
    form = Form(values)
    section = form.line("section", "section", MAX_SECTION, required=True)
    text = form.line("text", "item", MAX_ITEM_TEXT, required=True)
    raw_details = values.get("details") or ""
    details: tuple[str, ...] = ()
    try:
        lines = multi_line(raw_details, "details", len(raw_details)).split("\n")
    except ValueError as err:
        form.errors["details"] = str(err)
    else:
        details = tuple(line.rstrip() for line in lines if line.strip())
        if sum(len(line) + 1 for line in details) > MAX_DETAILS:
            form.errors["details"] = f"details are longer than {MAX_DETAILS} characters; shorten them"
    form.finish()
    return AgendaItemInput(section=" ".join(section.split()), text=" ".join(text.split()), details=details)


def validate_minutes(text: str) -> str:
    try:
        return multi_line(text.strip(), "minutes", MAX_MINUTES)
    except ValueError as err:
        raise InvalidInput({"minutes": str(err)}) from None


def validate_attendees(values: Mapping[str, str]) -> tuple[str, ...]:
    raw = values.get("attendees") or ""
    try:
        text = multi_line(raw, "attendees", len(raw))  # one per line is fine; control characters are not
    except ValueError as err:
        raise InvalidInput({"attendees": str(err)}) from None
    names = split_attendees(text)
    if len(ATTENDEE_SEPARATOR.join(names)) > MAX_ATTENDEES:
        raise InvalidInput({"attendees": f"attendees are longer than {MAX_ATTENDEES} characters"})
    return names


def validate_action(values: Mapping[str, str], held_on: date, today: date | None = None) -> ActionInput:
    """An action item; its due date may be words counted from `today` (`fields.typed_day`) when given."""
    form = Form(values)
    text = form.line("text", "action", MAX_ACTION, required=True)
    owner = form.line("owner", "owner", MAX_OWNER)
    due = form.parse("due", _due_after(held_on, today), None)
    form.finish()
    return ActionInput(text=" ".join(text.split()), owner=owner, due=due)


def validate_incident(values: Mapping[str, str], now: datetime, zone: str) -> IncidentInput:
    """Times are typed in the CCM's zone (`zone`) as YYYY-MM-DD HH:MM; stored in UTC."""
    form = Form(values)
    summary = form.line("summary", "summary", MAX_SUMMARY, required=True)
    kind = form.parse("kind", lambda t: _incident_kind(t or "incident"), IncidentKind.INCIDENT)
    severity = form.parse("severity", _severity, 3)
    form.required("opened_at", "opened")
    opened = form.parse("opened_at", _moment("opened", now, zone), now)
    closed = form.parse("closed_at", lambda t: _moment("closed", now, zone)(t) if t else None, None)
    if closed is not None and "opened_at" not in form.errors and closed < opened:
        form.errors["closed_at"] = "closed must be at or after opened"
    form.finish()
    return IncidentInput(kind=kind, severity=severity, summary=" ".join(summary.split()), opened_at=opened, closed_at=closed)


def parse_moment(text: str, zone: str) -> datetime:
    """'2026-11-20 14:30' (or a date alone, meaning 00:00) in `zone`, as UTC; an offset may follow the time."""
    text = text.strip().replace("T", " ")
    try:
        if not _MOMENT.fullmatch(text):
            raise ValueError(text)
        local = datetime.fromisoformat(text) if len(text) > 10 else datetime.combine(date.fromisoformat(text), time())
    except ValueError:
        raise ValueError(f"{shown(text)} is not a date and time; use YYYY-MM-DD HH:MM") from None
    in_book_range(local.date(), "the date")
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(zone))
    try:
        return local.astimezone(UTC)
    except OverflowError:  # pragma: no cover - the range check leaves a margin of years
        raise ValueError(f"{shown(text)} is out of range") from None


_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?")


# -- field parsers ------------------------------------------------------------------


def _review_kind(text: str) -> ReviewKind:
    try:
        return ReviewKind(text.strip().casefold())
    except ValueError:
        raise ValueError(f"unknown review type {shown(text)}: choose monthly, quarterly or executive") from None


def _review_day(today: date) -> Callable[[str], date]:
    def parse(text: str) -> date:
        day = typed_day(text, "review date", today)
        if abs((day - today).days) > REVIEW_DATE_RANGE_DAYS:
            raise ValueError(f"review date {day.isoformat()} is more than a year from today")
        return day

    return parse


def _due_after(held_on: date, today: date | None) -> Callable[[str], date | None]:
    def parse(text: str) -> date | None:
        if not text:
            return None
        day = typed_day(text, "due date", today)
        if day < held_on:
            raise ValueError(f"due date {day.isoformat()} is before the review ({held_on.isoformat()})")
        if (day - held_on).days > REVIEW_DATE_RANGE_DAYS:
            raise ValueError(f"due date {day.isoformat()} is more than a year after the review")
        return day

    return parse


def _severity(text: str) -> int:
    if text.strip() not in {str(s) for s in SEVERITIES}:
        raise ValueError(f"severity must be 1 (critical) to 4 (low), not {shown(text)}")
    return int(text)


def _incident_kind(text: str) -> IncidentKind:
    try:
        return IncidentKind(text.strip().casefold())
    except ValueError:
        raise ValueError(f"unknown kind {shown(text)}: choose incident or escalation") from None


def _moment(what: str, now: datetime, zone: str) -> Callable[[str], datetime]:
    def parse(text: str) -> datetime:
        try:
            moment = parse_moment(text, zone)
        except ValueError as err:
            raise ValueError(f"{what}: {err}") from None
        if moment > now:
            raise ValueError(f"{what} {text.strip()} is in the future")
        return moment

    return parse
