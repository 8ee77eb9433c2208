"""Errors the store raises for the UI and CLI to show as a clear message."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every expected store failure (never a bare SQL error)."""


class NotFound(StoreError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} does not exist")
        self.what = what
        self.key = key


class StaleEdit(StoreError):
    """The row changed since the user read it; their input must be kept."""

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"this {what} was changed elsewhere since you opened it; review and save again")
        self.what = what
        self.key = key
