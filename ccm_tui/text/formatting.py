"""Babel at the edge: every date, time, number and amount a user reads.

Each function takes the Locale explicitly (from Settings); nothing here
touches the process locale. babel's formatters are imported where used: the
app's first frame formats nothing, and they cost it ~10 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from zoneinfo import ZoneInfo

from babel import Locale

from ccm_tui.domain.model import Money

# `date` below the method of that name means the method: the type goes by this name there.
_Day = date


@dataclass(frozen=True)
class Formatter:
    locale_name: str = "en_US"

    @cached_property
    def locale(self) -> Locale:
        try:
            return Locale.parse(self.locale_name)
        except (ValueError, TypeError):
            return Locale.parse("en_US")

    def money(self, money: Money) -> str:
        from babel.numbers import format_currency

        return format_currency(money.amount, money.currency, locale=self.locale)

    def number(self, value: Decimal | int | float, places: int = 1) -> str:
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "#" * places if places else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def hours(self, value: Decimal) -> str:
        return self.number(value, 2)

    def date(self, day: date) -> str:
        from babel.dates import format_date

        return format_date(day, "medium", locale=self.locale)

    def day_short(self, day: _Day) -> str:
        """Weekday and day, e.g. 'Tue 24 Nov' (locale-ordered)."""
        from babel.dates import format_date

        return format_date(day, self.locale.datetime_skeletons["MMMEd"].pattern, locale=self.locale)

    def weekday_date(self, day: _Day) -> str:
        """'Fri, Nov 27, 2026' (en_US), 'Fri, 27 Nov 2026' (en_GB): the day a date field names."""
        from babel.dates import format_date

        return format_date(day, self.locale.datetime_skeletons["yMMMEd"].pattern, locale=self.locale)

    def date_long(self, day: _Day) -> str:
        from babel.dates import format_date

        return format_date(day, "full", locale=self.locale)

    def local(self, instant: datetime, zone: str) -> datetime:
        return instant.astimezone(ZoneInfo(zone))

    def time_in(self, instant: datetime, zone: str) -> str:
        """'10:00 EST' style: always with the zone's abbreviation."""
        from babel.dates import format_time

        local = self.local(instant, zone)
        return f"{format_time(local, 'short', locale=self.locale)} {local.strftime('%Z')}"

    def when_in(self, instant: datetime, zone: str) -> str:
        """'Tue 24 Nov 10:00 EST': an event's start in a site's zone."""
        local = self.local(instant, zone)
        return f"{self.day_short(local.date())} {self.time_in(instant, zone)}"

    def when_in_short(self, instant: datetime, zone: str) -> str:
        """'24 Nov 10:00 EST': `when_in` without the weekday, for a narrow column."""
        from babel.dates import format_date

        local = self.local(instant, zone)
        day = format_date(local.date(), self.locale.datetime_skeletons["MMMd"].pattern, locale=self.locale)
        return f"{day} {self.time_in(instant, zone)}"

    def zone_at(self, zone: str, instant: datetime) -> str:
        """'Europe/Berlin · CET': a site's zone, and its abbreviation at `instant` (CEST in summer)."""
        abbreviation = self.local(instant, zone).strftime("%Z")
        return f"{zone} · {abbreviation}" if abbreviation and abbreviation != zone else zone

    def zone_name(self, zone: str) -> str:
        from babel.dates import get_timezone_name

        return get_timezone_name(ZoneInfo(zone), locale=self.locale)
