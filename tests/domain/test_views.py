"""Saved views: what config.toml's [[views]] may hold, and what is refused, with the file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ccm_tui.config import ConfigError, load_settings
from ccm_tui.domain.book import BookFlag
from ccm_tui.domain.calendar import BusinessHours, SiteCalendar
from ccm_tui.domain.model import Region
from ccm_tui.domain.schedule import EventFlag, StatusFilter
from ccm_tui.domain.views import (
    DEFAULT_VIEWS,
    BusinessDays,
    SavedView,
    ViewDates,
    ViewScreen,
    following_view,
    parse_dates,
    parse_view,
    views_for,
)

GOOD = [
    ({"name": "Mine", "screen": "book", "ccm": "me"}, SavedView("Mine", ViewScreen.BOOK, ccm="me")),
    (
        {"name": "Late", "screen": "book", "flags": ["LATE", "ccd"], "text": " lyon "},
        SavedView("Late", ViewScreen.BOOK, text="lyon", flags=frozenset({BookFlag.LATE, BookFlag.CCD})),
    ),
    ({"name": "NR", "screen": "book", "flags": "nr"}, SavedView("NR", ViewScreen.BOOK, flags=frozenset({BookFlag.NOT_READY}))),
    (
        {"name": "EMEA week", "screen": "calendar", "region": "emea", "dates": "This  Week", "after_hours": True},
        SavedView("EMEA week", ViewScreen.CALENDAR, region=Region.EMEA, after_hours=True, dates=ViewDates.THIS_WEEK),
    ),
    (
        {"name": "Done", "screen": "calendar", "status": "completed", "show": "agenda", "ccm": "Dana Whitfield"},
        SavedView("Done", ViewScreen.CALENDAR, status=StatusFilter.COMPLETED, show="agenda", ccm="Dana Whitfield"),
    ),
    (
        {"name": "Late soon", "screen": "calendar", "flags": ["LATE"], "dates": "next 2 business days"},
        SavedView("Late soon", ViewScreen.CALENDAR, event_flags=frozenset({EventFlag.LATE}), dates=BusinessDays(2)),
    ),
    (
        {"name": "CCD week", "screen": "calendar", "flags": "ccd", "dates": "this week"},
        SavedView("CCD week", ViewScreen.CALENDAR, event_flags=frozenset({EventFlag.CCD}), dates=ViewDates.THIS_WEEK),
    ),
]

BAD = [
    ({"screen": "book"}, "needs a name"),
    ({"name": "X"}, "screen = '' is not one of"),
    ({"name": "X", "screen": "agenda"}, "screen = 'agenda' is not one of"),
    ({"name": "X", "screen": "book", "region": "EMEA"}, "'region' is not a book view's setting"),
    ({"name": "X", "screen": "calendar", "flags": ["nr"]}, 'each is one of "late", "ccd" on the calendar'),
    ({"name": "X", "screen": "calendar", "dates": "next 11 business days"}, "N business days is 1 to 10"),
    ({"name": "X", "screen": "book", "flags": ["soon"]}, "each is one of"),
    ({"name": "X", "screen": "book", "flags": 3}, "is not a list"),
    ({"name": "X", "screen": "calendar", "region": "Mars"}, "region = 'Mars' is not one of"),
    ({"name": "X", "screen": "calendar", "status": "sleeping"}, "status = 'sleeping' is not one of"),
    ({"name": "X", "screen": "calendar", "after_hours": "yes"}, "is not true or false"),
    ({"name": "X", "screen": "calendar", "show": "year"}, "show = 'year' is not one of"),
    ({"name": "X", "screen": "calendar", "dates": "someday"}, "dates = 'someday' is not one of"),
    ({"name": "X", "screen": "book", "text": "a\nb"}, "control character"),
    ("a view", "a view is a table"),
]


@pytest.mark.parametrize(("entry", "view"), GOOD)
def test_a_good_view_is_read(entry: dict, view: SavedView) -> None:
    assert parse_view(entry) == view


@pytest.mark.parametrize(("entry", "message"), BAD)
def test_a_bad_view_says_what_is_wrong(entry: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_view(entry)


def test_dates_in_words_pick_a_day_and_a_layout() -> None:
    friday = date(2026, 11, 20)
    assert [(d.day(friday), d.layout) for d in ViewDates] == [
        (friday, "agenda"),
        (friday, "week"),
        (date(2026, 11, 27), "week"),
        (friday, "month"),
        (date(2026, 12, 20), "month"),
    ]
    assert SavedView("x", ViewScreen.CALENDAR, show="month", dates=ViewDates.THIS_WEEK).layout == "month"


@pytest.mark.parametrize(
    ("words", "dates"),
    [
        ("", None),
        ("today", ViewDates.TODAY),
        ("next 2 business days", BusinessDays(2)),
        ("Next  3 Business Days", BusinessDays(3)),
        ("next business day", BusinessDays(1)),
        ("next 1 business day", BusinessDays(1)),
        ("next 10 business days", BusinessDays(10)),
    ],
)
def test_dates_take_words_and_business_day_ranges(words: str, dates: ViewDates | BusinessDays | None) -> None:
    assert parse_dates(words) == dates


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("next 0 business days", "N business days is 1 to 10"),
        ("next 11 business days", "N business days is 1 to 10"),
        ("next two business days", '"next N business days"'),
        ("next 2 days", "is not one of"),
        ("2 business days", "is not one of"),
    ],
)
def test_dates_out_of_range_say_what_is_taken(words: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_dates(words)


FRIDAY = date(2026, 11, 20)  # Thanksgiving is Thursday 26 in the US


@pytest.mark.parametrize(
    ("n", "zone", "country", "last"),
    [
        (1, "America/New_York", "US", date(2026, 11, 23)),  # over the weekend
        (2, "America/New_York", "US", date(2026, 11, 24)),
        (4, "America/New_York", "US", date(2026, 11, 27)),  # over Thanksgiving
        (5, "America/New_York", "US", date(2026, 11, 30)),
        (4, "Europe/London", "GB", date(2026, 11, 26)),  # no Thanksgiving in London
        (4, "UTC", "", date(2026, 11, 26)),  # a zone of no country: Monday to Friday
        (10, "Europe/London", "GB", date(2026, 12, 4)),
    ],
)
def test_business_days_end_on_the_ccms_nth_business_day(n: int, zone: str, country: str, last: date) -> None:
    view = BusinessDays(n)
    assert (view.day(FRIDAY), view.layout) == (FRIDAY, "agenda")
    assert view.last_day(FRIDAY, SiteCalendar(zone, country, BusinessHours())) == last


def test_default_calendar_views_narrow_by_flag() -> None:
    calendar = {v.name: v for v in views_for(DEFAULT_VIEWS, ViewScreen.CALENDAR)}
    late = calendar["Late-change risk, next 2 business days"]
    assert (late.event_flags, late.dates, late.layout) == (frozenset({EventFlag.LATE}), BusinessDays(2), "agenda")
    ccd = calendar["CCD this week"]
    assert (ccd.event_flags, ccd.dates, ccd.layout) == (frozenset({EventFlag.CCD}), ViewDates.THIS_WEEK, "week")


def test_views_cycle_then_none() -> None:
    book = views_for(DEFAULT_VIEWS, ViewScreen.BOOK)
    assert book and all(v.screen is ViewScreen.BOOK for v in book)
    assert following_view(book, None) == book[0]
    assert following_view(book, book[0]) == book[1]
    assert following_view(book, book[-1]) is None
    assert following_view((), None) is None


def test_config_without_views_gets_ccms_own(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('locale = "en_GB"\n')
    assert load_settings(path, {}).views == DEFAULT_VIEWS
    path.write_text("views = []\n")
    assert load_settings(path, {}).views == ()


def test_config_views_are_read_in_order(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'locale = "en_GB"\n\n[[views]]\nname = "Late"\nscreen = "book"\nflags = ["late"]\n\n'
        '[[views]]\nname = "CCD this week"\nscreen = "calendar"\ndates = "this week"\n'
    )
    assert [v.name for v in load_settings(path, {}).views] == ["Late", "CCD this week"]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ('[[views]]\nname = "A"\nscreen = "book"\n\n[[views]]\nname = "B"\nscreen = "year"\n', 5, "view 'B': screen"),
        ('[[views]]\nname = "A"\nscreen = "book"\n[[views]]\nname = "a"\nscreen = "book"\n', 4, "named twice"),
        ('views = [{ name = "A", screen = "book", flags = ["x"] }]\n', 1, "each is one of"),
        ('locale = "en_GB"\n[views]\nname = "A"\n', 2, "write each as [[views]]"),
        (
            '[[views]]\nname = "A"\nscreen = "book"\n\n[[views]]\nname = "B"\nscreen = "calendar"\ndates = "next 12 business days"\n',
            5,
            "1 to 10",
        ),
    ],
)
def test_a_bad_view_in_config_names_the_file_and_line(tmp_path: Path, text: str, line: int, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_settings(path, {})
    assert str(raised.value).startswith(f"{path}, line {line}: ")
    assert says in str(raised.value)
