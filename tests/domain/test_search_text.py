"""The customer's `/` text: one rule for every writer (the repositories, the import, the demo, the seeder)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm_tui.domain.search_text import customer_search_text, customer_sort_name, fold, query_text


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


@pytest.mark.parametrize(
    ("typed", "stored", "same"),
    [
        ("cafe", "Café", True),
        ("CAFÉ", "café", True),
        ("sao paulo", "São Paulo", True),
        ("chloe", "chloé", True),
        ("strasse", "Straße", True),  # casefold: ß is ss
        ("angstrom", "Ångström", True),
        ("istanbul", "İstanbul", True),  # the dotted capital decomposes to i + a dot
        ("diyarbakir", "Diyarbakır", True),  # dotless i is typed as i: decided, see fold
        ("orsted", "Ørsted", True),
        ("lodz", "Łódź", True),
        ("mhz", "㎒", True),  # compatibility forms are spelled out
        ("a b", "  A \t\u00a0B  ", True),  # every run of whitespace, non-breaking too, one space
        ("", "   ", True),
        ("cafe", "caff", False),
        ("chloe", "chlo", False),
    ],
)
def test_fold_ignores_case_accents_and_spacing(typed: str, stored: str, same: bool) -> None:
    assert (fold(typed) == fold(stored)) is same


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Émile Zola", "emile zola"), ("  Café  Lumière SARL ", "cafe lumiere sarl"), ("ß" * 150, "ss" * 100)],
    ids=["accent", "spacing", "cut-to-the-column"],
)
def test_sort_name_is_the_folded_name_within_its_column(name: str, expected: str) -> None:
    assert customer_sort_name(name) == expected


def test_search_text_is_folded_so_a_folded_query_finds_accented_names() -> None:
    text = customer_search_text("Café Lumière SARL", "EU-7", ["Chloé Martin"], ["São Paulo"])
    assert text == "cafe lumiere sarl\neu-7\nchloe martin\nsao paulo"
    for typed in ("cafe", "CAFÉ", "lumiere", "chloé", "sao paulo", "eu-7"):
        assert query_text(typed) in text


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(), st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_every_normal_form_folds_the_same(text: str, form: str) -> None:
    assert fold(unicodedata.normalize(form, text)) == fold(text)  # type: ignore[arg-type]  # Literal forms


@given(st.text(), st.text())
def test_folding_never_leaves_marks_capitals_or_loose_spaces(left: str, right: str) -> None:
    folded = fold(left + " " + right)
    assert not any(unicodedata.combining(c) for c in folded)
    assert folded == folded.casefold()
    assert folded == " ".join(folded.split())
