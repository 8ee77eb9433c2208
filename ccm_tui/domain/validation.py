"""Turning the text typed into forms into typed, checked inputs.

Every validator reads a mapping of raw field text and returns a frozen input
whose field names match the form's, or raises InvalidInput listing every bad
field at once, so the CCM fixes a form in one pass. Messages name the field
and what would be accepted. The CSV import runs its rows through these same
validators, and each field's text through the rules of `domain.fields`.
A site's country, subdivision and time zone are read by `domain.site_location`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from ccm_tui.domain.fields import (
    decimal_number,
    multi_line,
    shown,
    single_line,
    typed_day,
)
from ccm_tui.domain.model import ContactRole, Region, TaskCategory
from ccm_tui.domain.site_location import (
    canonical_zone,
    parse_country,
    subdivision_code,
    zone_country_warning,
)

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

MAX_HOURS_PER_MONTH = Decimal(744)  # 31 days of 24 hours
MAX_HOURS_PER_DAY = Decimal(24)
_ACCOUNT_NUMBER = re.compile(r"[A-Za-z0-9-]{1,32}")
_PHONE = re.compile(r"\+?[0-9 ().-]+")
# The widest each text fits (the book's columns).
MAX_NAME = 200
MAX_CCM = 100
MAX_NOTES = 4000
MAX_PHONE = 40
MAX_EMAIL = 254
MAX_ADDRESS = 400
MAX_CITY = 100
MAX_TIME_NOTE = 1000


class InvalidInput(ValueError):
    """A form with one or more bad fields; `errors` maps field name to message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(self.errors.values()))


@dataclass(frozen=True)
class CustomerInput:
    name: str
    account_number: str
    region: Region
    ccm: str
    hours_per_month: Decimal
    notes: str


@dataclass(frozen=True)
class ContactInput:
    name: str
    roles: frozenset[ContactRole]
    phone: str
    email: str
    last_reviewed: date | None


@dataclass(frozen=True)
class SiteInput:
    name: str
    address: str
    city: str
    country: str
    timezone: str
    subdivision: str = ""  # ISO 3166-2 ("AU-NSW"), or "" for the country's calendar alone
    # field -> a doubt that does not stop the save ("America/New_York is in US, not GB")
    warnings: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TimeEntryInput:
    day: date
    hours: Decimal
    category: TaskCategory
    note: str


