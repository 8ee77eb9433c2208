"""The calendar's derived step columns are judged when steps are written (the
seeder, the demo, the CSV import), exactly as `derive_missing` would judge
them, with the hours recorded: the calendar's first read derives nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from ccm_tui.domain.calendar import BusinessHours
from ccm_tui.domain.imports import ImportKind, ImportMode
from ccm_tui.domain.people import Person
from ccm_tui.store.calendar_flags import AFTER_CCD, AFTER_HOURS, BASIS_KEY, HOLIDAY, WEEKEND, basis, derive_missing
from ccm_tui.store.demo import build_demo_book
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.imports import folder_files, import_csv
from ccm_tui.store.seed import seed_book
from ccm_tui.store.tables import ActivationStepRow, BookMetaRow

HOURS = BusinessHours()
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
EXAMPLE_BOOK = Path(__file__).resolve().parents[2] / "data" / "example-book"

Derived = dict[int, tuple[datetime | None, int | None, date | None]]


def derived(engine: Engine) -> Derived:
    step = ActivationStepRow
    with read_session(engine) as session:
        rows = session.exec(select(step.id, step.start_at, step.calendar_flags, step.ccd)).all()
    return {step_id: (start, flags, ccd) for step_id, start, flags, ccd in rows}


def judged_afresh(engine: Engine, hours: BusinessHours) -> Derived:
    """What the safety net computes for every step, all columns forgotten first."""
    with write_session(engine) as session:
        session.exec(update(ActivationStepRow).values(calendar_flags=None, ccd=None))  # type: ignore[call-overload]
    derive_missing(engine, hours)
    return derived(engine)


def stored_basis(engine: Engine) -> str | None:
    with read_session(engine) as session:
        meta = session.get(BookMetaRow, BASIS_KEY)
        return meta.value if meta is not None else None


def assert_judged_at_write(engine: Engine, hours: BusinessHours) -> Derived:
    written = derived(engine)
    assert written, "no steps written"
    assert [i for i, (start, flags, _) in written.items() if start is not None and flags is None] == []
    assert stored_basis(engine) == basis(hours)
    assert derive_missing(engine, hours) == 0  # the first calendar read has nothing to do
    assert judged_afresh(engine, hours) == written
    return written


def bits_seen(written: Derived) -> int:
    seen = 0
    for _, flags, _ in written.values():
        seen |= flags or 0
    return seen


@pytest.mark.own_database  # the seeder advances PostgreSQL's sequences
def test_a_seeded_book_has_every_steps_flags(engine: Engine) -> None:
    seed_book(engine, 60, 240, date(2026, 11, 20), hours=HOURS)
    written = assert_judged_at_write(engine, HOURS)
    assert bits_seen(written) & (AFTER_HOURS | WEEKEND | AFTER_CCD) == AFTER_HOURS | WEEKEND | AFTER_CCD
    assert all(ccd is not None for start, _, ccd in written.values() if start is not None)


@pytest.mark.own_database  # the seeder advances PostgreSQL's sequences
def test_the_seeder_judges_with_the_hours_it_is_given(engine: Engine) -> None:
    """Business hours 10:00-13:00: every seeded 09:00 window is after hours (the default's are not)."""
    short = BusinessHours(start=time(10), end=time(13))
    seed_book(engine, 30, 120, date(2026, 11, 20), hours=short)
    written = assert_judged_at_write(engine, short)
    assert all((flags or 0) & AFTER_HOURS for start, flags, _ in written.values() if start is not None)


@pytest.mark.own_database  # the seeder advances PostgreSQL's sequences
def test_a_seed_into_a_book_judged_with_other_hours_leaves_its_steps_to_the_calendar(engine: Engine) -> None:
    seed_book(engine, 20, 60, date(2026, 11, 20), hours=HOURS)
    later = BusinessHours(start=time(9), end=time(18))
    seed_book(engine, 20, 60, date(2026, 11, 20), rng_seed=2, hours=later)
    written = derived(engine)
    assert any(start is not None and flags is None for start, flags, _ in written.values())
    assert stored_basis(engine) == basis(HOURS)  # the rows already judged say which hours they used
    assert derive_missing(engine, HOURS) > 0
    assert_judged_at_write(engine, HOURS)


def test_the_demo_book_has_every_steps_flags(engine: Engine) -> None:
    build_demo_book(engine, date(2026, 11, 20), NOW, HOURS)
    written = assert_judged_at_write(engine, HOURS)
    assert bits_seen(written) & (AFTER_HOURS | WEEKEND | HOLIDAY | AFTER_CCD) == AFTER_HOURS | WEEKEND | HOLIDAY | AFTER_CCD


def test_an_imported_book_has_every_steps_flags(engine: Engine) -> None:
    report = import_csv(
        engine, folder_files(EXAMPLE_BOOK), ImportMode.ALL_OR_NOTHING, NOW, Person(login="alex", name="Alex Morgan"), hours=HOURS
    )
    assert report.written
    written = assert_judged_at_write(engine, HOURS)
    assert bits_seen(written) & (AFTER_HOURS | WEEKEND)


def test_an_import_that_moves_a_window_judges_it_again(engine: Engine, tmp_path: Path) -> None:
    actor = Person(login="alex", name="Alex Morgan")
    import_csv(engine, folder_files(EXAMPLE_BOOK), ImportMode.ALL_OR_NOTHING, NOW, actor, hours=HOURS)
    before = derived(engine)
    lines = (EXAMPLE_BOOK / "activations.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    start_column = header.index("activation_start")
    end_column = header.index("activation_end")
    traffic_column = header.index("traffic_passed_at")
    moved = []
    for line in lines[1:]:
        cells = line.split(",")
        if cells[start_column] and cells[end_column] and not cells[traffic_column]:
            # the same day, 22:00-23:00 local: after hours wherever the site is
            cells[start_column] = cells[start_column][:10] + "T22:00"
            cells[end_column] = cells[end_column][:10] + "T23:00"
        moved.append(",".join(cells))
    (tmp_path / "activations.csv").write_text("\n".join([lines[0], *moved]) + "\n", encoding="utf-8")
    report = import_csv(
        engine, [(ImportKind.ACTIVATIONS, tmp_path / "activations.csv")], ImportMode.ALL_OR_NOTHING, NOW, actor, hours=HOURS
    )
    assert report.written
    after = assert_judged_at_write(engine, HOURS)
    changed = [i for i in after if after[i][0] != before[i][0]]
    assert changed
    assert all((after[i][1] or 0) & AFTER_HOURS for i in changed)


def test_an_import_without_hours_leaves_the_flags_to_the_calendar(engine: Engine) -> None:
    import_csv(engine, folder_files(EXAMPLE_BOOK), ImportMode.ALL_OR_NOTHING, NOW, Person(login="alex", name="Alex Morgan"))
    step = ActivationStepRow
    with read_session(engine) as session:
        missing = session.exec(select(step.id).where(col(step.start_at).is_not(None), col(step.calendar_flags).is_(None))).all()
    assert missing
    assert derive_missing(engine, HOURS) == len(missing)
