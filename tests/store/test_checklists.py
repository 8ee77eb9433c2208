"""Checklists in the store: made from templates, changed with history,
readiness and the not-ready risk from SQL aggregates, and the risk-sorted
list. A fresh database per test; the clock is pinned to Friday 2026-11-20
15:30 in New York."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, text

from ccm_tui.data_files import load_checklist_templates, load_fee_schedule
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.checklist import ItemState, Owner, Phase
from ccm_tui.domain.checklist_input import AdhocItemInput
from ccm_tui.domain.checklist_views import UpcomingQuery
from ccm_tui.domain.hours import month_start
from ccm_tui.domain.model import Money, ServiceKind, StepKind
from ccm_tui.domain.people import Person
from ccm_tui.domain.readiness import NO_CHECKLIST
from ccm_tui.errors import NotFound, StaleEdit
from ccm_tui.store import (
    activation_checklist,
    checklist_readiness,
    checklist_upcoming,
    checklists,
)
from ccm_tui.store.blocking_offsets import refresh_blocking_offsets
from ccm_tui.store.book_page import book_page
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.engine import make_engine, read_session, sqlite_url, write_session
from ccm_tui.store.migrate import upgrade
from ccm_tui.store.tables import (
    ActivationRow,
    ActivationStepRow,
    ChecklistChangeRow,
    ChecklistItemRow,
    ContactRow,
    CustomerRow,
    OrderRow,
    SiteRow,
)

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=NY)  # a Friday afternoon
HOURS = BusinessHours()
TEMPLATES = load_checklist_templates().templates
SCHEDULE = load_fee_schedule()
WHO = "Alex Morgan"
PERSON = Person(login="alex", name=WHO)


def local(zone: str, text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=ZoneInfo(zone))


def naive(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC).replace(tzinfo=None)


class Book:
    """Builds just enough of a book, row by row, for one test."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0

    def activation(
        self,
        *,
        service: str = "MRS",
        zone: str = "America/New_York",
        country: str = "US",
        region: str = "NA",
        event: str | None = "2026-11-23T09:00",
        status: str = "validated",
        install: str | None = None,
        install_status: str = "completed",
        dispatch: bool = False,
        name: str | None = None,
        ccd: date = date(2026, 12, 1),
        letter: date | None = None,
    ) -> int:
        self.count += 1
        n = self.count
        stamp = naive(NOW)
        with write_session(self.engine) as session:
            customer = CustomerRow(
                account_number=f"T-{n}",
                name=name or f"Customer {n}",
                sort_name=(name or f"customer {n}").casefold(),
                region=region,
                search_text=f"{(name or f'customer {n}').casefold()} t-{n}",
                created_at=stamp,
                updated_at=stamp,
            )
            session.add(customer)
            session.flush()
            site = SiteRow(customer_id=customer.id, name="Head office", city="Springfield", country=country, timezone=zone)
            contact = ContactRow(customer_id=customer.id, name=f"Tech {n}", roles="technical", phone="+1 555 0100")
            order = OrderRow(customer_id=customer.id, number=f"O-{n}", status="installation_complete", ccd=ccd)
            session.add_all([site, contact, order])
            session.flush()
            act = ActivationRow(
                customer_id=customer.id,
                order_id=order.id,
                site_id=site.id,
                service=service,
                field_dispatch=dispatch,
                ip_letter_sent_on=letter,
                ip_letter_contact_id=contact.id if letter else None,
            )
            session.add(act)
            session.flush()
            start = local(zone, event) if event else None
            session.add(
                ActivationStepRow(
                    activation_id=act.id,
                    customer_id=customer.id,
                    kind="activation",
                    start_at=naive(start),
                    end_at=naive(start + timedelta(hours=3)) if start else None,
                    status=status if event else "unscheduled",
                )
            )
            if ServiceKind(service).managed:
                begin = local(zone, install) if install else None
                session.add(
                    ActivationStepRow(
                        activation_id=act.id,
                        customer_id=customer.id,
                        kind="installation",
                        start_at=naive(begin),
                        end_at=naive(begin + timedelta(hours=4)) if begin else None,
                        status=install_status if install else "unscheduled",
                    )
                )
            assert act.id is not None
            return act.id

    def item(
        self,
        activation_id: int,
        *,
        phase: str = "before_activation",
        owner: str = "customer",
        blocking: bool = True,
        state: str = "open",
        days: int = 3,
        text_: str = "Task",
    ) -> int:
        with write_session(self.engine) as session:
            row = ChecklistItemRow(
                activation_id=activation_id,
                phase=phase,
                position=self.count,
                text=text_,
                owner=owner,
                due_offset_days=days,
                blocking=blocking,
                state=state,
            )
            session.add(row)
            session.flush()
            refresh_blocking_offsets(session.connection(), [activation_id])  # as every writer of items does
            assert row.id is not None
            return row.id


