"""0008: an older book's search_text and sort_name are folded anew (accents dropped), on both engines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from ccm_tui.store import tables
from ccm_tui.store.book_page import find_customers
from ccm_tui.store.engine import write_session
from ccm_tui.store.migrate import alembic_config, current_revision, head_revision, upgrade

pytestmark = pytest.mark.own_database  # down to 0007 and back: the shared PostgreSQL book keeps its schema


def _to(engine: Engine, revision: str, *, down: bool) -> None:
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _old_book(engine: Engine) -> int:
    """A customer written by the 0007-era ccm: casefolded, accents kept."""
    _to(engine, "0007", down=True)
    stamp = datetime(2025, 3, 14, 9, 26, 53)
    with write_session(engine) as session:
        customer = tables.CustomerRow(
            account_number="EU-7",
            name="Café Lumière SARL",
            sort_name="café lumière sarl",
            region="EU",
            search_text="café lumière sarl\neu-7\nchloé martin\nsão paulo\nsao paulo",
            created_at=stamp,
            updated_at=stamp,
        )
        session.add(customer)
        session.flush()
        assert customer.id is not None
        session.add(tables.ContactRow(customer_id=customer.id, name="Chloé Martin"))
        session.add(
            tables.SiteRow(customer_id=customer.id, name="HQ", city="São Paulo", country="BR", timezone="America/Sao_Paulo")
        )
        session.add(
            tables.SiteRow(customer_id=customer.id, name="Annex", city="SAO PAULO", country="BR", timezone="America/Sao_Paulo")
        )
        return customer.id


def _folded(engine: Engine, customer_id: int) -> tuple[str, str, int]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT sort_name, search_text, version FROM customer WHERE id = :id"), {"id": customer_id}).one()
    return row[0], row[1], row[2]


def test_an_older_books_search_text_is_folded_anew(engine: Engine, tmp_path: Path, now: datetime) -> None:
    customer_id = _old_book(engine)
    assert find_customers(engine, "cafe") == []  # what a CCM met before

    upgrade(engine, None, tmp_path / "backups", now)

    assert current_revision(engine) == head_revision()
    # one city now, and the row's version is the same: no one edited it
    assert _folded(engine, customer_id) == ("cafe lumiere sarl", "cafe lumiere sarl\neu-7\nchloe martin\nsao paulo", 1)
    assert [hit.name for hit in find_customers(engine, "CAFE")] == ["Café Lumière SARL"]


def test_a_downgrade_gives_the_older_ccm_its_casefolded_text_back(engine: Engine) -> None:
    customer_id = _old_book(engine)
    _to(engine, "0008", down=False)

    _to(engine, "0007", down=True)

    old_text = "café lumière sarl\neu-7\nchloé martin\nsão paulo\nsao paulo"  # São Paulo and SAO PAULO were two cities
    assert _folded(engine, customer_id) == ("café lumière sarl", old_text, 1)
