"""Service reviews in the store: facts for an agenda, drafts and their edits,
completing a review in one transaction, the reviews due, the incident log.
Each test on a fresh, migrated book."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from ccm_tui.domain.incidents import IncidentKind
from ccm_tui.domain.model import (
    ContactRole,
    OrderStatus,
    Region,
    ReviewKind,
    ServiceKind,
    StepKind,
    StepStatus,
    TaskCategory,
)
from ccm_tui.domain.review_inputs import ActionInput, AgendaItemInput, IncidentInput
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.domain.service_review import NewAgendaItem, ReviewStatus
from ccm_tui.domain.validation import (
    ContactInput,
    CustomerInput,
    SiteInput,
    TimeEntryInput,
)
from ccm_tui.errors import StaleEdit, StoreError
from ccm_tui.store import (
    review_actions,
    review_cadence,
    review_completion,
    review_drafts,
    review_facts,
    reviews,
    tables,
)
from ccm_tui.store.contacts import add_contact
from ccm_tui.store.customers import add_customer
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.incidents import close_incident, incidents_for, log_incident
from ccm_tui.store.review_drafts import DuplicateReview, ReviewLocked
from ccm_tui.store.sites import add_site
from ccm_tui.store.time_entries import log_time
from tests.actors import ACTOR, AT

ZONE = "America/New_York"
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)


def customer(engine: Engine, name: str = "Acme Logistics", account: str = "NA-1", cadence: str = "monthly") -> int:
    made = add_customer(engine, CustomerInput(name, account, Region.NORTH_AMERICA, "Alex", Decimal(10), ""), NOW, actor=ACTOR)
    if cadence != "monthly":
        review_cadence.set_cadence(engine, made.id, ReviewCadence(cadence), actor=ACTOR, now=AT)
    return made.id


def contact(engine: Engine, customer_id: int, name: str, reviewed: date | None) -> int:
    return add_contact(
        engine, customer_id, ContactInput(name, frozenset({ContactRole.AUTHORISED}), "", "", reviewed), actor=ACTOR, now=AT
    ).id


def past_review(
    engine: Engine,
    customer_id: int,
    held_on: date,
    kind: ReviewKind = ReviewKind.MONTHLY,
    keys: tuple[str, ...] = (),
    actions: tuple[tuple[str, bool], ...] = (),
    status: str = "completed",
) -> int:
    with write_session(engine) as session:
        row = tables.ServiceReviewRow(customer_id=customer_id, kind=kind.value, held_on=held_on, status=status, attendees="")
        session.add(row)
        session.flush()
        for n, key in enumerate(keys):
            session.add(tables.AgendaItemRow(review_id=row.id, position=n, section="S", text=key, key=key))
        for text, done in actions:
            session.add(tables.ActionItemRow(review_id=row.id, text=text, owner="Ann", due=held_on + timedelta(days=7), done=done))
        customer_row = session.get(tables.CustomerRow, customer_id)
        if status == "completed" and (customer_row.last_review_on is None or customer_row.last_review_on < held_on):
            customer_row.last_review_on = held_on  # as completing a review keeps it
        return row.id  # type: ignore[return-value]


def facts(engine: Engine, customer_id: int, kind: ReviewKind = ReviewKind.MONTHLY, day: date = TODAY, exclude: int | None = None):  # type: ignore[no-untyped-def]
    return review_facts.gather_facts(engine, customer_id, kind, day, now=NOW, today=TODAY, zone=ZONE, exclude_review_id=exclude)


def items(*keys_and_contacts: tuple[str, tuple[int, ...]]) -> list[NewAgendaItem]:
    return [
        NewAgendaItem(section="Relationship" if n < 2 else "Configuration", text=key, key=key, contact_ids=ids)
        for n, (key, ids) in enumerate(keys_and_contacts)
    ]


def draft(engine: Engine, customer_id: int, *keys_and_contacts: tuple[str, tuple[int, ...]], day: date = TODAY):  # type: ignore[no-untyped-def]
    chosen = keys_and_contacts or (("proactive_calls", ()), ("contact_management", ()), ("firewall_rule_review", ()))
    return review_drafts.create_review(
        engine, customer_id, ReviewKind.MONTHLY, day, items(*chosen), ("Ann Lee (designated contact)",), actor=ACTOR, now=AT
    )


# -- facts ------------------------------------------------------------------------


def test_facts_of_a_customer_with_nothing_yet(engine: Engine) -> None:
    found = facts(engine, customer(engine))
    assert found.last_review is None
    assert found.since == date(2026, 10, 20)  # a month back
    assert [u.month for u in found.hours] == [date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)]
    assert all(u.used == 0 for u in found.hours) and found.hours[0].package == Decimal(10)
    assert (found.activations, found.fees, found.orders, found.contacts, found.incidents, found.open_actions) == ((),) * 6
    assert dict(found.last_covered) == {}


def test_facts_read_the_last_completed_review_and_its_open_actions(engine: Engine) -> None:
    cid = customer(engine)
    past_review(engine, cid, date(2026, 9, 10), actions=(("old", False),))
    last = past_review(
        engine, cid, date(2026, 10, 12), keys=("authorised_contact_review",), actions=(("open one", False), ("done one", True))
    )
    past_review(engine, cid, date(2026, 11, 18), status="draft")  # a draft is not a review held
    past_review(engine, cid, date(2026, 11, 25))  # after the review date
    found = facts(engine, cid)
    assert found.last_review is not None and (found.last_review.id, found.last_review.held_on) == (last, date(2026, 10, 12))
    assert found.since == date(2026, 10, 12)
    assert [a.text for a in found.open_actions] == ["open one"]
    assert found.last_covered["authorised_contact_review"] == date(2026, 10, 12)


def test_firewall_and_monitoring_dates_come_from_the_customer_and_past_agendas(engine: Engine) -> None:
    cid = customer(engine)
    with write_session(engine) as session:
        row = session.get(tables.CustomerRow, cid)
        row.firewall_reviewed_on = date(2026, 7, 1)
        row.monitoring_reviewed_on = date(2026, 3, 1)
    past_review(engine, cid, date(2026, 5, 5), keys=("monitoring_review", "firewall_rule_review"))
    covered = facts(engine, cid).last_covered
    assert covered["firewall_rule_review"] == date(2026, 7, 1)  # the later of the two
    assert covered["monitoring_review"] == date(2026, 5, 5)


def test_facts_read_contacts_hours_and_incidents(engine: Engine) -> None:
    cid = customer(engine)
    contact(engine, cid, "Ann Lee", date(2026, 6, 1))
    contact(engine, cid, "Bo Chen", None)
    for day, hours, category in (
        (date(2026, 11, 3), "2", TaskCategory.RELATIONSHIP),
        (date(2026, 11, 4), "1.5", TaskCategory.FINANCE),
        (date(2026, 9, 30), "4", TaskCategory.RELATIONSHIP),
        (date(2026, 7, 31), "9", TaskCategory.FINANCE),
    ):
        log_time(engine, cid, TimeEntryInput(day, Decimal(hours), category, ""), ACTOR, AT)
    recent = log_incident(
        engine, cid, IncidentInput(IncidentKind.INCIDENT, 3, "recent", datetime(2026, 11, 2, 12, tzinfo=UTC), None), ACTOR, AT
    )
    old_open = log_incident(
        engine,
        cid,
        IncidentInput(IncidentKind.ESCALATION, 2, "old, still open", datetime(2026, 3, 2, tzinfo=UTC), None),
        ACTOR,
        AT,
    )
    log_incident(
        engine,
        cid,
        IncidentInput(IncidentKind.INCIDENT, 4, "old, closed", datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)),
        ACTOR,
        AT,
    )
    found = facts(engine, cid)
    assert [c.name for c in found.contacts] == ["Ann Lee", "Bo Chen"]
    assert found.hours[0].used == Decimal("3.5") and dict(found.hours[0].by_category) == {
        TaskCategory.RELATIONSHIP: Decimal(2),
        TaskCategory.FINANCE: Decimal("1.5"),
    }
    assert [u.used for u in found.hours[1:]] == [Decimal(0), Decimal(4), Decimal(0)]  # July is outside the four months
    assert {i.id for i in found.incidents} == {recent.id, old_open.id}


def _activation(
    engine: Engine,
    cid: int,
    steps: list[tuple[StepKind, datetime, StepStatus]],
    fee_at: datetime | None = None,
    site_name: str = "Head office",
) -> None:
    site = add_site(engine, cid, SiteInput(site_name, "1 Main St", "Boston", "US", ZONE), actor=ACTOR, now=AT)
    with write_session(engine) as session:
        order = tables.OrderRow(
            customer_id=cid,
            number=f"ORD-{cid}-{len(steps)}",
            status=OrderStatus.PROVISIONING.value,
            mrc_cents=30000,
            ccd=date(2026, 11, 1),
        )
        session.add(order)
        session.flush()
        session.add(tables.OrderServiceRow(order_id=order.id, kind="MRS"))
        activation = tables.ActivationRow(customer_id=cid, order_id=order.id, site_id=site.id, service=ServiceKind.MRS.value)
        session.add(activation)
        session.flush()
        for kind, start, status in steps:
            naive = start.astimezone(UTC).replace(tzinfo=None)
            session.add(
                tables.ActivationStepRow(
                    activation_id=activation.id,
                    customer_id=cid,
                    kind=kind.value,
                    start_at=naive,
                    end_at=naive + timedelta(hours=2),
                    status=status.value,
                )
            )
        if fee_at is not None:
            session.add(
                tables.ActivationChangeRow(
                    activation_id=activation.id,
                    step_kind="activation",
                    at=fee_at.replace(tzinfo=None),
                    action="not_ready",
                    from_status="validated",
                    to_status="not_ready",
                    fee_cents=25000,
                    fee_currency="USD",
                    reason="no one on site",
                )
            )


def test_facts_read_steps_fees_and_orders_since_the_last_review(engine: Engine) -> None:
    cid = customer(engine)
    _activation(
        engine,
        cid,
        [
            (StepKind.INSTALLATION, datetime(2026, 9, 1, 14, tzinfo=UTC), StepStatus.COMPLETED),  # before the period
            (StepKind.ACTIVATION, datetime(2026, 11, 2, 15, tzinfo=UTC), StepStatus.NOT_READY),
        ],
        fee_at=datetime(2026, 11, 2, 16, tzinfo=UTC),
    )
    _activation(
        engine,
        cid,
        [(StepKind.ACTIVATION, datetime(2026, 11, 30, 15, tzinfo=UTC), StepStatus.CONFIRMED)],
        fee_at=datetime(2026, 9, 2, tzinfo=UTC),
        site_name="Branch",
    )
    found = facts(engine, cid)
    assert [(s.kind, s.status, s.site_name, s.zone) for s in found.activations] == [
        (StepKind.ACTIVATION, StepStatus.NOT_READY, "Head office", ZONE),
        (StepKind.ACTIVATION, StepStatus.CONFIRMED, "Branch", ZONE),
    ]
    assert [(f.action, f.fee.amount, f.fee.currency) for f in found.fees] == [("not_ready", Decimal("250.00"), "USD")]
    assert len(found.orders) == 2 and all(o.past_ccd for o in found.orders)  # CCD 1 November, not completed


# -- drafts -------------------------------------------------------------------------


def test_a_draft_gets_its_items_and_the_last_reviews_open_actions(engine: Engine) -> None:
    cid = customer(engine)
    last = past_review(engine, cid, date(2026, 10, 12), actions=(("open one", False), ("done one", True)))
    made = draft(engine, cid)
    assert made.status is ReviewStatus.DRAFT and made.attendees == ("Ann Lee (designated contact)",)
    assert [(i.position, i.key) for i in made.items] == [
        (1, "proactive_calls"),
        (2, "contact_management"),
        (3, "firewall_rule_review"),
    ]
    with read_session(engine) as session:
        carried_from = session.exec(
            select(tables.ActionItemRow.id).where(tables.ActionItemRow.review_id == last, tables.ActionItemRow.text == "open one")
        ).one()
    assert [(a.text, a.carried_from_id, a.done) for a in made.actions] == [("open one", carried_from, False)]
    with pytest.raises(DuplicateReview):
        draft(engine, cid)


def test_editing_a_draft_keeps_sections_together(engine: Engine) -> None:
    cid = customer(engine)
    made = draft(engine, cid)
    calls, contacts, firewall = made.items
    added = review_drafts.add_item(
        engine, made.id, AgendaItemInput("Relationship", "New SD-WAN option", ("asked last week",)), actor=ACTOR, now=AT
    )
    order = [i.text for i in reviews.get_review(engine, made.id).items]
    assert order == ["proactive_calls", "contact_management", "New SD-WAN option", "firewall_rule_review"]
    assert reviews.get_review(engine, made.id).items[2].details == ("asked last week",)
    review_drafts.update_item(engine, added.id, AgendaItemInput("Configuration", "New SD-WAN option", ()), actor=ACTOR, now=AT)
    assert [i.text for i in reviews.get_review(engine, made.id).items] == [
        "proactive_calls",
        "contact_management",
        "firewall_rule_review",
        "New SD-WAN option",
    ]
    assert review_drafts.move_item(engine, contacts.id, -1, actor=ACTOR, now=AT) is True
    assert review_drafts.move_item(engine, contacts.id, -1, actor=ACTOR, now=AT) is False  # top of its section
    assert review_drafts.move_item(engine, contacts.id, +1, actor=ACTOR, now=AT) is True
    assert review_drafts.move_item(engine, contacts.id, +1, actor=ACTOR, now=AT) is False  # the next item is in another section
    review_drafts.remove_item(engine, calls.id, actor=ACTOR, now=AT)
    after = reviews.get_review(engine, made.id)
    assert [(i.position, i.text) for i in after.items] == [
        (1, "contact_management"),
        (2, "firewall_rule_review"),
        (3, "New SD-WAN option"),
    ]
    review_drafts.set_minutes(engine, firewall.id, "Three unused rules to remove.", actor=ACTOR, now=AT)
    review_drafts.set_attendees(engine, made.id, ("Ann Lee", "Alex Morgan (CCM)"), actor=ACTOR, now=AT)
    after = reviews.get_review(engine, made.id)
    assert after.items[1].minutes == "Three unused rules to remove." and after.attendees == ("Ann Lee", "Alex Morgan (CCM)")
    assert after.version > made.version


def test_action_items_on_a_draft(engine: Engine) -> None:
    cid = customer(engine)
    past_review(engine, cid, date(2026, 10, 12), actions=(("carried", False),))
    made = draft(engine, cid)
    added = review_actions.add_action(
        engine, made.id, ActionInput("Share the SLA report", "Alex", date(2026, 12, 1)), actor=ACTOR, now=AT
    )
    review_actions.update_action(
        engine, added.id, ActionInput("Share the SLA report for Q4", "Alex", date(2026, 12, 4)), actor=ACTOR, now=AT
    )
    done = review_actions.set_action_done(engine, added.id, True, TODAY, actor=ACTOR, now=AT)
    assert (done.text, done.due, done.done, done.done_on) == ("Share the SLA report for Q4", date(2026, 12, 4), True, TODAY)
    assert review_actions.set_action_done(engine, added.id, False, TODAY, actor=ACTOR, now=AT).done_on is None
    carried = next(a for a in reviews.get_review(engine, made.id).actions if a.carried_from_id)
    with pytest.raises(StoreError, match="mark it done"):
        review_actions.remove_action(engine, carried.id, actor=ACTOR, now=AT)
    review_actions.remove_action(engine, added.id, actor=ACTOR, now=AT)
    assert [a.text for a in reviews.get_review(engine, made.id).actions] == ["carried"]


# -- completing -----------------------------------------------------------------------


def test_completing_marks_what_was_discussed_and_carries_actions(engine: Engine) -> None:
    cid = customer(engine)
    ann = contact(engine, cid, "Ann Lee", date(2026, 6, 1))
    bo = contact(engine, cid, "Bo Chen", None)
    cy = contact(engine, cid, "Cy Dale", date(2026, 5, 1))  # overdue but not listed
    last = past_review(engine, cid, date(2026, 10, 12), actions=(("old open", False),))
    made = draft(engine, cid, ("contact_management", (ann, bo)), ("proactive_calls", ()), ("firewall_rule_review", ()))
    # The last review gains an open action after the draft was made: completion carries it in.
    with write_session(engine) as session:
        session.add(tables.ActionItemRow(review_id=last, text="late addition", owner="Ann"))
    review_actions.add_action(engine, made.id, ActionInput("new one", "Alex", None), actor=ACTOR, now=AT)
    plan = review_completion.completion_preview(engine, made.id)
    assert plan.contacts == ("Ann Lee", "Bo Chen") and plan.firewall and not plan.monitoring
    assert [a.text for a in plan.carried] == ["old open", "new one", "late addition"] and plan.to_carry_in == 1
    version = reviews.get_review(engine, made.id).version

    done = review_completion.complete_review(engine, made.id, version, NOW, TODAY, actor=ACTOR)

    assert done.status is ReviewStatus.COMPLETED and done.completed_at == NOW.replace(microsecond=0)
    with read_session(engine) as session:
        reviewed = {c.name: c.last_reviewed for c in session.exec(select(tables.ContactRow)).all()}
        row = session.get(tables.CustomerRow, cid)
        last_actions = session.exec(select(tables.ActionItemRow).where(tables.ActionItemRow.review_id == last)).all()
    assert reviewed == {"Ann Lee": TODAY, "Bo Chen": TODAY, "Cy Dale": date(2026, 5, 1)}
    assert (row.firewall_reviewed_on, row.monitoring_reviewed_on, row.last_review_on) == (TODAY, None, TODAY)
    assert [(a.text, a.done) for a in last_actions] == [("old open", False), ("late addition", False)]  # history untouched
    carried = {a.text: a.carried_from_id for a in done.actions}
    assert set(carried) == {"old open", "new one", "late addition"}
    assert carried["new one"] is None and carried["late addition"] == last_actions[1].id
    assert cy  # listed nowhere, so left alone


def test_a_completed_review_is_read_only(engine: Engine) -> None:
    cid = customer(engine)
    made = draft(engine, cid)
    action = review_actions.add_action(engine, made.id, ActionInput("x", "", None), actor=ACTOR, now=AT)
    review_completion.complete_review(engine, made.id, reviews.get_review(engine, made.id).version, NOW, TODAY, actor=ACTOR)
    item = made.items[0]
    for write in (
        lambda: review_drafts.add_item(engine, made.id, AgendaItemInput("S", "t", ()), actor=ACTOR, now=AT),
        lambda: review_drafts.update_item(engine, item.id, AgendaItemInput("S", "t", ()), actor=ACTOR, now=AT),
        lambda: review_drafts.remove_item(engine, item.id, actor=ACTOR, now=AT),
        lambda: review_drafts.move_item(engine, item.id, 1, actor=ACTOR, now=AT),
        lambda: review_drafts.set_minutes(engine, item.id, "m", actor=ACTOR, now=AT),
        lambda: review_drafts.set_attendees(engine, made.id, ("x",), actor=ACTOR, now=AT),
        lambda: review_actions.add_action(engine, made.id, ActionInput("x", "", None), actor=ACTOR, now=AT),
        lambda: review_actions.set_action_done(engine, action.id, True, TODAY, actor=ACTOR, now=AT),
        lambda: review_actions.remove_action(engine, action.id, actor=ACTOR, now=AT),
        lambda: review_completion.complete_review(engine, made.id, 99, NOW, TODAY, actor=ACTOR),
    ):
        with pytest.raises(ReviewLocked, match="read-only"):
            write()


def test_completion_refuses_a_stale_view_or_a_future_date_and_changes_nothing(engine: Engine) -> None:
    cid = customer(engine)
    ann = contact(engine, cid, "Ann Lee", None)
    made = draft(engine, cid, ("contact_management", (ann,)))
    review_drafts.set_minutes(engine, made.items[0].id, "edited elsewhere", actor=ACTOR, now=AT)  # the version moves on
    with pytest.raises(StaleEdit):
        review_completion.complete_review(engine, made.id, made.version, NOW, TODAY, actor=ACTOR)
    later = draft(engine, cid, ("contact_management", (ann,)), day=TODAY + timedelta(days=3))
    with pytest.raises(StoreError, match="after today"):
        review_completion.complete_review(engine, later.id, later.version, NOW, TODAY, actor=ACTOR)
    with read_session(engine) as session:
        assert session.get(tables.ContactRow, ann).last_reviewed is None
        assert {r.status for r in session.exec(select(tables.ServiceReviewRow)).all()} == {"draft"}


def test_completion_never_moves_a_review_date_backwards(engine: Engine) -> None:
    cid = customer(engine)
    ann = contact(engine, cid, "Ann Lee", TODAY - timedelta(days=1))
    made = draft(engine, cid, ("contact_management", (ann,)), day=TODAY - timedelta(days=5))
    review_completion.complete_review(engine, made.id, made.version, NOW, TODAY, actor=ACTOR)
    with read_session(engine) as session:
        assert session.get(tables.ContactRow, ann).last_reviewed == TODAY - timedelta(days=1)


# -- reviews due --------------------------------------------------------------------------


def test_reviews_due(engine: Engine) -> None:
    never = customer(engine, "Never Reviewed", "NA-1")
    late = customer(engine, "Late Monthly", "NA-2")
    past_review(engine, late, date(2026, 10, 1))
    soon = customer(engine, "Due Soon", "NA-3")
    past_review(engine, soon, date(2026, 10, 30))  # due 30 Nov, inside two weeks
    fresh = customer(engine, "Fresh", "NA-4")
    past_review(engine, fresh, date(2026, 11, 10))
    quarterly = customer(engine, "Quarterly Ok", "NA-5", cadence="quarterly")
    past_review(engine, quarterly, date(2026, 10, 1), ReviewKind.QUARTERLY)
    quarterly_late = customer(engine, "Quarterly Late", "NA-6", cadence="quarterly")
    past_review(engine, quarterly_late, date(2026, 8, 1), ReviewKind.QUARTERLY)
    past_review(engine, quarterly_late, date(2026, 11, 2), status="draft")
    rows, total = review_cadence.reviews_due(engine, TODAY, 14)
    assert [r.customer_id for r in rows] == [late, quarterly_late, never, soon]
    assert total == 4
    by_id = {r.customer_id: r for r in rows}
    assert by_id[never].due == TODAY and by_id[never].last_held is None and by_id[never].kind is ReviewKind.QUARTERLY
    assert by_id[late].due == date(2026, 11, 1) and by_id[late].last_kind is ReviewKind.MONTHLY
    assert by_id[quarterly_late].draft_id is not None and by_id[quarterly_late].kind is ReviewKind.QUARTERLY
    assert by_id[soon].due == date(2026, 11, 30)
    assert {fresh, quarterly}.isdisjoint(by_id)
    rows, total = review_cadence.reviews_due(engine, TODAY, 14, limit=2)
    assert [r.customer_id for r in rows] == [late, quarterly_late] and total == 4


def test_a_monthly_customer_gets_a_quarterly_review_every_third_month(engine: Engine) -> None:
    cid = customer(engine)
    past_review(engine, cid, date(2026, 9, 1), ReviewKind.QUARTERLY)
    past_review(engine, cid, date(2026, 10, 1))
    assert review_cadence.suggested_kind(engine, cid, TODAY) == (ReviewKind.MONTHLY, ReviewCadence.MONTHLY)
    assert review_cadence.suggested_kind(engine, cid, date(2026, 12, 1))[0] is ReviewKind.QUARTERLY


# -- the incident log ------------------------------------------------------------------------


def test_incidents_log_and_close(engine: Engine) -> None:
    cid = customer(engine)
    opened = datetime(2026, 11, 19, 14, tzinfo=UTC)
    logged = log_incident(engine, cid, IncidentInput(IncidentKind.ESCALATION, 1, "Outage", opened, None), ACTOR, AT)
    assert logged.is_open and logged.who == ACTOR.author and logged.opened_at == opened
    closed = close_incident(engine, logged.id, NOW, ACTOR)
    assert closed.closed_at == NOW.replace(microsecond=0)
    with pytest.raises(StoreError, match="already closed"):
        close_incident(engine, logged.id, NOW, ACTOR)
    other = log_incident(engine, cid, IncidentInput(IncidentKind.INCIDENT, 3, "Later", NOW, None), ACTOR, AT)
    with pytest.raises(StoreError, match="cannot close before it opened"):
        close_incident(engine, other.id, opened, ACTOR)
    assert [i.summary for i in incidents_for(engine, cid)] == ["Later", "Outage"]
    assert [i.summary for i in incidents_for(engine, cid, opened_from=NOW + timedelta(days=1))] == ["Later"]  # still open


def test_the_migration_dates_each_customers_last_review(bare_engine: Engine, db_path, backups_dir) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import text

    from ccm_tui.store.migrate import alembic_config, upgrade

    config = alembic_config()
    with bare_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO customer (id, account_number, name, sort_name, region, ccm, hours_per_month_minutes, notes,"
                " search_text, version, created_at, updated_at) VALUES"
                " (1, 'NA-1', 'Acme', 'acme', 'NA', '', 0, '', '', 1, '2026-01-01', '2026-01-01'),"
                " (2, 'NA-2', 'Bolt', 'bolt', 'NA', '', 0, '', '', 1, '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO service_review (customer_id, kind, held_on, status, attendees, version) VALUES"
                " (1, 'monthly', '2026-09-01', 'completed', '', 1), (1, 'monthly', '2026-10-01', 'completed', '', 1),"
                " (1, 'monthly', '2026-11-01', 'draft', '', 1), (2, 'monthly', '2026-11-01', 'draft', '', 1)"
            )
        )
    upgrade(bare_engine, db_path, backups_dir, NOW)
    with read_session(bare_engine) as session:
        last = {row.id: row.last_review_on for row in session.exec(select(tables.CustomerRow)).all()}
    assert last == {1: date(2026, 10, 1), 2: None}
