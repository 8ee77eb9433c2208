"""Whose customers: the spellings a CCM filter matches, and the CCMs to choose from."""

from __future__ import annotations

import pytest

from ccm_tui.domain.ccm_filter import CcmFilter, ccm_choices, spellings_of

KNOWN = ["Alex Morgan", "alex morgan", " ALEX MORGAN ", "amorgan", "Priya Raman", "Lucía Fernández", "LUCÍA FERNÁNDEZ"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Alex Morgan"], (" ALEX MORGAN ", "Alex Morgan", "alex morgan")),
        (["Alex Morgan", "amorgan"], (" ALEX MORGAN ", "Alex Morgan", "alex morgan", "amorgan")),
        (["  alex morgan  "], (" ALEX MORGAN ", "Alex Morgan", "alex morgan")),
        (["lucía fernández"], ("LUCÍA FERNÁNDEZ", "Lucía Fernández", "lucía fernández")),  # beyond ASCII
        (["Jonas Weber"], ("Jonas Weber",)),  # owns nobody yet: still its own spelling
        (["", "  "], ()),
    ],
)
def test_spellings_fold_case_and_space(names: list[str], expected: tuple[str, ...]) -> None:
    assert spellings_of(names, KNOWN) == expected


def test_choices_are_people_and_owners_once_without_blanks() -> None:
    people = ["Jonas Weber", "Alex Morgan", ""]
    owners = ["Alex Morgan", "alex morgan", "", "  ", "Priya Raman"]
    assert ccm_choices(people, owners) == ["Alex Morgan", "alex morgan", "Jonas Weber", "Priya Raman"]


def test_label_says_whose() -> None:
    assert CcmFilter("Alex Morgan", ("Alex Morgan",), mine=True).label == "my customers"
    assert CcmFilter("Priya Raman", ("Priya Raman",)).label == "customers of Priya Raman"
