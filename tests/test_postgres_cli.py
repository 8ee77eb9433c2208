"""The command line on a PostgreSQL book: the same seed, exports and imports as on a SQLite file.

Skipped, with one reason, when no PostgreSQL server answers (tests/postgres_books.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from tests import postgres_books

PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}
EXAMPLE_BOOK = Path(__file__).resolve().parent.parent / "data" / "example-book"
SEED = ["--customers", "60", "--activations", "240"]


@pytest.fixture
def server_book() -> Iterator[str]:
    """The URL of an empty database of the test's own (as a user writes it: postgresql://, no driver)."""
    if reason := postgres_books.probe():
        pytest.skip(reason)
    with postgres_books.scratch_database("ccm_cli") as name:
        yield postgres_books.book_url(name).replace("postgresql+psycopg://", "postgresql://")


def ccm(*argv: str, env: dict[str, str] | None = None) -> int:
    return main(list(argv), env={**PINNED, **(env or {})})


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_seeded_book_exports_the_same_bytes_on_both_engines(server_book: str, tmp_path: Path) -> None:
    book_file = tmp_path / "seed.sqlite"
    assert ccm("seed", str(book_file), *SEED) == 0
    assert ccm("--db", server_book, "seed", *SEED) == 0
    for name, db in (("sqlite", str(book_file)), ("postgresql", server_book)):
        assert ccm("--db", db, "export", "csv", str(tmp_path / f"csv-{name}")) == 0
        assert ccm("--db", db, "export", "json", "-o", str(tmp_path / f"{name}.json")) == 0
    assert _files(tmp_path / "csv-postgresql") == _files(tmp_path / "csv-sqlite")
    assert (tmp_path / "postgresql.json").read_bytes() == (tmp_path / "sqlite.json").read_bytes()


def test_seeding_a_server_book_that_holds_one_needs_force(server_book: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert ccm("--db", server_book, "seed", *SEED) == 0
    capsys.readouterr()
    assert ccm("--db", server_book, "seed", *SEED) == 2
    assert "already holds a book; pass --force" in capsys.readouterr().err
    assert ccm("--db", server_book, "seed", *SEED, "--force") == 0


def test_the_example_book_imports_the_same_on_both_engines(server_book: str, tmp_path: Path) -> None:
    book_file = tmp_path / "example.sqlite"
    for db in (str(book_file), server_book):
        assert ccm("--db", db, "import", "all", str(EXAMPLE_BOOK)) == 0
    assert ccm("--db", str(book_file), "export", "csv", str(tmp_path / "from-sqlite")) == 0
    assert ccm("--db", server_book, "export", "csv", str(tmp_path / "from-postgresql")) == 0
    assert _files(tmp_path / "from-postgresql") == _files(tmp_path / "from-sqlite")


def test_the_book_url_comes_from_the_environment_and_shows_no_password(
    server_book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = server_book.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    assert ccm("dirs", env={"CCM_DB": with_password}) == 0
    shown = capsys.readouterr().out
    assert "postgresql://postgres@" in shown and "s3cret" not in shown


@pytest.mark.parametrize("url", ["mysql://host/book", "postgresql+asyncpg://host/book", "https://example.test/book"])
def test_a_url_ccm_cannot_open_is_one_line_and_no_file(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert ccm("--db", url, "dirs") == 2
    err = capsys.readouterr().err
    assert err.startswith("ccm: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # never a SQLite file named after the URL


def test_config_sets_the_default_book_but_never_its_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('database = "postgresql://ccm@db.example.test/team"\n', encoding="utf-8")
    assert ccm("dirs", env={"CCM_CONFIG": str(config)}) == 0
    assert "postgresql://ccm@db.example.test/team" in capsys.readouterr().out
    config.write_text('database = "postgresql://ccm:hunter2@db.example.test/team"\n', encoding="utf-8")
    assert ccm("dirs", env={"CCM_CONFIG": str(config)}) == 2
    err = capsys.readouterr().err
    assert "must not hold a password" in err and "hunter2" not in err


def test_a_server_that_does_not_answer_is_one_line_without_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    # port 9 (discard): nothing listens there on a test machine
    assert ccm("--db", "postgresql://ccm:hunter2@127.0.0.1:9/team", "export", "json") == 1
    err = capsys.readouterr().err
    assert err.startswith("ccm: cannot connect to postgresql://ccm@127.0.0.1:9/team: ") and err.count("\n") == 1
    assert "hunter2" not in err
