"""Loading the fee schedule file: shipped, overridden, broken.

`ccm_tui.data_files` is the edge that reads files, not the domain; its test
sits here beside the fee rules it feeds.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ccm_tui.data_files import load_fee_schedule
from ccm_tui.domain.fees import FeeScheduleError, NoFeeSchedule
from ccm_tui.domain.model import Money, Region


@pytest.mark.parametrize(
    ("region", "dispatch", "expected"),
    [
        (Region.NORTH_AMERICA, True, Money(Decimal("500.00"), "USD")),
        (Region.NORTH_AMERICA, False, Money(Decimal("250.00"), "USD")),
        (Region.ASIA_PACIFIC, True, Money(Decimal("900.00"), "USD")),
        (Region.ASIA_PACIFIC, False, Money(Decimal("250.00"), "USD")),
    ],
    ids=["na-dispatch", "na-no-dispatch", "apac-dispatch", "apac-no-dispatch"],
)
def test_shipped_schedule(region: Region, dispatch: bool, expected: Money) -> None:
    assert load_fee_schedule().fee(region, dispatch) == expected


@pytest.mark.parametrize("region", [Region.EMEA, Region.LATIN_AMERICA], ids=["emea", "latam"])
def test_shipped_schedule_has_no_figures_the_sources_lack(region: Region) -> None:
    with pytest.raises(NoFeeSchedule):
        load_fee_schedule().fee(region, True)


def test_missing_override_falls_back_to_shipped(tmp_path: Path) -> None:
    schedule = load_fee_schedule(tmp_path / "fees.toml")
    assert set(schedule.regions) == {Region.NORTH_AMERICA, Region.ASIA_PACIFIC}


def test_override_replaces_shipped(tmp_path: Path) -> None:
    override = tmp_path / "fees.toml"
    override.write_text('[regions.EMEA]\ncurrency = "EUR"\nwith_dispatch = 450\nwithout_dispatch = "225.50"\n')
    schedule = load_fee_schedule(override)
    assert schedule.fee(Region.EMEA, False) == Money(Decimal("225.50"), "EUR")
    with pytest.raises(NoFeeSchedule):
        schedule.fee(Region.NORTH_AMERICA, True)


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ('[regions.NA]\ncurrency = "USD"\nwith_dispatch = \n', ", line 3, column 17", "not valid TOML: invalid value"),
        ('[regions.NA\ncurrency = "USD"\n', ", line 1, column 12", "not valid TOML"),
        (
            '[regions.NA]\ncurrency = "USD"\nwith_dispatch = "-1"\nwithout_dispatch = "1"\n',
            ": regions.NA.with_dispatch",
            "must not be negative",
        ),
    ],
    ids=["missing-value", "unclosed-table", "valid-toml-bad-amount"],
)
def test_broken_override_names_file_and_line(tmp_path: Path, text: str, where: str, problem: str) -> None:
    override = tmp_path / "fees.toml"
    override.write_text(text)
    with pytest.raises(FeeScheduleError) as caught:
        load_fee_schedule(override)
    assert caught.value.where == f"{override}{where}"
    assert caught.value.problem.startswith(problem)
    assert str(override) in str(caught.value)


def test_override_that_is_not_utf8(tmp_path: Path) -> None:
    override = tmp_path / "fees.toml"
    override.write_bytes(b"\xff\xfe[regions]")
    with pytest.raises(FeeScheduleError, match="is not UTF-8 text"):
        load_fee_schedule(override)
