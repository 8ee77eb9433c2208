"""Each kind of import row parsed from its cells into a typed input.

A row becomes a typed input through the validators the forms use
(`domain.validation`, `domain.fields`, and for times `domain.site_time`;
`import_site_times` applies `domain.action_inputs`' rules once the site's
zone is known), or is rejected with every bad cell of it at once: errors
are collected by column, and `InvalidInput` carries them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TypeVar

from ccm_tui.domain.fields import iso_date, shown, single_line
from ccm_tui.domain.import_cells import (
    LIST_SEPARATORS,
    optional_cell,
    parse_amount,
    parse_currency,
    parse_order_number,
    parse_order_status,
    parse_service,
    parse_services,
    parse_step_status,
    parse_yes_no,
)
from ccm_tui.domain.import_rows import (
    ActivationImport,
    ContactImport,
    OrderInput,
    ParsedRow,
    SiteImport,
    StepInput,
)
from ccm_tui.domain.imports import ImportKind
from ccm_tui.domain.model import OrderStatus, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.site_time import LocalTime, parse_local_time
from ccm_tui.domain.validation import (
    MAX_NAME,
    CustomerInput,
    InvalidInput,
    parse_account_number,
    validate_contact,
    validate_customer,
    validate_site,
)

T = TypeVar("T")


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
    roles = ",".join(part.strip() for part in LIST_SEPARATORS.split(row.text("roles")))
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
    number = row.parse("order_number", parse_order_number, "")
    services = row.parse("services", parse_services, tuple[ServiceKind, ...]())
    mrc = row.parse("mrc", parse_amount("mrc"), Decimal(0))
    nrc = row.parse("nrc", parse_amount("nrc"), Decimal(0))
    currency = row.parse("currency", parse_currency, "")
    ccd = row.parse("ccd", lambda text: iso_date(text, "ccd"), date.min)
    status = row.parse("status", parse_order_status, OrderStatus.PROVISIONING)
    completed_on: date | None = row.parse("completed_on", optional_cell(lambda text: iso_date(text, "completed_on")), None)
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
    order_number = row.parse("order_number", parse_order_number, "")
    account = _account(row)
    site_name = _site_name(row)
    row.required("service", "service")
    service = row.parse("service", parse_service, ServiceKind.INTERNET)
    dispatch = row.parse("field_dispatch", parse_yes_no("field_dispatch"), False)
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
    letter: date | None = row.parse("ip_letter_sent_on", optional_cell(lambda text: iso_date(text, "ip_letter_sent_on")), None)
    if letter is not None and "service" not in row.errors and not service.managed:
        row.errors["ip_letter_sent_on"] = f"only MRS and MSS get an IP configuration letter, not {service}"
    traffic: LocalTime | None = row.parse(
        "traffic_passed_at", optional_cell(lambda t: parse_local_time(t, "traffic_passed_at")), None
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
    start: LocalTime | None = row.parse(start_col, optional_cell(lambda t: parse_local_time(t, start_col)), None)
    end: LocalTime | None = row.parse(end_col, optional_cell(lambda t: parse_local_time(t, end_col)), None)
    windowed = start is not None or end is not None
    default = StepStatus.REQUESTED if windowed else StepStatus.UNSCHEDULED
    status = row.parse(status_col, lambda t: parse_step_status(t, kind) if t else default, default)
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


PARSERS: Mapping[ImportKind, Callable[[Mapping[str, str]], ParsedRow]] = {
    ImportKind.CUSTOMERS: _customer,
    ImportKind.CONTACTS: _contact,
    ImportKind.SITES: _site,
    ImportKind.ORDERS: _order,
    ImportKind.ACTIVATIONS: _activation,
}
