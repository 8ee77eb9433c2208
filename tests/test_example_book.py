"""The example book in `data/example-book` loads cleanly and goes out again unchanged."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ccm_tui.__main__ import main
from ccm_tui.domain.imports import ImportKind

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example-book"
PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}
ROWS = {"customers": 12, "contacts": 28, "sites": 21, "orders": 18, "activations": 27}


def test_the_example_book_imports_with_nothing_rejected_and_exports_the_same_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, out = tmp_path / "example.sqlite", tmp_path / "out"
    assert main(["--db", str(book), "import", "all", str(EXAMPLE)], env=dict(PINNED)) == 0
    report = capsys.readouterr().out
    for kind, n in ROWS.items():
        assert f"{kind}.csv: {n} rows: {n} created, 0 updated, 0 unchanged, 0 rejected" in report, report
    assert report.rstrip().endswith(f"Imported: {sum(ROWS.values())} records written.")

    assert main(["--db", str(book), "export", "csv", str(out)], env=dict(PINNED)) == 0
    assert sorted(p.name for p in EXAMPLE.iterdir()) == sorted(kind.file_name for kind in ImportKind)
    for kind in ImportKind:
        assert (out / kind.file_name).read_bytes() == (EXAMPLE / kind.file_name).read_bytes(), kind.file_name


def test_the_example_book_shows_a_bit_of_everything(tmp_path: Path) -> None:
    book = tmp_path / "example.sqlite"
    assert main(["--db", str(book), "import", "all", str(EXAMPLE)], env=dict(PINNED)) == 0
    engine = create_engine(f"sqlite:///{book}")
    with engine.connect() as conn:
        regions = set(conn.execute(text("SELECT region FROM customer")).scalars())
        orders = Counter(conn.execute(text("SELECT status FROM orders")).scalars())
        steps = Counter(conn.execute(text("SELECT status FROM activation_step WHERE kind = 'activation'")).scalars())
        services = set(conn.execute(text("SELECT service FROM activation")).scalars())
        sydney = conn.execute(text("SELECT subdivision FROM site WHERE city = 'Sydney'")).scalar_one()
        upcoming = conn.execute(text("SELECT count(*) FROM activation_step WHERE start_at >= '2027-01-01'")).scalar_one()
    engine.dispose()
    assert regions == {"NA", "LATAM", "EMEA", "APAC"}
    assert set(orders) == {"provisioning", "installation_complete", "completed", "cancelled"}
    assert set(steps) == {"unscheduled", "requested", "confirmed", "validated", "completed", "not_ready", "no_show", "cancelled"}
    assert services == {"MRS", "MSS", "INTERNET", "ETHERNET", "VPN"}
    assert sydney == "AU-NSW"
    assert upcoming >= 20, "windows in 2027 stay upcoming for a while"
