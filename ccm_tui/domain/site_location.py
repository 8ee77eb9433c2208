"""Where a site is: its country (ISO 3166), its state or province whose
holidays apply (ISO 3166-2), and its IANA time zone, each read from what a
CCM types; and the doubt when a zone belongs to another country.

Countries and subdivisions are those the `holidays` package knows; zones
are the system's (`zoneinfo`), matched in any case, with suggestions for a
typo or a bare city.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import cache
from zoneinfo import available_timezones

from ccm_tui.domain.fields import shown

MAX_ZONE = 64
# Files in the zoneinfo directory that are not places a site can be.
_NOT_SITE_ZONES = frozenset({"Factory", "localtime", "posixrules"})

# "UK" is common usage and known to the holidays library, but not ISO 3166.
_COUNTRY_ALIASES = {"UK": "GB"}


@cache
def _known_countries() -> frozenset[str]:
    # The holidays library knows every ISO 3166-1 alpha-2 code (plus XK, Kosovo).
    import holidays  # imported when first needed: it costs every start 35 ms

    return frozenset(code for code in holidays.list_supported_countries() if len(code) == 2)


def parse_country(text: str) -> str:
    code = _COUNTRY_ALIASES.get(text.upper(), text.upper())
    if not re.fullmatch(r"[A-Z]{2}", code) or code not in _known_countries():
        raise ValueError(f"country {shown(text)} is not a two-letter ISO 3166 code such as US, GB or JP")
    return code


def subdivision_code(country: str, text: str) -> str:
    """The site's state or province as ISO 3166-2 ("AU-NSW"), from "AU-NSW", "nsw" or "";
    only subdivisions whose holidays the `holidays` package knows are accepted."""
    wanted = text.strip().upper()
    if not wanted:
        return ""
    prefix, dash, code = wanted.partition("-")
    if dash and prefix == country:
        wanted = code
    elif dash and len(prefix) == 2 and prefix.isalpha():
        raise ValueError(f"subdivision {shown(text)} is not in {country}; use one of {_subdivision_choices(country)}")
    known = {sub.upper(): sub for sub in _subdivisions(country)}
    if wanted not in known:
        if not known:
            raise ValueError(f"{country} has no subdivisions with their own holidays; leave it empty")
        raise ValueError(f"unknown subdivision {shown(text)} for {country}; use one of {_subdivision_choices(country)}")
    return f"{country}-{known[wanted]}"


@cache
def _subdivisions(country: str) -> tuple[str, ...]:
    # ISO 3166-2 codes only: the package also knows a few named regions ("NSW Western").
    import holidays

    codes = holidays.list_supported_countries().get(country, ())
    return tuple(code for code in codes if re.fullmatch(r"[A-Za-z0-9]{1,3}", code))


def _subdivision_choices(country: str) -> str:
    codes = [f"{country}-{code}" for code in _subdivisions(country)]
    return ", ".join(codes[:8]) + (", ..." if len(codes) > 8 else "") if codes else "nothing (leave it empty)"


def zone_country_warning(country: str, zone: str) -> str | None:
    """A doubt when the zone belongs to another country: the site would get that country's holidays wrong."""
    if not country or not zone:
        return None
    owners = _zone_countries().get(zone)
    if not owners or country in owners:
        return None  # a zone no country owns (Etc/UTC, an old alias) is no evidence either way
    where = " or ".join(sorted(owners))
    return f"{zone} is a time zone of {where}, not {country}: check the country (its holidays apply)"


def set_zone_countries(table: Mapping[str, frozenset[str]]) -> None:
    """The zone -> countries table (from tzdata's zone1970.tab), read once at the edge."""
    _ZONE_COUNTRIES.clear()
    _ZONE_COUNTRIES.update(table)


_ZONE_COUNTRIES: dict[str, frozenset[str]] = {}


def _zone_countries() -> Mapping[str, frozenset[str]]:
    if not _ZONE_COUNTRIES:
        set_zone_countries(read_zone_countries())
    return _ZONE_COUNTRIES


def read_zone_countries() -> dict[str, frozenset[str]]:
    """Which countries use each zone, from the IANA tables tzdata ships (zone.tab and zone1970.tab)."""
    from importlib import resources

    found: dict[str, set[str]] = {}
    for name in ("zone.tab", "zone1970.tab"):
        try:
            text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            continue
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                found.setdefault(parts[2], set()).update(parts[0].split(","))
    return {zone: frozenset(codes) for zone, codes in found.items()}


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {zone.casefold(): zone for zone in available_timezones() - _NOT_SITE_ZONES}


def canonical_zone(text: str) -> str:
    """The IANA zone named by `text` in any case, in its canonical spelling."""
    wanted = text.strip().casefold()
    found = _zones_by_folded_name().get(wanted)
    if found is not None:
        return found
    # a pasted page is no zone, and too long to compare with every zone's name
    close = _closest_zones(wanted) if len(wanted) <= MAX_ZONE else []
    if close:
        hint = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
        raise ValueError(f"unknown time zone {shown(text)}; did you mean {hint}?")
    raise ValueError(f"unknown time zone {shown(text)}; use an IANA name such as Europe/Paris or America/New_York")


def _closest_zones(wanted: str, limit: int = 3) -> list[str]:
    """A bare city ("new york") finds its zone; otherwise the nearest spellings.

    Only names about as close as the best one are offered, so a one-letter
    typo suggests one zone rather than a list of look-alikes.
    """
    zones = _zones_by_folded_name()
    city = wanted.replace(" ", "_")
    by_city = sorted(zone for folded, zone in zones.items() if folded.rpartition("/")[2] == city)
    if by_city:
        return by_city[:limit]
    scored = []
    for folded in difflib.get_close_matches(wanted, zones, n=limit, cutoff=0.6):
        scored.append((difflib.SequenceMatcher(None, wanted, folded).ratio(), zones[folded]))
    best = max((score for score, _ in scored), default=0.0)
    return [zone for score, zone in scored if score >= best - 0.05]


def zone_suggestions(prefix: str, limit: int = 10) -> list[str]:
    """Zones for completion: those starting with `prefix`, then those containing it."""
    wanted = prefix.strip().casefold()
    zones = sorted(_zones_by_folded_name().values())
    starts = [z for z in zones if z.casefold().startswith(wanted)]
    contains = [z for z in zones if wanted in z.casefold() and not z.casefold().startswith(wanted)]
    return (starts + contains)[:limit]
