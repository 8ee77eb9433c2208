"""The activation calendar's reads: a month's per-day counts, the events of
a range of days, the on-call window, reminders due, one activation's detail.

Days are the CCM's own (settings.time_zone): their UTC boundaries are worked
out here, in Python, from the zone's local midnights (23 or 25 hours long
on DST days). The month is counted in SQL from `ix_activation_step_calendar`
alone (start, status, the derived flags, CCD, customer): no row of any
other table is read, so a month of a 200,000-activation book costs about
what it costs to walk that month's index entries. Lists of events read
only the rows they show, joined to their activation, customer, site and
order, and judge each with the domain's rules.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Select, and_, case, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar, is_late_change
from ccm_tui.domain.ccd import accrued_charges, is_past_ccd
from ccm_tui.domain.fee_guard import Initiator
from ccm_tui.domain.model import Contact, ContactRole, Money, OrderStatus, Region, StepKind, StepStatus
from ccm_tui.domain.oncall import LONGEST_WINDOW, on_call_window, overlaps
from ccm_tui.domain.reminders import LOOKAHEAD_DAYS, REMINDED_STATUSES, ReminderDue, ReminderKind, reminder_due
from ccm_tui.domain.schedule import (
    ActivationDetail,
    CalendarEvent,
    CalendarFilter,
    CcdState,
    DayEvents,
    DaySummary,
    HistoryLine,
    MonthSummary,
    ReminderLine,
    WaitingStep,
)
from ccm_tui.domain.step_facts import CCD_WATCHED, event_ccd_state, step_facts
from ccm_tui.store.calendar_flags import AFTER_CCD, ON_CALL, flags_from_bits
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    customer_from_row,
    from_cents,
    order_from_row,
    site_from_row,
    step_from_row,
    to_naive_utc,
    to_utc,
)
from ccm_tui.store.engine import read_session
from ccm_tui.errors import NotFound
from ccm_tui.store.tables import (
    ActivationChangeRow,
    ActivationRow,
    ActivationStepRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    OrderServiceRow,
    SiteRow,
)

_OPEN = tuple(s.value for s in StepStatus if s.open)
_CCD_WATCHED = tuple(sorted(s.value for s in CCD_WATCHED))
# The late-change window reaches at most one business day ahead; with a long
# weekend and a holiday that is under a week.
_LATE_HORIZON = timedelta(days=6)
DAY_LIMIT = 100  # events read for one day's list (more than a screen shows); the total is always counted
_IN_CHUNK = 900  # ids per IN list (SQLite's bound-parameter limit is far above)


# -- days in the CCM's zone ------------------------------------------------------


def local_midnight(day: date, zone: str) -> datetime:
    """The UTC instant a local day starts (midnight, or the first instant after a skipped one)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def day_bounds(first: date, days: int, zone: str) -> list[datetime]:
    """UTC instants of `days + 1` local midnights from `first`: day i is [b[i], b[i+1])."""
    return [local_midnight(first + timedelta(days=i), zone) for i in range(days + 1)]


def month_days(first: date) -> int:
    following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    return (following - first.replace(day=1)).days


# -- filters ------------------------------------------------------------------------


def _filter_terms(flt: CalendarFilter) -> list[ColumnElement[bool]]:
    step = ActivationStepRow
    terms: list[ColumnElement[bool]] = [col(step.status).in_(sorted(s.value for s in flt.statuses))]
    if flt.after_hours_only:
        terms.append(col(step.calendar_flags).op("&")(ON_CALL) != 0)
    return terms + _customer_terms(flt)


def _customer_terms(flt: CalendarFilter) -> list[ColumnElement[bool]]:
    """Region and CCM: the customer's, tested on the step's denormalised customer id."""
    customer_terms = []
    if flt.region is not None:
        customer_terms.append(col(CustomerRow.region) == flt.region.value)
    if flt.ccm:
        customer_terms.append(col(CustomerRow.ccm) == flt.ccm)
    if not customer_terms:
        return []
    # "+ 0": walk the start index and test each row, rather than start from
    # each matching customer and sort; bounded by the range's size either way.
    return [(col(ActivationStepRow.customer_id) + 0).in_(select(CustomerRow.id).where(*customer_terms))]


