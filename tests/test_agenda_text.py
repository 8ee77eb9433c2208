"""Agenda facts in words: babel formats every date, amount and number in the
user's locale, and times carry their zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ccm_tui.domain.agenda import (
    AgendaEntry,
    Due,
    Fee,
    HoursThisMonth,
    IncidentsSince,
    IncidentTrend,
    More,
    Step,
)
from ccm_tui.domain.agenda_facts import FeeFact, StepFact
from ccm_tui.domain.hours import burn_down, hours_usage
from ccm_tui.domain.incidents import IncidentKind, IncidentTally
from ccm_tui.domain.model import (
    Money,
    ReviewKind,
    ServiceKind,
    StepKind,
    StepStatus,
    TaskCategory,
    TimeEntry,
)
from ccm_tui.domain.service_review import (
    ActionItem,
    AgendaItem,
    ReviewStatus,
    ServiceReview,
)
from ccm_tui.text.agenda_text import (
    NOTHING_TO_REPORT,
    entry_details,
    fact_text,
    review_markdown,
)
from ccm_tui.text.formatting import Formatter

FEE = Fee(
    FeeFact(
        datetime(2026, 11, 3, 2, 0, tzinfo=UTC),
        "not_ready",
        StepKind.ACTIVATION,
        "Head office",
        "America/Chicago",
        Money(Decimal(250), "USD"),
    )
)
STEP = Step(
    StepFact(
        1,
        StepKind.INSTALLATION,
        ServiceKind.MRS,
        StepStatus.CONFIRMED,
        datetime(2026, 11, 23, 15, tzinfo=UTC),
        "Sydney branch",
        "Australia/Sydney",
        "ORD-9",
    )
)
USAGE = hours_usage(
    [TimeEntry(0, 1, date(2026, 11, 2), Decimal("7.5"), TaskCategory.RELATIONSHIP)], Decimal(10), date(2026, 11, 1)
)


@pytest.mark.parametrize(
    ("locale", "fact", "expected"),
    [
        ("en_US", FEE, "Nov 2, 2026 · Head office · customer not ready (activation) · $250.00"),  # still the 2nd in Chicago
        ("en_GB", FEE, "2 Nov 2026 · Head office · customer not ready (activation) · US$250.00"),
        ("de_DE", FEE, "02.11.2026 · Head office · customer not ready (activation) · 250,00\xa0$"),
        ("en_US", STEP, "Tue, Nov 24 2:00\u202fAM AEDT · Install MRS · Sydney branch · confirmed · ORD-9"),
        ("en_US", Due(None, 3), "Due: never reviewed"),
        ("en_GB", Due(date(2026, 7, 2), 3), "Due: last reviewed 2 Jul 2026 (every 3 months)"),
        (
            "de_DE",
            HoursThisMonth(burn_down(USAGE, date(2026, 11, 20))),
            "November 2026: 7,5 h used of 10 h, 2,5 h left; at this pace 11,25 h by the month's end, over by 1,25 h",
        ),
        (
            "en_US",
            HoursThisMonth(burn_down(USAGE, date(2026, 11, 3))),
            "November 2026: 7.5 h used of 10 h, 2.5 h left; too early in the month to project",
        ),
        (
            "fr_FR",
            IncidentTrend(IncidentKind.ESCALATION, ((date(2026, 10, 1), 2), (date(2026, 11, 1), 0))),
            "Trend, escalations opened per month: oct. 2, nov. 0",
        ),
        (
            "en_US",
            IncidentsSince(IncidentKind.INCIDENT, date(2026, 10, 20), IncidentTally(3, 1, (1, 0, 2, 0))),
            "3 incidents opened since Oct 20, 2026 or still open (1 open); severity S1 1, S3 2",
        ),
        ("en_US", More(4), "and 4 more"),
    ],
    ids=[
        "fee-us",
        "fee-gb",
        "fee-de",
        "step-in-site-zone",
        "never-due",
        "due-gb",
        "hours-de",
        "hours-too-early",
        "trend-fr",
        "incidents",
        "more",
    ],
)
def test_fact_text(locale: str, fact: object, expected: str) -> None:
    assert fact_text(fact, Formatter(locale)) == expected  # type: ignore[arg-type]


def test_nothing_to_report_is_said_once() -> None:
    entry = AgendaEntry("fees", "Finance", "Cancellation fees", (), nothing_to_report=True)
    assert entry_details(entry, Formatter()) == (NOTHING_TO_REPORT,)
    assert entry_details(AgendaEntry("calls", "Relationship", "Proactive calls"), Formatter()) == ()


def test_markdown_reads_as_an_email() -> None:
    review = ServiceReview(
        id=1,
        customer_id=1,
        customer_name="Acme Logistics",
        account_number="NA-1",
        kind=ReviewKind.MONTHLY,
        held_on=date(2026, 11, 20),
        status=ReviewStatus.COMPLETED,
        attendees=("Ann Lee (designated contact)", "Alex Morgan (CCM)"),
        items=(
            AgendaItem(1, 1, 1, "Relationship", "Proactive calls", minutes="Agreed a monthly call.\n\nNext on 18 Dec."),
            AgendaItem(2, 1, 2, "Finance", "Cancellation fees", details=("1 fee charged since Oct 20, 2026: $250.00",)),
        ),
        actions=(
            ActionItem(1, 1, "Send the SLA report", "Alex Morgan", date(2026, 11, 27)),
            ActionItem(2, 1, "Update the contact list", "Ann Lee", None, done=True, done_on=date(2026, 11, 20), carried_from_id=9),
        ),
    )
    assert review_markdown(review, Formatter(), "Alex Morgan") == (
        "# Monthly service review: Acme Logistics (NA-1)\n"
        "\n"
        "Date: Friday, November 20, 2026  \n"
        "Status: minutes of the review as held  \n"
        "Attendees: Ann Lee (designated contact); Alex Morgan (CCM)\n"
        "\n"
        "## Relationship\n"
        "\n"
        "1. **Proactive calls**\n"
        "    - Minutes: Agreed a monthly call.\n"
        "\n"
        "      Next on 18 Dec.\n"
        "\n"
        "## Finance\n"
        "\n"
        "2. **Cancellation fees**\n"
        "    - 1 fee charged since Oct 20, 2026: $250.00\n"
        "\n"
        "## Action items\n"
        "\n"
        "- [ ] Send the SLA report: Alex Morgan, due Nov 27, 2026\n"
        "- [x] Update the contact list: Ann Lee (done Nov 20, 2026) (carried from an earlier review)\n"
        "\n"
        "---\n"
        "Prepared with ccm by Alex Morgan.\n"
    )
