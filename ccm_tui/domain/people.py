"""Who works in the book: a person has a login, a display name and a role.

On PostgreSQL the login is the database role the person connects as; on
SQLite it is the operating-system user. The role says what the person may
change; the database enforces it (grants), this module only names it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    LEAD = "lead"  # everything, people included
    MEMBER = "member"  # reads and edits the book
    ONCALL = "oncall"  # reads everything; at night records a provider no-show or a note

    @property
    def label(self) -> str:
        return {"lead": "lead", "member": "member", "oncall": "on-call"}[self.value]


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    role: Role = Role.MEMBER

    @property
    def author(self) -> str:
        """What the change log and the histories record as the author: never blank."""
        return self.name.strip() or self.login


@dataclass(frozen=True)
class Access:
    """What this session may write. The database enforces it; this lets the UI show only what will work.

    `why` words a read-only session: "on-call" (an on-call login, which still
    records a provider no-show and a note), "file" (a book file ccm may not
    write), or "" (opened with --read-only).
    """

    read_only: bool = False
    why: str = ""

    @property
    def label(self) -> str:
        if not self.read_only:
            return ""
        return f"read-only: {self.why}" if self.why else "read-only"

    def allows(self, *, oncall_write: bool = False) -> bool:
        """May this session make a write (`oncall_write`: a no-show or a note, which on-call keeps)?"""
        return not self.read_only or (oncall_write and self.why == ONCALL_WHY)


ONCALL_WHY = "on-call"
WRITABLE = Access()
