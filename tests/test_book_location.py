"""Naming the book: a file path or a database URL, and the label shown for it (never a password)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccm_tui.book_location import BookLocation, BookLocationError, url_password


@pytest.mark.parametrize(
    ("given", "url", "label"),
    [
        (
            "postgresql://alex@db.example.com/ccm",
            "postgresql+psycopg://alex@db.example.com/ccm",
            "postgresql://alex@db.example.com/ccm",
        ),
        ("postgres://db/ccm", "postgresql+psycopg://db/ccm", "postgresql://db/ccm"),
        (
            "postgresql+psycopg://alex:s3cret@db:5433/ccm",
            "postgresql+psycopg://alex:s3cret@db:5433/ccm",
            "postgresql://alex@db:5433/ccm",
        ),
        # libpq fills in what is left out: PGHOST, PGUSER, a service file
        ("postgresql:///ccm?service=team", "postgresql+psycopg:///ccm?service=team", "postgresql:///ccm?service=team"),
        ("postgresql://", "postgresql+psycopg://", "postgresql://"),
        (
            "postgresql://db/ccm?password=pw&sslmode=require",
            "postgresql+psycopg://db/ccm?password=pw&sslmode=require",
            "postgresql://db/ccm?sslmode=require",
        ),
        ("postgresql://alex:pw@[::1]:5432/ccm", "postgresql+psycopg://alex:pw@[::1]:5432/ccm", "postgresql://alex@[::1]:5432/ccm"),
    ],
)
def test_a_postgresql_url_gets_psycopg_and_a_label_without_password(given: str, url: str, label: str) -> None:
    book = BookLocation.parse(given)
    assert (book.url, book.label, book.path, book.is_server) == (url, label, None, True)


def test_a_path_is_a_sqlite_file(tmp_path: Path) -> None:
    book = BookLocation.parse(str(tmp_path / "my book.sqlite"))
    assert (book.path, book.url, book.is_server) == (tmp_path / "my book.sqlite", f"sqlite:///{tmp_path}/my book.sqlite", False)
    assert BookLocation.parse(f"sqlite:///{tmp_path}/b.sqlite").path == tmp_path / "b.sqlite"


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("mysql://db/ccm", "mysql:// is not a book ccm can open"),
        ("postgresql+asyncpg://db/ccm", "postgresql+asyncpg:// is not a book"),
        ("https://example.test/book.sqlite", "https:// is not a book"),
        ("postgresql://db:port/ccm", "the port is not a number"),
        ("sqlite://", "names its file"),
        ("  ", "is empty"),
    ],
)
def test_what_cannot_be_a_book_is_refused_in_one_line(given: str, words: str) -> None:
    with pytest.raises(BookLocationError, match=re.escape(words)):
        BookLocation.parse(given)


@pytest.mark.parametrize(
    ("given", "password"),
    [
        ("postgresql://a:pw@h/db", "pw"),
        ("postgresql://a@h/db?password=pw", "pw"),
        ("postgresql://a@h/db", None),
        ("/home/a:b@c/book.sqlite", None),
    ],
)
def test_a_password_in_a_url_is_found(given: str, password: str | None) -> None:
    assert url_password(given) == password
