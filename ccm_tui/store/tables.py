"""SQLModel tables: the book as rows.

Only the store imports this module; everything above it sees the domain
objects that the repositories return. SQL stays portable (SQLite now,
PostgreSQL later): money is integer cents, hours are integer minutes,
datetimes are naive UTC columns converted at the repository edge, sets of
enum values are comma-separated text.

Rows a user edits carry `version`; an update names the version it read and fails if the row moved on
(see `ccm_tui.errors.StaleEdit`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, BigInteger, DateTime, Index, Integer, MetaData, Text, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

# Alembic batch mode on SQLite needs named constraints to alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata: MetaData = SQLModel.metadata

# Every datetime column says sa_type=NAIVE_UTC: recent SQLModel maps `datetime` to its UTCDateTime (TIMESTAMP
# WITH TIME ZONE, naive values refused), older SQLModel to a naive DateTime; the schema must not depend on which.
NAIVE_UTC = DateTime

# Checklist items that can make a customer "not ready": a partial index's predicate, and its queries' word for word.
OUTSTANDING_CUSTOMER_BLOCKING = "owner = 'customer' AND blocking AND state IN ('open', 'blocked')"
# Steps still to be derived, steps worked after hours, on a weekend or a holiday (calendar_flags.ON_CALL),
# and the history rows of reminders sent (ReminderKind): predicates of partial indexes and their queries.
UNDERIVED = "calendar_flags IS NULL AND start_at IS NOT NULL"
ON_CALL = "(calendar_flags & 7) != 0"
REMINDERS = "action IN ('reminder_5bd', 'reminder_1bd')"
OPEN_STEP_STATUSES = "status IN ('requested', 'confirmed', 'validated')"  # StepStatus.open: the open-step indexes' predicate
_OPEN = text(OPEN_STEP_STATUSES)
_DATED, _ZONED = text("status IN ('confirmed', 'validated')"), text("timezone <> ''")  # migration 0012: reminders


class BookMetaRow(SQLModel, table=True):
    """Key/value facts about the book file itself (e.g. the demo's anchor day)."""

    __tablename__ = "book_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=400)


class CustomerRow(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_region_sort", "region", "sort_name"),
        # the "reviews due" list: a range of this index per cadence
        Index("ix_customer_review_due", "review_cadence", "last_review_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_number: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200)
    # folded name (no case, no accents: domain.search_text.fold): a portable sort on an index
    sort_name: str = Field(max_length=200, index=True)
    region: str = Field(max_length=8)
    ccm: str = Field(default="", max_length=100, index=True)
    hours_per_month_minutes: int = 0
    notes: str = Field(default="", max_length=4000)
    # folded name, account, contact names and site cities, for `/` and the palette
    search_text: str = Field(default="", max_length=4000)
    version: int = 1
    created_at: datetime = Field(sa_type=NAIVE_UTC)
    updated_at: datetime = Field(sa_type=NAIVE_UTC)
    review_cadence: str = Field(default="monthly", max_length=16)  # monthly | quarterly
    firewall_reviewed_on: date | None = None
    monitoring_reviewed_on: date | None = None
    # the last completed service review's day, kept by store/review_completion.py (a grouped
    # query over every review costs too much at 50,000 customers)
    last_review_on: date | None = None


class ContactRow(SQLModel, table=True):
    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    roles: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    last_reviewed: date | None = None
    version: int = 1


class SiteRow(SQLModel, table=True):
    __tablename__ = "site"
    __table_args__ = (
        UniqueConstraint("customer_id", "name", name="uq_site_customer_name"),
        Index("ix_site_place", "timezone", "country", "subdivision", sqlite_where=_ZONED, postgresql_where=_ZONED),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=400)
    city: str = Field(default="", max_length=100)
    country: str = Field(max_length=2)
    timezone: str = Field(max_length=64)
    version: int = 1
    subdivision: str = Field(default="", max_length=16)  # ISO 3166-2 ("AU-NSW"): its holidays too; "" for none


class OrderRow(SQLModel, table=True):
    __tablename__ = "orders"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=32, unique=True, index=True)
    status: str = Field(max_length=32, index=True)
    mrc_cents: int = 0
    nrc_cents: int = 0
    currency: str = Field(default="USD", max_length=3)
    ccd: date = Field(index=True)
    completed_on: date | None = None
    version: int = 1


class OrderServiceRow(SQLModel, table=True):
    __tablename__ = "order_service"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)


class ActivationRow(SQLModel, table=True):
    __tablename__ = "activation"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    order_id: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    site_id: int = Field(foreign_key="site.id", index=True, ondelete="CASCADE")
    service: str = Field(max_length=16)
    field_dispatch: bool = False
    ip_letter_sent_on: date | None = None
    ip_letter_contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    traffic_passed_at: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    version: int = 1
    # Derived as its checklist is written (store/blocking_offsets.py): per step, the largest due offset of the
    # customer's outstanding blocking items; None when none. The on-call list reads its risk from them.
    blocking_offset_installation: int | None = None
    blocking_offset_activation: int | None = None


class ActivationStepRow(SQLModel, table=True):
    __tablename__ = "activation_step"
    __table_args__ = (
        UniqueConstraint("activation_id", "kind", name="uq_activation_step_activation_kind"),
        # next activation per customer (status covered: no table lookups), and per-day calendar aggregates
        Index("ix_activation_step_customer_start", "customer_id", "start_at", "status"),
        Index("ix_activation_step_start_status", "start_at", "status"),
        # the calendar's month and on-call queries read this index only
        Index("ix_activation_step_calendar", "start_at", "status", "calendar_flags", "ccd", "customer_id"),
        # steps whose calendar columns are still to be derived (see store/calendar_flags.py)
        Index("ix_activation_step_flags_missing", "id", sqlite_where=text(UNDERIVED), postgresql_where=text(UNDERIVED)),
        # the on-call steps by start (migration 0010; calendar_flags.on_call_term queries them)
        Index("ix_activation_step_on_call", "start_at", "status", sqlite_where=text(ON_CALL), postgresql_where=text(ON_CALL)),
        # the open steps by activation and by start (migration 0011; the predicate as checklist_upcoming.open_step writes it)
        Index("ix_activation_step_open", "activation_id", "start_at", sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_activation_step_open_start", "start_at", "activation_id", "kind", sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_activation_step_reminded", "start_at", "status", "activation_id", sqlite_where=_DATED, postgresql_where=_DATED),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: int = Field(foreign_key="activation.id", index=True, ondelete="CASCADE")
    # denormalised from the activation: the book's per-customer queries need no join
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    start_at: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    end_at: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    status: str = Field(max_length=16)
    version: int = 1
    # Derived for the calendar (store/calendar_flags.py), so its aggregates need no join: a bit set of after
    # hours, weekend, holiday and "after the CCD" at the site, and the order's CCD. NULL: not derived yet.
    calendar_flags: int | None = None
    ccd: date | None = None


class ActivationChangeRow(SQLModel, table=True):
    """History: who changed which step, when, from what to what, and why."""

    __tablename__ = "activation_change"
    # the reminders recorded, by the start they were sent for (migration 0010; store/calendar_reminders.py)
    __table_args__ = (
        Index("ix_activation_change_reminders", "to_start", sqlite_where=text(REMINDERS), postgresql_where=text(REMINDERS)),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: int = Field(foreign_key="activation.id", index=True, ondelete="CASCADE")
    step_kind: str = Field(max_length=16)
    at: datetime = Field(sa_type=NAIVE_UTC)
    who: str = Field(default="", max_length=100)
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    from_start: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    to_start: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    reason: str = Field(default="", max_length=1000)
    fee_cents: int | None = None
    fee_currency: str | None = Field(default=None, max_length=3)
    # the customer's contact the change involved (validation, IP letter, reminder)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    # who asked for a reschedule or cancellation (domain.fee_guard.Initiator); None for other actions
    initiator: str | None = Field(default=None, max_length=16)


class ChecklistItemRow(SQLModel, table=True):
    __tablename__ = "checklist_item"
    __table_args__ = (
        # readiness and the risk's largest overdue-able offset per activation, from the index alone
        Index("ix_checklist_item_readiness", "activation_id", "owner", "blocking", "state", "phase", "due_offset_days"),
        # the largest offset still outstanding anywhere: how far ahead risks can be (one seek)
        Index(
            "ix_checklist_item_outstanding_due",
            "due_offset_days",
            sqlite_where=text(OUTSTANDING_CUSTOMER_BLOCKING),
            postgresql_where=text(OUTSTANDING_CUSTOMER_BLOCKING),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: int = Field(foreign_key="activation.id", index=True, ondelete="CASCADE")
    phase: str = Field(max_length=32)
    position: int = 0
    text: str = Field(max_length=400)
    owner: str = Field(max_length=16)  # customer | provider
    due_offset_days: int = 0  # business days before the event
    blocking: bool = False
    state: str = Field(default="open", max_length=16)  # open | done | blocked | not_applicable
    note: str = Field(default="", max_length=1000)
    version: int = 1
    updated_at: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    updated_by: str = Field(default="", max_length=100)
    source: str = Field(default="template", max_length=16)  # template | adhoc


class ChecklistChangeRow(SQLModel, table=True):
    """Every change to a checklist item: who, when, from what to what."""

    __tablename__ = "checklist_change"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="checklist_item.id", index=True, ondelete="CASCADE")
    activation_id: int = Field(foreign_key="activation.id", index=True, ondelete="CASCADE")
    at: datetime = Field(sa_type=NAIVE_UTC)
    who: str = Field(default="", max_length=100)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    note: str = Field(default="", max_length=1000)


class TimeEntryRow(SQLModel, table=True):
    __tablename__ = "time_entry"
    # minutes covered: hours-used sums read the index only
    __table_args__ = (Index("ix_time_entry_customer_day", "customer_id", "day", "minutes"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    day: date
    minutes: int
    category: str = Field(max_length=32)
    note: str = Field(default="", max_length=1000)
    who: str = Field(default="", max_length=100)


class ServiceReviewRow(SQLModel, table=True):
    __tablename__ = "service_review"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    held_on: date
    status: str = Field(default="draft", max_length=16)  # draft | completed
    attendees: str = Field(default="", max_length=2000)
    version: int = 1
    completed_at: datetime | None = Field(default=None, sa_type=NAIVE_UTC)


class AgendaItemRow(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="service_review.id", index=True, ondelete="CASCADE")
    position: int = 0
    section: str = Field(max_length=64)
    text: str = Field(max_length=2000)
    minutes: str = Field(default="", max_length=4000)
    key: str = Field(default="", max_length=64)  # catalogue item key; empty for the CCM's own items
    # the facts filled in under the item when the agenda was made, one per line
    details: str = Field(default="", max_length=4000)
    # comma-separated ids of the contacts the item lists as due for review
    contact_ids: str = Field(default="", max_length=1000)


class ActionItemRow(SQLModel, table=True):
    __tablename__ = "action_item"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="service_review.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=1000)
    owner: str = Field(default="", max_length=100)
    due: date | None = None
    done: bool = False
    done_on: date | None = None
    carried_from_id: int | None = Field(default=None, foreign_key="action_item.id", ondelete="SET NULL")


class IncidentRow(SQLModel, table=True):
    """The small incident/escalation log the review agenda trends."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_customer_opened", "customer_id", "opened_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    kind: str = Field(default="incident", max_length=16)  # incident | escalation
    severity: int = 3  # 1 (critical) .. 4 (low)
    summary: str = Field(max_length=1000)
    opened_at: datetime = Field(sa_type=NAIVE_UTC)
    closed_at: datetime | None = Field(default=None, sa_type=NAIVE_UTC)
    who: str = Field(default="", max_length=100)


class PersonRow(SQLModel, table=True):
    """Who works in the book (domain.people.Person); the login is the database role or the OS user."""

    __tablename__ = "person"

    login: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    active: bool = True


class ChangeLogRow(SQLModel, table=True):
    """Append-only: who changed which record, when, which fields from what to what, and why.

    No foreign keys: the log outlives the records it speaks of. `changes` is
    JSON text, {field: [from, to]}, holding only the fields that differed.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_customer_seq", "customer_id", "seq"),  # a customer's timeline
        Index("ix_change_log_entity_seq", "entity", "entity_id", "seq"),  # a record's last change
        Index("ix_change_log_author_seq", "author", "seq"),  # a person's latest changes: what `u` undoes
        # a deleted maximum is never handed out again: seq only grows
        {"sqlite_autoincrement": True},
    )

    seq: int | None = Field(default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite"))
    at: datetime = Field(sa_type=NAIVE_UTC)
    author: str = Field(max_length=100)  # the login
    author_name: str = Field(default="", max_length=200)
    entity: str = Field(max_length=32)
    entity_id: int
    customer_id: int | None = None
    action: str = Field(max_length=32)
    changes: str = Field(default="{}", sa_type=Text)
    reason: str = Field(default="", max_length=1000)
    # shared by the entries one transaction wrote (one user action); None before migration 0009
    txn: str | None = Field(default=None, max_length=32)
    # the `txn` an undo or redo turned back; None for any other change
    reverts: str | None = Field(default=None, max_length=32)


# The log refuses UPDATE and DELETE for every role, the table's owner included
# (migration 0006 writes the same statements).
CHANGE_LOG_TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
        "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION change_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$",
        "CREATE TRIGGER change_log_no_change BEFORE UPDATE OR DELETE ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION change_log_refuse()",
        "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION change_log_refuse()",
    ),
}
for _dialect, _statements in CHANGE_LOG_TRIGGERS.items():
    for _statement in _statements:
        event.listen(ChangeLogRow.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))  # type: ignore[attr-defined]  # set by SQLModel's metaclass
