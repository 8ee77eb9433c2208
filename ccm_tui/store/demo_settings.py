"""What the demo book is made of, from `data/demo.toml`: its seed and size,
the CCMs, customer and people names per country, and the places (cities with
their zone, state or province, streets, postcodes and phone pattern) where
sites are. The seeded benchmark book (`store.seed`) draws its places and
names from here too. Besides, the task catalogue's items, whose texts the
demo's agendas and time entries use.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from ccm_tui.domain.model import Region, TaskCategory


@dataclass(frozen=True, slots=True)
class Place:
    """A city where sites are: its zone, state or province, streets, postcodes and phone pattern."""

    region: Region
    country: str
    zone: str
    city: str
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    phone: str
    subdivision: str = ""  # ISO 3166-2 ("AU-NSW"): its holidays apply too


@dataclass(frozen=True, slots=True)
class DemoSettings:
    seed: int
    customers: int
    regions: dict[Region, int]  # weights
    demo_user: str
    demo_user_share: float
    ccms: tuple[str, ...]
    package_hours: tuple[int, ...]
    names: dict[str, tuple[str, ...]]  # per country
    first_names: dict[str, tuple[str, ...]]  # per country
    last_names: dict[str, tuple[str, ...]]
    places: tuple[Place, ...]
    notes: tuple[str, ...]

    def places_in(self, region: Region) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.region is region)

    def names_in(self, region: Region) -> list[tuple[str, str]]:
        """(country, customer name) for the countries that have places in `region`."""
        countries = dict.fromkeys(p.country for p in self.places_in(region))
        return [(country, name) for country in countries for name in self.names.get(country, ())]


def _data_toml(*parts: str) -> dict[str, Any]:
    resource = files("ccm_tui").joinpath("data", *parts)
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def load_demo_settings() -> DemoSettings:
    """The shipped demo settings (seed, size, CCMs, names and places)."""
    raw = _data_toml("demo.toml")
    regions = {Region.parse(k): int(v) for k, v in raw["regions"].items()}
    return DemoSettings(
        seed=int(raw["seed"]),
        customers=int(raw["customers"]),
        regions=regions,
        demo_user=str(raw["demo_user"]),
        demo_user_share=float(raw["demo_user_share"]),
        ccms=tuple(raw["ccms"]),
        package_hours=tuple(int(h) for h in raw["package_hours"]),
        names={k: tuple(v) for k, v in raw["names"].items()},
        first_names={k: tuple(v["first"]) for k, v in raw["people"].items()},
        last_names={k: tuple(v["last"]) for k, v in raw["people"].items()},
        places=tuple(
            Place(
                region=Region.parse(p["region"]),
                country=p["country"],
                zone=p["zone"],
                city=p["city"],
                streets=tuple(p["streets"]),
                postcodes=tuple(p["postcodes"]),
                phone=p["phone"],
                subdivision=p.get("subdivision", ""),
            )
            for p in raw["places"]
        ),
        notes=tuple(raw["notes"]["lines"]),
    )


# Per category: (item text, review kinds, item key, area label).
TaskTexts = dict[TaskCategory, tuple[tuple[str, tuple[str, ...], str, str], ...]]


def load_task_texts() -> TaskTexts:
    """The task catalogue's items, per category."""
    raw = _data_toml("task_catalogue.toml")
    return {
        TaskCategory(area["category"]): tuple((i["text"], tuple(i["reviews"]), i["key"], area["label"]) for i in area["items"])
        for area in raw["areas"]
    }
