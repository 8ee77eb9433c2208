"""One typed Settings object, read from the user's config.toml.

Every field has a default, so a missing file is a working setup; a broken
file is reported with its line, never ignored silently.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale

from ccm_tui.book_location import url_password


class ConfigError(ValueError):
    pass


DEFAULT_LOCALE = "en_US"
DEFAULT_TIME_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class Settings:
    locale: str = DEFAULT_LOCALE
    """Babel locale for dates, times, numbers and money (e.g. en_GB, de_DE)."""
    time_zone: str = DEFAULT_TIME_ZONE
    """The CCM's own IANA zone: the calendar's second column of times."""
    ccm_name: str = ""
    """Your name as it appears as the owner of customers and in history."""
    business_start: time = time(8, 0)
    """Start of a site's business day, local time (after-hours detection)."""
    business_end: time = time(17, 0)
    """End of a site's business day, local time."""
    hours_warning_ratio: float = 0.8
    """Warn when this share of a customer's monthly hours is used."""
    oncall_phone: str = "844-427-2875"
    """On-call scheduling manager, for after-hours and weekend trouble."""
    repair_phone: str = "877-453-8353"
    """Repair center, for trouble after 12 hours of passing traffic."""
    theme: str = "textual-dark"
    """A Textual theme name."""
    database: str = ""
    """The default book: a SQLite file's path or a postgresql:// URL, without a password
    (libpq finds it in ~/.pgpass or PGPASSWORD). Empty: the file in ccm's data folder."""


def _known_locale(code: str) -> bool:
    try:
        Locale.parse(code)
        return True
    except Exception:  # noqa: BLE001 - babel raises UnknownLocaleError, ValueError or TypeError
        return False


def _system_locale(env: dict[str, str]) -> str:
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = env.get(name, "")
        code = value.split(".")[0].split("@")[0]
        if code:  # the first one set decides, as in POSIX: LC_ALL=C means C (our default) even with LANG set
            return code if code not in ("C", "POSIX") and _known_locale(code) else DEFAULT_LOCALE
    return DEFAULT_LOCALE


def _system_zone(env: dict[str, str]) -> str:
    zone = env.get("TZ", "").lstrip(":")
    if not zone:
        link = Path("/etc/localtime")
        if link.is_symlink() and "zoneinfo/" in str(link.resolve()):
            zone = str(link.resolve()).split("zoneinfo/", 1)[1]
    try:
        ZoneInfo(zone)
        return zone
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIME_ZONE


def _parse_time(key: str, value: object) -> time:
    if isinstance(value, time):  # a TOML local time: business_start = 08:00:00
        return value
    if not isinstance(value, str):
        raise ConfigError(f'{key} = {value!r} is not a time like "08:00"')
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ConfigError(f'{key} = {value!r} is not a time like "08:00"') from None


def _parse_value(key: str, value: object) -> object:
    if key in ("business_start", "business_end"):
        return _parse_time(key, value)
    if key == "hours_warning_ratio":
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise TypeError
            ratio = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} = {value!r} is not a number like 0.8") from None
        if not 0 < ratio <= 1:
            raise ConfigError(f"{key} = {value!r} must be above 0 and at most 1 (0.8 warns at 80%)")
        return ratio
    if not isinstance(value, str):
        raise ConfigError(f"{key} = {value!r} is not a string")
    if key == "database" and url_password(value) is not None:
        raise ConfigError("database: a URL in config.toml must not hold a password; put it in ~/.pgpass (or PGPASSWORD)")
    if key == "locale" and not _known_locale(value):
        raise ConfigError(f"locale {value!r} is not a locale like en_US or de_DE")
    return value


def load_settings(path: Path | None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    base = Settings(locale=_system_locale(env), time_zone=_system_zone(env))
    if path is None or not path.exists():
        return base
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            values[key] = _parse_value(key, value)
        except ConfigError as error:
            raise ConfigError(f"{path}: {error}") from None
    settings = replace(base, **values)
    try:
        ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{path}: time_zone {settings.time_zone!r} is not an IANA zone") from None
    if settings.business_end <= settings.business_start:
        raise ConfigError(f"{path}: business_end must be after business_start")
    return settings