@pytest.fixture
def book(engine: Engine) -> Book:
    return Book(engine)


def count(engine: Engine, table: type, *where: object) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


# -- making a checklist --------------------------------------------------------------------


def test_create_from_templates_in_template_order(book: Book) -> None:
    act = book.activation(service="MSS")
    with write_session(book.engine) as session:
        made = checklists.create_from_templates(session, act, TEMPLATES)
    template = TEMPLATES[ServiceKind.MSS]
    assert made == len(template.items)
    with read_session(book.engine) as session:
        rows = session.scalars(
            select(ChecklistItemRow).where(ChecklistItemRow.activation_id == act).order_by(ChecklistItemRow.position)
        ).all()
    assert [(r.text, r.phase, r.owner, r.due_offset_days, r.blocking) for r in rows] == [
        (i.text, i.phase.value, i.owner.value, i.due_business_days, i.blocking) for i in template.items
    ]
    assert {r.state for r in rows} == {"open"} and {r.source for r in rows} == {"template"}


def test_create_is_safe_to_repeat_and_keeps_ticks(book: Book) -> None:
    act = book.activation(service="VPN")
    assert checklists.create_checklist(book.engine, act, TEMPLATES) == len(TEMPLATES[ServiceKind.VPN].items)
    with write_session(book.engine) as session:
        session.execute(text("UPDATE checklist_item SET state = 'done' WHERE position = 1"))
    assert checklists.create_checklist(book.engine, act, TEMPLATES) == 0
    assert count(book.engine, ChecklistItemRow, ChecklistItemRow.state == "done") == 1
    with read_session(book.engine) as session:
        phases = set(session.scalars(select(ChecklistItemRow.phase)).all())
    assert Phase.BEFORE_INSTALLATION.value not in phases, "an unmanaged service has no installation"


def test_create_joins_the_callers_transaction(book: Book) -> None:
    act = book.activation()
    with pytest.raises(RuntimeError), write_session(book.engine) as session:
        checklists.create_from_templates(session, act, TEMPLATES)
        raise RuntimeError("the calendar's write failed after the checklist was made")
    assert count(book.engine, ChecklistItemRow) == 0


def test_create_for_a_missing_activation(book: Book) -> None:
    with pytest.raises(NotFound), write_session(book.engine) as session:
        checklists.create_from_templates(session, 999, TEMPLATES)


# -- changing items ------------------------------------------------------------------------


def test_set_state_writes_history_with_who_and_when(book: Book) -> None:
    act = book.activation()
    item_id = book.item(act)
    done = checklists.set_state(book.engine, item_id, 1, ItemState.DONE, "", NOW, PERSON)
    assert (done.state, done.version, done.updated_by, done.updated_at) == (ItemState.DONE, 2, WHO, NOW.astimezone(UTC))
    blocked = checklists.set_state(
        book.engine, item_id, 2, ItemState.BLOCKED, "Landlord approval", NOW + timedelta(hours=1), PERSON
    )
    assert (blocked.state, blocked.note) == (ItemState.BLOCKED, "Landlord approval")
    history = checklists.item_history(book.engine, item_id)
    assert [(h.from_state, h.to_state, h.who, h.note) for h in history] == [
        (ItemState.OPEN, ItemState.DONE, WHO, ""),
        (ItemState.DONE, ItemState.BLOCKED, WHO, "Landlord approval"),
    ]
    assert history[1].at == (NOW + timedelta(hours=1)).astimezone(UTC)


