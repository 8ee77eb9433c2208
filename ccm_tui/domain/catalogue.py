"""The customer-success task catalogue: work areas, their items, and which
review kinds discuss which item.

The catalogue is data (`data/task_catalogue.toml`, which a user may copy and
edit); `Catalogue.from_mapping` checks the parsed file and refuses unknown
keys, so a typo cannot silently drop an item from every agenda.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ccm_tui.domain.model import ReviewKind, TaskCategory

_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_AREA_KEYS = ("category", "label", "items")
_ITEM_KEYS = ("key", "text", "reviews", "cadence_months", "live")
CADENCES = (1, 3, 6, 12)


class LiveFacts(enum.StrEnum):
    """The customer's live data an agenda item is filled with."""

    ACTIVATIONS = "activations"
    FEES = "fees"
    ORDERS_CCD = "orders_ccd"
    HOURS = "hours"
    CONTACTS_OVERDUE = "contacts_overdue"
    ACTION_ITEMS = "action_items"
    INCIDENTS = "incidents"
    ESCALATIONS = "escalations"


class CatalogueError(ValueError):
    """The catalogue data is wrong; `where` names the key path (or file and line)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class CatalogueItem:
    key: str
    text: str
    reviews: frozenset[ReviewKind]
    cadence_months: int | None = None  # due every N months, whatever review is held
    live: LiveFacts | None = None


@dataclass(frozen=True)
class Area:
    category: TaskCategory
    label: str
    items: tuple[CatalogueItem, ...]


@dataclass(frozen=True)
class Catalogue:
    areas: tuple[Area, ...]

    @classmethod
    def from_mapping(cls, data: Mapping) -> Catalogue:
        """Build the catalogue from the parsed TOML (`version` and `[[areas]]`)."""
        for key in data:
            if key not in ("version", "areas"):
                raise CatalogueError(str(key), "unknown key; the file holds `version` and [[areas]] tables")
        if data.get("version") != 1:
            raise CatalogueError("version", f"must be 1 (got {data.get('version')!r})")
        raw_areas = data.get("areas")
        if not isinstance(raw_areas, list) or not raw_areas:
            raise CatalogueError("areas", "must be a list of [[areas]] tables")
        areas: list[Area] = []
        seen_keys: set[str] = set()
        for index, raw in enumerate(raw_areas):
            area = _area(f"areas[{index}]", raw, seen_keys)
            if any(a.category is area.category for a in areas):
                raise CatalogueError(f"areas[{index}].category", f"{area.category.value} appears more than once")
            areas.append(area)
        return cls(tuple(areas))

    def items_for(self, kind: ReviewKind) -> list[tuple[Area, CatalogueItem]]:
        """The items a review of `kind` discusses, in catalogue order."""
        return [(area, item) for area in self.areas for item in area.items if kind in item.reviews]

    def item(self, key: str) -> CatalogueItem | None:
        return next((i for a in self.areas for i in a.items if i.key == key), None)

    @property
    def labels(self) -> tuple[str, ...]:
        """Area labels: the agenda's section names, in order."""
        return tuple(a.label for a in self.areas)


def _area(path: str, raw: object, seen_keys: set[str]) -> Area:
    if not isinstance(raw, Mapping):
        raise CatalogueError(path, "must be a table with category, label and items")
    _refuse_unknown(path, raw, _AREA_KEYS)
    try:
        category = TaskCategory(str(raw.get("category", "")))
    except ValueError:
        choices = ", ".join(c.value for c in TaskCategory)
        raise CatalogueError(f"{path}.category", f"must be one of {choices} (got {raw.get('category')!r})") from None
    label = _text(f"{path}.label", raw.get("label"))
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{path}.items", "must list at least one [[areas.items]] table")
    parsed = tuple(_item(f"{path}.items[{i}]", item, seen_keys) for i, item in enumerate(items))
    return Area(category=category, label=label, items=parsed)


def _item(path: str, raw: object, seen_keys: set[str]) -> CatalogueItem:
    if not isinstance(raw, Mapping):
        raise CatalogueError(path, "must be a table with key, text and reviews")
    _refuse_unknown(path, raw, _ITEM_KEYS)
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise CatalogueError(f"{path}.key", f"must be lower-case letters, digits and _ (got {key!r})")
    if key in seen_keys:
        raise CatalogueError(f"{path}.key", f"{key} appears more than once")
    seen_keys.add(key)
    reviews = raw.get("reviews")
    if not isinstance(reviews, list) or not reviews:
        raise CatalogueError(f"{path}.reviews", "must list the review kinds: monthly, quarterly, executive")
    kinds: set[ReviewKind] = set()
    for value in reviews:
        try:
            kinds.add(ReviewKind(value))
        except ValueError:
            raise CatalogueError(
                f"{path}.reviews", f"unknown review kind {value!r}; use monthly, quarterly or executive"
            ) from None
    cadence = raw.get("cadence_months")
    if cadence is not None and (isinstance(cadence, bool) or cadence not in CADENCES):
        raise CatalogueError(f"{path}.cadence_months", f"must be one of {', '.join(map(str, CADENCES))} (got {cadence!r})")
    live = raw.get("live")
    if live is not None:
        try:
            live = LiveFacts(live)
        except ValueError:
            choices = ", ".join(f.value for f in LiveFacts)
            raise CatalogueError(f"{path}.live", f"must be one of {choices} (got {live!r})") from None
    return CatalogueItem(
        key=key, text=_text(f"{path}.text", raw.get("text")), reviews=frozenset(kinds), cadence_months=cadence, live=live
    )


def _text(path: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(path, "must be non-empty text")
    return value.strip()


def _refuse_unknown(path: str, raw: Mapping, allowed: tuple[str, ...]) -> None:
    for key in raw:
        if key not in allowed:
            raise CatalogueError(f"{path}.{key}", f"unknown key; expected one of {', '.join(allowed)}")
