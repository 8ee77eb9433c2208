"""One activation's checklist as its screen shows it: the items in order with
their due dates in the site's calendar, readiness, and the cost of a
not-ready outcome when it is at risk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.checklist import item_due_date, sort_items, visible_phases
from ccm_tui.domain.checklist_views import ActivationChecklist, ChecklistLine
from ccm_tui.domain.fees import FeeSchedule
from ccm_tui.domain.model import Region, StepKind, StepStatus
from ccm_tui.domain.readiness import is_overdue, not_ready_cost
from ccm_tui.errors import NotFound
from ccm_tui.store.checklist_readiness import Calendars, readiness_in
from ccm_tui.store.checklists import item_from_row
from ccm_tui.store.convert import (
    activation_from_row,
    contact_from_row,
    site_from_row,
    step_from_row,
)
from ccm_tui.store.engine import read_session
from ccm_tui.store.sql_types import select_columns
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ChecklistItemRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)


def activation_checklist(
    engine: Engine,
    activation_id: int,
    now: datetime,
    business_hours: BusinessHours,
    schedule: FeeSchedule,
) -> ActivationChecklist:
    """The activation with its items, due dates in the site's calendar, readiness and risk cost."""
    calendars = Calendars(business_hours)
    with read_session(engine) as session:
        found = session.exec(
            select_columns(ActivationRow, SiteRow, CustomerRow.name, CustomerRow.account_number, CustomerRow.region, OrderRow)
            .join(SiteRow, col(SiteRow.id) == ActivationRow.site_id)
            .join(CustomerRow, col(CustomerRow.id) == ActivationRow.customer_id)
            .join(OrderRow, col(OrderRow.id) == ActivationRow.order_id)
            .where(ActivationRow.id == activation_id)
        ).first()
        if found is None:
            raise NotFound("activation", activation_id)
        activation_row, site_row, customer_name, account_number, region, order_row = found
        step_rows = session.exec(select(ActivationStepRow).where(ActivationStepRow.activation_id == activation_id)).all()
        items = session.exec(select(ChecklistItemRow).where(ChecklistItemRow.activation_id == activation_id)).all()
        contacts = session.exec(
            select(ContactRow).where(ContactRow.customer_id == activation_row.customer_id).order_by(col(ContactRow.id))
        ).all()
        readiness = readiness_in(session, [activation_id], now, calendars)[activation_id]
    activation = activation_from_row(activation_row, [step_from_row(s) for s in step_rows])
    site = site_from_row(site_row)
    cal = calendars(site.timezone, site.country, site.subdivision)
    people = [contact_from_row(c) for c in contacts]
    letter_contact = next((c for c in people if c.id == activation_row.ip_letter_contact_id), None)
    technical = letter_contact or next((c for c in people if "technical" in {r.value for r in c.roles}), None)
    lines = []
    for item in sort_items([item_from_row(r) for r in items]):
        step = activation.step(item.phase.step)
        start = step.start if step is not None else None
        due = item_due_date(start, item.due_business_days, cal) if start is not None else None
        late = (
            start is not None
            and step is not None
            and step.status.open
            and item.state.outstanding
            and is_overdue(start, item.due_business_days, now, cal)
        )
        lines.append(ChecklistLine(item=item, due=due, overdue=bool(late)))
    cost = None
    if readiness.at_risk:
        sites = [(site.id, site.name, cal, activation.field_dispatch)]
        cost = not_ready_cost(schedule, Region(region), sites, order_row.ccd)
    activated = (act := activation.step(StepKind.ACTIVATION)) is not None and act.status is StepStatus.COMPLETED
    return ActivationChecklist(
        activation=activation,
        customer_name=customer_name,
        account_number=account_number,
        region=Region(region),
        site=site,
        order_number=order_row.number,
        ccd=order_row.ccd,
        ip_letter_contact=letter_contact,
        technical_contact=technical,
        lines=tuple(lines),
        phases=visible_phases(activation.service, activated),
        readiness=readiness,
        cost=cost,
    )
