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