class Form:
    """Collects field errors while the parsed values are built; every validator in the domain uses it."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def text(self, field: str) -> str:
        return (self.values.get(field) or "").strip()

    def required(self, field: str, what: str) -> str:
        value = self.text(field)
        if not value:
            self.errors[field] = f"{what} is required"
        return value

    def line(self, field: str, what: str, max_length: int, *, required: bool = False) -> str:
        """A one-line text field (`fields.single_line`)."""
        value = self.required(field, what) if required else self.text(field)
        return self.parse(field, lambda text: single_line(text, what, max_length), value)

    def lines(self, field: str, what: str, max_length: int) -> str:
        """A text field of several lines (`fields.multi_line`)."""
        return self.parse(field, lambda text: multi_line(text, what, max_length), self.text(field))

    def parse(self, field: str, parser: Callable[[str], T], default: T) -> T:
        """Run `parser` on the field's text; its ValueError message becomes the field's error."""
        if field in self.errors:
            return default
        try:
            return parser(self.text(field))
        except ValueError as err:
            self.errors[field] = str(err)
            return default
        except OverflowError:  # date arithmetic past year 9999: the parser should have said so first
            self.errors[field] = f"{field.replace('_', ' ')} {shown(self.text(field))} is out of range"
            return default

    def finish(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def validate_customer(values: Mapping[str, str]) -> CustomerInput:
    form = Form(values)
    name = form.line("name", "customer name", MAX_NAME, required=True)
    form.required("account_number", "account number")
    form.required("region", "region")
    account_number = form.parse("account_number", parse_account_number, "")
    region = form.parse("region", Region.parse, Region.NORTH_AMERICA)
    ccm = form.line("ccm", "CCM", MAX_CCM)
    hours = form.parse("hours_per_month", _hours_per_month, Decimal(0))
    notes = form.lines("notes", "notes", MAX_NOTES)
    form.finish()
    return CustomerInput(
        name=name,
        account_number=account_number,
        region=region,
        ccm=ccm,
        hours_per_month=hours,
        notes=notes,
    )


def validate_contact(values: Mapping[str, str], today: date | None = None) -> ContactInput:
    """A contact; with `today` (a form's), the last-reviewed date may be words (`fields.typed_day`), not in a CSV row."""
    form = Form(values)
    name = form.line("name", "contact name", MAX_NAME, required=True)
    roles = form.parse("roles", _roles, frozenset[ContactRole]())
    phone = form.parse("phone", _phone, "")
    email = form.parse("email", _email, "")
    last_reviewed = form.parse("last_reviewed", _optional_date("last reviewed date", today), None)
    form.finish()
    return ContactInput(name=name, roles=roles, phone=phone, email=email, last_reviewed=last_reviewed)


def validate_site(values: Mapping[str, str]) -> SiteInput:
    form = Form(values)
    name = form.line("name", "site name", MAX_NAME, required=True)
    address = form.lines("address", "address", MAX_ADDRESS)
    city = form.line("city", "city", MAX_CITY)
    form.required("country", "country")
    form.required("timezone", "time zone")
    country = form.parse("country", parse_country, "")
    timezone = form.parse("timezone", canonical_zone, "")
    subdivision = form.parse("subdivision", lambda text: subdivision_code(country, text), "") if country else ""
    form.finish()
    doubt = zone_country_warning(country, timezone)
    return SiteInput(
        name=name,
        address=address,
        city=city,
        country=country,
        timezone=timezone,
        subdivision=subdivision,
        warnings={"timezone": doubt} if doubt else {},
    )


def validate_time_entry(values: Mapping[str, str], today: date) -> TimeEntryInput:
    form = Form(values)
    form.required("day", "day")
    form.required("hours", "hours")
    form.required("category", "category")
    day = form.parse("day", _work_day(today), today)
    hours = form.parse("hours", _hours_worked, Decimal(0))
    category = form.parse("category", _category, TaskCategory.RELATIONSHIP)
    note = form.line("note", "note", MAX_TIME_NOTE)
    form.finish()
    return TimeEntryInput(day=day, hours=hours, category=category, note=note)


# Field parsers: each takes stripped text and raises ValueError with the user's message.


def parse_account_number(text: str) -> str:
    """An account number: letters, digits and dashes, up to 32 (a key the CSV files share)."""
    if not _ACCOUNT_NUMBER.fullmatch(text):
        raise ValueError(f"account number {shown(text)} may hold only letters, digits and '-', up to 32 characters")
    return text


def _hours_per_month(text: str) -> Decimal:
    if not text:
        return Decimal(0)  # no package: any logged time shows as an overrun
    hours = decimal_number(text, "hours per month")
    if not 0 <= hours <= MAX_HOURS_PER_MONTH:
        raise ValueError(f"hours per month must be between 0 and {MAX_HOURS_PER_MONTH}, not {text}")
    return hours


def _roles(text: str) -> frozenset[ContactRole]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise ValueError("a contact needs at least one role: " + _role_choices())
    roles, unknown = set(), []
    for name in names:
        role = _lookup(ContactRole, name)
        if role is None:
            unknown.append(repr(name))
        else:
            roles.add(role)
    if unknown:
        raise ValueError(f"unknown role {', '.join(unknown)}; choose from {_role_choices()}")
    return frozenset(roles)


def _role_choices() -> str:
    return ", ".join(f"{role.value} ({role.label})" for role in ContactRole)


def _lookup(enum_type: type[E], text: str) -> E | None:
    """An enum member by value, label or name, in any case."""
    wanted = text.casefold()
    for member in enum_type:
        names = (member.value, member.name, getattr(member, "label", member.value))
        if wanted in (n.casefold() for n in names):
            return member
    return None


def _phone(text: str) -> str:
    if not text:
        return ""
    single_line(text, "phone", MAX_PHONE)
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE.fullmatch(text) or "+" in text[1:]:
        raise ValueError(f"phone {shown(text)} may hold only digits, a leading +, spaces, dashes, dots and parentheses")
    if not 7 <= digits <= 15:
        raise ValueError(f"phone {text!r} has {digits} digits; a phone number has 7 to 15")
    return text


def _email(text: str) -> str:
    if not text:
        return ""
    single_line(text, "e-mail", MAX_EMAIL)
    local, at, domain = text.partition("@")
    plausible = (
        at
        and local
        and "@" not in domain
        and not any(ch.isspace() for ch in text)
        and "." in domain.strip(".")
        and not domain.startswith(".")
        and not domain.endswith(".")
    )
    if not plausible:
        raise ValueError(f"e-mail {shown(text)} is not an address like name@example.com")
    return text


def _optional_date(what: str, today: date | None) -> Callable[[str], date | None]:
    def parse(text: str) -> date | None:
        return typed_day(text, what, today) if text else None

    return parse


def _work_day(today: date) -> Callable[[str], date]:
    def parse(text: str) -> date:
        day = typed_day(text, "day", today)
        if day > today:
            raise ValueError(f"day {day.isoformat()} is in the future; time is logged once it is spent")
        return day

    return parse


def _hours_worked(text: str) -> Decimal:
    hours = decimal_number(text, "hours")
    if not 0 < hours <= MAX_HOURS_PER_DAY:
        raise ValueError(f"hours must be more than 0 and at most {MAX_HOURS_PER_DAY}, not {text}")
    if hours != hours.quantize(Decimal("0.01")):
        raise ValueError(f"hours {text} has more than two decimal places")
    return hours


def _category(text: str) -> TaskCategory:
    category = _lookup(TaskCategory, text)
    if category is None:
        choices = ", ".join(c.label for c in TaskCategory)
        raise ValueError(f"unknown category {shown(text)}; choose one of {choices}")
    return category
