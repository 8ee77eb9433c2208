"""A seeded book goes out as CSV and comes back the same, with no row rejected."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from ccm_tui.__main__ import main
from ccm_tui.domain.import_rows import fold_name
from ccm_tui.domain.imports import ImportKind
from ccm_tui.store import tables
from ccm_tui.store.engine import make_engine, sqlite_url
from ccm_tui.store.seed import seed_book

TODAY = date(2025, 3, 14)
PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}


def test_seed_export_import_export_gives_the_same_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeded, fresh = tmp_path / "seeded.sqlite", tmp_path / "fresh.sqlite"
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["seed", str(seeded), "--customers", "300", "--activations", "1200"], env=dict(PINNED)) == 0
    assert main(["--db", str(seeded), "export", "csv", str(first)], env=dict(PINNED)) == 0
    capsys.readouterr()

    assert main(["--db", str(fresh), "import", "all", str(first)], env=dict(PINNED)) == 0
    report = capsys.readouterr().out
    assert report.count(" 0 rejected") == len(ImportKind), report
    assert "Imported:" in report

    assert main(["--db", str(fresh), "export", "csv", str(second)], env=dict(PINNED)) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(kind.file_name for kind in ImportKind)
    assert sorted(p.name for p in second.iterdir()) == names
    for name in names:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name


@pytest.mark.parametrize("rng_seed", [1, 2, 3])
def test_no_natural_key_twice(tmp_path: Path, rng_seed: int) -> None:
    """What the import matches rows on is unique in a seeded book (contact names used to repeat)."""
    engine = make_engine(sqlite_url(tmp_path / "seed.sqlite"))
    tables.metadata.create_all(engine)
    seed_book(engine, 400, 1_600, TODAY, rng_seed=rng_seed)
    with engine.connect() as conn:
        contacts = conn.execute(text("SELECT customer_id, name FROM contact")).all()
        sites = conn.execute(text("SELECT customer_id, name FROM site")).all()
        accounts = conn.execute(text("SELECT account_number FROM customer")).scalars().all()
        orders = conn.execute(text("SELECT number FROM orders")).scalars().all()
        activations = conn.execute(
            text(
                "SELECT o.number, s.name, a.service FROM activation a JOIN orders o ON o.id = a.order_id JOIN site s ON s.id = a.site_id"
            )
        ).all()
    engine.dispose()
    for keys in (
        [(c, fold_name(n)) for c, n in contacts],
        [(c, fold_name(n)) for c, n in sites],
        [a.lower() for a in accounts],
        [o.lower() for o in orders],
        [(o.lower(), fold_name(s), v) for o, s, v in activations],
    ):
        assert [key for key, n in Counter(keys).items() if n > 1] == []
