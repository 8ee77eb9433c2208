"""The calendar's events as a listing (`ccm events`): every step in a range, streamed.

One query, steps joined to their activation, site, order, customer and the
activation's other step, walks the start index (ix_activation_step_start_status)
in start order, and is read a batch at a time (a server-side cursor on
PostgreSQL), so a month of a 50,000-customer book never sits in memory whole.
Columns, not ORM rows, are read: building ORM objects cost more than the
query itself. Per batch, one more query reads the checklists' not-ready risk.

Each event is judged by the same rules as the calendar's lists
(`step_facts`, `event_ccd_state`, the stored after-hours flags, and
`checklist_readiness.activations_at_risk`, given both steps of each
activation); tests/store/test_calendar_listing.py holds the listing to the
calendar's answers. The facts depend on the step's window and status, its
site's calendar and the clock, so a batch judges each distinct combination
once (a seeded month has a few hundred distinct start instants).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.model import (
    Activation,
    ActivationStep,
    Site,
    StepKind,
    StepStatus,
)
from ccm_tui.domain.schedule import CalendarEvent, StepFacts
from ccm_tui.domain.step_facts import event_ccd_state, step_facts
from ccm_tui.store.calendar_events import Aware, accrued_past_ccd
from ccm_tui.store.calendar_flags import HOURS_FLAGS
from ccm_tui.store.checklist_readiness import Calendars, activations_at_risk
from ccm_tui.store.convert import REGIONS, SERVICES, STEP_KINDS, STEP_STATUSES, to_naive_utc
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

BATCH = 2000
_STEP, _ACT, _SITE, _ORDER, _CUSTOMER = ActivationStepRow, ActivationRow, SiteRow, OrderRow, CustomerRow
# The activation's other step (installation or activation event): the not-ready risk looks at both.
_OTHER = aliased(ActivationStepRow, name="other_step")
_COLUMNS = (
    _STEP.id,
    _STEP.activation_id,
    _STEP.kind,
    _STEP.start_at,
    _STEP.end_at,
    _STEP.status,
    _STEP.version,
    _STEP.calendar_flags,
    _STEP.customer_id,
    _ACT.order_id,
    _ACT.site_id,
    _ACT.service,
    _ACT.field_dispatch,
    _ACT.ip_letter_sent_on,
    _ACT.traffic_passed_at,
    _ACT.version,
    _SITE.name,
    _SITE.address,
    _SITE.city,
    _SITE.country,
    _SITE.timezone,
    _SITE.version,
    _SITE.subdivision,
    _ORDER.number,
    _ORDER.ccd,
    _ORDER.completed_on,
    _ORDER.mrc_cents,
    _ORDER.currency,
    _CUSTOMER.name,
    _CUSTOMER.account_number,
    _CUSTOMER.region,
    _CUSTOMER.ccm,
    _OTHER.kind,
    _OTHER.start_at,
    _OTHER.status,
)
_OPEN = frozenset(s.value for s in StepStatus if s.open)


def listing(
    engine: Engine,
    start: datetime,
    end: datetime,
    statuses: Collection[StepStatus],
    now: datetime,
    hours: BusinessHours,
    batch: int = BATCH,
) -> Iterator[list[CalendarEvent]]:
    """Events starting in [start, end) with one of `statuses`, soonest first (then by id), `batch` at a time."""
    stmt = (
        select_columns(*_COLUMNS)
        .select_from(_STEP)
        .join(_ACT, col(_ACT.id) == _STEP.activation_id)
        .join(_SITE, col(_SITE.id) == _ACT.site_id)
        .join(_ORDER, col(_ORDER.id) == _ACT.order_id)
        .join(_CUSTOMER, col(_CUSTOMER.id) == _STEP.customer_id)
        .outerjoin(_OTHER, and_(col(_OTHER.activation_id) == _STEP.activation_id, col(_OTHER.id) != _STEP.id))
        .where(
            col(_STEP.start_at) >= to_naive_utc(start),
            col(_STEP.start_at) < to_naive_utc(end),
            col(_STEP.status).in_(sorted(s.value for s in statuses if s is not StepStatus.UNSCHEDULED)),
        )
        .order_by(col(_STEP.start_at), col(_STEP.id))
    )
    judge = _Judge(now, hours)
    with read_session(engine) as session:
        # Core rows through the session's connection: the ORM's row handling cost a third of the reading
        result = session.connection().execute(stmt.execution_options(yield_per=batch))
        for rows in result.partitions():
            yield judge.events(session, rows)


class _Judge:
    """Turns a batch of rows into events, judging each distinct (window, status, site calendar) once."""

    def __init__(self, now: datetime, hours: BusinessHours) -> None:
        self.now = now
        self.today = now.astimezone(UTC).date()  # CCDs are judged on the UTC date (domain.step_facts)
        self.calendars = Calendars(hours)  # (it holds their zones too: zoneinfo's cache keeps only 8)
        self.aware = Aware()  # each stored time converted once

    def events(self, session: Session, rows: Sequence[Any]) -> list[CalendarEvent]:
        facts_seen: dict[tuple[Any, ...], StepFacts] = {}
        aware = self.aware
        sites: dict[int, tuple[Site, SiteCalendar]] = {}
        open_steps: dict[int, list[tuple[StepKind, datetime, SiteCalendar]]] = {}
        events = []
        for row in rows:
            (step_id, activation_id, kind, start_at, end_at, status, version, bits, customer_id) = row[:9]
            (order_id, site_id, service, dispatch, letter_on, traffic_at, activation_version) = row[9:16]
            (site_name, address, city, country, zone, site_version, subdivision) = row[16:23]
            (number, ccd, completed_on, mrc_cents, currency, name, account, region, ccm) = row[23:32]
            (other_kind, other_start, other_status) = row[32:]
            known = sites.get(site_id)
            if known is None:
                site = Site(site_id, customer_id, site_name, address, city, country, zone, site_version, subdivision)
                known = sites[site_id] = (site, self.calendars(zone, country, subdivision))
            site, cal = known
            step = ActivationStep(
                step_id, activation_id, STEP_KINDS[kind], aware[start_at], aware[end_at], STEP_STATUSES[status], version
            )
            traffic = aware[traffic_at]
            key = (kind, status, start_at, end_at, traffic_at, bits, zone, country, subdivision)
            facts = facts_seen.get(key)
            if facts is None:
                flags = HOURS_FLAGS[bits & 15] if bits is not None else None
                facts = facts_seen[key] = step_facts(step, cal, self.now, traffic, flags)
            steps = open_steps.setdefault(activation_id, [])
            if status in _OPEN and step.start is not None:
                steps.append((step.kind, step.start, cal))
            if other_status in _OPEN and other_start is not None:
                steps.append((STEP_KINDS[other_kind], aware[other_start], cal))
            state = event_ccd_state(step, cal, ccd, completed_on, self.today)
            events.append(
                CalendarEvent(
                    step=step,
                    activation=Activation(
                        activation_id,
                        customer_id,
                        order_id,
                        site_id,
                        SERVICES[service],
                        dispatch,
                        (),
                        letter_on,
                        traffic,
                        activation_version,
                    ),
                    customer_id=customer_id,
                    customer_name=name,
                    account_number=account,
                    region=REGIONS[region],
                    ccm=ccm,
                    site=site,
                    order_number=number,
                    ccd=ccd,
                    ccd_state=state,
                    accrued=accrued_past_ccd(state, mrc_cents, currency, ccd, completed_on, self.today),
                    facts=facts,
                )
            )
        # both steps of an activation in the range: each was added twice, which changes no answer
        at_risk = activations_at_risk(session, open_steps, self.now)
        if not at_risk:
            return events
        return [replace(e, facts=replace(e.facts, not_ready_risk=True)) if e.activation.id in at_risk else e for e in events]
