"""Rows of a CSV file as typed, checked inputs, and the report of an import.

Each kind of file has its columns (`COLUMNS`); the header may name them in
any case and order, with spaces or dashes for underscores. A row becomes a
typed input through the validators the forms use (`domain.validation`,
`domain.fields`, and for times `domain.action_inputs`' rules), or is
rejected with every bad cell of it at once, each a `Problem` with the line,
column, value and what is wrong. What needs the book (does that customer
exist, which zone is the site in) is checked by the store, with the clock's
now handed in; this module sees neither files, nor the book, nor a clock.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo

from ccm_tui.domain.action_inputs import check_letter_day, check_traffic, check_window_length
from ccm_tui.domain.fields import MAX_NUMBER_TEXT, iso_date, shown, single_line
from ccm_tui.domain.model import OrderStatus, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.site_time import LocalTime, parse_local_time, site_instant
from ccm_tui.domain.spreadsheet import restore
from ccm_tui.domain.validation import (
    MAX_NAME,
    ContactInput,
    CustomerInput,
    InvalidInput,
    SiteInput,
    parse_account_number,
    validate_contact,
    validate_customer,
    validate_site,
)

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

_ORDER_NUMBER = re.compile(r"[A-Za-z0-9._/-]{1,32}")
_AMOUNT = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")  # ASCII digits: "٣" is no amount
_MAX_AMOUNT = Decimal("100000000")  # a monthly charge of 100 million is a typo
# Several values in one cell: "MRS+INTERNET", "designated+technical" (commas work too).
_LIST_SEPARATORS = re.compile(r"[+,]")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}

# ISO 4217 codes in use (from CLDR's territory currencies, 2026).
CURRENCIES = frozenset(
    """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
    CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY
    TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()
)


class ImportKind(enum.StrEnum):
    """The files a book is brought in from, in the order they refer to each other."""

    CUSTOMERS = "customers"
    CONTACTS = "contacts"
    SITES = "sites"
    ORDERS = "orders"
    ACTIVATIONS = "activations"

    @property
    def file_name(self) -> str:
        """The name `ccm export csv` gives the file (and `import all` looks for)."""
        return f"{self.value}.csv"

    @property
    def key(self) -> str:
        """What makes a row the same record as one already in the book."""
        return _KEYS[self]


_KEYS = {
    ImportKind.CUSTOMERS: "account number",
    ImportKind.CONTACTS: "account number and contact name",
    ImportKind.SITES: "account number and site name",
    ImportKind.ORDERS: "order number",
    ImportKind.ACTIVATIONS: "order number, site name and service",
}


