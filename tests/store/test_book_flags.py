"""The book's flag filters (LATE, CCD, NR, hours over) on both engines: each keeps exactly
the customers whose row shows the flag, alone, together and with the other filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from ccm_tui.domain.book import BookFlag, BookQuery, BookRow
from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.ccm_filter import CcmFilter
from ccm_tui.store import book_flags
from ccm_tui.store.book_page import book_page
from ccm_tui.store.demo import build_demo_book

TODAY = date(2026, 11, 20)  # a Friday: Monday's events are inside their window by the afternoon
NOWS = [datetime(2026, 11, 20, 15, 30, tzinfo=UTC), datetime(2026, 11, 21, 10, 0, tzinfo=UTC)]
HOURS = BusinessHours()
MONTH = date(2026, 11, 1)


def shows(row: BookRow, flag: BookFlag) -> bool:
    """What the Flags column shows."""
    return {
        BookFlag.LATE: row.late_change_window,
        BookFlag.CCD: row.past_ccd,
        BookFlag.NOT_READY: row.not_ready_risk,
        BookFlag.HOURS_OVER: row.hours_used > row.hours_package,
    }[flag]


def ids(engine: Engine, now: datetime, **query: object) -> set[int]:
    page = book_page(engine, BookQuery(limit=10_000, **query), now, MONTH, HOURS)  # type: ignore[arg-type]  # the query's fields
    assert page.total == len(page.rows)
    return {row.customer_id for row in page.rows}


@pytest.fixture
def demo(engine: Engine) -> Engine:
    build_demo_book(engine, TODAY, NOWS[0])
    return engine


@pytest.mark.parametrize("now", NOWS, ids=["friday", "saturday"])
def test_each_flag_keeps_exactly_the_rows_showing_it(demo: Engine, now: datetime) -> None:
    rows = book_page(demo, BookQuery(limit=10_000), now, MONTH, HOURS).rows
    for flag in BookFlag:
        expected = {row.customer_id for row in rows if shows(row, flag)}
        assert ids(demo, now, flags=frozenset({flag})) == expected, flag
    # the demo has some of each, so the test above tests something
    assert all(any(shows(row, flag) for row in rows) for flag in BookFlag if flag is not BookFlag.LATE or now == NOWS[0])
    both = frozenset({BookFlag.CCD, BookFlag.NOT_READY})
    assert ids(demo, now, flags=both) == {r.customer_id for r in rows if shows(r, BookFlag.CCD) and shows(r, BookFlag.NOT_READY)}


def test_flags_combine_with_the_text_and_the_ccm(demo: Engine) -> None:
    now = NOWS[0]
    rows = book_page(demo, BookQuery(limit=10_000), now, MONTH, HOURS).rows
    ccd = [row for row in rows if row.past_ccd]
    owner = ccd[0].ccm
    mine = CcmFilter(owner, (owner,))
    assert ids(demo, now, flags=frozenset({BookFlag.CCD}), ccm=mine) == {r.customer_id for r in ccd if r.ccm == owner}
    word = ccd[0].name.split()[0]
    found = ids(demo, now, flags=frozenset({BookFlag.CCD}), text=word)
    assert ccd[0].customer_id in found and found <= {r.customer_id for r in ccd}


def test_many_flagged_customers_are_filtered_by_subquery_alike(demo: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    now = NOWS[0]
    read_once = {flag: ids(demo, now, flags=frozenset({flag})) for flag in BookFlag}
    monkeypatch.setattr(book_flags, "MATERIALISE_MAX", 0)  # every flag set is "too many to bind"
    assert {flag: ids(demo, now, flags=frozenset({flag})) for flag in BookFlag} == read_once
