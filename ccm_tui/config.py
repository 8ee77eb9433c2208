"""One typed Settings object, read from the user's config.toml.

Every field has a default, so a missing file is a working setup; a broken
file is reported with its line, never ignored silently.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale

from ccm_tui.book_location import url_password
from ccm_tui.domain.views import DEFAULT_VIEWS, SavedView, ViewError, parse_views


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
    views: tuple[SavedView, ...] = DEFAULT_VIEWS
    """Saved views, `[[views]]` tables (domain/views.py); ccm's own when config.toml defines none."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Your keys, `[keys]`: binding id -> key or comma-separated keys ("book.new" = "N").
    Checked against the bindings when the app starts (screens/keymap.py)."""


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


def _views(path: Path, text: str, value: object) -> tuple[SavedView, ...]:
    """The `[[views]]` tables; a bad one is reported with the line its table starts on."""
    try:
        return parse_views(value)
    except ViewError as error:
        raise ConfigError(f"{path}, line {view_line(text, error.index)}: {error}") from None


def view_line(text: str, index: int) -> int:
    """The line (1-based) where the `index`-th view starts: its `[[views]]` header, else `views =`."""
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[?\s*views\s*\]", line)]
    if index < len(headers):
        return headers[index]
    return next((n for n, line in enumerate(lines, 1) if re.match(r"\s*views\s*=", line)), 1)


def _keys(path: Path, text: str, value: object) -> Mapping[str, str]:
    """The `[keys]` table as binding id -> keys. `book.new = "N"` (a dotted key, so a nested table in TOML),
    `"book.new" = "N"` and `[keys.book]` with `new = "N"` are one id; a list of keys is a comma-separated one."""
    if not isinstance(value, dict):
        raise ConfigError(f'{path}, line {keys_line(text, "")}: keys must be a table: [keys] then lines like "book.new" = "N"')
    found: dict[str, str] = {}

    def flatten(table: dict[str, object], prefix: str) -> None:
        for name, keys in table.items():
            binding_id = f"{prefix}{name}"
            if isinstance(keys, dict):
                flatten(keys, f"{binding_id}.")
            elif isinstance(keys, str) or (isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys)):
                found[binding_id] = keys if isinstance(keys, str) else ",".join(keys)
            else:
                where = f"{path}, line {keys_line(text, binding_id)}"
                raise ConfigError(f'{where}: keys: {binding_id} = {keys!r} is not a key like "N" or "ctrl+n" (or a list of them)')

    flatten(value, "")
    return MappingProxyType(found)


_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")  # [table] or [[array of tables]]
_TOML_ENTRY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=""")
_TOML_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)""")


def _key_path(text: str) -> list[str]:
    """A TOML key as its parts: `keys.book."new"` -> ["keys", "book", "new"] (quoted parts may hold dots)."""
    return [part.strip("\"'") for part in _TOML_PART.findall(text)]


def keys_line(text: str, binding_id: str) -> int:
    """The line (1-based) of `binding_id`'s entry under [keys], however it is written; else the [keys] header's
    (an empty id: the header's), else 1. tomllib gives no lines, so the text is read for them."""
    table: list[str] = []
    header = 0
    for number, line in enumerate(text.splitlines(), 1):
        if match := _TOML_TABLE.match(line):
            table = _key_path(match[1])
            if table == ["keys"]:
                header = header or number
            continue
        if (match := _TOML_ENTRY.match(line)) is None:
            continue
        full = table + _key_path(match[1])
        if binding_id and len(full) > 1 and full[0] == "keys" and ".".join(full[1:]) == binding_id:
            return number
        if full == ["keys"]:  # keys = { ... } inline
            header = header or number
    return header or 1


def keys_error(path: Path, binding_id: str, problem: str) -> ConfigError:
    """A [keys] entry that cannot be used, as the one line the CLI prints: file, line, what is wrong."""
    try:
        line = keys_line(path.read_text(encoding="utf-8"), binding_id)
    except (OSError, UnicodeDecodeError):
        return ConfigError(f"{path}: {problem}")
    return ConfigError(f"{path}, line {line}: {problem}")


def load_settings(path: Path | None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    base = Settings(locale=_system_locale(env), time_zone=_system_zone(env))
    if path is None or not path.exists():
        return base
    try:
        raw_text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(raw_text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "views":
            values[key] = _views(path, raw_text, value)
            continue
        if key == "keys":
            values[key] = _keys(path, raw_text, value)
            continue
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
