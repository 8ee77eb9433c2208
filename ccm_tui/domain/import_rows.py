"""What an import row becomes: a typed input per kind of file, and its
natural key, by which two rows of one file are found to be one record twice.

Names (of contacts, sites) match in any case, spacing and accents
(`fold_name`: the search's `fold`, so "Chloe Martin" in a file is the
book's Chloé Martin, as `chloe` finds her in the app).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ccm_tui.domain.import_report import Problem
from ccm_tui.domain.imports import ImportKind
from ccm_tui.domain.model import OrderStatus, ServiceKind, StepKind, StepStatus
from ccm_tui.domain.search_text import fold
from ccm_tui.domain.site_time import LocalTime
from ccm_tui.domain.validation import ContactInput, CustomerInput, SiteInput


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


ParsedRow = CustomerInput | ContactImport | SiteImport | OrderInput | ActivationImport


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
    """Names (of contacts, sites) match in any case, spacing and accents."""
    return fold(name)


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