def test_done_keeps_the_last_note(book: Book) -> None:
    item_id = book.item(book.activation())
    checklists.set_state(book.engine, item_id, 1, ItemState.BLOCKED, "Waiting for the rack", NOW, PERSON)
    done = checklists.set_state(book.engine, item_id, 2, ItemState.DONE, "", NOW, PERSON)
    assert done.note == "Waiting for the rack"


def test_stale_edit_changes_nothing(book: Book) -> None:
    item_id = book.item(book.activation())
    checklists.set_state(book.engine, item_id, 1, ItemState.DONE, "", NOW, Person(login="someone", name="Someone else"))
    with pytest.raises(StaleEdit):
        checklists.set_state(book.engine, item_id, 1, ItemState.NOT_APPLICABLE, "", NOW, PERSON)
    assert count(book.engine, ChecklistChangeRow) == 1
    with pytest.raises(NotFound):
        checklists.set_state(book.engine, 999, 1, ItemState.DONE, "", NOW, PERSON)


def test_add_item_goes_last_and_records_itself(book: Book) -> None:
    act = book.activation()
    checklists.create_checklist(book.engine, act, TEMPLATES)
    data = AdhocItemInput("Parking permit", Owner.CUSTOMER, Phase.BEFORE_INSTALLATION, 2, False)
    item = checklists.add_item(book.engine, act, data, NOW, PERSON)
    assert (item.source.value, item.position, item.state) == ("adhoc", len(TEMPLATES[ServiceKind.MRS].items) + 1, ItemState.OPEN)
    (change,) = checklists.item_history(book.engine, item.id)
    assert (change.from_state, change.to_state, change.note, change.who) == (None, ItemState.OPEN, "added", WHO)
    with pytest.raises(NotFound):
        checklists.add_item(book.engine, 999, data, NOW, PERSON)


# -- readiness and the risk ----------------------------------------------------------------


RISK_CASES = [
    # (activation kwargs, item kwargs, at risk)
    ({}, {"days": 3}, True),  # due Wed 18th, today is Friday the 20th
    ({}, {"days": 1}, False),  # due today
    ({}, {"days": 3, "owner": "provider"}, False),
    ({}, {"days": 3, "blocking": False}, False),
    ({}, {"days": 3, "state": "done"}, False),
    ({}, {"days": 3, "state": "blocked"}, True),
    ({}, {"days": 3, "state": "not_applicable"}, False),
    ({}, {"days": 3, "phase": "after_activation"}, False),
    ({"status": "completed"}, {"days": 3}, False),
    ({"status": "cancelled"}, {"days": 3}, False),
    ({"event": None}, {"days": 3}, False),
    ({"event": "2026-11-27T09:00"}, {"days": 2}, False),  # Thanksgiving: due Tue the 24th
    ({"event": "2026-11-27T09:00"}, {"days": 5}, True),  # due Thu the 19th
    (
        {"install": "2026-11-24T08:00", "install_status": "confirmed", "event": "2027-01-11T09:00"},
        {"phase": "before_installation", "days": 3},
        True,
    ),
    ({"install": "2026-11-24T08:00", "install_status": "completed"}, {"phase": "before_installation", "days": 3}, False),
    ({"event": "2027-01-11T09:00"}, {"phase": "before_installation", "days": 3}, False),  # no installation window yet
    # Friday 15:30 in New York is already Saturday in Tokyo: Friday's items are late there
    ({"zone": "Asia/Tokyo", "country": "JP", "event": "2026-11-24T10:00"}, {"days": 1}, True),
    ({"event": "2026-11-24T10:00"}, {"days": 1}, False),
]


@pytest.mark.parametrize(("act_kw", "item_kw", "at_risk"), RISK_CASES, ids=[
    "overdue", "due-today", "provider", "not-blocking", "done", "blocked", "not-applicable", "troubleshooting",
    "step-completed", "step-cancelled", "no-window", "thanksgiving-not-yet", "thanksgiving-overdue",
    "installation-overdue", "installation-done", "installation-unscheduled", "tokyo-saturday", "new-york-friday",
])  # fmt: skip
def test_not_ready_risk(book: Book, act_kw: dict, item_kw: dict, at_risk: bool) -> None:
    act = book.activation(**act_kw)
    book.item(act, **item_kw)
    book.item(act, owner="provider", state="done", days=0)
    ready = checklist_readiness.readiness_for(book.engine, [act], NOW, HOURS)[act]
    assert ready.at_risk is at_risk
    assert bool(ready.risk_reason) is at_risk
    # the list's SQL-pruned risks agree with the aggregate
    with read_session(book.engine) as session:
        risky = checklist_upcoming.risky_upcoming(session, NOW, checklist_readiness.Calendars(HOURS))
    assert (act in risky) is at_risk


