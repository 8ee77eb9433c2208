"""The files a book is imported from: their kinds, the import modes, and
each kind's columns (`COLUMNS`).

The header may name the columns in any case and order, with spaces or
dashes for underscores (`normalise_header`). Reading a file's header and
rows is `import_reading`; each kind's row parser is `import_parsers`, its
cells' parsers `import_cells`; what a row becomes is `import_rows`, placed
at its site by `import_site_times`; problems and the report are
`import_report`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ccm_tui.domain.model import StepStatus


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
class ImportRequest:
    """What the user asked to import: one file of a kind, or a folder of them."""

    kind: ImportKind | None  # None: every file `ccm export csv` writes, from the folder `path`
    path: Path
    mode: ImportMode

    @property
    def label(self) -> str:
        return f"{self.path.name}/" if self.kind is None else self.path.name


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False  # the header must have it
    aliases: tuple[str, ...] = ()


STEP_STATUSES = ", ".join(s.value for s in StepStatus)


def _window_columns(step: str, managed_only: bool) -> tuple[Column, ...]:
    only = "MRS/MSS only; " if managed_only else ""
    return (
        Column(f"{step}_start", f"{only}YYYY-MM-DDTHH:MM in the site's local time"),
        Column(f"{step}_end", "YYYY-MM-DDTHH:MM in the site's local time, after the start"),
        Column(f"{step}_status", f"{STEP_STATUSES} (blank: unscheduled, or requested if a window is given)"),
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


def normalise_header(name: str) -> str:
    """`" Account Number "`, `account-number` and `ACCOUNT_NUMBER` all become `account_number`."""
    return re.sub(r"[\s_-]+", "_", name.strip().casefold()).strip("_")


def known_header_names(kind: ImportKind) -> frozenset[str]:
    return frozenset(name for column in COLUMNS[kind] for name in (column.name, *column.aliases))
