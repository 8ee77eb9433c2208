"""Which book is open. Kept apart from the services so the CLI can name a
book without importing the ORM before the first frame.

A book is a SQLite file (a path) or a database URL. `postgresql://` URLs
follow libpq's conventions: what the URL leaves out (host, user, password,
database) comes from PGHOST, PGUSER, ~/.pgpass or a `?service=` entry, which
psycopg reads when the part is absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

# What a book URL may start with; the plain postgresql:// is given psycopg, the driver ccm installs.
_SCHEMES = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "postgresql+psycopg": "postgresql+psycopg"}
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")


class BookLocationError(ValueError):
    """The book named (by --db, CCM_DB or config.toml) cannot be a book; the message says why."""


def is_url(text: str) -> bool:
    return _URL.match(text) is not None


def url_password(text: str) -> str | None:
    """The password written inside a database URL, if any (never kept in config.toml)."""
    if not is_url(text):
        return None
    try:
        parts = urlsplit(text)
        # libpq also reads ?password=... from the query
        return parts.password or next((v for k, v in parse_qsl(parts.query) if k.lower() == "password"), None)
    except ValueError:  # a port that is not a number: not our concern here
        return None


def _label(url: str) -> str:
    """The URL to show: its scheme as typed by people, and never its password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address goes back in brackets
        host = f"[{host}]"
    netloc = f"{unquote(parts.username)}@" if parts.username else ""
    netloc += host + (f":{parts.port}" if parts.port else "")
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "password")
    return f"postgresql://{netloc}{parts.path}" + (f"?{query}" if query else "")


@dataclass(frozen=True)
class BookLocation:
    """Which book is open: a SQLite file or a server's database, and the label shown for it (no password)."""

    url: str
    label: str
    path: Path | None = None
    demo: bool = False
    read_only: bool = False  # `ccm --read-only`: the database refuses every write of this session

    @property
    def is_server(self) -> bool:
        """A book on a database server (PostgreSQL), not a file of ours."""
        return self.path is None and not self.url.startswith("sqlite:")

    @classmethod
    def file(cls, path: Path, *, demo: bool = False) -> BookLocation:
        label = "Demo book" if demo else str(path)
        return cls(url=f"sqlite:///{path}", label=label, path=path, demo=demo)

    @classmethod
    def from_url(cls, url: str) -> BookLocation:
        """A book named by a URL: `postgresql://...` (psycopg) or `sqlite:///path`; any other scheme is refused."""
        match = _URL.match(url)
        if match is None:
            raise BookLocationError(f"{url!r} is not a database URL")
        scheme = match["scheme"].lower()
        if scheme == "sqlite":
            path = url[len("sqlite:///") :] if url.lower().startswith("sqlite:///") else ""
            if not path:
                raise BookLocationError(f"{url!r}: a SQLite book's URL names its file, as in sqlite:///path/to/book.sqlite")
            return cls.file(Path(path).expanduser())
        driver = _SCHEMES.get(scheme)
        if driver is None:
            raise BookLocationError(
                f"{scheme}:// is not a book ccm can open; give a file path, or a postgresql:// URL (PostgreSQL with psycopg)"
            )
        try:
            urlsplit(url).port  # noqa: B018 - urlsplit checks the port only when it is read
        except ValueError:
            raise BookLocationError(f"{url.split('@')[-1]!r}: the port is not a number") from None
        full = f"{driver}{url[match.end('scheme') :]}"
        return cls(url=full, label=_label(full))

    @classmethod
    def parse(cls, text: str) -> BookLocation:
        """--db, CCM_DB or config.toml's `database`: a URL if it has a scheme, otherwise a file path."""
        if is_url(text):
            return cls.from_url(text)
        if not text.strip():
            raise BookLocationError("the book's location is empty; give a file path or a postgresql:// URL")
        return cls.file(Path(text).expanduser())
