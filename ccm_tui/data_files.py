"""Reading the data files the app ships (and the user's edited copies).

This is the edge where files are read; the parsed data goes to the pure
domain (`FeeSchedule.from_mapping`), which validates it.
"""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files
from pathlib import Path

from ccm_tui.domain.fees import FeeSchedule, FeeScheduleError

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_fee_schedule(user_override: Path | None = None) -> FeeSchedule:
    """The user's fee schedule if that file exists, else the shipped one."""
    if user_override is not None and user_override.is_file():
        return _parse_fees(user_override.read_bytes(), str(user_override))
    shipped = files("ccm_tui") / "data" / "fees.toml"
    return _parse_fees(shipped.read_bytes(), "the shipped fees.toml")


def _parse_fees(raw: bytes, source: str) -> FeeSchedule:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FeeScheduleError(source, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        # Python 3.11's error has no line attribute; the message ends "(at line N, column M)".
        message = str(err)
        found = _TOML_POSITION.search(message)
        where = f"{source}, line {found[1]}, column {found[2]}" if found else source
        problem = _TOML_POSITION.sub("", message)
        raise FeeScheduleError(where, f"not valid TOML: {problem[:1].lower()}{problem[1:]}") from None
    try:
        return FeeSchedule.from_mapping(data)
    except FeeScheduleError as err:
        raise FeeScheduleError(f"{source}: {err.where}", err.problem) from None
