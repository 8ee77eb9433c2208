"""Cell parsers for import rows: stripped text in, a value or ValueError
with the user's message out (order numbers, services, amounts, currencies,
statuses, yes or no).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from ccm_tui.domain.fields import MAX_NUMBER_TEXT, shown
from ccm_tui.domain.imports import STEP_STATUSES, normalise_header
from ccm_tui.domain.model import OrderStatus, ServiceKind, StepKind, StepStatus

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

_ORDER_NUMBER = re.compile(r"[A-Za-z0-9._/-]{1,32}")
_AMOUNT = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")  # ASCII digits: "٣" is no amount
_MAX_AMOUNT = Decimal("100000000")  # a monthly charge of 100 million is a typo
# Several values in one cell: "MRS+INTERNET", "designated+technical" (commas work too).
LIST_SEPARATORS = re.compile(r"[+,]")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}

# ISO 4217 codes in use (from CLDR's territory currencies, 2026).
CURRENCIES = frozenset(
    """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
    CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY
    TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()  # noqa: SIM905 - a table to read, not 170 quoted strings
)


def optional_cell(parser: Callable[[str], T]) -> Callable[[str], T | None]:
    return lambda text: parser(text) if text else None


def parse_order_number(text: str) -> str:
    if not _ORDER_NUMBER.fullmatch(text):
        raise ValueError(f"order number {shown(text)} may hold only letters, digits, '-', '.', '/' and '_', up to 32 characters")
    return text


def _choice(enum_type: type[E], text: str, extra: Mapping[str, E] | None = None) -> E | None:
    """A member by value, name or label, in any case, spaces and dashes read as underscores."""
    wanted = normalise_header(text)
    for member in enum_type:
        names = (str(member.value), member.name, str(getattr(member, "label", member.value)))
        if wanted in (normalise_header(n) for n in names):
            return member
    return (extra or {}).get(wanted)


def parse_service(text: str) -> ServiceKind:
    found = _choice(ServiceKind, text)
    if found is None:
        raise ValueError(f"unknown service {shown(text)}; use one of {', '.join(s.value for s in ServiceKind)}")
    return found


def parse_services(text: str) -> tuple[ServiceKind, ...]:
    found: list[ServiceKind] = []
    for part in LIST_SEPARATORS.split(text):
        if not part.strip():
            continue
        service = parse_service(part.strip())
        if service in found:
            raise ValueError(f"{service} appears twice in {shown(text)}")
        found.append(service)
    if not found:
        raise ValueError("an order needs at least one service")
    return tuple(found)


def parse_amount(column: str) -> Callable[[str], Decimal]:
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


def parse_currency(text: str) -> str:
    code = text.upper()
    if code not in CURRENCIES:
        raise ValueError(f"currency {shown(text)} is not an ISO 4217 code in use, such as USD, EUR or GBP")
    return code


def parse_order_status(text: str) -> OrderStatus:
    if not text:
        return OrderStatus.PROVISIONING
    found = _choice(OrderStatus, text)
    if found is None:
        raise ValueError(f"unknown order status {shown(text)}; use one of {', '.join(s.value for s in OrderStatus)}")
    return found


def parse_step_status(text: str, kind: StepKind) -> StepStatus:
    # "installed" and "activated" are how the app shows a completed step
    found = _choice(StepStatus, text, {"installed": StepStatus.COMPLETED, "activated": StepStatus.COMPLETED})
    if found is None:
        raise ValueError(f"unknown {kind.value} status {shown(text)}; use one of {STEP_STATUSES}")
    return found


def parse_yes_no(column: str) -> Callable[[str], bool]:
    def parse(text: str) -> bool:
        folded = text.casefold()
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise ValueError(f"{column} {shown(text)} is neither yes nor no")

    return parse
