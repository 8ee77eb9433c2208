"""The export's VTIMEZONEs (text/ics_zones.py) are the icalendar library's own text.

ccm writes them itself (the library's import and its search to the year 9999 cost a 30-day export
about a twentieth), so the text must be what `Timezone.from_tzid(...).to_ical()` writes: for zones
without daylight saving time, with it (north and south), with half-hour and negative DST, with
offsets that changed in or near the range or that have seconds, and ranges from a day to two years.
(Every zone of the zone database was compared so too, for these ranges, when this was written.)
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfoNotFoundError

import pytest
from icalendar import Timezone

from ccm_tui.text.ics_zones import vtimezone

ZONES = (
    "Africa/Johannesburg",  # no DST: the search used to walk to the year 9999
    "Asia/Tokyo",
    "Asia/Kolkata",
    "America/Sao_Paulo",  # DST until 2019
    "America/Mexico_City",  # DST until 2022
    "America/New_York",
    "Australia/Sydney",  # southern DST
    "Australia/Lord_Howe",  # half-hour DST
    "Europe/Dublin",  # negative DST in the zone data
    "Africa/Casablanca",  # an offset that changes for Ramadan, weeks apart
    "Pacific/Apia",  # skipped a whole day in 2011
    "Asia/Tehran",  # DST until 2022
    "UTC",
    "Etc/GMT+5",
    "America/Argentina/Buenos_Aires",
)
RANGES = (
    (date(2026, 11, 20), date(2026, 11, 20)),
    (date(2026, 11, 20), date(2027, 2, 17)),  # the bench's 90 days
    (date(2027, 3, 1), date(2027, 4, 15)),  # across spring changes (and Ramadan 2027)
    (date(2026, 10, 20), date(2026, 11, 10)),  # across autumn changes
    (date(2011, 12, 1), date(2012, 1, 31)),  # Apia's lost day
    (date(2021, 1, 1), date(2022, 12, 31)),  # two years, with offsets abolished inside
    (date(2026, 3, 7), date(2026, 3, 8)),  # a range ending on a change
    (date(1900, 1, 1), date(1901, 12, 1)),  # local mean times: offsets with seconds
)


@pytest.mark.parametrize("zone", ZONES)
def test_the_vtimezone_is_the_librarys_own(zone: str) -> None:
    for first, last in RANGES:
        expected = Timezone.from_tzid(zone, first_date=first - timedelta(days=1), last_date=last + timedelta(days=1))
        assert vtimezone(zone, first, last) == expected.to_ical().decode("utf-8"), (first, last)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ZoneInfoNotFoundError, match="Nowhere/Atlantis"):
        vtimezone("Nowhere/Atlantis", date(2026, 11, 20), date(2026, 11, 21))
