"""ReadinessBar and HoursGauge alone: figures and levels in words, bars in characters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.hours import HoursLevel, HoursUsage
from ccm_tui.domain.model import TaskCategory
from ccm_tui.domain.readiness import Readiness
from ccm_tui.widgets.hours_gauge import HoursGauge
from ccm_tui.widgets.readiness_bar import ReadinessBar
from tests.pilot_helpers import settle
from tests.widgets.data import FMT
from tests.widgets.harness import Harness, plain


@pytest.mark.parametrize(
    ("readiness", "shown"),
    [
        (Readiness(3, 4, at_risk=True), "Ready 3 of 4 ███████████████░░░░░ 75%  NOT-READY RISK"),
        (Readiness(4, 4, at_risk=False), "Ready 4 of 4 ████████████████████ 100%"),
        (Readiness(0, 0, at_risk=False), "No checklist items yet."),
    ],
)
async def test_readiness_bar(readiness: Readiness, shown: str) -> None:
    bar = ReadinessBar()
    app = Harness(bar)
    async with app.run_test() as pilot:
        bar.readiness = readiness
        await settle(pilot)
        assert plain(bar) == shown


@pytest.mark.parametrize(
    ("used", "level", "said"),
    [
        ("4", HoursLevel.OK, "4 h used of 10 h, 6 h left"),
        ("8.5", HoursLevel.NEAR, "8.5 h used of 10 h, 1.5 h left  near the limit"),
        ("12", HoursLevel.OVER, "12 h used of 10 h, 0 h left  OVER the package by 2 h"),
    ],
)
async def test_hours_gauge(used: str, level: HoursLevel, said: str) -> None:
    gauge = HoursGauge(FMT)
    app = Harness(gauge)
    async with app.run_test() as pilot:
        usage = HoursUsage(date(2026, 11, 1), Decimal(used), Decimal(10), {TaskCategory.RELATIONSHIP: Decimal(used)}, level)
        gauge.usage = usage
        await settle(pilot)
        lines = [line.plain for line in gauge.render().renderables]  # type: ignore[union-attr]
        assert lines[0] == f"Since Nov 1, 2026: {said}"
        assert lines[2].split() == [*TaskCategory.RELATIONSHIP.label.split(), used, "h"]
