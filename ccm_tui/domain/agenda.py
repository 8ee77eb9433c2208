"""The agenda generator: the catalogue's items for a review kind, filled
with the customer's facts.

`build_agenda` is pure: the same catalogue, facts and date give the same
agenda. Each entry carries typed fact lines (dates, money and hours stay
values); words and numbers are formatted at the edge (`ccm_tui.text.agenda_text`).
An item whose live data has nothing to say is marked "nothing to report";
an item with its own cadence that is not due is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ccm_tui.domain.agenda_facts import CustomerFacts, FeeFact, ReviewRef, StepFact
from ccm_tui.domain.book import OrderLine
from ccm_tui.domain.catalogue import Catalogue, LiveFacts
from ccm_tui.domain.contacts import is_review_overdue
from ccm_tui.domain.hours import BurnDown, HoursUsage, burn_down
from ccm_tui.domain.incidents import (
    Incident,
    IncidentKind,
    IncidentTally,
    tally,
    trend_by_month,
)
from ccm_tui.domain.model import Contact, Money, ReviewKind, TaskCategory
from ccm_tui.domain.reviews import is_item_due
from ccm_tui.domain.service_review import ActionItem

MAX_LINES = 8  # per list under an item; the rest is counted, not listed
TREND_MONTHS = 4  # the review's month and the three before

# -- fact lines -------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """An item with its own cadence, due now."""

    last_covered: date | None
    cadence_months: int


@dataclass(frozen=True)
class StepsHappened:
    since: date
    counts: tuple[tuple[str, int], ...]  # (status word, how many), most first


@dataclass(frozen=True)
class StepsComing:
    count: int


@dataclass(frozen=True)
class Step:
    step: StepFact


@dataclass(frozen=True)
class FeesCharged:
    since: date
    count: int
    totals: tuple[Money, ...]  # one per currency


@dataclass(frozen=True)
class Fee:
    fee: FeeFact


@dataclass(frozen=True)
class Ccd:
    order: OrderLine


@dataclass(frozen=True)
class HoursThisMonth:
    burn: BurnDown


@dataclass(frozen=True)
class HoursByCategory:
    hours: tuple[tuple[TaskCategory, Decimal], ...]


@dataclass(frozen=True)
class HoursEarlier:
    months: tuple[HoursUsage, ...]  # most recent first


@dataclass(frozen=True)
class ContactsOverdue:
    count: int


@dataclass(frozen=True)
class ContactDue:
    contact: Contact


@dataclass(frozen=True)
class IncidentsSince:
    kind: IncidentKind
    since: date
    tally: IncidentTally


@dataclass(frozen=True)
class IncidentTrend:
    kind: IncidentKind
    months: tuple[tuple[date, int], ...]  # oldest first


@dataclass(frozen=True)
class IncidentEntry:
    incident: Incident
    zone: str


@dataclass(frozen=True)
class ActionsOpen:
    review: ReviewRef | None
    count: int
    overdue: int


@dataclass(frozen=True)
class Action:
    action: ActionItem
    overdue: bool


@dataclass(frozen=True)
class More:
    count: int


FactLine = (
    Due | StepsHappened | StepsComing | Step | FeesCharged | Fee | Ccd | HoursThisMonth | HoursByCategory
    | HoursEarlier | ContactsOverdue | ContactDue | IncidentsSince | IncidentTrend | IncidentEntry
    | ActionsOpen | Action | More
)  # fmt: skip

# -- the agenda ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    key: str
    section: str
    text: str
    facts: tuple[FactLine, ...] = ()
    nothing_to_report: bool = False
    contact_ids: tuple[int, ...] = ()  # contacts listed as due for review


@dataclass(frozen=True)
class Agenda:
    kind: ReviewKind
    review_date: date
    since: date
    entries: tuple[AgendaEntry, ...]

    def entry(self, key: str) -> AgendaEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def sections(self) -> list[tuple[str, list[AgendaEntry]]]:
        grouped: dict[str, list[AgendaEntry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.section, []).append(entry)
        return list(grouped.items())


_Filled = tuple[tuple[FactLine, ...], tuple[int, ...]]


def build_agenda(catalogue: Catalogue, review_kind: ReviewKind, facts: CustomerFacts, review_date: date) -> Agenda:
    """The agenda for a `review_kind` review of `facts.customer` held on `review_date`."""
    entries: list[AgendaEntry] = []
    filled: set[LiveFacts] = set()
    for area, item in catalogue.items_for(review_kind):
        lines: tuple[FactLine, ...] = ()
        if item.cadence_months is not None:
            last = facts.last_covered.get(item.key)
            if not is_item_due(last, item.cadence_months, review_date):
                continue
            lines = (Due(last, item.cadence_months),)
        nothing = False
        contact_ids: tuple[int, ...] = ()
        # Live data goes under the first item that asks for it, so it is never shown twice.
        if item.live is not None and item.live not in filled:
            filled.add(item.live)
            live, contact_ids = _LIVE[item.live](facts, review_date)
            nothing = not live
            lines += live
        entries.append(AgendaEntry(item.key, area.label, item.text, lines, nothing, contact_ids))
    return Agenda(review_kind, review_date, facts.since, tuple(entries))


def _capped(lines: Sequence[FactLine]) -> tuple[FactLine, ...]:
    if len(lines) <= MAX_LINES:
        return tuple(lines)
    return (*lines[: MAX_LINES - 1], More(len(lines) - MAX_LINES + 1))


def _by_start(step: StepFact) -> tuple[bool, datetime | None]:
    """Soonest first; steps without a window last."""
    return step.start is None, step.start


def _activations(facts: CustomerFacts, review_date: date) -> _Filled:
    happened = sorted((s for s in facts.activations if s.happened and s.start is not None), key=_by_start)
    coming = sorted((s for s in facts.activations if s.status.open), key=_by_start)
    lines: list[FactLine] = []
    if happened:
        counts = Counter(s.status.label_for(s.kind) for s in happened)
        ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines += [StepsHappened(facts.since, ordered), *_capped([Step(s) for s in happened])]
    if coming:
        lines += [StepsComing(len(coming)), *_capped([Step(s) for s in coming])]
    return tuple(lines), ()


def _fees(facts: CustomerFacts, review_date: date) -> _Filled:
    if not facts.fees:
        return (), ()
    totals: dict[str, Money] = {}
    for fee in facts.fees:
        currency = fee.fee.currency
        totals[currency] = totals[currency] + fee.fee if currency in totals else fee.fee
    ordered = sorted(facts.fees, key=lambda f: f.at)
    head = FeesCharged(facts.since, len(facts.fees), tuple(totals[c] for c in sorted(totals)))
    return (head, *_capped([Fee(f) for f in ordered])), ()


def _orders(facts: CustomerFacts, review_date: date) -> _Filled:
    flagged = [o for o in facts.orders if o.past_ccd or o.at_risk]
    flagged.sort(key=lambda o: (not o.past_ccd, o.order.ccd, o.order.number))
    return _capped([Ccd(o) for o in flagged]), ()


def _hours(facts: CustomerFacts, review_date: date) -> _Filled:
    if not facts.hours:
        return (), ()
    current, *earlier = facts.hours
    lines: list[FactLine] = [HoursThisMonth(burn_down(current, facts.as_of, facts.warning_ratio))]
    if current.by_category:
        lines.append(HoursByCategory(tuple(current.by_category.items())))
    if any(u.used for u in earlier):
        lines.append(HoursEarlier(tuple(earlier)))
    if not current.package and not current.used and len(lines) == 1:
        return (), ()  # no package and no time logged: nothing to say
    return tuple(lines), ()


def _contacts(facts: CustomerFacts, review_date: date) -> _Filled:
    overdue = [c for c in facts.contacts if is_review_overdue(c.last_reviewed, review_date)]
    if not overdue:
        return (), ()
    # never reviewed first, then the longest ago
    overdue.sort(key=lambda c: (c.last_reviewed is not None, c.last_reviewed or date.min, c.name))
    lines = (ContactsOverdue(len(overdue)), *_capped([ContactDue(c) for c in overdue]))
    return lines, tuple(c.id for c in overdue)


def _incident_lines(kind: IncidentKind) -> Callable[[CustomerFacts, date], _Filled]:
    def fill(facts: CustomerFacts, review_date: date) -> _Filled:
        local = ZoneInfo(facts.zone)
        mine = [i for i in facts.incidents if i.kind is kind]
        recent = [i for i in mine if i.is_open or i.opened_at.astimezone(local).date() >= facts.since]
        if not recent:
            return (), ()
        month = min(review_date, facts.as_of).replace(day=1)
        months = [month]
        for _ in range(TREND_MONTHS - 1):
            months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
        recent.sort(key=lambda i: (not i.is_open, i.severity, i.opened_at))
        return (
            IncidentsSince(kind, facts.since, tally(recent)),
            IncidentTrend(kind, trend_by_month(mine, months, facts.zone)),
            *_capped([IncidentEntry(i, facts.zone) for i in recent]),
        ), ()

    return fill


def _actions(facts: CustomerFacts, review_date: date) -> _Filled:
    open_ = [a for a in facts.open_actions if not a.done]
    if not open_:
        return (), ()
    open_.sort(key=lambda a: (a.due is None, a.due or date.max, a.id))
    overdue = sum(1 for a in open_ if a.is_overdue(review_date))
    lines = (ActionsOpen(facts.last_review, len(open_), overdue), *_capped([Action(a, a.is_overdue(review_date)) for a in open_]))
    return lines, ()


_LIVE: dict[LiveFacts, Callable[[CustomerFacts, date], _Filled]] = {
    LiveFacts.ACTIVATIONS: _activations,
    LiveFacts.FEES: _fees,
    LiveFacts.ORDERS_CCD: _orders,
    LiveFacts.HOURS: _hours,
    LiveFacts.CONTACTS_OVERDUE: _contacts,
    LiveFacts.ACTION_ITEMS: _actions,
    LiveFacts.INCIDENTS: _incident_lines(IncidentKind.INCIDENT),
    LiveFacts.ESCALATIONS: _incident_lines(IncidentKind.ESCALATION),
}
