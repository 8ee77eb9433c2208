"""The clock (CCM_NOW) and the settings (config.toml plus the environment).

Pure functions, no app and no book: table-driven, and fast.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from ccm_tui.clock import FixedClock, SystemClock, clock_from_env, parse_pinned_now
from ccm_tui.config import ConfigError, Settings, load_settings

# --- parse_pinned_now ------------------------------------------------------------------------------------------------


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


PINNED_CASES = [
    # A date alone means 09:00 local, in the zone given.
    pytest.param("2026-03-14", "UTC", utc(2026, 3, 14, 9), id="date-utc"),
    pytest.param("2026-03-14", "Asia/Tokyo", utc(2026, 3, 14, 0), id="date-tokyo"),
    pytest.param("2026-01-15", "America/New_York", utc(2026, 1, 15, 14), id="date-new-york-winter"),
    pytest.param("2026-07-01", "America/New_York", utc(2026, 7, 1, 13), id="date-new-york-dst"),
    pytest.param("2026-03-08", "America/New_York", utc(2026, 3, 8, 13), id="date-new-york-dst-starts-that-night"),
    pytest.param("2026-11-01", "America/New_York", utc(2026, 11, 1, 14), id="date-new-york-dst-ended-that-night"),
    pytest.param("2026-01-15", "Australia/Sydney", utc(2026, 1, 14, 22), id="date-sydney-dst"),
    pytest.param("2026-07-15", "Australia/Sydney", utc(2026, 7, 14, 23), id="date-sydney-winter"),
    pytest.param("2026-04-05", "Australia/Sydney", utc(2026, 4, 4, 23), id="date-sydney-dst-ended-that-night"),
    pytest.param("2026-10-04", "Australia/Sydney", utc(2026, 10, 3, 22), id="date-sydney-dst-started-that-night"),
    pytest.param("20260314", "Asia/Tokyo", utc(2026, 3, 14, 0), id="date-basic-format"),
    pytest.param("  2026-03-14\n", "UTC", utc(2026, 3, 14, 9), id="date-with-whitespace"),
    # A naive date-time is local.
    pytest.param("2026-11-20T15:30", "America/New_York", utc(2026, 11, 20, 20, 30), id="naive-new-york"),
    pytest.param("2026-11-20 15:30", "America/New_York", utc(2026, 11, 20, 20, 30), id="naive-space-separator"),
    pytest.param("2026-07-01T09:00", "America/New_York", utc(2026, 7, 1, 13), id="naive-new-york-dst"),
    pytest.param("2026-03-14T09:00", "Asia/Tokyo", utc(2026, 3, 14, 0), id="naive-tokyo"),
    pytest.param("2026-01-15T09:00:30", "Australia/Sydney", utc(2026, 1, 14, 22, 0, 30), id="naive-sydney-dst-seconds"),
    pytest.param("2026-03-14T00:00", "Asia/Tokyo", utc(2026, 3, 13, 15), id="naive-midnight-is-yesterday-in-utc"),
    # An offset is respected, whatever the zone.
    pytest.param("2026-03-14T16:30+01:00", "Asia/Tokyo", utc(2026, 3, 14, 15, 30), id="offset-plus-one"),
    pytest.param("2026-03-14T16:30-05:00", "Australia/Sydney", utc(2026, 3, 14, 21, 30), id="offset-minus-five"),
    pytest.param("2026-03-14T16:30Z", "America/New_York", utc(2026, 3, 14, 16, 30), id="offset-z"),
    pytest.param("2026-03-14T16:30+00:00", "Asia/Tokyo", utc(2026, 3, 14, 16, 30), id="offset-zero"),
]


@pytest.mark.parametrize(("text", "zone", "expected"), PINNED_CASES)
def test_parse_pinned_now(text: str, zone: str, expected: datetime) -> None:
    moment = parse_pinned_now(text, zone)
    assert moment == expected
    assert moment.tzinfo is UTC, "the result is always UTC-aware"
    assert moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow",
        "now",
        "",
        "   ",
        "2026-13-01",
        "2026-02-30",
        "14/03/2026",
        "2026-03-14T25:00",
        "2026-03-14T16:30+99:00",
        "2026-3-14x",
    ],
)
def test_parse_pinned_now_rejects_garbage_naming_ccm_now(text: str) -> None:
    with pytest.raises(ValueError, match=r"^CCM_NOW=") as caught:
        parse_pinned_now(text, "America/New_York")
    message = str(caught.value)
    assert repr(text.strip()) in message
    assert "\n" not in message
    assert caught.value.__suppress_context__, "the user sees our message, not datetime's"


def test_a_pinned_date_is_the_same_day_locally_in_every_zone() -> None:
    from zoneinfo import ZoneInfo

    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "America/St_Johns", "Europe/London"):
        local = parse_pinned_now("2026-06-30", zone).astimezone(ZoneInfo(zone))
        assert (local.date().isoformat(), local.time()) == ("2026-06-30", time(9, 0)), zone


# --- clocks ----------------------------------------------------------------------------------------------------------


def test_fixed_clock_always_says_the_same_instant() -> None:
    instant = utc(2026, 11, 20, 20, 30)
    clock = FixedClock(instant)
    assert clock.now() == instant
    assert clock.now() == clock.now()
    assert FixedClock(instant) == clock  # a value, comparable


def test_system_clock_is_real_utc_time() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    after = datetime.now(UTC)
    assert now.tzinfo is UTC
    assert before <= now <= after


@pytest.mark.parametrize("value", [None, ""])
def test_clock_from_env_without_ccm_now_is_the_system_clock(value: str | None) -> None:
    assert isinstance(clock_from_env(value, "America/New_York"), SystemClock)


def test_clock_from_env_with_ccm_now_is_pinned_in_the_zone() -> None:
    clock = clock_from_env("2026-11-20", "America/New_York")
    assert isinstance(clock, FixedClock)
    assert clock.now() == utc(2026, 11, 20, 14)


def test_clock_from_env_with_garbage_raises() -> None:
    with pytest.raises(ValueError, match="CCM_NOW='tomorrow'"):
        clock_from_env("tomorrow", "UTC")


# --- load_settings: defaults from the environment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "locale"),
    [
        pytest.param({"LANG": "de_DE.UTF-8"}, "de_DE", id="lang-german"),
        pytest.param({"LANG": "en_GB.utf8"}, "en_GB", id="lang-british"),
        pytest.param({"LANG": "sr_RS@latin"}, "sr_RS", id="lang-modifier"),
        pytest.param({"LANG": "fr_FR"}, "fr_FR", id="lang-no-encoding"),
        pytest.param({"LANG": "C"}, "en_US", id="lang-c"),
        pytest.param({"LANG": "C.UTF-8"}, "en_US", id="lang-c-utf8"),
        pytest.param({"LANG": "POSIX"}, "en_US", id="lang-posix"),
        pytest.param({}, "en_US", id="nothing-set"),
        pytest.param({"LANG": ""}, "en_US", id="lang-empty"),
        pytest.param({"LANG": "xx_YY.UTF-8"}, "en_US", id="lang-unknown-to-babel"),
        pytest.param({"LC_ALL": "fr_FR.UTF-8", "LC_TIME": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}, "fr_FR", id="lc-all-wins"),
        pytest.param({"LC_TIME": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}, "en_GB", id="lc-time-before-lang"),
        pytest.param({"LC_ALL": "", "LANG": "de_DE.UTF-8"}, "de_DE", id="empty-lc-all-ignored"),
        pytest.param({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en_US", id="lc-all-c-overrides-lang"),
    ],
)
def test_locale_defaults_from_env(env: dict[str, str], locale: str) -> None:
    assert load_settings(None, {"TZ": "UTC", **env}).locale == locale


@pytest.mark.parametrize(
    ("tz", "zone"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        (":Asia/Tokyo", "Asia/Tokyo"),
        ("America/New_York", "America/New_York"),
        ("UTC", "UTC"),
        ("Nowhere/Atlantis", "UTC"),
        ("../../etc/passwd", "UTC"),
    ],
)
def test_time_zone_defaults_from_tz(tz: str, zone: str) -> None:
    assert load_settings(None, {"TZ": tz}).time_zone == zone


def test_a_missing_file_is_the_defaults(tmp_path: Path) -> None:
    env = {"LANG": "de_DE.UTF-8", "TZ": "Asia/Tokyo"}
    settings = load_settings(tmp_path / "no-such-config.toml", env)
    assert settings == Settings(locale="de_DE", time_zone="Asia/Tokyo")
    assert load_settings(None, env) == settings


def test_an_empty_file_is_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# nothing set\n", encoding="utf-8")
    assert load_settings(path, {"TZ": "UTC"}) == Settings()


def test_defaults_are_the_documented_ones() -> None:
    settings = load_settings(None, {"TZ": "UTC"})
    assert settings.locale == "en_US"
    assert settings.time_zone == "UTC"
    assert (settings.business_start, settings.business_end) == (time(8, 0), time(17, 0))
    assert settings.hours_warning_ratio == 0.8
    assert settings.theme == "textual-dark"


# --- load_settings: the file overrides -------------------------------------------------------------------------------


FULL_CONFIG = """\
locale = "en_GB"
time_zone = "Europe/London"
ccm_name = "Priya Raman"
business_start = "07:30"
business_end = "18:00"
hours_warning_ratio = 0.9
oncall_phone = "+44 20 7946 0000"
repair_phone = "+44 20 7946 0001"
theme = "nord"
"""


def test_the_file_overrides_every_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FULL_CONFIG, encoding="utf-8")
    settings = load_settings(path, {"LANG": "de_DE.UTF-8", "TZ": "Asia/Tokyo"})
    assert settings == Settings(
        locale="en_GB",
        time_zone="Europe/London",
        ccm_name="Priya Raman",
        business_start=time(7, 30),
        business_end=time(18, 0),
        hours_warning_ratio=0.9,
        oncall_phone="+44 20 7946 0000",
        repair_phone="+44 20 7946 0001",
        theme="nord",
    )


def test_the_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('ccm_name = "Sam Okafor"\n', encoding="utf-8")
    settings = load_settings(path, {"LANG": "de_DE.UTF-8", "TZ": "Asia/Tokyo"})
    assert settings == Settings(locale="de_DE", time_zone="Asia/Tokyo", ccm_name="Sam Okafor")


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("business_start = 07:15:00", "business_start", time(7, 15)),  # a TOML local time
        ('business_start = "07:15:30"', "business_start", time(7, 15, 30)),
        ("hours_warning_ratio = 1", "hours_warning_ratio", 1.0),  # an integer is a number
        ('hours_warning_ratio = "0.75"', "hours_warning_ratio", 0.75),
        ('ccm_name = "Lucía Fernández"', "ccm_name", "Lucía Fernández"),  # UTF-8
    ],
)
def test_the_file_accepts_natural_spellings(tmp_path: Path, line: str, field: str, value: object) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    assert getattr(load_settings(path, {"TZ": "UTC"}), field) == value


# --- load_settings: a broken file is an error naming the file --------------------------------------------------------


BROKEN_CONFIGS = [
    pytest.param("locale = \n", "", id="broken-toml-missing-value"),
    pytest.param('locale = "en_US"\nlocale = "de_DE"\n', "", id="broken-toml-duplicate-key"),
    pytest.param("[settings\n", "", id="broken-toml-table"),
    pytest.param('theme = "nord"\ncolour = "red"\n', "unknown setting 'colour'", id="unknown-key"),
    pytest.param('[display]\ntheme = "nord"\n', "unknown setting 'display'", id="unknown-table"),
    pytest.param('time_zone = "Mars/Olympus_Mons"\n', "time_zone 'Mars/Olympus_Mons' is not an IANA zone", id="bad-time-zone"),
    pytest.param('time_zone = ""\n', "is not an IANA zone", id="empty-time-zone"),
    pytest.param(
        'business_start = "18:00"\nbusiness_end = "09:00"\n', "business_end must be after business_start", id="end-before-start"
    ),
    pytest.param(
        'business_start = "12:00"\nbusiness_end = "12:00"\n', "business_end must be after business_start", id="end-equals-start"
    ),
    pytest.param('business_end = "07:00"\n', "business_end must be after business_start", id="end-before-default-start"),
    pytest.param('business_start = "25:00"\n', "business_start = '25:00' is not a time", id="bad-time"),
    pytest.param('business_end = "5pm"\n', "business_end = '5pm' is not a time", id="bad-time-words"),
    pytest.param("business_start = 8\n", "business_start = 8 is not a time", id="time-as-number"),
    pytest.param('hours_warning_ratio = "lots"\n', "hours_warning_ratio = 'lots' is not a number", id="ratio-words"),
    pytest.param("hours_warning_ratio = [0.8]\n", "hours_warning_ratio = [0.8] is not a number", id="ratio-list"),
    pytest.param("hours_warning_ratio = true\n", "hours_warning_ratio = True is not a number", id="ratio-bool"),
    pytest.param("ccm_name = { first = 'Alex' }\n", "ccm_name = {'first': 'Alex'} is not a string", id="name-table"),
    pytest.param('locale = "klingon"\n', "locale 'klingon' is not a locale", id="unknown-locale"),
]


@pytest.mark.parametrize(("content", "says"), BROKEN_CONFIGS)
def test_a_broken_file_is_a_config_error_naming_the_file(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, {"TZ": "UTC"})
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert says in message
    assert "\n" not in message, "one line on stderr"


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('locale = "en_US"\n\ntheme = nord\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 3"):
        load_settings(path, {"TZ": "UTC"})


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('ccm_name = "Lucía"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=rf"^{path}: .*utf-8"):
        load_settings(path, {"TZ": "UTC"})


def test_config_error_is_a_value_error() -> None:
    # __main__ reports ValueErrors as usage errors (exit 2); a ConfigError must be one.
    assert issubclass(ConfigError, ValueError)


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.locale = "de_DE"  # type: ignore[misc]


@pytest.mark.parametrize("ratio", ["0", "-0.5", "1.5"], ids=["zero", "negative", "over-one"])
def test_warning_ratio_out_of_range_names_the_file(tmp_path: Path, ratio: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"hours_warning_ratio = {ratio}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml.*hours_warning_ratio.*at most 1"):
        load_settings(path, {})
