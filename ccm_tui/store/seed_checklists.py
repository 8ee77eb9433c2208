"""The seeded book's checklists: the shipped templates' items, ticked as far as each activation has got.

A book in use has a checklist for every activation whose window was
requested (`store.activations` makes it then, from the templates). At
200,000 activations that is five million items, so the seed gives them to
the activations the checklist screen shows: those with an event from
RECENT_DAYS ago (the "recently activated" list) to HORIZON_DAYS ahead, and
not cancelled. Items of activations further out would only be open.

The items are written by two INSERT ... SELECT statements, the templates
joined to the seeded activations in SQL (building two million rows in
Python would take longer than the rest of the seed). States follow what
`store.demo_checklists` does, in rules SQL can apply:

- items that mirror a record follow it: the designated contact's
  validation, the scheduling team's confirmation, the IP letter sent;
- the installation visit's and the call's items are done once that step
  happened; the troubleshooting items are not applicable once traffic passed;
- the rest are done once due, and a quarter of them before; a few customer
  items that gate the event stay open past their due date (the not-ready
  risks the screen leads with), and a few not yet due are blocked.

"Due" counts business days as 7/5 calendar days (the exact site calendar
is the screen's business; this only decides what was ticked). The choice of
items is a hash of (activation, position): the same seed gives the same book.
Every item not open has its one change in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Insert,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    insert,
    literal,
    select,
)

from ccm_tui.domain.checklist import (
    ChecklistTemplate,
    ItemSource,
    ItemState,
    Owner,
    Phase,
    TemplateItem,
    links_to_ip_letter,
)
from ccm_tui.domain.checklist_views import RECENT_DAYS
from ccm_tui.domain.model import ServiceKind, StepKind, StepStatus
from ccm_tui.store import tables as t
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.sql_types import table_of

HORIZON_DAYS = 60

_S = StepStatus
_CONFIRMED_OR_LATER = tuple(s.value for s in (_S.CONFIRMED, _S.VALIDATED, _S.COMPLETED, _S.NOT_READY, _S.NO_SHOW))
_VALIDATED_OR_LATER = _CONFIRMED_OR_LATER[1:]
_OUTCOMES = (_S.NOT_READY.value, _S.NO_SHOW.value)  # the event was held, without activation
_WITH_CHECKLIST = (_S.REQUESTED.value, *_CONFIRMED_OR_LATER)
_BLOCKED_NOTE = "Waiting for the customer's network team; chased by e-mail"
_NOT_APPLICABLE_NOTE = "Traffic passed at activation"

_template = Table(
    "seed_template",
    MetaData(),
    Column("service", String(16)),
    Column("position", Integer),
    Column("phase", String(32)),
    Column("text", String(400)),
    Column("owner", String(16)),
    Column("due", Integer),
    Column("blocking", Boolean),
    Column("step", String(16)),  # the step the item counts back from
    Column("rule", String(16)),  # how its state is decided (see _rule)
    Column("due_from", t.NAIVE_UTC),  # a step starting on or before this has the item due already
    Column("changed_at", t.NAIVE_UTC),  # when a ticked item was ticked (unless its step's start says)
    prefixes=["TEMPORARY"],
)


def _rule(item: TemplateItem) -> str:
    text = item.text.casefold()
    if "validates the" in text:
        return "validated"
    if "confirmed by the scheduling team" in text:
        return "confirmed"
    if item.phase in (Phase.INSTALLATION_VISIT, Phase.DURING_CALL) or "installation marked complete" in text:
        return "held"
    if item.phase is Phase.AFTER_ACTIVATION:
        return "after"
    if links_to_ip_letter(item.text):
        return "letter" if item.owner is Owner.PROVIDER else "after_letter"
    return "due"


def _template_rows(templates: Mapping[ServiceKind, ChecklistTemplate], now: datetime) -> list[dict[str, object]]:
    return [
        {
            "service": kind.value,
            "position": position,
            "phase": item.phase.value,
            "text": item.text,
            "owner": item.owner.value,
            "due": item.due_business_days,
            "blocking": item.blocking,
            "step": item.phase.step.value,
            "rule": _rule(item),
            # customer items that gate the event get a day's grace, so few stay open by rounding
            "due_from": now + timedelta(days=item.due_business_days * 1.4 + (1 if item.blocking else 0.5)),
            "changed_at": now - timedelta(days=1 + position % 9, minutes=position * 37 % 600),
        }
        for kind, template in templates.items()
        for position, item in enumerate(template.items, start=1)
    ]


def seed_checklists(
    conn: Connection,
    templates: Mapping[ServiceKind, ChecklistTemplate],
    first_activation_id: int,
    now: datetime,
    horizon_days: int = HORIZON_DAYS,
) -> tuple[int, int]:
    """Checklists for the activations from `first_activation_id` on; (items, history lines) written."""
    _template.create(conn)
    try:
        conn.execute(insert(_template), _template_rows(templates, now))
        # An INSERT ... SELECT's count is kept only when asked for (psycopg's would read -1).
        counted = conn.execution_options(preserve_rowcount=True)
        items = counted.execute(_insert_items(first_activation_id, now, horizon_days)).rowcount
        changes = counted.execute(_insert_changes(first_activation_id)).rowcount
    finally:
        _template.drop(conn)
    refresh_blocking_offsets(conn, from_id=first_activation_id)
    return items, changes


def _insert_items(first_activation_id: int, now: datetime, horizon_days: int) -> Insert:
    a = table_of(t.ActivationRow)
    customer = table_of(t.CustomerRow)
    steps = table_of(t.ActivationStepRow)
    step, event, tp = steps.alias("step"), steps.alias("event"), _template.c
    status = step.c.status
    letter_sent = a.c.ip_letter_sent_on.is_not(None)
    customer_gate = and_(tp.owner == Owner.CUSTOMER.value, tp.blocking.is_(True))
    chance = (a.c.id * 37 + tp.position * 101) % 100  # the same "random" draw every time
    done, open_ = ItemState.DONE.value, ItemState.OPEN.value
    state = case(
        (tp.rule == "validated", case((status.in_(_VALIDATED_OR_LATER), done), else_=open_)),
        (tp.rule == "confirmed", case((status.in_(_CONFIRMED_OR_LATER), done), else_=open_)),
        (tp.rule == "held", case((status == _S.COMPLETED.value, done), else_=open_)),
        (
            tp.rule == "after",
            case(
                (and_(status == _S.COMPLETED.value, a.c.traffic_passed_at.is_not(None)), ItemState.NOT_APPLICABLE.value),
                else_=open_,
            ),
        ),
        (tp.rule == "letter", case((letter_sent, done), else_=open_)),
        (and_(tp.rule == "after_letter", ~letter_sent), open_),  # no letter yet, nothing to act on
        (status == _S.COMPLETED.value, done),
        (and_(status.in_(_OUTCOMES), tp.owner == Owner.PROVIDER.value), done),
        (status.in_(_OUTCOMES), case((chance < 70, done), else_=open_)),
        (
            step.c.start_at <= tp.due_from,
            case((customer_gate, case((chance < 2, open_), else_=done)), (chance < 90, done), else_=open_),
        ),
        (and_(tp.owner == Owner.CUSTOMER.value, chance >= 97), ItemState.BLOCKED.value),
        (chance < 25, done),
        else_=open_,
    )
    changed_at = case((tp.rule.in_(("held", "after")), step.c.start_at), else_=tp.changed_at)
    drawn = (
        select(
            a.c.id.label("activation_id"),
            tp.phase,
            tp.position,
            tp.text,
            tp.owner,
            tp.due,
            tp.blocking,
            state.label("state"),
            changed_at.label("changed_at"),
            customer.c.ccm,
        )
        .select_from(
            a.join(customer, customer.c.id == a.c.customer_id)
            .join(_template, tp.service == a.c.service)
            .join(step, and_(step.c.activation_id == a.c.id, step.c.kind == tp.step))
            .join(event, and_(event.c.activation_id == a.c.id, event.c.kind == StepKind.ACTIVATION.value))
        )
        .where(
            a.c.id >= first_activation_id,
            event.c.status.in_(_WITH_CHECKLIST),
            event.c.start_at >= now - timedelta(days=RECENT_DAYS),
            event.c.start_at <= now + timedelta(days=horizon_days),
        )
        .subquery("drawn")
    )
    d = drawn.c
    ticked = d.state != open_
    rows = select(
        d.activation_id,
        d.phase,
        d.position,
        d.text,
        d.owner,
        d.due,
        d.blocking,
        d.state,
        case(
            (d.state == ItemState.BLOCKED.value, _BLOCKED_NOTE),
            (d.state == ItemState.NOT_APPLICABLE.value, _NOT_APPLICABLE_NOTE),
            else_="",
        ),
        case((ticked, 2), else_=1),
        case((ticked, d.changed_at), else_=None),
        case((ticked, d.ccm), else_=""),
        literal(ItemSource.TEMPLATE.value),
    ).order_by(d.activation_id, d.position)
    item = table_of(t.ChecklistItemRow)
    columns = ["activation_id", "phase", "position", "text", "owner", "due_offset_days", "blocking", "state", "note"]
    columns += ["version", "updated_at", "updated_by", "source"]
    return insert(item).from_select(columns, rows)


def _insert_changes(first_activation_id: int) -> Insert:
    item = table_of(t.ChecklistItemRow)
    change = table_of(t.ChecklistChangeRow)
    rows = select(
        item.c.id,
        item.c.activation_id,
        item.c.updated_at,
        item.c.updated_by,
        literal(ItemState.OPEN.value),
        item.c.state,
        item.c.note,
    ).where(item.c.activation_id >= first_activation_id, item.c.state != ItemState.OPEN.value)
    # in item order: without it the history's ids follow the scan order, which on a server reusing freed space is
    # not the items' order (and not SQLite's), so the same seed gave two engines different books
    rows = rows.order_by(item.c.id)
    columns = ["item_id", "activation_id", "at", "who", "from_state", "to_state", "note"]
    return insert(change).from_select(columns, rows)
