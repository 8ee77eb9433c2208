"""The seeded book's service reviews and incident log, a customer at a time.

What a book in use holds: most customers' last service review, held and
completed, and for half of them the one before; an agenda drawn from the
task catalogue, with minutes and action items; each customer's review
cadence and last firewall and monitoring reviews; incidents and escalations
over the last four months.

The customer's review dates go through `store.review_completion.rolled_up`,
review by review, as completing each would leave them; an earlier review's
actions were all done before the next was held, so nothing was left to
carry over. Agenda items list no contacts, so no contact's `last_reviewed`
is owed a date.

It draws from its own random stream: the rest of the seeded book is the same
with or without it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from typing import Any

from ccm_tui.data_files import load_task_catalogue
from ccm_tui.domain.model import ReviewKind, TaskCategory
from ccm_tui.domain.service_review import ATTENDEE_SEPARATOR, ReviewStatus
from ccm_tui.store.review_completion import ReviewDates, rolled_up

Rows = dict[str, list[dict[str, Any]]]
IdSource = Callable[[str, int], range]  # (table's key, n): n fresh ids

_INTERVAL = {"monthly": 30, "quarterly": 91}  # days between reviews at each cadence
_MINUTES = {
    TaskCategory.RELATIONSHIP: (
        "Customer is pleased with the response times; asked about the SD-WAN option.",
        "Two new contacts introduced; the contact list was updated in the meeting.",
    ),
    TaskCategory.INCIDENTS: (
        "Incidents this period were resolved within SLA; no repeat causes.",
        "One escalation through the NOC; the root cause report was shared.",
    ),
    TaskCategory.CONFIGURATION: (
        "Firewall rules reviewed; three unused rules to remove.",
        "Monitoring thresholds reviewed; interface alerts tuned for the backup link.",
    ),
    TaskCategory.SERVICE_LEVEL: (
        "Availability 99.98% against a 99.9% target; all SLAs met.",
        "SLA report accepted; one credit claim discussed.",
    ),
    TaskCategory.FINANCE: (
        "No open billing queries.",
        "Service credit for last month's outage approved.",
    ),
    TaskCategory.ACTIVATIONS: (
        "Upcoming activations and readiness checklists reviewed.",
        "Customer confirmed site access for next month's installations.",
    ),
}
_ACTIONS = (
    ("Send the updated authorised contact list", "customer"),
    ("Share the SLA report for the quarter", "ccm"),
    ("Schedule the quarterly firewall rule review", "ccm"),
    ("Confirm rack space and power for the new site", "customer"),
    ("Raise the service credit request for the outage", "ccm"),
    ("Send the test plan for the next activation", "customer"),
)
_INCIDENTS = (
    "Packet loss on the primary circuit at {site}",
    "Router at {site} rebooted unexpectedly; service restored",
    "DNS resolution failures for users at {site}",
    "Backup link did not take over during a carrier outage at {site}",
    "Internet circuit down at {site}; carrier fault",
)
_ESCALATIONS = (
    "Escalated to the NOC duty manager: repeat outage at {site}",
    "Customer escalation: slow repair of the circuit fault at {site}",
)


class ReviewSeeder:
    def __init__(self, today: date, now: datetime, rng_seed: int) -> None:
        self.today = today
        self.now = now  # naive UTC
        self.rng = random.Random(f"{rng_seed}-reviews")
        catalogue = load_task_catalogue()
        # per kind: (section, text, key, category) of every item its agenda may hold
        self.offered = {
            kind: [(area.label, item.text, item.key, area.category) for area, item in catalogue.items_for(kind)]
            for kind in ReviewKind
        }

    def customer(
        self,
        rows: Rows,
        ids: IdSource,
        cid: int,
        ccm: str,
        designated: str,
        executive: str | None,
        site_names: list[str],
    ) -> dict[str, Any]:
        """Write the customer's reviews and incidents; the customer row's review columns."""
        rng = self.rng
        cadence = "quarterly" if rng.random() < 0.3 else "monthly"
        interval = _INTERVAL[cadence]
        held: list[date] = []
        if rng.random() >= 0.08:  # a few customers have never had a review
            # some are overdue: up to half an interval past the next one
            held.append(_weekday(self.today - timedelta(days=rng.randint(2, interval * 3 // 2))))
            if rng.random() < 0.5:
                held.insert(0, _weekday(held[0] - timedelta(days=interval + rng.randint(-4, 4))))
        # reviewed outside a service review too, before any of these
        firewall, monitoring = self._reviewed_on(), self._reviewed_on()
        dates = ReviewDates(firewall_reviewed_on=firewall, monitoring_reviewed_on=monitoring)
        for index, day in enumerate(held):
            kind = ReviewKind.EXECUTIVE if executive and rng.random() < 0.1 else ReviewKind(cadence)
            following = held[index + 1] if index + 1 < len(held) else None
            keys = self._review(rows, ids, cid, ccm, designated, executive, kind, day, following)
            dates = rolled_up(dates, day, keys)
        for _ in range(rng.choices((0, 1, 2, 3, 4), (35, 25, 20, 12, 8))[0]):
            self._incident(rows, ids, cid, ccm, rng.choice(site_names))
        return {"review_cadence": cadence, **asdict(dates)}

    def _reviewed_on(self) -> date | None:
        roll = self.rng.random()
        return None if roll < 0.15 else self.today - timedelta(days=int(10 + roll * 230))

    def _review(
        self,
        rows: Rows,
        ids: IdSource,
        cid: int,
        ccm: str,
        designated: str,
        executive: str | None,
        kind: ReviewKind,
        day: date,
        following: date | None,
    ) -> set[str]:
        """One completed review; the catalogue keys its agenda discussed."""
        rng = self.rng
        (review_id,) = ids("service_reviews", 1)
        attendees = [f"{designated} (designated contact)"]
        if kind is ReviewKind.EXECUTIVE and executive and executive != designated:
            attendees.append(f"{executive} (executive)")
        attendees.append(f"{ccm} (CCM)")
        rows["service_reviews"].append(
            {
                "id": review_id,
                "customer_id": cid,
                "kind": kind.value,
                "held_on": day,
                "status": ReviewStatus.COMPLETED.value,
                "attendees": ATTENDEE_SEPARATOR.join(attendees),
                "version": 2,  # made as a draft, then completed
                "completed_at": datetime.combine(day, time(17, 0)),
            }
        )
        offered = self.offered[kind]
        chosen = sorted(rng.sample(range(len(offered)), min(len(offered), rng.randint(4, 6))))
        for position, (index, item_id) in enumerate(zip(chosen, ids("agenda_items", len(chosen)), strict=True), start=1):
            section, text, key, category = offered[index]
            rows["agenda_items"].append(
                {
                    "id": item_id,
                    "review_id": review_id,
                    "position": position,
                    "section": section,
                    "text": text,
                    "minutes": rng.choice(_MINUTES[category]),
                    "key": key,
                    "details": "",
                    "contact_ids": "",
                }
            )
        actions = rng.sample(_ACTIONS, rng.randint(1, 3))
        for (text, owner), action_id in zip(actions, ids("action_items", len(actions)), strict=True):
            due = day + timedelta(days=rng.randint(7, 21))
            done_on: date | None
            if following is not None:  # done before the next review was held
                done, done_on = True, min(due, following - timedelta(days=1))
            else:
                done = due < self.today and rng.random() < 0.6
                done_on = due if done else None
            rows["action_items"].append(
                {
                    "id": action_id,
                    "review_id": review_id,
                    "text": text,
                    "owner": ccm if owner == "ccm" else designated,
                    "due": due,
                    "done": done,
                    "done_on": done_on,
                    "carried_from_id": None,
                }
            )
        return {offered[index][2] for index in chosen}

    def _incident(self, rows: Rows, ids: IdSource, cid: int, ccm: str, site: str) -> None:
        rng = self.rng
        escalation = rng.random() < 0.25
        opened = self.now - timedelta(days=rng.randint(0, 115), minutes=rng.randint(0, 1440))
        severity = rng.choices((1, 2, 3, 4), (5, 20, 45, 30))[0]
        closed = opened + timedelta(hours=rng.randint(1, 6) if severity <= 2 else rng.randint(2, 96))
        (incident_id,) = ids("incidents", 1)
        rows["incidents"].append(
            {
                "id": incident_id,
                "customer_id": cid,
                "kind": "escalation" if escalation else "incident",
                "severity": severity,
                "summary": rng.choice(_ESCALATIONS if escalation else _INCIDENTS).format(site=site),
                "opened_at": opened,
                "closed_at": None if closed > self.now or rng.random() < 0.08 else closed,
                "who": ccm,
            }
        )


def _weekday(day: date) -> date:
    """The day, or the Friday before it if it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))