def ccm_names(engine: Engine) -> list[str]:
    """The CCMs owning customers, for the filter's choices."""
    with read_session(engine) as session:
        names = session.exec(select(CustomerRow.ccm).where(CustomerRow.ccm != "").distinct()).all()
    return sorted(names, key=str.casefold)


# -- the month grid ---------------------------------------------------------------


def month_summary(
    engine: Engine, first: date, zone: str, flt: CalendarFilter, now: datetime, hours: BusinessHours
) -> MonthSummary:
    """Per-day counts for the month starting `first`, days in `zone`.

    Counts, markers for after hours/weekend/holiday and the CCD come from
    the index in one query grouped by start instant: the index hands rows
    over in start order, so the grouping streams (no sort), and windows
    start on the hour or half hour, so a month is a few thousand groups,
    put into days here. The late-change marker depends on the clock and
    each site's business days, so it is judged in Python for the few days
    ahead that can hold such events (a week at most).
    """
    first = first.replace(day=1)
    n = month_days(first)
    stmt, bounds = month_statement(first, zone, flt, now)
    totals = [[0, 0, 0, 0] for _ in range(n)]
    with read_session(engine) as session:
        for start_at, events, on_call_, past, at_risk in session.exec(stmt).all():
            day = totals[_index(to_utc(start_at), bounds)]
            day[0] += events
            day[1] += on_call_ or 0
            day[2] += past or 0
            day[3] += at_risk or 0
        late = _late_counts(session, bounds, flt, now, hours)
    return MonthSummary(
        first=first,
        days=tuple(
            DaySummary(first + timedelta(days=i), *totals[i], late=late.get(i, 0))  # type: ignore[misc]
            for i in range(n)
        ),
    )


def month_statement(
    first: date, zone: str, flt: CalendarFilter, now: datetime
) -> tuple[Select, list[datetime]]:  # type: ignore[type-arg]
    """The month's grouped query (per start instant) and its local-midnight bounds."""
    bounds = day_bounds(first, month_days(first), zone)
    step = ActivationStepRow
    today = now.astimezone(UTC).date()
    watched = col(step.status).in_(_CCD_WATCHED)
    flags = col(step.calendar_flags)
    stmt = (
        select(
            step.start_at,
            func.count(),
            func.sum(case((flags.op("&")(ON_CALL) != 0, 1), else_=0)),
            func.sum(case((and_(watched, col(step.ccd) < today), 1), else_=0)),
            func.sum(case((and_(watched, col(step.ccd) >= today, flags.op("&")(AFTER_CCD) != 0), 1), else_=0)),
        )
        .where(
            col(step.start_at) >= to_naive_utc(bounds[0]),
            col(step.start_at) < to_naive_utc(bounds[-1]),
            *_filter_terms(flt),
        )
        .group_by(step.start_at)
    )
    return stmt, bounds


def _late_counts(
    session: Session, bounds: Sequence[datetime], flt: CalendarFilter, now: datetime, hours: BusinessHours
) -> dict[int, int]:
    """Per day index: open events starting from now, inside their late-change window."""
    lo, hi = max(bounds[0], now), min(bounds[-1], now + _LATE_HORIZON)
    if lo >= hi:
        return {}
    step = ActivationStepRow
    # Grouped by start and site calendar: windows start on the hour or half
    # hour, so a busy week is a few thousand groups, each judged once.
    rows = session.exec(
        select(step.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision, func.count())
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .where(
            col(step.start_at) > to_naive_utc(lo),
            col(step.start_at) < to_naive_utc(hi),
            col(step.status).in_(_OPEN),
            *_filter_terms(flt),
        )
        .group_by(step.start_at, SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
    ).all()
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}
    counts: dict[int, int] = defaultdict(int)
    for start_at, zone, country, subdivision, n in rows:
        cal = calendars.get((zone, country, subdivision))
        if cal is None:
            cal = calendars[zone, country, subdivision] = SiteCalendar(zone, country, hours, subdivision)
        start = to_utc(start_at)
        if is_late_change(start, now, cal):
            counts[_index(start, bounds)] += n
    return counts