def test_readiness_counts(book: Book) -> None:
    act = book.activation()
    for state in ("done", "done", "open", "blocked", "not_applicable"):
        book.item(act, state=state, days=0)
    book.item(act, phase="after_activation", state="done")
    empty = book.activation()
    found = checklist_readiness.readiness_for(book.engine, [act, empty, act], NOW, HOURS)
    assert list(found) == [act, empty]
    assert (found[act].done, found[act].required, found[act].at_risk) == (2, 4, False)
    assert found[empty] == NO_CHECKLIST
    assert checklist_readiness.readiness_for(book.engine, [], NOW, HOURS) == {}


def test_risk_reason_names_the_most_overdue_item(book: Book) -> None:
    act = book.activation()
    book.item(act, days=3, text_="Rack space")
    book.item(act, days=5, text_="Circuit extended")
    book.item(act, days=1, text_="Due today")
    ready = checklist_readiness.readiness_for(book.engine, [act], NOW, HOURS)[act]
    assert ready.risk_reason == "2 customer tasks are overdue for the activation event: Circuit extended (and 1 more)"


@pytest.mark.sqlite_only  # SQLite's query plan
def test_largest_outstanding_offset_is_one_index_seek(engine: Engine) -> None:
    with engine.connect() as conn:
        plan = " ".join(
            str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {checklist_upcoming._LARGEST_OUTSTANDING.text}"))
        )
    assert "ix_checklist_item_outstanding_due" in plan


# -- the risk-sorted list --------------------------------------------------------------------


@pytest.fixture
def listed(book: Book) -> dict[str, int]:
    """Six activations: two at risk (one in EMEA), four not, one long past."""
    acts = {
        "late-far": book.activation(event="2026-11-25T09:00", name="Zeta Risky"),
        "late-near": book.activation(event="2026-11-23T09:00", name="Alpha Risky", dispatch=True),
        "emea": book.activation(event="2026-11-24T10:00", zone="Europe/London", country="GB", region="EMEA", name="Gamma EMEA"),
        "fine-soon": book.activation(event="2026-11-23T13:00", name="Beta Fine"),
        "both-steps": book.activation(
            event="2026-12-07T09:00", install="2026-11-30T08:00", install_status="confirmed", name="Delta Two"
        ),
        "fine-later": book.activation(event="2026-12-14T09:00", service="VPN", name="Epsilon Later"),
        "past": book.activation(event="2026-11-02T09:00", status="completed", name="Omega Past"),
    }
    for key in ("late-far", "late-near", "emea"):
        book.item(acts[key], days=5 if key == "late-far" else 3)
    for key in ("fine-soon", "both-steps", "fine-later", "past"):
        book.item(acts[key], days=1)
    return acts


def _page(engine: Engine, **query: object):  # type: ignore[no-untyped-def]
    return checklist_upcoming.upcoming_page(engine, UpcomingQuery(**query), NOW, HOURS, SCHEDULE)  # type: ignore[arg-type]


def test_risks_first_then_by_next_step(book: Book, listed: dict[str, int]) -> None:
    page = _page(book.engine)
    order = ["late-near", "emea", "late-far", "fine-soon", "both-steps", "fine-later"]
    assert [r.activation_id for r in page.rows] == [listed[k] for k in order]
    assert (page.total, page.at_risk) == (6, 3)
    first = page.rows[0]
    assert first.readiness.at_risk and first.cost is not None
    assert first.cost.total == Money(Decimal("500.00"), "USD") and first.cost.ccd == date(2026, 12, 1)
    emea = page.rows[1]
    assert emea.cost is not None and emea.cost.total is None and emea.cost.no_fee_reason == "no fee schedule for EMEA"
    both = page.rows[4]
    assert (both.step, both.start) == (StepKind.INSTALLATION, local("America/New_York", "2026-11-30T08:00").astimezone(UTC))
    assert all(r.cost is None for r in page.rows[3:])


