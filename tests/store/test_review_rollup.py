"""The one rule for a customer's review dates, `rolled_up`: completing a review,
the seeder and the demo all write the dates through it."""

from __future__ import annotations

from datetime import date

import pytest

from ccm_tui.domain.service_review import FIREWALL_KEY, MONITORING_KEY
from ccm_tui.store.review_completion import ReviewDates, rolled_up

OCT, NOV, DEC = date(2026, 10, 5), date(2026, 11, 5), date(2026, 12, 5)


@pytest.mark.parametrize(
    ("before", "keys", "after"),
    [
        (ReviewDates(), (), ReviewDates(NOV)),
        (ReviewDates(), (FIREWALL_KEY,), ReviewDates(NOV, NOV)),
        (ReviewDates(), (MONITORING_KEY, "other"), ReviewDates(NOV, None, NOV)),
        (ReviewDates(OCT, OCT, OCT), (FIREWALL_KEY, MONITORING_KEY), ReviewDates(NOV, NOV, NOV)),
        (ReviewDates(OCT, OCT, OCT), (), ReviewDates(NOV, OCT, OCT)),
        # an older review completed late never moves a date back
        (ReviewDates(DEC, DEC, DEC), (FIREWALL_KEY, MONITORING_KEY), ReviewDates(DEC, DEC, DEC)),
        (ReviewDates(DEC, OCT, None), (FIREWALL_KEY,), ReviewDates(DEC, NOV, None)),
    ],
)
def test_dates_move_forward_to_the_review_and_only_for_what_it_discussed(
    before: ReviewDates, keys: tuple[str, ...], after: ReviewDates
) -> None:
    assert rolled_up(before, NOV, keys) == after
