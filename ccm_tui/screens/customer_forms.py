"""The customer book's forms: customer, contact, site and time entry (logged or corrected).

Each builder returns a FormDialog whose save callback validates with the
domain and writes through the services; the dialog dismisses with the saved
domain object, or None if the user cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from ccm_tui.domain.model import (
    Contact,
    ContactRole,
    Customer,
    Region,
    Site,
    TaskCategory,
    TimeEntry,
)
from ccm_tui.domain.validation import (
    InvalidInput,
    SiteInput,
    validate_contact,
    validate_customer,
    validate_site,
    validate_time_entry,
)
from ccm_tui.screens.dialogs.form import FormDialog, FormField

if TYPE_CHECKING:  # the services import the ORM; screens load before it
    from ccm_tui.services import Services


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


CUSTOMER_FIELDS = (
    FormField("name", "Name", placeholder="Acme Logistics"),
    FormField("account_number", "Account number", placeholder="NA-10234"),
    FormField("region", "Region", "select", options=tuple((r.label, r.value) for r in Region)),
    FormField("ccm", "CCM", placeholder="who owns this customer"),
    FormField("hours_per_month", "Hours / month", placeholder="12", help="customer-success hours in the package"),
    FormField("notes", "Notes"),
)


def _customer_fields(ccm_names: Sequence[str]) -> tuple[FormField, ...]:
    # the CCM completes to a known name, but any name is taken: a new CCM need not be a person yet
    return tuple(replace(f, suggestions=tuple(ccm_names)) if f.name == "ccm" else f for f in CUSTOMER_FIELDS)


def customer_dialog(services: Services, customer: Customer | None = None, ccm_names: Sequence[str] = ()) -> FormDialog[Customer]:
    """The new-customer form (`customer` None) or the edit form; `ccm_names` complete the CCM field."""
    fields = _customer_fields(ccm_names)
    if customer is None:
        values = {"ccm": services.settings.ccm_name}

        def save(raw: dict[str, str]) -> Customer:
            return services.book.add_customer(validate_customer(raw))

        return FormDialog("New customer", fields, values, save)

    values = {
        "name": customer.name,
        "account_number": customer.account_number,
        "region": customer.region.value,
        "ccm": customer.ccm,
        "hours_per_month": _plain(customer.hours_per_month),
        "notes": customer.notes,
    }

    def update(raw: dict[str, str]) -> Customer:
        return services.book.update_customer(customer.id, customer.version, validate_customer(raw))

    return FormDialog(f"Edit {customer.name}", fields, values, update)


CONTACT_FIELDS = (
    FormField("name", "Name"),
    FormField("roles", "Roles", "multi", options=tuple((r.label, r.value) for r in ContactRole)),
    FormField("phone", "Phone", placeholder="+1 212 555 0100"),
    FormField("email", "E-mail", placeholder="name@example.com"),
    FormField("last_reviewed", "Last reviewed", "date", placeholder="YYYY-MM-DD (blank: never)"),
)


def contact_dialog(services: Services, customer: Customer, contact: Contact | None = None) -> FormDialog[Contact]:
    if contact is None:

        def save(raw: dict[str, str]) -> Contact:
            return services.book.add_contact(customer.id, validate_contact(raw, services.today()))

        return FormDialog(f"New contact at {customer.name}", CONTACT_FIELDS, {}, save)

    values = {
        "name": contact.name,
        "roles": ",".join(r.value for r in ContactRole if r in contact.roles),
        "phone": contact.phone,
        "email": contact.email,
        "last_reviewed": contact.last_reviewed.isoformat() if contact.last_reviewed else "",
    }

    def update(raw: dict[str, str]) -> Contact:
        return services.book.update_contact(contact.id, contact.version, validate_contact(raw, services.today()))

    return FormDialog(f"Edit {contact.name}", CONTACT_FIELDS, values, update)


def _site_fields() -> tuple[FormField, ...]:
    return (
        FormField("name", "Site name", placeholder="Head office"),
        FormField("address", "Address"),
        FormField("city", "City"),
        FormField("country", "Country", placeholder="US (ISO code)"),
        FormField("subdivision", "Subdivision", placeholder="AU-NSW (optional)", help="state or province: its holidays apply too"),
        FormField(
            "timezone",
            "Time zone",
            placeholder="America/New_York",
            suggestions=_zones(),
            help="IANA zone; -> accepts the suggestion",
        ),
    )


def site_dialog(services: Services, customer: Customer, site: Site | None = None) -> FormDialog[Site]:
    checked = _ZoneCountryCheck(site)
    if site is None:

        def save(raw: dict[str, str]) -> Site:
            return services.book.add_site(customer.id, checked(validate_site(raw)))

        return FormDialog(f"New site for {customer.name}", _site_fields(), {}, save)

    values = {
        "name": site.name,
        "address": site.address,
        "city": site.city,
        "country": site.country,
        "subdivision": site.subdivision,
        "timezone": site.timezone,
    }

    def update(raw: dict[str, str]) -> Site:
        return services.book.update_site(site.id, site.version, checked(validate_site(raw)))

    return FormDialog(f"Edit site {site.name}", _site_fields(), values, update)


class _ZoneCountryCheck:
    """A zone of another country is shown at the field once; a second ctrl+s with the same pair saves.

    An edit that keeps the site's stored pair is not asked again: it was accepted before.
    """

    def __init__(self, site: Site | None) -> None:
        self._accepted: set[tuple[str, str]] = set()
        if site is not None:
            self._accepted.add((site.country, site.timezone))

    def __call__(self, data: SiteInput) -> SiteInput:
        doubt = data.warnings.get("timezone")
        pair = (data.country, data.timezone)
        if doubt and pair not in self._accepted:
            self._accepted.add(pair)
            raise InvalidInput({"timezone": f"{doubt}. Press ctrl+s again to save it anyway."})
        return data


TIME_FIELDS = (
    FormField("day", "Day", "date", placeholder="YYYY-MM-DD"),
    FormField("hours", "Hours", placeholder="1.5"),
    FormField("category", "Category", "select", options=tuple((c.label, c.value) for c in TaskCategory)),
    FormField("note", "Note", placeholder="what the time was for"),
)


def time_dialog(services: Services, customer_id: int, customer_name: str, entry: TimeEntry | None = None) -> FormDialog[TimeEntry]:
    """The log-time form, or (`entry`) the same form correcting an entry."""
    today = services.today()
    if entry is not None:
        values = {"day": entry.day.isoformat(), "hours": _plain(entry.hours), "category": entry.category.value, "note": entry.note}

        def update(raw: dict[str, str]) -> TimeEntry:
            return services.book.update_time_entry(entry, validate_time_entry(raw, today))

        return FormDialog(f"Edit time for {customer_name}", TIME_FIELDS, values, update, focus="hours")

    def save(raw: dict[str, str]) -> TimeEntry:
        return services.book.log_time(customer_id, validate_time_entry(raw, today))

    # the day is today's already: the cursor starts in the hours, the one thing always to type
    return FormDialog(f"Log time for {customer_name}", TIME_FIELDS, {"day": today.isoformat()}, save, focus="hours")