@pytest.mark.parametrize(("offset", "limit"), [(0, 2), (2, 2), (1, 3), (3, 2), (5, 5), (6, 2)])
def test_paging_across_the_risks(book: Book, listed: dict[str, int], offset: int, limit: int) -> None:
    everything = [r.activation_id for r in _page(book.engine).rows]
    page = _page(book.engine, offset=offset, limit=limit)
    assert [r.activation_id for r in page.rows] == everything[offset : offset + limit]
    assert page.total == 6


def test_filter_by_text(book: Book, listed: dict[str, int]) -> None:
    page = _page(book.engine, text="RISKY")
    assert [r.activation_id for r in page.rows] == [listed["late-near"], listed["late-far"]]
    assert (page.total, page.at_risk) == (2, 2)
    assert _page(book.engine, text="nobody-matches").rows == ()


def test_recently_activated(book: Book, listed: dict[str, int]) -> None:
    recent = book.activation(event="2026-11-16T09:00", status="completed", name="Recent One")
    page = checklist_upcoming.recent_page(book.engine, UpcomingQuery(recent=True), NOW, HOURS)
    assert [r.activation_id for r in page.rows] == [recent]  # "past" was 18 days ago
    assert (page.total, page.at_risk) == (1, 1)
    assert page.rows[0].traffic_passed is False and page.rows[0].step is StepKind.ACTIVATION


# -- one activation's checklist ---------------------------------------------------------------


def test_activation_checklist(book: Book) -> None:
    act = book.activation(install="2026-11-12T08:00", letter=date(2026, 11, 13))
    checklists.create_checklist(book.engine, act, TEMPLATES)
    checklist = activation_checklist.activation_checklist(book.engine, act, NOW, HOURS, SCHEDULE)
    assert Phase.AFTER_ACTIVATION not in checklist.phases
    assert [line.item.phase for line in checklist.lines] == sorted(
        (line.item.phase for line in checklist.lines), key=list(Phase).index
    )
    validate = next(line for line in checklist.lines if line.item.text.startswith("Designated contact validates the activation"))
    assert validate.due == date(2026, 11, 18) and validate.overdue
    install_item = next(line for line in checklist.lines if line.item.phase is Phase.BEFORE_INSTALLATION)
    # three business days before Thursday the 12th, Veterans Day (the 11th) skipped; done with the installation
    assert install_item.due == date(2026, 11, 6) and not install_item.overdue
    assert checklist.readiness.at_risk and checklist.cost is not None
    assert checklist.ip_letter_contact is not None and checklist.technical_contact == checklist.ip_letter_contact
    with write_session(book.engine) as session:
        session.execute(text("UPDATE activation_step SET status = 'completed' WHERE kind = 'activation'"))
    after = activation_checklist.activation_checklist(book.engine, act, NOW, HOURS, SCHEDULE)
    assert after.phases[-1] is Phase.AFTER_ACTIVATION and not after.readiness.at_risk and after.cost is None
    with pytest.raises(NotFound):
        activation_checklist.activation_checklist(book.engine, 999, NOW, HOURS, SCHEDULE)


# -- the customer book's flag -------------------------------------------------------------------


def test_book_flags_customers_at_risk(book: Book, listed: dict[str, int]) -> None:
    page = book_page(book.engine, BookQuery(limit=20), NOW, month_start(NOW.date()), HOURS)
    flagged = {row.name for row in page.rows if row.not_ready_risk}
    assert flagged == {"Alpha Risky", "Gamma EMEA", "Zeta Risky"}


# -- the demo book, at several moments -----------------------------------------------------------


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    engine = make_engine(sqlite_url(path))
    upgrade(engine, path, path.parent / "backups", NOW)
    build_demo_book(engine, NOW.date(), NOW)
    yield engine
    engine.dispose()


def test_every_demo_activation_has_a_checklist(demo_engine: Engine) -> None:
    with read_session(demo_engine) as session:
        without = session.scalar(
            select(func.count())
            .select_from(ActivationRow)
            .where(~select(ChecklistItemRow.id).where(ChecklistItemRow.activation_id == ActivationRow.id).exists())
        )
        changed = session.scalar(select(func.count()).select_from(ChecklistItemRow).where(ChecklistItemRow.state != "open"))
        history = session.scalar(
            select(func.count()).select_from(ChecklistChangeRow).where(ChecklistChangeRow.from_state == "open")
        )
    assert without == 0
    assert changed == history, "every ticked item has its history line"


