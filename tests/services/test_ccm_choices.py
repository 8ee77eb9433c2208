"""Whose customers, at the services' door: the CCM choices, "my customers" and "customers of <name>"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.book import BookQuery
from ccm_tui.domain.model import Region
from ccm_tui.domain.people import Person, Role
from ccm_tui.domain.validation import CustomerInput
from ccm_tui.services import BookLocation, Services, open_book
from ccm_tui.store.people import add_person


@pytest.fixture
def team_book(tmp_path: Path, settings: Settings, clock: FixedClock) -> Services:
    services, _ = open_book(BookLocation.file(tmp_path / "book.sqlite"), settings, clock)
    services.actor = Person(login="amorgan", name="Alex Morgan", role=Role.MEMBER)
    add_person(services.engine, Person(login="psam", name="Sam Patel"))  # a person who owns nobody yet
    add_person(services.engine, Person(login="jweber", name="Jonas Weber"))
    for n, ccm in enumerate(["Alex Morgan", "ALEX MORGAN", "amorgan", "Priya Raman", "", "jweber"]):
        services.book.add_customer(CustomerInput(f"Customer {n}", f"NA-{n:03}", Region.NORTH_AMERICA, ccm, Decimal(8), ""))
    return services


def test_the_choices_are_people_and_the_ccms_customers_name(team_book: Services) -> None:
    # people: the local user (named Alex Morgan in the settings), Sam and Jonas; each spelling once, no blank
    choices = team_book.book.ccm_choices()
    assert choices == ["ALEX MORGAN", "Alex Morgan", "amorgan", "Jonas Weber", "jweber", "Priya Raman", "Sam Patel"]
    assert team_book.calendar.ccm_names() == choices  # the calendar's CCM filter offers the same


def test_my_customers_are_my_name_in_any_case_and_my_login(team_book: Services) -> None:
    mine = team_book.book.my_customers()
    assert mine.mine and mine.who == "Alex Morgan"
    assert set(mine.spellings) == {"Alex Morgan", "ALEX MORGAN", "amorgan"}
    page = team_book.book.book_page(BookQuery(ccm=mine))
    assert sorted(row.name for row in page.rows) == ["Customer 0", "Customer 1", "Customer 2"]


def test_customers_of_a_person_include_their_login(team_book: Services) -> None:
    jonas = team_book.book.customers_of("jonas weber")
    assert not jonas.mine and set(jonas.spellings) >= {"jonas weber", "jweber"}
    assert [row.name for row in team_book.book.book_page(BookQuery(ccm=jonas)).rows] == ["Customer 5"]
    priya = team_book.book.customers_of("Priya Raman")  # not a person: her name only
    assert [row.name for row in team_book.book.book_page(BookQuery(ccm=priya)).rows] == ["Customer 3"]
