from __future__ import annotations

from sqlalchemy import Engine

from ccm_tui.store.meta import get_meta, set_meta


def test_a_missing_key_reads_as_none(engine: Engine) -> None:
    assert get_meta(engine, "demo_anchor") is None


def test_set_then_get_round_trips_and_overwrites(engine: Engine) -> None:
    set_meta(engine, "demo_anchor", "2025-03-14")
    assert get_meta(engine, "demo_anchor") == "2025-03-14"

    set_meta(engine, "demo_anchor", "2025-04-01")
    assert get_meta(engine, "demo_anchor") == "2025-04-01"
    assert get_meta(engine, "other") is None
