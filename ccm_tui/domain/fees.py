"""Cancellation fees for late changes and customers who are not ready.

The amounts are data (a TOML file the user can edit), per region, per site,
with or without field dispatch. A region without a schedule is an error the
CCM sees ("no fee schedule for EMEA"), never a silent zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from ccm_tui.domain.calendar import SiteCalendar
from ccm_tui.domain.model import Money, Region

# (site_id, site_name, calendar, field_dispatch): one site scheduled in the event.
EventSite = tuple[int, str, SiteCalendar, bool]

_CURRENCY = re.compile(r"[A-Z]{3}")
_REGION_KEYS = ("currency", "with_dispatch", "without_dispatch")


class NoFeeSchedule(LookupError):
    """The region has no fee schedule, so no fee can be quoted."""

    def __init__(self, region: Region) -> None:
        super().__init__(f"no fee schedule for {region.label}")
        self.region = region


class FeeScheduleError(ValueError):
    """The fee schedule data is wrong; `where` names the key path (or file and line)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class RegionFees:
    currency: str
    with_dispatch: Decimal
    without_dispatch: Decimal


@dataclass(frozen=True)
class FeeSchedule:
    regions: Mapping[Region, RegionFees]

    @classmethod
    def from_mapping(cls, data: Mapping) -> FeeSchedule:
        """Build a schedule from the parsed TOML (`[regions.NA]` tables).

        Region keys may be codes or names in any case; unknown keys anywhere
        are refused so a typo cannot silently drop a fee.
        """
        unknown = sorted(str(k) for k in data if k != "regions")
        if unknown:
            raise FeeScheduleError(unknown[0], "unknown key; the file holds only [regions.<code>] tables")
        tables = data.get("regions", {})
        if not isinstance(tables, Mapping):
            raise FeeScheduleError("regions", "must be a table of regions such as [regions.NA]")
        regions: dict[Region, RegionFees] = {}
        for key, table in tables.items():
            path = f"regions.{key}"
            try:
                region = Region.parse(str(key))
            except ValueError as err:
                raise FeeScheduleError(path, str(err)) from None
            if region in regions:
                raise FeeScheduleError(path, f"{region.label} appears more than once")
            regions[region] = _region_fees(path, table)
        return cls(MappingProxyType(regions))

    def fee(self, region: Region, field_dispatch: bool) -> Money:
        """The fee for one site in `region`."""
        fees = self.regions.get(region)
        if fees is None:
            raise NoFeeSchedule(region)
        amount = fees.with_dispatch if field_dispatch else fees.without_dispatch
        return Money(amount, fees.currency)


def _region_fees(path: str, table: object) -> RegionFees:
    if not isinstance(table, Mapping):
        raise FeeScheduleError(path, "must be a table with currency, with_dispatch and without_dispatch")
    for key in table:
        if key not in _REGION_KEYS:
            raise FeeScheduleError(f"{path}.{key}", f"unknown key; expected one of {', '.join(_REGION_KEYS)}")
    return RegionFees(
        currency=_currency(f"{path}.currency", table.get("currency")),
        with_dispatch=_amount(f"{path}.with_dispatch", table.get("with_dispatch")),
        without_dispatch=_amount(f"{path}.without_dispatch", table.get("without_dispatch")),
    )


def _currency(path: str, value: object) -> str:
    if value is None:
        raise FeeScheduleError(path, "is missing; give a three-letter ISO 4217 code such as USD")
    code = value.strip().upper() if isinstance(value, str) else ""
    if not _CURRENCY.fullmatch(code):
        raise FeeScheduleError(path, f"is not a three-letter currency code such as USD (got {value!r})")
    return code


def _amount(path: str, value: object) -> Decimal:
    if value is None:
        raise FeeScheduleError(path, 'is missing; give an amount such as "250.00"')
    # bool is an int to Python but never an amount; floats go through str to avoid binary noise.
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise FeeScheduleError(path, f"is not an amount (got {value!r})")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise FeeScheduleError(path, f"is not an amount (got {value!r})") from None
    if not amount.is_finite():
        raise FeeScheduleError(path, f"is not an amount (got {value!r})")
    if amount < 0:
        raise FeeScheduleError(path, f"must not be negative (got {value!r})")
    return amount


@dataclass(frozen=True)
class SiteFee:
    site_id: int
    site_name: str
    amount: Money


def quote_not_ready(schedule: FeeSchedule, region: Region, sites: Sequence[EventSite]) -> tuple[SiteFee, ...]:
    """Fees when the customer is not ready during the event: always charged, per site."""
    return tuple(SiteFee(site_id, name, schedule.fee(region, dispatch)) for site_id, name, _, dispatch in sites)
