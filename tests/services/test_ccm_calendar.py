"""The CCM's own calendar (a view's "next N business days"): their zone's country's holidays."""

from __future__ import annotations

import pytest

from ccm_tui.services.calendar import _zone_country


@pytest.mark.parametrize(
    ("zone", "country"),
    [("America/New_York", "US"), ("Europe/Berlin", "DE"), ("Europe/London", "GB"), ("Asia/Tokyo", "JP"), ("UTC", "")],
)
def test_a_zone_is_its_countrys(zone: str, country: str) -> None:
    assert _zone_country(zone) == country