def _index(instant: datetime, bounds: Sequence[datetime]) -> int:
    return bisect_right(bounds, instant) - 1


# -- lists of events ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    now: datetime
    hours: BusinessHours
    today: date  # UTC date, for CCDs


def _event_select():  # type: ignore[no-untyped-def]
    step = ActivationStepRow
    return (
        select(
            step,
            ActivationRow,
            SiteRow,
            OrderRow,
            CustomerRow.name,
            CustomerRow.account_number,
            CustomerRow.region,
            CustomerRow.ccm,
        )
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .join(CustomerRow, col(CustomerRow.id) == step.customer_id)
    )


def _events(
    session: Session, rows: Iterable[tuple], ctx: _Context, with_contacts: bool = True  # type: ignore[type-arg]
) -> list[CalendarEvent]:
    rows = list(rows)
    contacts = contacts_for(session, {r[0].customer_id for r in rows}) if with_contacts else {}
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}
    events = []
    for step_row, activation_row, site_row, order_row, name, account, region, ccm in rows:
        step = step_from_row(step_row)
        site = site_from_row(site_row)
        key = (site.timezone, site.country, site.subdivision)
        cal = calendars.get(key)
        if cal is None:
            cal = calendars[key] = SiteCalendar(site.timezone, site.country, ctx.hours, site.subdivision)
        activation = activation_from_row(activation_row, ())
        stored = step_row.calendar_flags
        facts = step_facts(
            step,
            cal,
            ctx.now,
            activation.traffic_passed_at,
            flags_from_bits(stored) if stored is not None else None,
        )
        state = event_ccd_state(step, cal, order_row.ccd, order_row.completed_on, ctx.today)
        accrued = None
        if state is CcdState.PAST:
            amount = accrued_charges(from_cents(order_row.mrc_cents), order_row.ccd, order_row.completed_on, ctx.today)
            accrued = Money(amount, order_row.currency)
        events.append(
            CalendarEvent(
                step=step,
                activation=activation,
                customer_id=step_row.customer_id,
                customer_name=name,
                account_number=account,
                region=Region(region),
                ccm=ccm,
                site=site,
                order_number=order_row.number,
                ccd=order_row.ccd,
                ccd_state=state,
                accrued=accrued,
                facts=facts,
                contacts=contacts.get(step_row.customer_id, ()),
            )
        )
    return events


def contacts_for(session: Session, customer_ids: set[int]) -> dict[int, tuple[Contact, ...]]:
    """Each customer's contacts: designated first, then site technical, then the rest."""
    if not customer_ids:
        return {}
    found: dict[int, list[Contact]] = defaultdict(list)
    for row in session.exec(select(ContactRow).where(col(ContactRow.customer_id).in_(sorted(customer_ids)))).all():
        found[row.customer_id].append(contact_from_row(row))
    return {cid: tuple(sorted(cs, key=_contact_rank)) for cid, cs in found.items()}


def _contact_rank(contact: Contact) -> tuple[int, str]:
    if ContactRole.DESIGNATED in contact.roles:
        return (0, contact.name.casefold())
    if ContactRole.SITE_TECHNICAL in contact.roles:
        return (1, contact.name.casefold())
    return (2, contact.name.casefold())


def events_between(
    engine: Engine,
    start: datetime,
    end: datetime,
    flt: CalendarFilter,
    now: datetime,
    hours: BusinessHours,
    limit: int = DAY_LIMIT,
) -> DayEvents:
    """Events starting in [start, end), soonest first, at most `limit`; with the full count."""
    step = ActivationStepRow
    where = [col(step.start_at) >= to_naive_utc(start), col(step.start_at) < to_naive_utc(end), *_filter_terms(flt)]
    ctx = _Context(now, hours, now.astimezone(UTC).date())
    with read_session(engine) as session:
        total = session.exec(select(func.count()).select_from(step).where(*where)).one()
        rows = session.exec(_event_select().where(*where).order_by(col(step.start_at), col(step.id)).limit(limit)).all()
        events = _events(session, rows, ctx)
    return DayEvents(events=tuple(events), total=total)


