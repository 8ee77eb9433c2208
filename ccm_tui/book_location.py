"""Which book is open. Kept apart from the services so the CLI can name a
book without importing the ORM before the first frame."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BookLocation:
    """Which book is open: a SQLite file (or any SQLAlchemy URL) and its label."""

    url: str
    label: str
    path: Path | None = None
    demo: bool = False

    @classmethod
    def file(cls, path: Path, *, demo: bool = False) -> BookLocation:
        label = "Demo book" if demo else str(path)
        return cls(url=f"sqlite:///{path}", label=label, path=path, demo=demo)
