"""Trouble after activation: post-activation support or the repair center."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ccm_tui.domain.routing import TRAFFIC_HOURS_FOR_REPAIR, TroubleRoute, route_trouble

PASSED = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("traffic_passed_since", "trouble_at", "expected"),
    [
        (None, PASSED, TroubleRoute.POST_ACTIVATION_SUPPORT),
        (PASSED, PASSED + timedelta(hours=11, minutes=59), TroubleRoute.POST_ACTIVATION_SUPPORT),
        (PASSED, PASSED + timedelta(hours=11, minutes=59, seconds=59), TroubleRoute.POST_ACTIVATION_SUPPORT),
        (PASSED, PASSED + timedelta(hours=12), TroubleRoute.REPAIR_CENTER),
        (PASSED, PASSED + timedelta(days=30), TroubleRoute.REPAIR_CENTER),
        (PASSED, PASSED - timedelta(hours=1), TroubleRoute.POST_ACTIVATION_SUPPORT),
        (PASSED, datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("America/New_York")), TroubleRoute.REPAIR_CENTER),
        (PASSED, datetime(2026, 6, 15, 9, 59, tzinfo=ZoneInfo("America/New_York")), TroubleRoute.POST_ACTIVATION_SUPPORT),
    ],
    ids=[
        "traffic-never-passed",
        "11h59m",
        "one-second-short",
        "exactly-12h",
        "a-month-later",
        "trouble-before-traffic",
        "12h-seen-from-new-york",
        "11h59m-seen-from-new-york",
    ],
)
def test_route_trouble(traffic_passed_since: datetime | None, trouble_at: datetime, expected: TroubleRoute) -> None:
    assert route_trouble(traffic_passed_since, trouble_at) is expected


def test_threshold_and_labels() -> None:
    assert TRAFFIC_HOURS_FOR_REPAIR == 12
    assert TroubleRoute.REPAIR_CENTER.label == "Repair center"
    assert "post-activation support" in TroubleRoute.POST_ACTIVATION_SUPPORT.label.lower()