def test_demo_has_risks_at_the_pinned_clock(demo_engine: Engine) -> None:
    page = checklist_upcoming.upcoming_page(demo_engine, UpcomingQuery(), NOW, HOURS, SCHEDULE)
    assert 3 <= page.at_risk <= 10, "a few risks to lead with, not a wall of them"
    assert all(r.readiness.at_risk and r.cost is not None for r in page.rows[: page.at_risk])


@pytest.mark.parametrize("days", [-3, 0, 1, 2, 3, 5, 8], ids=lambda d: f"{d:+d}d")
def test_the_list_and_the_aggregate_agree(demo_engine: Engine, days: int) -> None:
    """The SQL-pruned risk set is exactly the activations readiness_for calls at risk."""
    now = NOW + timedelta(days=days, hours=days * 5)
    page = checklist_upcoming.upcoming_page(demo_engine, UpcomingQuery(limit=1000), now, HOURS, SCHEDULE)
    ready = checklist_readiness.readiness_for(demo_engine, [r.activation_id for r in page.rows], now, HOURS)
    at_risk = [r.activation_id for r in page.rows if ready[r.activation_id].at_risk]
    assert at_risk == [r.activation_id for r in page.rows[: page.at_risk]]
    assert len(page.rows) == page.total


def test_count_takes_each_activation_with_an_open_step_to_come_once(book: Book, listed: dict[str, int]) -> None:
    # open but already started: not upcoming; open before and after now: counted once
    book.activation(event="2026-11-19T09:00", status="confirmed")
    book.activation(event="2026-11-30T09:00", install="2026-11-18T08:00", install_status="confirmed")
    assert checklist_upcoming.count_upcoming(book.engine, "", NOW) == 7
    assert checklist_upcoming.count_upcoming(book.engine, "risky", NOW) == 2
    assert _page(book.engine).total == 7


def test_open_step_predicate_is_the_open_statuses() -> None:
    from ccm_tui.domain.model import StepStatus
    from ccm_tui.store.tables import OPEN_STEP_STATUSES

    # word for word what `open_step` renders, or the partial indexes go unused
    listed_ = ", ".join(f"'{s.value}'" for s in StepStatus if s.open)
    assert f"status IN ({listed_})" == OPEN_STEP_STATUSES


@pytest.mark.sqlite_only  # SQLite's query plan
def test_count_and_risks_walk_the_open_step_indexes(book: Book, listed: dict[str, int]) -> None:
    statements: list[str] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    from sqlalchemy import event

    event.listen(book.engine, "before_cursor_execute", keep)
    try:
        checklist_upcoming.count_upcoming(book.engine, "", NOW)
        with read_session(book.engine) as session:
            checklist_upcoming.risky_upcoming(session, NOW, checklist_readiness.Calendars(HOURS))
    finally:
        event.remove(book.engine, "before_cursor_execute", keep)
    counting = next(s for s in statements if "count(" in s)
    risky = next(s for s in statements if "EXISTS" in s)
    with book.engine.connect() as conn:

        def plan(statement: str) -> str:
            # the bound values do not change the plan's indexes: NULLs stand in for them
            return " ".join(
                str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", (None,) * statement.count("?"))
            )

        assert "ix_activation_step_open " in plan(counting) + " "
        assert "ix_activation_step_open_start" in plan(risky)


def test_last_seq_moves_with_a_logged_change(book: Book) -> None:
    from ccm_tui.store import change_log

    act = book.activation()
    item_id = book.item(act, days=3)
    before = change_log.last_seq(book.engine)
    assert change_log.last_seq(book.engine) == before  # reading moves nothing
    with read_session(book.engine) as session:
        version = session.get(ChecklistItemRow, item_id).version  # type: ignore[union-attr]
    checklists.set_state(book.engine, item_id, version, ItemState.DONE, "", NOW, PERSON)
    assert change_log.last_seq(book.engine) > before