def events_by_day(
    engine: Engine,
    first: date,
    days: int,
    zone: str,
    flt: CalendarFilter,
    now: datetime,
    hours: BusinessHours,
    per_day: int,
) -> list[DayEvents]:
    """For each of `days` local days from `first`: its first `per_day` events and its count (the week view)."""
    bounds = day_bounds(first, days, zone)
    return [events_between(engine, bounds[i], bounds[i + 1], flt, now, hours, per_day) for i in range(days)]


def on_call(
    engine: Engine, flt: CalendarFilter, now: datetime, hours_ahead: int, hours: BusinessHours
) -> list[CalendarEvent]:
    """Events outside business hours that overlap the next `hours_ahead` hours, still to happen or under way."""
    window = on_call_window(now, hours_ahead)
    step = ActivationStepRow
    flt = replace(flt, after_hours_only=True)
    ctx = _Context(now, hours, now.astimezone(UTC).date())
    where = [
        col(step.start_at) >= to_naive_utc(window[0] - LONGEST_WINDOW),
        col(step.start_at) < to_naive_utc(window[1]),
        col(step.status).in_(_OPEN),
        *_filter_terms(flt),
    ]
    with read_session(engine) as session:
        rows = [
            r
            for r in session.exec(_event_select().where(*where).order_by(col(step.start_at), col(step.id))).all()
            if overlaps(to_utc(r[0].start_at), to_utc(r[0].end_at), window)
        ]
        return _events(session, rows, ctx)


def reminders_due(
    engine: Engine, flt: CalendarFilter, now: datetime, hours: BusinessHours, limit: int = 200
) -> tuple[list[ReminderLine], int]:
    """Confirmed events that need a reminder today (each in its site's calendar),
    not yet sent for this date: the first `limit`, soonest event first, and how many in all.

    The rule is judged on light rows grouped by start and site calendar;
    full events are read for the lines returned only.
    """
    step = ActivationStepRow
    where = [
        col(step.start_at) > to_naive_utc(now),
        col(step.start_at) < to_naive_utc(now + timedelta(days=LOOKAHEAD_DAYS)),
        col(step.status).in_(sorted(s.value for s in REMINDED_STATUSES)),
        *_filter_terms(flt),
    ]
    calendars: dict[tuple[str, str, str], SiteCalendar] = {}

    def calendar(zone: str, country: str, subdivision: str) -> SiteCalendar:
        cal = calendars.get((zone, country, subdivision))
        if cal is None:
            cal = calendars[zone, country, subdivision] = SiteCalendar(zone, country, hours, subdivision)
        return cal

    with read_session(engine) as session:
        light = session.exec(
            select(step.id, step.activation_id, step.kind, step.start_at, step.status)
            .add_columns(SiteRow.timezone, SiteRow.country, SiteRow.subdivision)
            .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
            .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
            .where(*where)
            .order_by(col(step.start_at), col(step.id))
        ).all()
        judged: dict[tuple[datetime, str, str, str, str], bool] = {}
        candidates = []
        for step_id, activation_id, kind, start_at, status, zone, country, subdivision in light:
            key = (start_at, status, zone, country, subdivision)
            cal = calendar(zone, country, subdivision)
            if key not in judged:
                judged[key] = reminder_due(to_utc(start_at), StepStatus(status), now, cal) is not None
            if judged[key]:
                candidates.append((step_id, activation_id, kind, start_at, status, cal))
        sent = _reminders_sent(session, [(a, k, st) for _, a, k, st, _, _ in candidates])
        due: list[tuple[int, ReminderDue]] = []
        for step_id, activation_id, kind, start_at, status, cal in candidates:
            already = sent.get((activation_id, kind, start_at), set())
            found = reminder_due(to_utc(start_at), StepStatus(status), now, cal, already)
            if found is not None:
                due.append((step_id, found))
        shown = dict(due[:limit])
        ctx = _Context(now, hours, now.astimezone(UTC).date())
        rows = session.exec(
            _event_select().where(col(step.id).in_(list(shown))).order_by(col(step.start_at), col(step.id))
        ).all()
        lines = []
        for event in _events(session, rows, ctx):
            due_now = shown[event.step.id]
            lines.append(ReminderLine(event=replace(event, facts=replace(event.facts, reminder=due_now)), due=due_now))
    return lines, len(due)


