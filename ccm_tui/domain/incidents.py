"""The small incident and escalation log a service review trends.

An incident (or an escalation through the network operations center) has a
severity from 1 (critical) to 4 (low), a summary, when it was opened and,
once over, when it was closed. Reviews count them by severity and by month.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

SEVERITIES = (1, 2, 3, 4)


class IncidentKind(enum.StrEnum):
    INCIDENT = "incident"
    ESCALATION = "escalation"

    @property
    def plural(self) -> str:
        return f"{self.value}s"


@dataclass(frozen=True)
class Incident:
    id: int
    customer_id: int
    kind: IncidentKind
    severity: int
    summary: str
    opened_at: datetime  # UTC
    closed_at: datetime | None = None  # UTC
    who: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class IncidentTally:
    """How many, how many still open, and how many of each severity (1 first)."""

    total: int
    still_open: int
    by_severity: tuple[int, int, int, int]


def tally(incidents: Iterable[Incident]) -> IncidentTally:
    found = list(incidents)
    first, second, third, fourth = (sum(1 for i in found if i.severity == s) for s in SEVERITIES)
    return IncidentTally(
        total=len(found),
        still_open=sum(1 for i in found if i.is_open),
        by_severity=(first, second, third, fourth),
    )


def trend_by_month(incidents: Iterable[Incident], months: Sequence[date], zone: str) -> tuple[tuple[date, int], ...]:
    """(first day of month, count opened that month in `zone`) for each of `months`, in the order given."""
    wanted = {m.replace(day=1): 0 for m in months}
    local = ZoneInfo(zone)
    for incident in incidents:
        month = incident.opened_at.astimezone(local).date().replace(day=1)
        if month in wanted:
            wanted[month] += 1
    return tuple((m.replace(day=1), wanted[m.replace(day=1)]) for m in months)
