"""The checklist screen's lines in words: when an item is due, what a risk costs, an item's history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ccm_tui.domain.checklist import ChecklistChange, ItemState, Phase
from ccm_tui.domain.fees import SiteFee
from ccm_tui.domain.model import Money
from ccm_tui.domain.readiness import Readiness, RiskCost
from ccm_tui.text import checklist_text
from tests.widgets.data import FMT, MONDAY, ZONE, checklist, item


@pytest.mark.parametrize(
    ("days", "when"),
    [
        (0, "on the day of the equipment installation"),
        (1, "1 business day before the equipment installation"),
        (3, "3 business days before the equipment installation"),
    ],
)
def test_an_item_says_when_it_is_due(days: int, when: str) -> None:
    due = replace(item(1, Phase.BEFORE_INSTALLATION, "Rack space ready", blocking=True), due_business_days=days)
    found = checklist(due)
    detail = checklist_text.item_detail(found, found.lines[0], FMT, ZONE).plain.splitlines()
    assert detail[0] == "Rack space ready"
    assert detail[1] == f"customer · blocks the event · due Fri, Nov 20 ({when}) · open"


def test_no_checklist_yet_says_how_to_make_one() -> None:
    assert checklist_text.item_detail(checklist(), None, FMT, ZONE).plain.startswith("No checklist yet: c makes it")


@pytest.mark.parametrize(
    ("today", "billing"),
    [(MONDAY, "billing would start at the CCD"), (MONDAY + timedelta(days=31), "billing has run since the CCD")],
)
def test_a_risk_says_what_it_would_cost_and_since_when_billing_runs(today: date, billing: str) -> None:
    fees = (SiteFee(1, "Main office", Money(Decimal("450"), "USD")),)
    risky = replace(
        checklist(item(1, Phase.BEFORE_INSTALLATION, "Power")),
        readiness=Readiness(0, 1, True, "1 blocking item open"),
        cost=RiskCost(fees, "", None),
    )
    first, second = checklist_text.risk(risky, today, FMT).plain.splitlines()
    assert first == f"RISK if not ready on the day: $450.00 per site (with field dispatch) · {billing}, Dec 23, 2026"
    assert second == "1 blocking item open"
    assert checklist_text.risk(checklist(), today, FMT).plain == ""  # not at risk: nothing to say


def test_history_rows_say_what_moved() -> None:
    at = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    added = ChecklistChange(1, 1, 1, at, "ann", None, ItemState.OPEN)
    blocked = ChecklistChange(2, 1, 1, at, "bo", ItemState.OPEN, ItemState.BLOCKED, "no rack")
    assert checklist_text.history_row(added, FMT, ZONE)[1:] == ("ann", "added (open)", "")
    assert checklist_text.history_row(blocked, FMT, ZONE)[1:] == ("bo", "open -> blocked", "no rack")