def _reminders_sent(
    session: Session, steps: Sequence[tuple[int, str, datetime | None]]
) -> dict[tuple[int, str, datetime | None], set[ReminderKind]]:
    """Reminders recorded per (activation, step kind, start they were sent for)."""
    if not steps:
        return {}
    change = ActivationChangeRow
    wanted = {(a, k, s) for a, k, s in steps}
    found: dict[tuple[int, str, datetime | None], set[ReminderKind]] = defaultdict(set)
    ids = sorted({a for a, _, _ in steps})
    for chunk in range(0, len(ids), _IN_CHUNK):
        rows = session.exec(
            select(change.activation_id, change.step_kind, change.to_start, change.action).where(
                col(change.activation_id).in_(ids[chunk : chunk + _IN_CHUNK]),
                col(change.action).in_([k.value for k in ReminderKind]),
            )
        ).all()
        for activation_id, kind, to_start, action in rows:
            key = (activation_id, kind, to_start)
            if key in wanted:
                found[key].add(ReminderKind(action))
    return found


def reminders_sent_for(session: Session, activation_id: int, kind: StepKind, start: datetime | None) -> set[ReminderKind]:
    found = _reminders_sent(session, [(activation_id, kind.value, to_naive_utc(start))])
    return found.get((activation_id, kind.value, to_naive_utc(start)), set())


def waiting_steps(
    engine: Engine, flt: CalendarFilter, now: datetime, limit: int = 200
) -> tuple[list[WaitingStep], int]:
    """Steps still without a window on orders still open: the soonest CCD first; and how many in all."""
    step = ActivationStepRow
    closed = (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value)
    where = [step.status == StepStatus.UNSCHEDULED.value, col(OrderRow.status).not_in(closed)]
    where += _customer_terms(flt)
    today = now.astimezone(UTC).date()
    joined = (
        select(step, ActivationRow, SiteRow, OrderRow, CustomerRow.name, CustomerRow.account_number, CustomerRow.region)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
        .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
        .join(CustomerRow, col(CustomerRow.id) == step.customer_id)
        .where(*where)
    )
    with read_session(engine) as session:
        total = session.exec(
            select(func.count())
            .select_from(step)
            .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
            .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
            .where(*where)
        ).one()
        rows = session.exec(joined.order_by(col(OrderRow.ccd), col(step.id)).limit(limit)).all()
    found = [
        WaitingStep(
            step=step_from_row(step_row),
            activation=activation_from_row(activation_row, ()),
            customer_name=name,
            account_number=account,
            region=Region(region),
            site=site_from_row(site_row),
            order_number=order_row.number,
            order_status=order_row.status,
            ccd=order_row.ccd,
            past_ccd=is_past_ccd(order_row.ccd, order_row.completed_on, today),
        )
        for step_row, activation_row, site_row, order_row, name, account, region in rows
    ]
    return found, total


# -- one activation ------------------------------------------------------------------


