"""Errors the store (and the file writer) raise for the UI and CLI to show as a clear message.

They live outside `store` so screens and the CLI can catch them without
importing the store: the layer contracts forbid that.
"""

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


class BookBusy(StoreError):
    """Another connection held the book's write lock past the busy timeout (a long import, say).

    Nothing was written; the same write may simply be tried again later.
    """

    def __init__(self, message: str = "the book is busy: another ccm is writing (an import?); try again") -> None:
        super().__init__(message)


class InUse(StoreError):
    """A record others depend on cannot be removed; the message says which and why. Nothing was written."""


class ReadOnlyBook(StoreError):
    """The database refused a write: this session may not make it (an on-call login, a read-only file).

    The refusal comes from the database (grants, a read-only open), never from
    an `if` in Python; this only words it. Nothing was written.
    """

    def __init__(self, why: str = "") -> None:
        super().__init__(f"read-only: {why}" if why else "read-only")
        self.why = why
