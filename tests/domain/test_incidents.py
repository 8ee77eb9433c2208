"""The incident log's tally and monthly trend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ccm_tui.domain.incidents import Incident, IncidentKind, tally, trend_by_month


def _incident(opened: datetime, severity: int, closed: datetime | None = None) -> Incident:
    return Incident(1, 1, IncidentKind.INCIDENT, severity, "x", opened, closed)


def test_tally_counts_severities_and_open_ones() -> None:
    found = tally(
        [
            _incident(datetime(2026, 11, 1, tzinfo=UTC), 1),
            _incident(datetime(2026, 11, 2, tzinfo=UTC), 3, datetime(2026, 11, 3, tzinfo=UTC)),
            _incident(datetime(2026, 11, 4, tzinfo=UTC), 3),
        ]
    )
    assert (found.total, found.still_open, found.by_severity) == (3, 2, (1, 0, 2, 0))
    assert tally([]).by_severity == (0, 0, 0, 0)


def test_trend_by_month_in_a_zone_east_of_utc() -> None:
    # 23:30 UTC on 31 October is already 1 November in Sydney.
    incidents = [_incident(datetime(2026, 10, 31, 23, 30, tzinfo=UTC), 2), _incident(datetime(2026, 10, 5, tzinfo=UTC), 2)]
    months = [date(2026, 10, 1), date(2026, 11, 1)]
    assert trend_by_month(incidents, months, "Australia/Sydney") == ((date(2026, 10, 1), 1), (date(2026, 11, 1), 1))
    assert trend_by_month(incidents, months, "UTC") == ((date(2026, 10, 1), 2), (date(2026, 11, 1), 0))