class ImportMode(enum.StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    DRY_RUN = "dry_run"
    SKIP_INVALID = "skip_invalid"

    @property
    def label(self) -> str:
        return {
            ImportMode.ALL_OR_NOTHING: "all or nothing",
            ImportMode.DRY_RUN: "dry run (check only)",
            ImportMode.SKIP_INVALID: "skip invalid rows",
        }[self]


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False  # the header must have it
    aliases: tuple[str, ...] = ()


_STEP_STATUSES = ", ".join(s.value for s in StepStatus)


def _window_columns(step: str, managed_only: bool) -> tuple[Column, ...]:
    only = "MRS/MSS only; " if managed_only else ""
    return (
        Column(f"{step}_start", f"{only}YYYY-MM-DDTHH:MM in the site's local time"),
        Column(f"{step}_end", "YYYY-MM-DDTHH:MM in the site's local time, after the start"),
        Column(f"{step}_status", f"{_STEP_STATUSES} (blank: unscheduled, or requested if a window is given)"),
    )


COLUMNS: Mapping[ImportKind, tuple[Column, ...]] = {
    ImportKind.CUSTOMERS: (
        Column("account_number", "unique key: letters, digits and '-', up to 32", True, ("account",)),
        Column("name", "the customer's name", True, ("customer_name",)),
        Column("region", "NA, LATAM, EMEA or APAC (or the full name)", True),
        Column("ccm", "the owning CCM"),
        Column("hours_per_month", "customer-success hours in the package (blank: 0)"),
        Column("notes", "free text"),
    ),
    ImportKind.CONTACTS: (
        Column("account_number", "the customer's account number", True, ("account",)),
        Column("name", "the contact's name (with the account, the key)", True, ("contact_name",)),
        Column("roles", "designated, technical, authorised, executive, billing; several joined with +", True),
        Column("phone", "digits, a leading +, spaces, dashes, dots, parentheses"),
        Column("email", "name@example.com", aliases=("e_mail",)),
        Column("last_reviewed", "YYYY-MM-DD the entry was last checked (blank: never)"),
    ),
    ImportKind.SITES: (
        Column("account_number", "the customer's account number", True, ("account",)),
        Column("site_name", "unique per customer (with the account, the key)", True, ("name", "site")),
        Column("address", "street address"),
        Column("city", "city"),
        Column("country", "ISO 3166 code: US, GB, JP", True),
        # no "state" alias: a CRM's state column holds names ("Washington"), and was ignored until now
        Column("subdivision", "ISO 3166-2 state or province whose holidays apply: AU-NSW, DE-BY (blank: none)"),
        Column("timezone", "IANA zone: America/New_York, Europe/Paris", True, ("time_zone", "tz", "zone")),
    ),
    ImportKind.ORDERS: (
        Column("order_number", "unique key: letters, digits, '-', '.', '/', '_', up to 32", True, ("number", "order")),
        Column("account_number", "the customer's account number", True, ("account",)),
        Column("services", "MRS, MSS, INTERNET, ETHERNET, VPN; several joined with +", True),
        Column("mrc", "monthly recurring charge: 1250.00", True),
        Column("nrc", "one-time charge (blank: 0)"),
        Column("currency", "ISO 4217 code: USD, EUR, GBP", True),
        Column("ccd", "customer commitment date, YYYY-MM-DD", True),
        Column("status", "provisioning (blank), installation_complete, completed, cancelled"),
        Column("completed_on", "YYYY-MM-DD; completed orders only"),
    ),
    ImportKind.ACTIVATIONS: (
        Column("order_number", "the order's number", True, ("order",)),
        Column("account_number", "the order's customer", True, ("account",)),
        Column("site_name", "one of the customer's sites", True, ("site",)),
        Column("service", "one of the order's services (key: order, site, service)", True),
        Column("field_dispatch", "yes or no (blank: no): a technician is sent to the site"),
        *_window_columns("installation", managed_only=True),
        *_window_columns("activation", managed_only=False),
        Column("ip_letter_sent_on", "MRS/MSS only: YYYY-MM-DD the IP configuration letter was sent"),
        Column("traffic_passed_at", "YYYY-MM-DDTHH:MM, site's local time traffic first passed (not in the future)"),
    ),
}


# -- what a row becomes -------------------------------------------------------


@dataclass(frozen=True)
class ContactImport:
    account_number: str
    contact: ContactInput


@dataclass(frozen=True)
class SiteImport:
    account_number: str
    site: SiteInput


@dataclass(frozen=True)
class OrderInput:
    number: str
    account_number: str
    services: tuple[ServiceKind, ...]
    mrc: Decimal
    nrc: Decimal
    currency: str
    ccd: date
    status: OrderStatus
    completed_on: date | None


@dataclass(frozen=True)
class StepInput:
    """A step's window as the file gives it, in the site's wall-clock time."""

    kind: StepKind
    status: StepStatus
    start: LocalTime | None
    end: LocalTime | None


@dataclass(frozen=True)
class ActivationImport:
    order_number: str
    account_number: str
    site_name: str
    service: ServiceKind
    field_dispatch: bool
    steps: tuple[StepInput, ...]  # installation first (MRS/MSS only), then the activation event
    ip_letter_sent_on: date | None
    traffic_passed_at: LocalTime | None


@dataclass(frozen=True)
class StepWindow:
    kind: StepKind
    status: StepStatus
    start: datetime | None  # UTC
    end: datetime | None


@dataclass(frozen=True)
class SiteTimes:
    """An activation's times, placed at its site."""

    steps: tuple[StepWindow, ...]
    traffic_passed_at: datetime | None


ParsedRow = CustomerInput | ContactImport | SiteImport | OrderInput | ActivationImport


# -- problems and the report --------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int  # the physical line where the record starts (the header is line 1 or later)
    column: str  # "" when it is about the whole row or file
    value: str
    message: str


class RowRejected(ValueError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass(frozen=True)
class FileReport:
    kind: ImportKind
    name: str  # the file as the user named it
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: tuple[Problem, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()  # doubts about rows that were still imported


@dataclass(frozen=True)
class ImportReport:
    mode: ImportMode
    files: tuple[FileReport, ...]
    written: bool  # the changes were committed

    @property
    def ok(self) -> bool:
        return not any(f.problems for f in self.files)

    def total(self, what: str) -> int:
        return sum(getattr(f, what) for f in self.files)

    @property
    def problems(self) -> int:
        return sum(len(f.problems) for f in self.files)

    def outcome(self) -> str:
        """One sentence: what happened to the book."""
        changes = self.total("created") + self.total("updated")
        if self.mode is ImportMode.DRY_RUN:
            return f"Dry run: nothing written; {'no problems' if self.ok else self._trouble()}."
        if not self.written:
            return f"Nothing written: {self._trouble()} (all or nothing)."
        if self.ok:
            if not changes:
                return "Nothing to change: the book already holds these rows."
            return f"Imported: {_records(changes)} written."
        return f"Imported the good rows ({_records(changes)} written); {self._trouble()} skipped."

    def _trouble(self) -> str:
        rows = self.total("rejected")
        if rows:
            return f"{rows:,} row{'' if rows == 1 else 's'} with problems"
        return f"{self.problems:,} problem{'' if self.problems == 1 else 's'} with the file"


def _records(count: int) -> str:
    return f"{count:,} record{'' if count == 1 else 's'}"


# -- headers ------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """`" Account Number "`, `account-number` and `ACCOUNT_NUMBER` all become `account_number`."""
    return re.sub(r"[\s_-]+", "_", name.strip().casefold()).strip("_")


@dataclass(frozen=True)
class Header:
    kind: ImportKind
    line: int
    positions: Mapping[str, int]  # column name -> cell index
    ignored: tuple[str, ...]  # header cells that name no column of this kind
    width: int  # cells in the header; a row's cells beyond it belong to no column


def known_header_names(kind: ImportKind) -> frozenset[str]:
    return frozenset(name for column in COLUMNS[kind] for name in (column.name, *column.aliases))


def read_header(kind: ImportKind, cells: Sequence[str], line: int) -> Header:
    """Match the header cells to the kind's columns; RowRejected if it cannot be read."""
    by_name = {name: column.name for column in COLUMNS[kind] for name in (column.name, *column.aliases)}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        text = restore(cell)
        column = by_name.get(normalise_header(text))
        if column is None:
            if text.strip():
                ignored.append(text.strip())
        elif column in positions:
            problems.append(Problem(line, column, text, f"column {column} appears twice in the header"))
        else:
            positions[column] = index
    for column in COLUMNS[kind]:
        if column.required and column.name not in positions:
            problems.append(
                Problem(line, column.name, "", f"the header has no {column.name} column (required: {column.help})")
            )
    if problems:
        raise RowRejected(problems)
    return Header(kind, line, positions, tuple(ignored), len(cells))


# -- rows ---------------------------------------------------------------------


def is_blank(cells: Sequence[str]) -> bool:
    """Blank lines and rows of empty cells (spreadsheets write `;;;;`) are skipped."""
    return not any(cell.strip() for cell in cells)


def row_values(header: Header, cells: Sequence[str]) -> dict[str, str]:
    """Each column's cell, restored from formula-neutralising, line breaks as \\n."""
    values: dict[str, str] = {}
    for column in COLUMNS[header.kind]:
        index = header.positions.get(column.name)
        cell = cells[index] if index is not None and index < len(cells) else ""
        values[column.name] = restore(cell.replace("\r\n", "\n").replace("\r", "\n"))
    return values


def parse_row(header: Header, line: int, cells: Sequence[str]) -> ParsedRow:
    """The row as a typed input; RowRejected with every problem in it."""
    values = row_values(header, cells)
    errors: dict[str, str] = {}
    extra = [cell for cell in cells[header.width :] if cell.strip()]
    parsed: ParsedRow | None = None
    try:
        parsed = _PARSERS[header.kind](values)
    except InvalidInput as error:
        for column, message in error.errors.items():
            errors.setdefault(column, message)
    problems = [Problem(line, column, values.get(column, ""), message) for column, message in errors.items()]
    if extra:
        problems.append(
            Problem(
                line,
                "",
                extra[0],
                f"the row has more cells than the header's {header.width}; quote values that hold the separator",
            )
        )
    if problems or parsed is None:
        raise RowRejected(_in_column_order(header.kind, problems))
    return parsed


def row_warnings(line: int, row: ParsedRow) -> list[Problem]:
    """Doubts about a good row that do not stop it (a site's zone in another country)."""
    if not isinstance(row, SiteImport):
        return []
    columns = {"name": "site_name"}
    values = {"timezone": row.site.timezone, "country": row.site.country, "name": row.site.name}
    return [
        Problem(line, columns.get(field, field), values.get(field, ""), message)
        for field, message in row.site.warnings.items()
    ]


def _in_column_order(kind: ImportKind, problems: list[Problem]) -> list[Problem]:
    order = {column.name: index for index, column in enumerate(COLUMNS[kind])}
    return sorted(problems, key=lambda p: order.get(p.column, len(order)))


def row_key(kind: ImportKind, row: ParsedRow) -> tuple[str, ...]:
    """The row's natural key, folded: two rows with one key in a file are one record twice."""
    match row:
        case CustomerInput():
            return (row.account_number.lower(),)
        case ContactImport():
            return (row.account_number.lower(), fold_name(row.contact.name))
        case SiteImport():
            return (row.account_number.lower(), fold_name(row.site.name))
        case OrderInput():
            return (row.number.lower(),)
        case ActivationImport():
            return (row.order_number.lower(), fold_name(row.site_name), row.service.value)
    raise TypeError(f"not a parsed row: {row!r}")


def fold_name(name: str) -> str:
    """Names (of contacts, sites) match in any case and spacing."""
    return " ".join(name.casefold().split())


# -- per kind -------------------------------------------------------------------


class _Row:
    """Collects errors by column while a row's values are parsed."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def required(self, column: str, what: str) -> str:
        text = self.text(column)
        if not text:
            self.errors[column] = f"{what} is required"
        return text

    def parse(self, column: str, parser: Callable[[str], T], default: T) -> T:
        if column in self.errors:
            return default
        try:
            return parser(self.text(column))
        except ValueError as error:
            self.errors[column] = str(error)
            return default
        except OverflowError:  # date arithmetic past year 9999: the parser should have said so first
            self.errors[column] = f"{column} {shown(self.text(column))} is out of range"
            return default

    def merge(self, error: InvalidInput, columns: Mapping[str, str] | None = None) -> None:
        """A form validator's errors, its field names turned into column names."""
        for name, message in error.errors.items():
            self.errors.setdefault((columns or {}).get(name, name), message)

    def finish(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def _customer(values: Mapping[str, str]) -> CustomerInput:
    return validate_customer(values)


def _account(row: _Row) -> str:
    """The account number a row refers to: the customer form's rule for it."""
    row.required("account_number", "account number")
    return row.parse("account_number", parse_account_number, "")


def _site_name(row: _Row) -> str:
    row.required("site_name", "site name")
    return row.parse("site_name", lambda text: single_line(text, "site name", MAX_NAME), "")


def _contact(values: Mapping[str, str]) -> ContactImport:
    row = _Row(values)
    account = _account(row)
    roles = ",".join(part.strip() for part in _LIST_SEPARATORS.split(row.text("roles")))
    contact = None
    try:
        contact = validate_contact({**values, "roles": roles})
    except InvalidInput as error:
        row.merge(error)
    row.finish()
    assert contact is not None
    return ContactImport(account, contact)


def _site(values: Mapping[str, str]) -> SiteImport:
    row = _Row(values)
    account = _account(row)
    site = None
    try:
        site = validate_site({**values, "name": values.get("site_name", "")})
    except InvalidInput as error:
        row.merge(error, {"name": "site_name"})
    row.finish()
    assert site is not None
    return SiteImport(account, site)


def _order(values: Mapping[str, str]) -> OrderInput:
    row = _Row(values)
    row.required("order_number", "order number")
    account = _account(row)
    row.required("services", "services")
    row.required("mrc", "monthly recurring charge (mrc)")
    row.required("currency", "currency")
    row.required("ccd", "customer commitment date (ccd)")
    number = row.parse("order_number", _order_number, "")
    services = row.parse("services", _services, ())
    mrc = row.parse("mrc", _amount("mrc"), Decimal(0))
    nrc = row.parse("nrc", _amount("nrc"), Decimal(0))
    currency = row.parse("currency", _currency, "")
    ccd = row.parse("ccd", lambda text: iso_date(text, "ccd"), date.min)
    status = row.parse("status", _order_status, OrderStatus.PROVISIONING)
    completed_on: date | None = row.parse("completed_on", _optional(lambda text: iso_date(text, "completed_on")), None)
    if "status" not in row.errors and "completed_on" not in row.errors:
        if status is OrderStatus.COMPLETED and completed_on is None:
            row.errors["completed_on"] = "a completed order needs the date it was completed (completed_on)"
        elif status is not OrderStatus.COMPLETED and completed_on is not None:
            row.errors["completed_on"] = f"completed_on is only for completed orders; this one is {status.value}"
    row.finish()
    return OrderInput(
        number=number,
        account_number=account,
        services=services,
        mrc=mrc,
        nrc=nrc,
        currency=currency,
        ccd=ccd,
        status=status,
        completed_on=completed_on,
    )


def _activation(values: Mapping[str, str]) -> ActivationImport:
    row = _Row(values)
    row.required("order_number", "order number")
    order_number = row.parse("order_number", _order_number, "")
    account = _account(row)
    site_name = _site_name(row)
    row.required("service", "service")
    service = row.parse("service", _service, ServiceKind.INTERNET)
    dispatch = row.parse("field_dispatch", _yes_no("field_dispatch"), False)
    steps = []
    for kind in (StepKind.INSTALLATION, StepKind.ACTIVATION):
        step = _step(row, kind.value)
        if kind is StepKind.INSTALLATION and "service" not in row.errors and not service.managed:
            if step.start is not None or step.end is not None or row.text("installation_status"):
                row.errors.setdefault(
                    "installation_start" if step.start is not None else "installation_status",
                    f"{service} has no equipment installation; leave the installation columns blank",
                )
            continue
        steps.append(step)
    letter: date | None = row.parse(
        "ip_letter_sent_on", _optional(lambda text: iso_date(text, "ip_letter_sent_on")), None
    )
    if letter is not None and "service" not in row.errors and not service.managed:
        row.errors["ip_letter_sent_on"] = f"only MRS and MSS get an IP configuration letter, not {service}"
    traffic: LocalTime | None = row.parse(
        "traffic_passed_at", _optional(lambda t: parse_local_time(t, "traffic_passed_at")), None
    )
    row.finish()
    return ActivationImport(
        order_number=order_number,
        account_number=account,
        site_name=site_name,
        service=service,
        field_dispatch=dispatch,
        steps=tuple(steps),
        ip_letter_sent_on=letter,
        traffic_passed_at=traffic,
    )


def _step(row: _Row, prefix: str) -> StepInput:
    kind = StepKind(prefix)
    start_col, end_col, status_col = f"{prefix}_start", f"{prefix}_end", f"{prefix}_status"
    start: LocalTime | None = row.parse(start_col, _optional(lambda t: parse_local_time(t, start_col)), None)
    end: LocalTime | None = row.parse(end_col, _optional(lambda t: parse_local_time(t, end_col)), None)
    windowed = start is not None or end is not None
    default = StepStatus.REQUESTED if windowed else StepStatus.UNSCHEDULED
    status = row.parse(status_col, lambda t: _step_status(t, kind) if t else default, default)
    if start_col in row.errors or end_col in row.errors:
        pass  # a time that could not be read says so; whether the window is whole is for when it can
    elif (start is None) != (end is None):
        missing = end_col if end is None else start_col
        row.errors[missing] = f"a window needs both {start_col} and {end_col}"
    elif status_col not in row.errors:
        if status is StepStatus.UNSCHEDULED and windowed:
            row.errors[status_col] = f"an unscheduled {kind.label.lower()} has no window; give its status"
        elif not windowed and status not in (StepStatus.UNSCHEDULED, StepStatus.CANCELLED):
            state = status.label_for(kind)
            article = "an" if state[:1].lower() in "aeiou" else "a"
            row.errors[start_col] = f"{article} {state} {kind.label.lower()} needs its window ({start_col}, {end_col})"
    return StepInput(kind, status, start, end)


def place_at_site(row: ActivationImport, zone: str, now: datetime) -> SiteTimes:
    """The row's local times as UTC instants at a site in `zone`; InvalidInput by column.

    The rules the activation forms apply to the same values apply here:
    a window of at most 24 hours, traffic that has passed (by `now`) and not
    before the activation call, an IP letter not sent after the site's today.
    """
    errors: dict[str, str] = {}

    def instant(local: LocalTime | None, column: str) -> datetime | None:
        if local is None:
            return None
        try:
            return site_instant(local, zone)
        except ValueError as error:
            errors[column] = str(error)
            return None

    steps = []
    for step in row.steps:
        start = instant(step.start, f"{step.kind.value}_start")
        end = instant(step.end, f"{step.kind.value}_end")
        if start is not None and end is not None:
            if end <= start:
                errors[f"{step.kind.value}_end"] = (
                    f"{step.kind.value}_end {step.end.text} is not after the start {step.start.text}"  # type: ignore[union-attr]
                )
            else:
                _check(errors, f"{step.kind.value}_end", lambda: check_window_length(start, end))
        steps.append(StepWindow(step.kind, step.status, start, end))
    traffic = instant(row.traffic_passed_at, "traffic_passed_at")
    if traffic is not None:
        call = next((s.start for s in steps if s.kind is StepKind.ACTIVATION), None)
        _check(errors, "traffic_passed_at", lambda: check_traffic(traffic, now, call))
    if row.ip_letter_sent_on is not None:
        site_today = now.astimezone(ZoneInfo(zone)).date()
        _check(errors, "ip_letter_sent_on", lambda: check_letter_day(row.ip_letter_sent_on, site_today))  # type: ignore[arg-type]
    if errors:
        raise InvalidInput(errors)
    return SiteTimes(tuple(steps), traffic)


def _check(errors: dict[str, str], column: str, rule: Callable[[], None]) -> None:
    """Run a shared rule; its ValueError is the column's problem."""
    try:
        rule()
    except ValueError as error:
        errors.setdefault(column, f"{column}: {error}")


_PARSERS: Mapping[ImportKind, Callable[[Mapping[str, str]], ParsedRow]] = {
    ImportKind.CUSTOMERS: _customer,
    ImportKind.CONTACTS: _contact,
    ImportKind.SITES: _site,
    ImportKind.ORDERS: _order,
    ImportKind.ACTIVATIONS: _activation,
}


# -- cell parsers: stripped text in, a value or ValueError with the user's message out


def _optional(parser: Callable[[str], T]) -> Callable[[str], T | None]:
    return lambda text: parser(text) if text else None


def _order_number(text: str) -> str:
    if not _ORDER_NUMBER.fullmatch(text):
        raise ValueError(
            f"order number {shown(text)} may hold only letters, digits, '-', '.', '/' and '_', up to 32 characters"
        )
    return text


def _choice(enum_type: type[E], text: str, extra: Mapping[str, E] | None = None) -> E | None:
    """A member by value, name or label, in any case, spaces and dashes read as underscores."""
    wanted = normalise_header(text)
    for member in enum_type:
        names = (str(member.value), member.name, str(getattr(member, "label", member.value)))
        if wanted in (normalise_header(n) for n in names):
            return member
    return (extra or {}).get(wanted)


def _service(text: str) -> ServiceKind:
    found = _choice(ServiceKind, text)
    if found is None:
        raise ValueError(f"unknown service {shown(text)}; use one of {', '.join(s.value for s in ServiceKind)}")
    return found


def _services(text: str) -> tuple[ServiceKind, ...]:
    found: list[ServiceKind] = []
    for part in _LIST_SEPARATORS.split(text):
        if not part.strip():
            continue
        service = _service(part.strip())
        if service in found:
            raise ValueError(f"{service} appears twice in {shown(text)}")
        found.append(service)
    if not found:
        raise ValueError("an order needs at least one service")
    return tuple(found)


def _amount(column: str) -> Callable[[str], Decimal]:
    def parse(text: str) -> Decimal:
        if not text:
            return Decimal(0)
        if len(text) > MAX_NUMBER_TEXT or not _AMOUNT.fullmatch(text):
            raise ValueError(
                f"{column} {shown(text)} is not an amount; write digits with up to two decimals, "
                "no currency sign or thousands separator (1250.00)"
            )
        try:
            amount = Decimal(text.replace(",", "."))  # a decimal comma, as European spreadsheets write
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{column} {text!r} is not an amount") from None
        if amount >= _MAX_AMOUNT:
            raise ValueError(f"{column} {text} is more than {_MAX_AMOUNT:,}; check the figure")
        return amount

    return parse


def _currency(text: str) -> str:
    code = text.upper()
    if code not in CURRENCIES:
        raise ValueError(f"currency {shown(text)} is not an ISO 4217 code in use, such as USD, EUR or GBP")
    return code


def _order_status(text: str) -> OrderStatus:
    if not text:
        return OrderStatus.PROVISIONING
    found = _choice(OrderStatus, text)
    if found is None:
        raise ValueError(f"unknown order status {shown(text)}; use one of {', '.join(s.value for s in OrderStatus)}")
    return found


def _step_status(text: str, kind: StepKind) -> StepStatus:
    # "installed" and "activated" are how the app shows a completed step
    found = _choice(StepStatus, text, {"installed": StepStatus.COMPLETED, "activated": StepStatus.COMPLETED})
    if found is None:
        raise ValueError(f"unknown {kind.value} status {shown(text)}; use one of {_STEP_STATUSES}")
    return found


def _yes_no(column: str) -> Callable[[str], bool]:
    def parse(text: str) -> bool:
        folded = text.casefold()
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise ValueError(f"{column} {shown(text)} is neither yes nor no")

    return parse


@dataclass
class KeyTracker:
    """Natural keys seen so far in one file, with the line each first appeared on."""

    kind: ImportKind
    seen: dict[tuple[str, ...], int] = field(default_factory=dict)

    def duplicate(self, line: int, row: ParsedRow) -> Problem | None:
        key = row_key(self.kind, row)
        first = self.seen.setdefault(key, line)
        if first == line:
            return None
        column, value = key_cell(row)
        return Problem(line, column, value, f"duplicate {self.kind.key} in this file: line {first} has it already")


def key_cell(row: ParsedRow) -> tuple[str, str]:
    """The column (and its value) a problem with the row's key is reported on."""
    match row:
        case CustomerInput():
            return "account_number", row.account_number
        case ContactImport():
            return "name", row.contact.name
        case SiteImport():
            return "site_name", row.site.name
        case OrderInput():
            return "order_number", row.number
        case ActivationImport():
            return "service", row.service.value
    raise TypeError(f"not a parsed row: {row!r}")
