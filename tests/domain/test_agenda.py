"""The agenda generator, from fixed facts: each source of facts on and off,
carried-over actions, cadence items only when due, nothing padded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from types import MappingProxyType

import pytest

from ccm_tui.domain.agenda import (
    MAX_LINES,
    Action,
    ActionsOpen,
    Ccd,
    ContactDue,
    ContactsOverdue,
    Due,
    Fee,
    FeesCharged,
    HoursByCategory,
    HoursEarlier,
    HoursThisMonth,
    IncidentEntry,
    IncidentsSince,
    IncidentTrend,
    More,
    Step,
    StepsComing,
    StepsHappened,
    build_agenda,
)
from ccm_tui.domain.agenda_facts import CustomerFacts, FeeFact, ReviewRef, StepFact
from ccm_tui.domain.book import OrderLine
from ccm_tui.domain.catalogue import Catalogue
from ccm_tui.domain.hours import HoursLevel, hours_usage
from ccm_tui.domain.incidents import Incident, IncidentKind
from ccm_tui.domain.model import (
    Contact,
    ContactRole,
    Customer,
    Money,
    Order,
    OrderStatus,
    Region,
    ReviewKind,
    ServiceKind,
    StepKind,
    StepStatus,
    TaskCategory,
    TimeEntry,
)
from ccm_tui.domain.service_review import ActionItem

REVIEW_DATE = date(2026, 11, 20)
SINCE = date(2026, 10, 20)
ZONE = "America/New_York"
CUSTOMER = Customer(1, "NA-10001", "Acme Logistics", Region.NORTH_AMERICA, "Alex Morgan", Decimal(10))

CATALOGUE = Catalogue.from_mapping(
    {
        "version": 1,
        "areas": [
            {
                "category": "relationship",
                "label": "Relationship",
                "items": [
                    {"key": "proactive_calls", "text": "Proactive calls", "reviews": ["monthly", "quarterly"]},
                    {
                        "key": "contacts",
                        "text": "Contact management",
                        "reviews": ["monthly", "quarterly"],
                        "live": "contacts_overdue",
                    },
                ],
            },
            {
                "category": "incidents",
                "label": "Incidents",
                "items": [
                    {
                        "key": "incidents",
                        "text": "Incident trending",
                        "reviews": ["monthly", "quarterly", "executive"],
                        "live": "incidents",
                    },
                    {"key": "escalations", "text": "Escalations", "reviews": ["monthly"], "live": "escalations"},
                ],
            },
            {
                "category": "configuration",
                "label": "Configuration",
                "items": [
                    {"key": "firewall_rule_review", "text": "Firewall rules", "reviews": ["quarterly"], "cadence_months": 3},
                    {"key": "monitoring_review", "text": "Monitoring", "reviews": ["quarterly"], "cadence_months": 3},
                    {
                        "key": "authorised_contact_review",
                        "text": "Authorised contact list",
                        "reviews": ["quarterly"],
                        "cadence_months": 3,
                        "live": "contacts_overdue",
                    },
                ],
            },
            {
                "category": "service_level",
                "label": "Service level",
                "items": [
                    {
                        "key": "service_reviews",
                        "text": "Actions from the last review",
                        "reviews": ["monthly", "quarterly"],
                        "live": "action_items",
                    },
                    {"key": "package_hours", "text": "Hours against the package", "reviews": ["monthly"], "live": "hours"},
                ],
            },
            {
                "category": "finance",
                "label": "Finance",
                "items": [{"key": "fees", "text": "Cancellation fees", "reviews": ["monthly"], "live": "fees"}],
            },
            {
                "category": "activations",
                "label": "Activations",
                "items": [
                    {"key": "schedule", "text": "Activations", "reviews": ["monthly"], "live": "activations"},
                    {"key": "ccd", "text": "Commitment dates", "reviews": ["monthly", "executive"], "live": "orders_ccd"},
                ],
            },
        ],
    }
)

BASE = CustomerFacts(customer=CUSTOMER, as_of=REVIEW_DATE, zone=ZONE, since=SINCE)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def step(status: StepStatus, start: datetime | None, kind: StepKind = StepKind.ACTIVATION) -> StepFact:
    return StepFact(1, kind, ServiceKind.MRS, status, start, "Head office", ZONE, "ORD-1")


def order(past_ccd: bool = False, at_risk: bool = False, number: str = "ORD-1", ccd: date = date(2026, 11, 1)) -> OrderLine:
    placed = Order(1, 1, number, (ServiceKind.MRS,), Decimal(300), Decimal(0), "USD", ccd, OrderStatus.PROVISIONING)
    return OrderLine(placed, Decimal("190.00") if past_ccd else Decimal("0.00"), past_ccd, at_risk)


def contact(name: str, reviewed: date | None, contact_id: int = 1) -> Contact:
    return Contact(contact_id, 1, name, frozenset({ContactRole.AUTHORISED}), last_reviewed=reviewed)


def incident(
    kind: IncidentKind, opened: datetime, closed: datetime | None = None, severity: int = 3, incident_id: int = 1
) -> Incident:
    return Incident(incident_id, 1, kind, severity, "Packet loss", opened, closed)


def action(
    text: str = "Send the SLA report", due: date | None = date(2026, 11, 1), done: bool = False, action_id: int = 7
) -> ActionItem:
    return ActionItem(action_id, 3, text, "Alex Morgan", due, done)


def usage(month: date, hours: str, category: TaskCategory = TaskCategory.RELATIONSHIP):  # type: ignore[no-untyped-def]
    entries = [TimeEntry(0, 1, month.replace(day=2), Decimal(hours), category)] if Decimal(hours) else []
    return hours_usage(entries, Decimal(10), month)


NOVEMBER = usage(date(2026, 11, 1), "6")
EARLIER = (usage(date(2026, 10, 1), "11"), usage(date(2026, 9, 1), "4"), usage(date(2026, 8, 1), "0"))

# (source, the entry it fills, facts with it on, the fact types then shown)
SOURCES = [
    pytest.param(
        "schedule",
        {"activations": (step(StepStatus.COMPLETED, utc(2026, 11, 2, 15)), step(StepStatus.CONFIRMED, utc(2026, 11, 23, 15)))},
        [StepsHappened, Step, StepsComing, Step],
        id="activations",
    ),
    pytest.param(
        "fees",
        {
            "fees": (
                FeeFact(utc(2026, 11, 3, 15), "not_ready", StepKind.ACTIVATION, "Head office", ZONE, Money(Decimal(250), "USD")),
            )
        },
        [FeesCharged, Fee],
        id="fees",
    ),
    pytest.param("ccd", {"orders": (order(past_ccd=True), order(at_risk=True, number="ORD-2"))}, [Ccd, Ccd], id="orders-ccd"),
    pytest.param("package_hours", {"hours": (NOVEMBER, *EARLIER)}, [HoursThisMonth, HoursByCategory, HoursEarlier], id="hours"),
    pytest.param("contacts", {"contacts": (contact("Ann Lee", date(2026, 7, 1)),)}, [ContactsOverdue, ContactDue], id="contacts"),
    pytest.param(
        "incidents",
        {"incidents": (incident(IncidentKind.INCIDENT, utc(2026, 11, 2, 12), utc(2026, 11, 2, 18)),)},
        [IncidentsSince, IncidentTrend, IncidentEntry],
        id="incidents",
    ),
    pytest.param(
        "escalations",
        {"incidents": (incident(IncidentKind.ESCALATION, utc(2026, 11, 2, 12)),)},
        [IncidentsSince, IncidentTrend, IncidentEntry],
        id="escalations",
    ),
    pytest.param(
        "service_reviews",
        {"open_actions": (action(),), "last_review": ReviewRef(3, ReviewKind.MONTHLY, SINCE)},
        [ActionsOpen, Action],
        id="actions",
    ),
]


@pytest.mark.parametrize(("key", "facts", "shown"), SOURCES)
def test_a_source_on_fills_its_item(key: str, facts: dict, shown: list[type]) -> None:
    agenda = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, **facts), REVIEW_DATE)
    entry = agenda.entry(key)
    assert entry is not None
    assert [type(f) for f in entry.facts] == shown
    assert not entry.nothing_to_report


@pytest.mark.parametrize(("key", "facts", "shown"), SOURCES)
def test_a_source_off_says_nothing_to_report(key: str, facts: dict, shown: list[type]) -> None:
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, BASE, REVIEW_DATE).entry(key)
    assert entry is not None
    assert entry.facts == () and entry.nothing_to_report


@pytest.mark.parametrize(
    ("key", "facts"),
    [
        pytest.param("ccd", {"orders": (order(),)}, id="an-order-on-track"),
        pytest.param("contacts", {"contacts": (contact("Ann Lee", date(2026, 10, 1)),)}, id="contact-reviewed-recently"),
        pytest.param("service_reviews", {"open_actions": (action(done=True),)}, id="only-done-actions"),
        pytest.param(
            "incidents",
            {"incidents": (incident(IncidentKind.INCIDENT, utc(2026, 9, 1, 12), utc(2026, 9, 2, 12)),)},
            id="closed-before-the-last-review",
        ),
        pytest.param(
            "incidents",
            {"incidents": (incident(IncidentKind.ESCALATION, utc(2026, 11, 2, 12)),)},
            id="an-escalation-is-not-an-incident",
        ),
        pytest.param("schedule", {"activations": (step(StepStatus.UNSCHEDULED, None),)}, id="unscheduled-step"),
    ],
)
def test_facts_that_say_nothing_are_not_shown(key: str, facts: dict) -> None:
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, **facts), REVIEW_DATE).entry(key)
    assert entry is not None and entry.facts == () and entry.nothing_to_report


def test_standing_items_come_without_facts_and_are_not_marked() -> None:
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, BASE, REVIEW_DATE).entry("proactive_calls")
    assert entry is not None and entry.facts == () and not entry.nothing_to_report


def test_items_follow_the_catalogue_and_the_review_kind() -> None:
    monthly = build_agenda(CATALOGUE, ReviewKind.MONTHLY, BASE, REVIEW_DATE)
    assert [e.key for e in monthly.entries] == [
        "proactive_calls", "contacts", "incidents", "escalations", "service_reviews", "package_hours", "fees", "schedule", "ccd",
    ]  # fmt: skip
    assert [s for s, _ in monthly.sections()] == ["Relationship", "Incidents", "Service level", "Finance", "Activations"]
    executive = build_agenda(CATALOGUE, ReviewKind.EXECUTIVE, BASE, REVIEW_DATE)
    assert [e.key for e in executive.entries] == ["incidents", "ccd"]


@pytest.mark.parametrize(
    ("last_covered", "expected"),
    [
        pytest.param(None, Due(None, 3), id="never-reviewed"),
        pytest.param(date(2026, 8, 20), Due(date(2026, 8, 20), 3), id="exactly-three-months"),
        pytest.param(date(2026, 5, 2), Due(date(2026, 5, 2), 3), id="long-ago"),
        pytest.param(date(2026, 8, 21), None, id="a-day-short-of-three-months"),
        pytest.param(date(2026, 10, 1), None, id="last-month"),
    ],
)
def test_quarterly_items_only_when_due(last_covered: date | None, expected: Due | None) -> None:
    covered = {} if last_covered is None else {"firewall_rule_review": last_covered, "monitoring_review": last_covered}
    facts = replace(BASE, last_covered=MappingProxyType(covered))
    agenda = build_agenda(CATALOGUE, ReviewKind.QUARTERLY, facts, REVIEW_DATE)
    for key in ("firewall_rule_review", "monitoring_review"):
        entry = agenda.entry(key)
        if expected is None:
            assert entry is None
        else:
            assert entry is not None and entry.facts == (expected,) and not entry.nothing_to_report


def test_cadence_items_are_never_on_a_review_kind_that_does_not_list_them() -> None:
    assert build_agenda(CATALOGUE, ReviewKind.MONTHLY, BASE, REVIEW_DATE).entry("firewall_rule_review") is None


def test_contacts_are_listed_once_with_their_ids_for_completion() -> None:
    facts = replace(
        BASE,
        contacts=(
            contact("Bo Chen", date(2026, 6, 1), 2),
            contact("Ann Lee", None, 1),
            contact("Cy Dale", date(2026, 11, 1), 3),
            contact("Di Eze", date(2026, 8, 21), 4),  # 91 days before the review
        ),
    )
    agenda = build_agenda(CATALOGUE, ReviewKind.QUARTERLY, facts, REVIEW_DATE)
    first = agenda.entry("contacts")
    assert first is not None
    assert first.facts[0] == ContactsOverdue(3)
    assert [f.contact.name for f in first.facts[1:]] == ["Ann Lee", "Bo Chen", "Di Eze"]  # never first, then oldest
    assert first.contact_ids == (1, 2, 4)
    authorised = agenda.entry("authorised_contact_review")
    assert authorised is not None and authorised.facts == (Due(None, 3),) and authorised.contact_ids == ()


def test_carried_over_actions_with_overdue_flags() -> None:
    last = ReviewRef(3, ReviewKind.MONTHLY, SINCE)
    facts = replace(
        BASE,
        last_review=last,
        open_actions=(
            action("Share the SLA report", due=date(2026, 12, 1), action_id=8),
            action("Send the contact list", due=date(2026, 11, 1), action_id=7),
            action("Propose tour dates", due=None, action_id=9),
        ),
    )
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, facts, REVIEW_DATE).entry("service_reviews")
    assert entry is not None
    assert entry.facts[0] == ActionsOpen(last, 3, 1)
    assert [(f.action.text, f.overdue) for f in entry.facts[1:]] == [
        ("Send the contact list", True),
        ("Share the SLA report", False),
        ("Propose tour dates", False),
    ]


def test_long_lists_are_capped_and_counted() -> None:
    steps = tuple(step(StepStatus.COMPLETED, utc(2026, 11, 1 + n, 15)) for n in range(12))
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, activations=steps), REVIEW_DATE).entry("schedule")
    assert entry is not None
    assert entry.facts[0] == StepsHappened(SINCE, (("activated", 12),))
    listed = entry.facts[1:]
    assert len(listed) == MAX_LINES and listed[-1] == More(12 - MAX_LINES + 1)


def test_happened_steps_are_counted_by_outcome() -> None:
    steps = (
        step(StepStatus.COMPLETED, utc(2026, 11, 2, 15), StepKind.INSTALLATION),
        step(StepStatus.NOT_READY, utc(2026, 11, 4, 15)),
        step(StepStatus.COMPLETED, utc(2026, 11, 5, 15)),
        step(StepStatus.COMPLETED, utc(2026, 11, 6, 15)),
    )
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, activations=steps), REVIEW_DATE).entry("schedule")
    assert entry is not None and entry.facts[0] == StepsHappened(SINCE, (("activated", 2), ("installed", 1), ("not ready", 1)))


def test_fees_are_totalled_per_currency() -> None:
    fees = tuple(
        FeeFact(utc(2026, 11, d, 15), "cancel", StepKind.ACTIVATION, "Head office", ZONE, Money(Decimal(amount), currency))
        for d, amount, currency in ((3, 250, "USD"), (4, 500, "USD"), (5, 900, "AUD"))
    )
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, fees=fees), REVIEW_DATE).entry("fees")
    assert entry is not None
    assert entry.facts[0] == FeesCharged(SINCE, 3, (Money(Decimal(900), "AUD"), Money(Decimal(750), "USD")))


def test_past_ccd_orders_come_before_those_at_risk() -> None:
    facts = replace(
        BASE, orders=(order(at_risk=True, number="ORD-A", ccd=date(2026, 11, 25)), order(past_ccd=True, number="ORD-B"))
    )
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, facts, REVIEW_DATE).entry("ccd")
    assert entry is not None and [f.order.order.number for f in entry.facts] == ["ORD-B", "ORD-A"]


def test_hours_project_the_month_at_the_current_pace() -> None:
    facts = replace(BASE, hours=(NOVEMBER, *EARLIER))
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, facts, REVIEW_DATE).entry("package_hours")
    assert entry is not None
    burn = entry.facts[0].burn  # type: ignore[union-attr]
    assert (burn.usage.used, burn.projected, burn.projected_level) == (Decimal(6), Decimal("9.00"), HoursLevel.NEAR)
    assert entry.facts[2] == HoursEarlier(EARLIER)


def test_hours_without_a_package_or_time_say_nothing() -> None:
    empty = hours_usage([], Decimal(0), date(2026, 11, 1))
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, hours=(empty,)), REVIEW_DATE).entry("package_hours")
    assert entry is not None and entry.nothing_to_report


def test_open_incidents_from_before_the_last_review_are_still_raised() -> None:
    old_open = incident(IncidentKind.INCIDENT, utc(2026, 9, 1, 12), severity=2, incident_id=1)
    recent = incident(IncidentKind.INCIDENT, utc(2026, 11, 2, 12), utc(2026, 11, 2, 13), severity=1, incident_id=2)
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, replace(BASE, incidents=(recent, old_open)), REVIEW_DATE).entry(
        "incidents"
    )
    assert entry is not None
    summary = entry.facts[0]
    assert isinstance(summary, IncidentsSince)
    assert (summary.tally.total, summary.tally.still_open, summary.tally.by_severity) == (2, 1, (1, 1, 0, 0))
    assert [f.incident.id for f in entry.facts[2:]] == [1, 2]  # open first


def test_the_trend_counts_months_in_the_ccms_zone() -> None:
    # 03:00 UTC on 1 November is still 31 October in New York.
    incidents = (
        incident(IncidentKind.INCIDENT, utc(2026, 11, 1, 3), utc(2026, 11, 1, 5), incident_id=1),
        incident(IncidentKind.INCIDENT, utc(2026, 11, 10, 12), utc(2026, 11, 10, 13), incident_id=2),
        incident(IncidentKind.INCIDENT, utc(2026, 8, 10, 12), utc(2026, 8, 10, 13), incident_id=3),
    )
    facts = replace(BASE, since=date(2026, 10, 1), incidents=incidents)
    entry = build_agenda(CATALOGUE, ReviewKind.MONTHLY, facts, REVIEW_DATE).entry("incidents")
    assert entry is not None
    assert entry.facts[1] == IncidentTrend(
        IncidentKind.INCIDENT, ((date(2026, 8, 1), 1), (date(2026, 9, 1), 0), (date(2026, 10, 1), 1), (date(2026, 11, 1), 1))
    )


def test_the_same_facts_give_the_same_agenda() -> None:
    facts = replace(BASE, contacts=(contact("Ann Lee", None),), open_actions=(action(),))
    assert build_agenda(CATALOGUE, ReviewKind.QUARTERLY, facts, REVIEW_DATE) == build_agenda(
        CATALOGUE, ReviewKind.QUARTERLY, facts, REVIEW_DATE
    )
