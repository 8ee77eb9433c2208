"""Hours of customer-success work used in a month, against the package.

The customer's service package buys a number of hours a month; the CCM is
warned when the month's logged time nears the limit and told when it is over.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from ccm_tui.domain.model import TaskCategory, TimeEntry


class HoursLevel(enum.StrEnum):
    OK = "ok"
    NEAR = "near"
    OVER = "over"


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


def hours_usage(
    entries: Iterable[TimeEntry], package: Decimal, month: date, warning_ratio: float = 0.8
) -> HoursUsage:
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
