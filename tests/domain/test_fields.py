"""The per-field rules every door shares: text, numbers, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ccm_tui.domain.fields import (
    FIRST_DAY,
    LAST_DAY,
    decimal_number,
    iso_date,
    multi_line,
    printable,
    shown,
    single_line,
    whole_number,
)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Acme\x00", "control character (NUL, U+0000)"),
        ("Acme\x1b[31m", "control character (ESC, U+001B)"),
        ("two\nlines", "line break"),
        ("two\rlines", "line break"),
        ("two\u2028lines", "line break"),
        ("tab\there", "control character (tab, U+0009)"),
        ("bell\x07", "control character (U+0007)"),
        ("c1\x9b31m", "control character (U+009B)"),
        ("lone\ud800", "broken character"),
        ("x" * 201, "at most 200 fit"),
    ],
    ids=["nul", "esc", "lf", "cr", "line-separator", "tab", "bel", "c1-csi", "surrogate", "too-long"],
)
def test_single_line_refuses(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        single_line(text, "customer name", 200)
    assert fragment in str(caught.value) and str(caught.value).startswith("customer name ")


@pytest.mark.parametrize("text", ["Acme", "Société Générale", "株式会社", 'O\'Brien & Sons ("HQ")', "x" * 200, ""])
def test_single_line_keeps_ordinary_text(text: str) -> None:
    assert single_line(text, "name", 200) == text


def test_multi_line_keeps_line_breaks_and_tabs_but_no_other_control() -> None:
    assert multi_line("one\r\ntwo\rthree\n\tfour", "notes", 100) == "one\ntwo\nthree\n\tfour"
    with pytest.raises(ValueError, match=r"notes holds a control character \(ESC"):
        multi_line("one\n\x1b[2Jtwo", "notes", 100)
    with pytest.raises(ValueError, match="NUL"):
        multi_line("one\x00", "notes", 100)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", Decimal(12)), ("12.5", Decimal("12.5")), (".5", Decimal("0.5")), ("-1", Decimal(-1)), ("7.", Decimal(7))],
)
def test_decimal_number_reads_ascii_numbers(text: str, value: Decimal) -> None:
    assert decimal_number(text, "hours") == value


@pytest.mark.parametrize("text", ["٣", "²", "١٢", "１２", "1e3", "NaN", "Infinity", "sNaN", "1_000", "1,5", "", "9" * 41, " 1"])
def test_decimal_number_refuses_what_decimal_would_read(text: str) -> None:
    with pytest.raises(ValueError, match=r"hours .* is not a number"):
        decimal_number(text, "hours")


@pytest.mark.parametrize("text", ["²", "٣", "-1", "31", "1.0", "", "9" * 5000, "+3"])
def test_whole_number_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="a whole number from 0 to 30"):
        whole_number(text, "days", 0, 30)


def test_whole_number_reads_ascii_digits() -> None:
    assert whole_number("07", "days", 0, 30) == 7


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("0001-01-01", "out of range; use a date from 1900 to 2200"),
        ("9999-12-31", "out of range"),
        ("1899-12-31", "out of range"),
        ("2201-01-01", "out of range"),
        ("2026-02-30", "not a date; use YYYY-MM-DD"),
        ("20260101", "not a date"),
        ("2026-W01-1", "not a date"),
        ("٢٠٢٦-٠١-٠١", "not a date"),
        ("2026-01-01T00:00", "not a date"),
    ],
)
def test_iso_date_refuses(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        iso_date(text, "ccd")
    assert fragment in str(caught.value) and str(caught.value).startswith("ccd ")


def test_iso_date_bounds_are_inclusive() -> None:
    assert iso_date(FIRST_DAY.isoformat(), "day") == date(1900, 1, 1) == FIRST_DAY
    assert iso_date(LAST_DAY.isoformat(), "day") == date(2200, 12, 31) == LAST_DAY


def test_shown_cuts_a_pasted_page_short() -> None:
    assert shown("x" * 1000) == repr("x" * 37 + "...")
    assert shown("a\x1bb") == "'a\\x1bb'"  # repr: the terminal never sees the ESC


def test_printable_escapes_what_a_terminal_would_obey() -> None:
    assert printable("Bad\x1b[31mName\x00\n\u2028") == "Bad\\x1b[31mName\\x00\\n\\u2028"
    assert printable("Société, 株式会社\t") == "Société, 株式会社\\t"
