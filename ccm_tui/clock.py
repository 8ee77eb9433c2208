"""The one clock: real time, or pinned by CCM_NOW for demos and tests.

Rules never read the time themselves; they are handed `clock.now()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

PINNED_DATE_TIME = time(9, 0)  # a bare CCM_NOW date means 09:00 local


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


def parse_pinned_now(text: str, zone: str) -> datetime:
    """Read CCM_NOW: an ISO date (09:00 local) or date-time (local unless it has an offset)."""
    text = text.strip()
    local = ZoneInfo(zone)
    try:
        try:  # a date alone, in any ISO form (2026-03-14, 20260314)
            moment = datetime.combine(date.fromisoformat(text), PINNED_DATE_TIME, local)
        except ValueError:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=local)
    except ValueError:
        raise ValueError(f"CCM_NOW={text!r} is not an ISO date (2026-03-14) or date-time (2026-03-14T16:30)") from None
    return moment.astimezone(UTC)


def clock_from_env(value: str | None, zone: str) -> Clock:
    return FixedClock(parse_pinned_now(value, zone)) if value else SystemClock()
