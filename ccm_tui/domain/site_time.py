"""Wall-clock times at a site, as files write them, and the instants they mean.

Files carry activation windows the way a CCM talks about them: the site's
local date and time ("2026-11-23T09:00" in New York). The book stores UTC.
A local time the clocks skip (spring forward) does not exist and is refused;
one they show twice (fall back) means its first occurrence unless the text
gives its UTC offset, which export writes only for those times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ccm_tui.domain.fields import in_book_range, shown

# ISO 8601 in ASCII: a date, `T` or a space, hours and minutes, perhaps seconds, then `Z` or an offset.
_LOCAL_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)


@dataclass(frozen=True)
class LocalTime:
    """A date and time as read from a file: the site's wall clock, or an explicit offset."""

    wall: datetime  # naive
    offset: timedelta | None = None

    @property
    def text(self) -> str:
        return _wall_text(self.wall) + ("" if self.offset is None else _offset_text(self.offset))


def parse_local_time(text: str, what: str) -> LocalTime:
    """`YYYY-MM-DDTHH:MM[:SS]` (a space for the T is fine), optionally with `Z` or `+HH:MM`."""
    cleaned = text.strip()
    try:
        parsed = datetime.fromisoformat(cleaned) if _LOCAL_TIME.fullmatch(cleaned) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"{what} {shown(text)} is not a date and time; use YYYY-MM-DDTHH:MM in the site's local time")
    in_book_range(parsed.date(), what)
    offset = parsed.utcoffset()
    return LocalTime(parsed.replace(tzinfo=None), offset)


def site_instant(local: LocalTime, zone: str) -> datetime:
    """The UTC instant `local` names at a site in `zone`; ValueError if there is none."""
    tz = ZoneInfo(zone)
    try:
        if local.offset is not None:
            instant = local.wall.replace(tzinfo=timezone(local.offset))
            if instant.astimezone(tz).replace(tzinfo=None) != local.wall:
                raise ValueError(
                    f"{local.text}: {zone} is not at UTC{_offset_text(local.offset)} then; "
                    "leave the offset out to mean the site's clock"
                )
            return instant.astimezone(UTC)
        first = local.wall.replace(tzinfo=tz)  # fold=0: the first of a repeated hour
        back = first.astimezone(UTC).astimezone(tz)
    except OverflowError:  # the first or last day there is, moved to UTC
        raise ValueError(f"{local.text} is out of range in {zone}") from None
    if back.replace(tzinfo=None) != local.wall:
        raise ValueError(f"{local.text} does not exist in {zone}: the clocks go forward over it; pick {back:%H:%M} or later")
    return first.astimezone(UTC)


def site_time_text(instant: datetime, zone: str) -> str:
    """The instant on the site's wall clock, as `site_instant` reads it back."""
    tz = ZoneInfo(zone)
    local = instant.astimezone(tz)
    wall = local.replace(tzinfo=None)
    other = wall.replace(tzinfo=tz, fold=1 - local.fold)
    if other.utcoffset() != local.utcoffset():
        # The clocks show this time twice: only the offset says which one.
        offset = local.utcoffset()
        assert offset is not None
        return _wall_text(wall) + _offset_text(offset)
    return _wall_text(wall)


def _wall_text(wall: datetime) -> str:
    if wall.microsecond:
        return wall.isoformat()
    return wall.isoformat(timespec="seconds" if wall.second else "minutes")


def _offset_text(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