def activation_detail(engine: Engine, activation_id: int, now: datetime, hours: BusinessHours) -> ActivationDetail:
    """The activation, its steps with what the rules say about each, contacts and history."""
    with read_session(engine) as session:
        row = session.get(ActivationRow, activation_id)
        if row is None:
            raise NotFound("activation", activation_id)
        step_rows = session.exec(select(ActivationStepRow).where(ActivationStepRow.activation_id == activation_id)).all()
        activation = activation_from_row(row, step_rows)
        customer_row = session.get(CustomerRow, row.customer_id)
        site_row = session.get(SiteRow, row.site_id)
        order_row = session.get(OrderRow, row.order_id)
        assert customer_row is not None and site_row is not None and order_row is not None
        services = session.exec(
            select(OrderServiceRow.kind).where(OrderServiceRow.order_id == row.order_id).order_by(col(OrderServiceRow.id))
        ).all()
        order = order_from_row(order_row, services)
        contacts = contacts_for(session, {row.customer_id}).get(row.customer_id, ())
        site = site_from_row(site_row)
        cal = SiteCalendar(site.timezone, site.country, hours, site.subdivision)
        today = now.astimezone(UTC).date()
        facts = {}
        states = []
        siblings = {}
        for step in activation.steps:
            reminder = None
            if step.start is not None:
                sent = reminders_sent_for(session, activation.id, step.kind, step.start)
                reminder = reminder_due(step.start, step.status, now, cal, sent)
                siblings[step.kind] = len(event_step_ids(session, row.order_id, step.kind, step.start, exclude=step.id))
            facts[step.kind] = step_facts(step, cal, now, activation.traffic_passed_at, reminder=reminder)
            states.append(event_ccd_state(step, cal, order.ccd, order.completed_on, today))
        # the order's state: the worst of its steps'
        state = next((s for s in (CcdState.PAST, CcdState.AT_RISK) if s in states), CcdState.ON_TRACK)
        accrued = None
        if state is CcdState.PAST:
            accrued = Money(accrued_charges(order.mrc, order.ccd, order.completed_on, today), order.currency)
        history = _history(session, activation_id, {c.id: c.name for c in contacts})
        letter_contact = next((c for c in contacts if c.id == row.ip_letter_contact_id), None)
        return ActivationDetail(
            activation=activation,
            customer=customer_from_row(customer_row),
            site=site,
            order=order,
            contacts=contacts,
            facts=facts,
            ccd_state=state,
            accrued=accrued,
            history=history,
            ip_letter_contact=letter_contact,
            siblings=siblings,
        )


def _history(session: Session, activation_id: int, names: dict[int, str]) -> tuple[HistoryLine, ...]:
    change = ActivationChangeRow
    rows = session.exec(
        select(change).where(change.activation_id == activation_id).order_by(col(change.at).desc(), col(change.id).desc())
    ).all()
    return tuple(
        HistoryLine(
            at=to_utc(r.at),
            who=r.who,
            step_kind=StepKind(r.step_kind),
            action=r.action,
            from_status=StepStatus(r.from_status) if r.from_status else None,
            to_status=StepStatus(r.to_status),
            from_start=to_utc(r.from_start),
            to_start=to_utc(r.to_start),
            reason=r.reason,
            fee=Money(from_cents(r.fee_cents), r.fee_currency or "") if r.fee_cents is not None else None,
            contact_name=names.get(r.contact_id, "") if r.contact_id is not None else "",
            initiator=Initiator(r.initiator) if r.initiator else None,
        )
        for r in rows
    )


def event_step_ids(
    session: Session, order_id: int, kind: StepKind, start: datetime, exclude: int | None = None
) -> list[int]:
    """The steps of one multi-site event: same order, same kind, same start; not finished or cancelled."""
    step = ActivationStepRow
    stmt = (
        select(step.id)
        .join(ActivationRow, col(ActivationRow.id) == step.activation_id)
        .where(
            ActivationRow.order_id == order_id,
            step.kind == kind.value,
            step.start_at == to_naive_utc(start),
            col(step.status).not_in((StepStatus.CANCELLED.value, StepStatus.COMPLETED.value)),
        )
        .order_by(col(step.id))
    )
    if exclude is not None:
        stmt = stmt.where(step.id != exclude)
    return list(session.exec(stmt).all())

