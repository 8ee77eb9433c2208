"""Reading the data files the app ships (and the user's edited copies).

This is the edge where files are read; the parsed data goes to the pure
domain (`FeeSchedule.from_mapping`, `parse_template`), which validates it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ccm_tui.domain.catalogue import Catalogue, CatalogueError
from ccm_tui.domain.checklist import ChecklistTemplate, TemplateError, parse_template
from ccm_tui.domain.fees import FeeSchedule, FeeScheduleError
from ccm_tui.domain.model import ServiceKind

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_AT_END = " (at end of document)"


def load_fee_schedule(user_override: Path | None = None) -> FeeSchedule:
    """The user's fee schedule if that file exists, else the shipped one."""
    raw, source = _user_or_shipped(user_override, "fees.toml")
    data = _read_toml(raw, source, FeeScheduleError)
    try:
        return FeeSchedule.from_mapping(data)
    except FeeScheduleError as err:
        raise FeeScheduleError(f"{source}: {err.where}", err.problem) from None


def load_task_catalogue(user_override: Path | None = None) -> Catalogue:
    """The user's task catalogue if that file exists, else the shipped one."""
    raw, source = _user_or_shipped(user_override, "task_catalogue.toml")
    data = _read_toml(raw, source, CatalogueError)
    try:
        return Catalogue.from_mapping(data)
    except CatalogueError as err:
        raise CatalogueError(f"{source}: {err.where}", err.problem) from None


def _user_or_shipped(user_override: Path | None, name: str) -> tuple[bytes, str]:
    if user_override is not None and user_override.is_file():
        return user_override.read_bytes(), str(user_override)
    return (files("ccm_tui") / "data" / name).read_bytes(), f"the shipped {name}"


def _read_toml(raw: bytes, source: str, error: Callable[[str, str], Exception]) -> dict[str, Any]:
    """Parsed TOML, or `error(where, problem)` naming the file, line and column."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(source, "is not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise error(*_toml_problem(err, source, text)) from None


def _toml_problem(err: tomllib.TOMLDecodeError, source: str, text: str) -> tuple[str, str]:
    """Where (file, line, column) and what, from tomllib's message.

    Python 3.11's error has no line attribute; the message ends "(at line N, column M)".
    """
    message = str(err)
    found = _TOML_POSITION.search(message)
    where = f"{source}, line {found[1]}, column {found[2]}" if found else source
    if found is None and message.endswith(_TOML_AT_END):
        # an unclosed array or string: the file ends where the problem shows
        where = f"{source}, line {max(1, len(text.splitlines()))} (end of file)"
        message = message.removesuffix(_TOML_AT_END)
    problem = _TOML_POSITION.sub("", message)
    return where, f"not valid TOML: {problem[:1].lower()}{problem[1:]}"


# -- checklist templates ------------------------------------------------------------

_TABLE_HEADER = re.compile(r"^\s*\[")
_ITEMS_HEADER = re.compile(r"^\s*\[\[\s*items\s*\]\]")


@dataclass(frozen=True)
class ChecklistTemplates:
    """The template per service kind, where each came from, and what went wrong on the way."""

    templates: Mapping[ServiceKind, ChecklistTemplate]
    sources: Mapping[ServiceKind, str]  # "shipped mrs.toml" or the user's file
    warnings: tuple[str, ...]  # one line each: file, line, problem, and what is used instead


def load_checklist_templates(user_dir: Path | None = None) -> ChecklistTemplates:
    """The shipped templates, each overridden by a valid file in `user_dir`.

    A user's file that cannot be read or is wrong does not stop anything:
    it is reported (file and line) and the shipped template stays in use.
    The shipped files are part of the program; one that is broken raises.
    """
    templates: dict[ServiceKind, ChecklistTemplate] = {}
    sources: dict[ServiceKind, str] = {}
    shipped = files("ccm_tui") / "data" / "checklists"
    for resource in sorted(shipped.iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".toml"):
            template = parse_template(tomllib.loads(resource.read_text(encoding="utf-8")))
            for kind in template.applies_to:
                templates[kind] = template
                sources[kind] = f"shipped {resource.name}"
    warnings: list[str] = []
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            own, problem = _read_user_template(path)
            if own is None:
                warnings.append(problem)
                continue
            for kind in sorted(own.applies_to):
                if sources[kind].startswith("shipped"):
                    sources[kind] = str(path)
                else:
                    warnings.append(f"{path}: {kind.value} is also in {sources[kind]}; using {path.name}")
                    sources[kind] = str(path)
                templates[kind] = own
    return ChecklistTemplates(MappingProxyType(templates), MappingProxyType(sources), tuple(warnings))


def _read_user_template(path: Path) -> tuple[ChecklistTemplate | None, str]:
    """The template in `path`, or None and one line saying what is wrong where."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        return None, f"{path}: cannot be read ({err.strerror or err}); {_fallback(path, None)}"
    except UnicodeDecodeError:
        return None, f"{path}: is not UTF-8 text; {_fallback(path, None)}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where, problem = _toml_problem(err, str(path), text)
        return None, f"{where}: {problem}; {_fallback(path, None)}"
    try:
        return parse_template(data), ""
    except TemplateError as err:
        line = _error_line(text, err)
        where = f"{path}, line {line}" if line else str(path)
        detail = f"{err.where}: {err.problem}" if err.where else err.problem
        return None, f"{where}: {detail}; {_fallback(path, data)}"


def _fallback(path: Path, data: Mapping[str, object] | None) -> str:
    """What is used instead: the shipped template for the kinds the file meant, if they can be told."""
    meant: list[str] = []
    if data is not None:
        named = data.get("applies_to") or [data.get("service")]
        if isinstance(named, list):
            meant = [str(n).upper() for n in named if isinstance(n, str) and n.upper() in ServiceKind.__members__]
    if not meant and path.stem.upper() in ServiceKind.__members__:
        meant = [path.stem.upper()]
    if not meant:
        return "the shipped templates are used"
    kinds = ", ".join(meant)
    return f"the shipped template for {kinds} is used"


def _error_line(text: str, err: TemplateError) -> int | None:
    """The line of the offending [[items]] entry (or its key), or of a top-level key."""
    lines = text.splitlines()
    if err.item is None:
        if err.key is None:
            return None
        return _key_line(lines, err.key, 0, _first_table(lines))
    seen = 0
    for number, line in enumerate(lines):
        if _ITEMS_HEADER.match(line):
            seen += 1
            if seen == err.item:
                end = next((n for n in range(number + 1, len(lines)) if _TABLE_HEADER.match(lines[n])), len(lines))
                found = _key_line(lines, err.key, number + 1, end) if err.key else None
                return found or number + 1
    # items written as an inline array: point at `items =`
    return _key_line(lines, "items", 0, len(lines))


def _first_table(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if _TABLE_HEADER.match(line)), len(lines))


def _key_line(lines: list[str], key: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    return next((n + 1 for n in range(start, end) if pattern.match(lines[n])), None)
