"""Hours of customer-success work used in a month, against the package.

The customer's service package buys a number of hours a month; the CCM is
warned when the month's logged time nears the limit and told when it is over.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from ccm_tui.domain.model import TaskCategory, TimeEntry


class HoursLevel(enum.StrEnum):
    OK = "ok"
    NEAR = "near"
    OVER = "over"


def hours_from_minutes(value: int) -> Decimal:
    """Minutes (as the book stores them) to hours with two decimals (20 minutes shows as 0.33 h)."""
    return (Decimal(value) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_start(day: date) -> date:
    return day.replace(day=1)


def hours_level(used: Decimal, package: Decimal, warning_ratio: float = 0.8) -> HoursLevel:
    """OVER beyond the package, NEAR from `warning_ratio` of it up to exactly all of it.

    A package of zero hours means any logged time is an overrun.
    """
    if used > package:
        return HoursLevel.OVER
    # str() keeps 0.8 as Decimal("0.8"), not its binary approximation.
    if package > 0 and used >= package * Decimal(str(warning_ratio)):
        return HoursLevel.NEAR
    return HoursLevel.OK


@dataclass(frozen=True)
class HoursUsage:
    month: date  # first day of the month
    used: Decimal
    package: Decimal
    by_category: Mapping[TaskCategory, Decimal]  # only categories with time, in catalogue order
    level: HoursLevel

    @property
    def left(self) -> Decimal:
        """Hours still in the package; negative once it is overrun."""
        return self.package - self.used


def hours_usage(entries: Iterable[TimeEntry], package: Decimal, month: date, warning_ratio: float = 0.8) -> HoursUsage:
    """The month's usage from the entries given; entries of other months are ignored."""
    first = month_start(month)
    totals: dict[TaskCategory, Decimal] = {}
    for entry in entries:
        if month_start(entry.day) == first:
            totals[entry.category] = totals.get(entry.category, Decimal(0)) + entry.hours
    by_category = {category: totals[category] for category in TaskCategory if category in totals}
    used = sum(by_category.values(), Decimal(0))
    return HoursUsage(
        month=first,
        used=used,
        package=package,
        by_category=MappingProxyType(by_category),
        level=hours_level(used, package, warning_ratio),
    )


def days_in_month(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - month_start(day)).days


def projected_hours(used: Decimal, today: date, month: date) -> Decimal:
    """Hours the month will end with at the pace so far: used / elapsed days * days in the month.

    `today` counts as elapsed (time is logged as it is spent). A month
    already over is what was used; a month not started projects nothing.
    The arithmetic only: `burn_down` decides whether it is worth saying.
    """
    elapsed = elapsed_days(today, month)
    if not elapsed:
        return Decimal(0)
    return (used / elapsed * days_in_month(month)).quantize(Decimal("0.01"))


# The pace is judged once a whole week of the month has passed. Any 7 days in a row hold each weekday once
# and one weekend, so wherever the month starts (a Saturday the 1st, or a Monday) a busy first morning or an
# empty weekend cannot swing it; on the 1st, 3 h logged "projected" 90 h. It is about a quarter of any month,
# February's 28 days included.
MIN_DAYS_TO_PROJECT = 7


def elapsed_days(today: date, month: date) -> int:
    """Days of the month gone by, `today` included (time is logged as it is spent); 0 before it starts."""
    first = month_start(month)
    return 0 if today < first else min((today - first).days + 1, days_in_month(first))


@dataclass(frozen=True)
class BurnDown:
    """A month's hours against the package, and where the current pace ends."""

    usage: HoursUsage
    elapsed_days: int
    days_in_month: int
    projected: Decimal | None  # None: too early to judge, or the month is over and `usage.used` is final
    projected_level: HoursLevel  # the projection's level; without one, the usage's

    @property
    def too_early(self) -> bool:
        """Fewer than MIN_DAYS_TO_PROJECT days gone by: the pace says nothing yet, so none is shown."""
        return self.elapsed_days < MIN_DAYS_TO_PROJECT

    @property
    def projected_over_by(self) -> Decimal:
        return Decimal(0) if self.projected is None else max(self.projected - self.usage.package, Decimal(0))


def burn_down(usage: HoursUsage, today: date, warning_ratio: float = 0.8) -> BurnDown:
    length = days_in_month(usage.month)
    elapsed = elapsed_days(today, usage.month)
    judged = MIN_DAYS_TO_PROJECT <= elapsed < length
    projected = projected_hours(usage.used, today, usage.month) if judged else None
    return BurnDown(
        usage=usage,
        elapsed_days=elapsed,
        days_in_month=length,
        projected=projected,
        projected_level=usage.level if projected is None else hours_level(projected, usage.package, warning_ratio),
    )
