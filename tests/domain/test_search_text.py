"""The customer's `/` text: one rule for every writer (the repositories, the import, the demo, the seeder)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.search_text import customer_search_text, fold


@pytest.mark.parametrize(
    ("cities", "expected"),
    [
        ((), "acme freight\nna-1\nana lee"),
        (("Leeds",), "acme freight\nna-1\nana lee\nleeds"),
        (("Leeds", "York", "Leeds"), "acme freight\nna-1\nana lee\nleeds\nyork"),
        (("Leeds", "  LEEDS ", "York"), "acme freight\nna-1\nana lee\nleeds\nyork"),
        (("Leeds", "", "   ", "York"), "acme freight\nna-1\nana lee\nleeds\nyork"),
    ],
    ids=["no-sites", "one", "two-sites-one-city", "case-and-spacing", "blank-cities"],
)
def test_each_city_once_folded_blanks_left_out(cities: tuple[str, ...], expected: str) -> None:
    # the sites' cities as stored: the rule, not each caller, folds them and lists each once
    assert customer_search_text("Acme  Freight", "NA-1", ["Ana Lee"], cities) == expected


@given(st.lists(st.sampled_from(["Leeds", "leeds", " York", "YORK ", "Perth", "", " "]), max_size=8))
def test_raw_or_already_folded_cities_give_the_same_text(cities: list[str]) -> None:
    folded_once = list(dict.fromkeys(fold(c) for c in cities if c.strip()))
    assert customer_search_text("Acme", "NA-1", [], cities) == customer_search_text("Acme", "NA-1", [], folded_once)
