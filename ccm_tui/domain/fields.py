"""The rules for one kind of field, shared by every door into the book.

A form, a CSV row and the CLI hand a field's text to the same function here,
so a value gets the same answer, and the same message, whichever way it
comes in. Each function takes the text and returns a value, or raises
ValueError whose message is the user's; no other exception gets out, so no
bad value can end the app or an import with a traceback.

Numbers are ASCII digits only: `str.isdigit()` and `Decimal()` accept `²`
or `٣`, which a CCM never means as an amount. Dates stay within the years
the book can compute with (see FIRST_DAY, LAST_DAY): a window in year 1 or
9999 would overflow once moved to UTC or a business day later.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ccm_tui.domain.natural_dates import parse_day

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
# Text a number field is read from: an ASCII number, a sign and a decimal point at most.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_WHOLE = re.compile(r"[0-9]+")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# C0 and C1 controls, DEL, lone surrogates; and, on one line, line and paragraph separators.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # tab and newline are fine
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_LINE_END = re.compile("\r\n|[\r\u2028\u2029]")  # what several-line text may end its lines with
_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\t": "tab"}
MAX_NUMBER_TEXT = 40  # no amount, hour count or day count needs more characters


def single_line(text: str, what: str, max_length: int) -> str:
    """A one-line field (a name, a city, an owner): no line break, tab or control character."""
    found = _NOT_IN_A_LINE.search(text)
    if found is not None:
        char = found.group()
        if char in _LINE_BREAKS:
            raise ValueError(f"{what} holds a line break; keep it on one line")
        raise ValueError(f"{what} holds {_describe(char)}; remove it")
    _fits(text, what, max_length)
    return text


def multi_line(text: str, what: str, max_length: int) -> str:
    """A field of several lines (notes, minutes, an address): line breaks and tabs, no other control character.

    Line endings become `\\n`, however the text was written.
    """
    text = _LINE_END.sub("\n", text)
    found = _NOT_IN_TEXT.search(text)
    if found is not None:
        raise ValueError(f"{what} holds {_describe(found.group())}; remove it")
    _fits(text, what, max_length)
    return text


def _fits(text: str, what: str, max_length: int) -> None:
    if len(text) > max_length:
        raise ValueError(f"{what} is {len(text)} characters long; at most {max_length} fit")


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"a broken character ({code})"
    name = _NAMES.get(char)
    return f"a control character ({name}, {code})" if name else f"a control character ({code})"


def printable(text: str) -> str:
    """Control characters as escapes (`\\n`, `\\x1b`): a report shows them, and the terminal obeys none."""
    return _NOT_IN_A_LINE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def shown(text: str, limit: int = 40) -> str:
    """The text quoted for a message, cut short: a message must not drown in a pasted page."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def decimal_number(text: str, what: str) -> Decimal:
    """`12`, `12.5`, `.5`, `-1` in ASCII digits: no exponent, no `NaN`, no `٣`."""
    if len(text) > MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        raise ValueError(f"{what} {shown(text)} is not a number; write digits 0-9 with a decimal point, such as 12.5")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{what} {shown(text)} is not a number") from None


def whole_number(text: str, what: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, in ASCII digits (`²` and `٣` are not digits here)."""
    if len(text) > MAX_NUMBER_TEXT or not _WHOLE.fullmatch(text) or not low <= int(text) <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not {shown(text)}")
    return int(text)


def in_book_range(day: date, what: str) -> date:
    """`day`, if the book can compute with it (FIRST_DAY to LAST_DAY)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{what} {day.isoformat()} is out of range; use a date from {FIRST_DAY.year} to {LAST_DAY.year}")
    return day


def iso_date(text: str, what: str) -> date:
    """A YYYY-MM-DD date within the book's range.

    The rule for a date that is data (a CSV cell, a stored value): the same
    text means the same day whenever it is read.
    """
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {shown(text)} is not a date; use YYYY-MM-DD") from None
    return in_book_range(day, what)


def typed_day(text: str, what: str, today: date | None) -> date:
    """A date a person typed: YYYY-MM-DD, or words counted from `today` (`natural_dates`: fri, +3d).

    `today` is the day the words count from: the CCM's today, or the site's
    for a site's date; the caller has it from the services' clock. Without
    it (None) only YYYY-MM-DD is read, as `iso_date`: a CSV import is data,
    and "tomorrow" in a file read next week would name another day.
    Text that starts with a digit is read as ISO, so `2026-13-01` gets the
    YYYY-MM-DD message, not a list of words.
    """
    if today is None or text[:1].isdigit():
        return iso_date(text, what)
    try:
        day = parse_day(text, today)
    except ValueError as err:
        raise ValueError(f"{what} {err}") from None
    return in_book_range(day, what)
