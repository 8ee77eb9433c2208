"""When a customer's next service review is due, and what kind it is.

A customer is reviewed monthly or quarterly (their cadence). A monthly
customer's every third review is the quarterly one: it is due once the last
quarterly (or executive) review is three months old. Executive reviews are
never due by the calendar; the CCM asks for one. Items with their own
cadence (the quarterly firewall-rule and monitoring reviews) are due when
the last review that covered them is that many months old.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.months import add_months

REVIEWS_DUE_HORIZON_DAYS = 14  # the "reviews due" list looks this far ahead
QUARTER_MONTHS = 3


class ReviewCadence(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def months(self) -> int:
        return 1 if self is ReviewCadence.MONTHLY else QUARTER_MONTHS

    @classmethod
    def parse(cls, text: str) -> ReviewCadence:
        try:
            return cls(text.strip().casefold())
        except ValueError:
            raise ValueError(f"unknown review cadence {text!r}: choose monthly or quarterly") from None


def next_review_due(last_held: date | None, cadence: ReviewCadence, today: date) -> date:
    """The day the next review is due: a cadence after the last one; today if there never was one."""
    if last_held is None:
        return today
    return add_months(last_held, cadence.months)


def due_cutoff(cadence: ReviewCadence, by: date) -> date:
    """The latest last-review day that makes a review due on or before `by`.

    The store filters with it in SQL: last_held <= due_cutoff(...) (or none).
    """
    cutoff = add_months(by, -cadence.months)
    # add_months clamps: 31 May - 1 month is 30 Apr, yet a review on 30 Apr is due on 30 May, before
    # 31 May, so the clamped day is right; a later day of the month might also be due by `by`.
    while add_months(cutoff + timedelta(days=1), cadence.months) <= by:
        cutoff += timedelta(days=1)
    return cutoff


def default_review_kind(cadence: ReviewCadence, last_quarterly: date | None, review_date: date) -> ReviewKind:
    """Quarterly for quarterly customers; for monthly ones, quarterly once the last is a quarter old."""
    if cadence is ReviewCadence.QUARTERLY:
        return ReviewKind.QUARTERLY
    if last_quarterly is None or add_months(last_quarterly, QUARTER_MONTHS) <= review_date:
        return ReviewKind.QUARTERLY
    return ReviewKind.MONTHLY


def period_start(last_held: date | None, review_date: date, kind: ReviewKind) -> date:
    """Where "since the last review" starts: the last review, else one review period back."""
    if last_held is not None and last_held < review_date:
        return last_held
    months = 1 if kind is ReviewKind.MONTHLY else QUARTER_MONTHS
    return add_months(review_date, -months)


def is_item_due(last_covered: date | None, cadence_months: int, review_date: date) -> bool:
    """An item with its own cadence: never covered, or covered `cadence_months` or more ago."""
    return last_covered is None or add_months(last_covered, cadence_months) <= review_date


@dataclass(frozen=True)
class ReviewDue:
    """A line of the "reviews due" list."""

    customer_id: int
    name: str
    account_number: str
    ccm: str
    cadence: ReviewCadence
    last_held: date | None
    last_kind: ReviewKind | None
    due: date
    kind: ReviewKind  # the review to hold next
    draft_id: int | None = None  # a draft already being prepared

    def days_overdue(self, today: date) -> int:
        """Positive when late, zero on the day, negative when still ahead."""
        return (today - self.due).days
