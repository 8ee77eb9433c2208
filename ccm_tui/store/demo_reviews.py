"""The demo's service reviews and what they leave on the customer rows.

Reviews already held: a monthly one in most of the last three months, a
quarterly one for most customers, an executive one now and then; each with
an agenda from the task catalogue, minutes and action items (the latest
review's still partly open). Then, from a random stream of their own (the rest of the book is the
same with or without them): each customer's review cadence and last review
day, the last firewall and monitoring reviews (drawn, some due, a few
never held) and an incident log over the last four months.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from ccm_tui.domain.model import ContactRole, ReviewKind, TaskCategory
from ccm_tui.store.demo_model import DemoBook, DemoCustomer
from ccm_tui.store.review_completion import ReviewDates, rolled_up

_MINUTES = {
    TaskCategory.RELATIONSHIP: (
        "Customer is pleased with the response times; asked about the new SD-WAN option.",
        "Two new contacts introduced; contact list updated during the meeting.",
        "Walked through the service guide sections on change requests.",
    ),
    TaskCategory.INCIDENTS: (
        "Two incidents this period, both resolved within SLA; no repeat causes.",
        "Recurring packet loss at one site traced to the customer's switch; closed.",
        "One escalation through the NOC; root cause report shared.",
    ),
    TaskCategory.CONFIGURATION: (
        "Firewall rules reviewed; three unused rules to remove.",
        "Monitoring thresholds reviewed; interface alerts tuned for the backup link.",
        "Infrastructure diagram updated with the new site.",
    ),
    TaskCategory.SERVICE_LEVEL: (
        "Availability 99.98% against a 99.9% target; all SLAs met.",
        "SLA report accepted; one credit claim discussed.",
        "Service development plan: bandwidth upgrade planned for next quarter.",
    ),
    TaskCategory.FINANCE: (
        "Invoice layout change explained; no open billing queries.",
        "Service credit for last month's outage approved.",
        "Billing query about accrued charges answered.",
    ),
    TaskCategory.ACTIVATIONS: (
        "Upcoming activations and readiness checklists reviewed.",
        "Customer confirmed site access for next month's installations.",
        "Not-ready fee explained; new date agreed.",
    ),
}
_ACTIONS = (
    ("Send the updated authorised contact list", "customer"),
    ("Share the SLA report for the quarter", "ccm"),
    ("Schedule the quarterly firewall rule review", "ccm"),
    ("Confirm rack space and power for the new site", "customer"),
    ("Raise the service credit request for the outage", "ccm"),
    ("Book control portal training for the new IT staff", "ccm"),
    ("Send the test plan for the next activation", "customer"),
    ("Propose dates for a data-center tour", "ccm"),
)
_INCIDENTS = (
    "Packet loss on the primary circuit at {site}",
    "Router at {site} rebooted unexpectedly; service restored",
    "DNS resolution failures for users at {site}",
    "Backup link did not take over during a carrier outage at {site}",
    "High latency to the data center from {site}",
    "Firewall blocked a business application after a rule change at {site}",
    "Monitoring alert storm: interface flapping at {site}",
    "Internet circuit down at {site}; carrier fault",
)
_ESCALATIONS = (
    "Escalated to the NOC duty manager: repeat outage at {site}",
    "Customer escalation: slow repair of the circuit fault at {site}",
    "Escalated: field technician missed the repair window at {site}",
    "Executive escalation: service credits for last month's outage at {site}",
)


def add_reviews(book: DemoBook) -> None:
    rng = book.rng
    for customer in book.customers:
        held: list[tuple[ReviewKind, date]] = []
        month = book.today.replace(day=1)
        for _ in range(3):  # this month's, if it has been held, and the two before
            day = _weekday(month + timedelta(days=rng.randint(1, 12)), forward=True)
            if day < book.today and rng.random() < 0.75:
                held.append((ReviewKind.MONTHLY, day))
            month = (month - timedelta(days=1)).replace(day=1)
        if rng.random() < 0.6:
            held.append((ReviewKind.QUARTERLY, _weekday(book.today - timedelta(days=rng.randint(40, 85)))))
        if rng.random() < 0.2:
            held.append((ReviewKind.EXECUTIVE, _weekday(book.today - timedelta(days=rng.randint(60, 150)))))
        held.sort(key=lambda h: h[1])
        for index, (kind, day) in enumerate(held):
            _review(book, customer, kind, day, latest=index == len(held) - 1)


def _review(book: DemoBook, customer: DemoCustomer, kind: ReviewKind, day: date, latest: bool) -> None:
    rng = book.rng
    review_id = book.next_id("review")
    designated = customer.with_role(ContactRole.DESIGNATED)
    attendees = [f"{designated.name} (designated contact)"]
    if kind is ReviewKind.EXECUTIVE:
        executive = next((c for c in customer.contacts if ContactRole.EXECUTIVE in c.roles), None)
        if executive is not None and executive is not designated:
            attendees.append(f"{executive.name} (executive)")
    attendees.append(f"{customer.ccm} (CCM)")
    book.rows["service_reviews"].append(
        {
            "id": review_id,
            "customer_id": customer.id,
            "kind": kind.value,
            "held_on": day,
            "status": "completed",
            "attendees": "; ".join(attendees),
            "version": 1,
            "completed_at": datetime.combine(day, time(21, 0)),
        }
    )
    offered = [
        (category, text, key, label)
        for category, items in book.tasks.items()
        for text, reviews, key, label in items
        if kind.value in reviews
    ]
    chosen = sorted(rng.sample(range(len(offered)), min(len(offered), rng.randint(4, 6))))
    for position, index in enumerate(chosen, start=1):
        category, text, key, label = offered[index]
        book.rows["agenda_items"].append(
            {
                "id": book.next_id("agenda"),
                "review_id": review_id,
                "position": position,
                "section": label,
                "text": text,
                "minutes": rng.choice(_MINUTES[category]),
                "key": key,
            }
        )
    for text, owner in rng.sample(_ACTIONS, rng.randint(1, 3)):
        due = day + timedelta(days=rng.randint(7, 21))
        done = due < book.today and rng.random() < (0.4 if latest else 0.9)
        book.rows["action_items"].append(
            {
                "id": book.next_id("action"),
                "review_id": review_id,
                "text": text,
                "owner": customer.ccm if owner == "ccm" else designated.name,
                "due": due,
                "done": done,
                "done_on": due if done else None,
            }
        )


def add_cadences_and_incidents(book: DemoBook) -> None:
    """Review cadences, the last firewall and monitoring reviews (some due), and an
    incident log over the last four months. Its own random stream, so the rest of
    the book is the same with or without it."""
    rng = random.Random(f"{book.cfg.seed}-reviews")
    mine = [c for c in book.customers if c.ccm == book.cfg.demo_user] or book.customers
    busy = {c.id for c in mine[:6]}  # the demo user's first customers have plenty to review
    held: dict[int, list[date]] = {}
    for review in book.rows["service_reviews"]:
        held.setdefault(review["customer_id"], []).append(review["held_on"])
    for customer, row in zip(book.customers, book.rows["customers"], strict=True):
        dates = ReviewDates()
        for day in held.get(customer.id, ()):
            # No keys: the firewall and monitoring dates are drawn below, some due, so
            # the agenda shows those items; a few are older than a review that discussed them.
            dates = rolled_up(dates, day, ())
        row["last_review_on"] = dates.last_review_on
        row["review_cadence"] = "quarterly" if rng.random() < 0.3 else "monthly"
        for column in ("firewall_reviewed_on", "monitoring_reviewed_on"):
            roll = rng.random()
            if roll < 0.15 and customer.id not in busy:
                row[column] = None  # never reviewed
            elif roll < 0.55 or customer.id in busy:
                row[column] = book.today - timedelta(days=rng.randint(95, 240))  # due
            else:
                row[column] = book.today - timedelta(days=rng.randint(10, 85))
        count = rng.randint(3, 7) if customer.id in busy else rng.choices((0, 1, 2, 3, 4), (30, 25, 20, 15, 10))[0]
        for _ in range(count):
            _incident(book, rng, customer)


def _incident(book: DemoBook, rng: random.Random, customer: DemoCustomer) -> None:
    escalation = rng.random() < 0.25
    summaries = _ESCALATIONS if escalation else _INCIDENTS
    opened = book.now - timedelta(days=rng.randint(0, 115), minutes=rng.randint(0, 1440))
    severity = rng.choices((1, 2, 3, 4), (5, 20, 45, 30))[0]
    hours_open = rng.randint(1, 6) if severity <= 2 else rng.randint(2, 96)
    closed = opened + timedelta(hours=hours_open, minutes=rng.randint(0, 59))
    site = rng.choice(customer.sites)
    book.rows["incidents"].append(
        {
            "id": book.next_id("incident"),
            "customer_id": customer.id,
            "kind": "escalation" if escalation else "incident",
            "severity": severity,
            "summary": rng.choice(summaries).format(site=site.name),
            "opened_at": opened,
            "closed_at": None if closed > book.now or rng.random() < 0.08 else closed,
            "who": customer.ccm,
        }
    )


def _weekday(day: date, forward: bool = False) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day
