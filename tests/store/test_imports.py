"""CSV imports on a fresh book: the messy fixture files, every error kind, the modes.

The fixtures under tests/fixtures/import/ are small files written the way
spreadsheets write them: `book/` is a valid book in five files (a BOM,
semicolons, CRLF, quoted line breaks, headers in other cases and orders,
blank trailing lines); `errors/` holds one file per kind with every problem
an import reports.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import col, select

from ccm_tui.domain.import_report import ImportReport
from ccm_tui.domain.imports import ImportKind, ImportMode
from ccm_tui.domain.people import Person
from ccm_tui.store import tables
from ccm_tui.store.csv_files import UnreadableFile, detect_delimiter
from ccm_tui.store.customers import refresh_search_text
from ccm_tui.store.engine import read_session, write_session
from ccm_tui.store.imports import folder_files, import_csv

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
IMPORTER = Person(login="alex", name="Alex Morgan")
ALL = ImportMode.ALL_OR_NOTHING


def run(engine: Engine, kind: ImportKind, path: Path, mode: ImportMode = ALL, batch_rows: int = 500) -> ImportReport:
    return import_csv(engine, [(kind, path)], mode, NOW, IMPORTER, batch_rows=batch_rows)


def load_book(engine: Engine) -> ImportReport:
    report = import_csv(engine, folder_files(FIXTURES / "book"), ALL, NOW, IMPORTER)
    assert report.ok and report.written, report
    return report


def count(engine: Engine, table: type) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def dump(db_path: Path) -> list[str]:
    """The book's whole content, as SQL text, read from the file by a separate connection."""
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


def where(report: ImportReport) -> list[tuple[int, str]]:
    return [(p.line, p.column) for file in report.files for p in file.problems]


# -- the messy but valid book -------------------------------------------------------------


def test_messy_files_import_as_a_book(engine: Engine) -> None:
    report = load_book(engine)
    assert [(f.kind, f.rows, f.created) for f in report.files] == [
        (ImportKind.CUSTOMERS, 3, 3),
        (ImportKind.CONTACTS, 4, 4),
        (ImportKind.SITES, 4, 4),
        (ImportKind.ORDERS, 3, 3),
        (ImportKind.ACTIVATIONS, 4, 4),
    ]
    with read_session(engine) as session:
        harbor = session.exec(select(tables.CustomerRow).where(tables.CustomerRow.account_number == "NA-1001")).one()
        assert harbor.notes == "Prefers calls; never e-mail\nbefore 10:00"  # quoted line break, a ; inside
        assert harbor.hours_per_month_minutes == 12 * 60 and harbor.created_at == NOW.replace(tzinfo=None)
        assert "dana whitfield" in harbor.search_text and "seattle" in harbor.search_text
        lindqvist = session.exec(select(tables.CustomerRow).where(tables.CustomerRow.account_number == "EU-2002")).one()
        assert lindqvist.hours_per_month_minutes == 510  # 8.5 h
        kenji = session.exec(select(tables.ContactRow).where(tables.ContactRow.name == "Kenji Suzuki")).one()
        assert kenji.phone == "+81 6 5555 6907"  # the export's formula quote taken off
        ops = session.exec(select(tables.ContactRow).where(tables.ContactRow.name == "Ops desk, nights")).one()
        assert ops.roles == "billing,technical"
        seattle = session.exec(select(tables.SiteRow).where(tables.SiteRow.name == "Seattle HQ")).one()
        assert seattle.address == "1200 Alaskan Way\nPier 3"
        tacoma = session.exec(select(tables.SiteRow).where(tables.SiteRow.name == "Tacoma yard")).one()
        assert tacoma.timezone == "America/Los_Angeles"  # canonical spelling
        so1 = session.exec(select(tables.OrderRow).where(tables.OrderRow.number == "SO-1")).one()
        assert (so1.mrc_cents, so1.nrc_cents, so1.currency) == (125000, 30050, "USD")  # "300,50"
        so3 = session.exec(select(tables.OrderRow).where(tables.OrderRow.number == "SO-3")).one()
        assert (so3.status, so3.currency) == ("provisioning", "JPY")


def test_activation_windows_are_read_in_the_sites_zone_with_history(engine: Engine) -> None:
    load_book(engine)
    with read_session(engine) as session:
        mrs = session.exec(
            select(tables.ActivationRow)
            .join(tables.OrderRow)
            .where(tables.OrderRow.number == "SO-1", tables.ActivationRow.service == "MRS")
        ).one()
        steps = {
            s.kind: s
            for s in session.exec(select(tables.ActivationStepRow).where(tables.ActivationStepRow.activation_id == mrs.id))
        }
        history = session.exec(select(tables.ActivationChangeRow).where(tables.ActivationChangeRow.activation_id == mrs.id)).all()
    assert mrs.field_dispatch is True
    # 08:00 in Seattle (PST, UTC-8) on Monday 23 November
    assert steps["installation"].start_at == datetime(2026, 11, 23, 16, 0)
    assert steps["installation"].status == "confirmed"
    assert steps["activation"].start_at == datetime(2026, 12, 1, 3, 0)  # 19:00 PST on the 30th
    assert steps["activation"].calendar_flags is None  # the calendar derives it on its next read
    assert sorted((h.step_kind, h.action, h.to_status, h.who) for h in history) == [
        ("activation", "import", "requested", "Alex Morgan"),
        ("installation", "import", "confirmed", "Alex Morgan"),
    ]
    assert all("activations.csv line 2" in h.reason for h in history)


def test_search_text_matches_what_an_edit_would_write(engine: Engine) -> None:
    load_book(engine)
    with read_session(engine) as session:
        imported = dict(session.exec(select(tables.CustomerRow.id, tables.CustomerRow.search_text)).all())
    with write_session(engine) as session:
        for customer_id in imported:
            refresh_search_text(session, customer_id)
    with read_session(engine) as session:
        assert dict(session.exec(select(tables.CustomerRow.id, tables.CustomerRow.search_text)).all()) == imported


def test_importing_again_changes_nothing(engine: Engine, db_path: Path) -> None:
    load_book(engine)
    before = dump(db_path)
    again = import_csv(engine, folder_files(FIXTURES / "book"), ALL, NOW, Person(login="someone", name="someone else"))
    assert [(f.created, f.updated, f.unchanged) for f in again.files] == [
        (0, 0, 3),
        (0, 0, 4),
        (0, 0, 4),
        (0, 0, 3),
        (0, 0, 4),
    ]
    assert dump(db_path) == before
    assert again.outcome() == "Nothing to change: the book already holds these rows."


def test_an_edited_file_updates_the_same_records(engine: Engine, tmp_path: Path) -> None:
    load_book(engine)
    edited = tmp_path / "activations.csv"
    text = (FIXTURES / "book" / "activations.csv").read_text(encoding="utf-8-sig")
    edited.write_text(text.replace("2026-11-30T19:00,2026-11-30T22:00,requested", "2026-12-01T09:00,2026-12-01T11:00,confirmed"))
    report = run(engine, ImportKind.ACTIVATIONS, edited)
    assert (report.files[0].updated, report.files[0].unchanged) == (1, 3)
    with read_session(engine) as session:
        change = session.exec(
            select(tables.ActivationChangeRow).where(tables.ActivationChangeRow.from_status == "requested")
        ).one()
        step = session.exec(
            select(tables.ActivationStepRow).where(tables.ActivationStepRow.start_at == datetime(2026, 12, 1, 17, 0))
        ).one()
    assert (change.to_status, change.from_start, change.to_start) == (
        "confirmed",
        datetime(2026, 12, 1, 3, 0),
        datetime(2026, 12, 1, 17, 0),
    )
    assert step.version == 2 and count(engine, tables.ActivationRow) == 4


# -- every error kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            ImportKind.CUSTOMERS,
            [
                (3, "name", "required"),
                (4, "region", "unknown region"),
                (5, "hours_per_month", "between 0 and 744"),
                (6, "account_number", "letters, digits"),
                (8, "account_number", "duplicate account number in this file: line 7"),
                (9, "account_number", "the book has NA-1001 (Harbor Freight Lines), which differs only in case"),
            ],
        ),
        (
            ImportKind.CONTACTS,
            [
                (2, "email", "not an address"),
                (3, "roles", "unknown role"),
                (4, "last_reviewed", "not a date"),
                (5, "account_number", "no customer with account number ZZ-404"),
            ],
        ),
        (
            ImportKind.SITES,
            [
                (2, "timezone", "unknown time zone 'America/Los_Angles'; did you mean America/Los_Angeles?"),
                (3, "country", "not a two-letter ISO 3166 code"),
                (4, "account_number", "no customer with account number ZZ-404"),
                (6, "site_name", "duplicate account number and site name in this file: line 5"),
            ],
        ),
        (
            ImportKind.ORDERS,
            [
                (2, "account_number", "no customer with account number ZZ-404"),
                (3, "ccd", "not a date"),
                (4, "currency", "ISO 4217"),
                (5, "account_number", "order SO-2 belongs to account EU-2002"),
            ],
        ),
        (
            ImportKind.ACTIVATIONS,
            [
                (2, "order_number", "no order SO-404"),
                (3, "site_name", "no site named Nowhere"),
                (4, "service", "VPN is not on order SO-1"),
                (5, "activation_start", "does not exist in America/Los_Angeles"),
                (6, "activation_end", "not after the start"),
                (7, "account_number", "order SO-1 belongs to account NA-1001, not EU-2002"),
                (8, "activation_start", "not a date and time"),
            ],
        ),
    ],
)
def test_every_problem_is_reported_with_line_and_column(
    engine: Engine, db_path: Path, kind: ImportKind, expected: list[tuple[int, str, str]]
) -> None:
    load_book(engine)
    before = dump(db_path)
    report = run(engine, kind, FIXTURES / "errors" / kind.file_name)
    found = report.files[0].problems
    assert [(p.line, p.column) for p in found] == [(line, column) for line, column, _ in expected]
    for problem, (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in problem.message
    assert not report.written and dump(db_path) == before


def test_problem_values_are_the_cells_as_written(engine: Engine) -> None:
    load_book(engine)
    problems = run(engine, ImportKind.CUSTOMERS, FIXTURES / "errors" / "customers.csv").files[0].problems
    assert [p.value for p in problems] == ["", "Europe", "800", "NA 9004", "na-9005", "na-1001"]


def test_a_bad_last_row_leaves_the_book_unchanged(engine: Engine, db_path: Path) -> None:
    load_book(engine)
    before = dump(db_path)
    report = run(engine, ImportKind.CUSTOMERS, FIXTURES / "customers_bad_last_row.csv", batch_rows=1)
    assert (report.files[0].created, report.files[0].rejected) == (2, 1)  # would have been created
    assert where(report) == [(4, "region")]
    assert not report.written
    assert dump(db_path) == before


def test_dry_run_reports_and_writes_nothing(engine: Engine, db_path: Path) -> None:
    before = dump(db_path)
    report = import_csv(engine, folder_files(FIXTURES / "book"), ImportMode.DRY_RUN, NOW, IMPORTER)
    assert report.ok and not report.written
    assert report.total("created") == 18  # contacts see the customers created earlier in the run
    assert dump(db_path) == before


def test_skip_invalid_writes_the_good_rows(engine: Engine) -> None:
    load_book(engine)
    report = run(engine, ImportKind.CUSTOMERS, FIXTURES / "errors" / "customers.csv", ImportMode.SKIP_INVALID)
    file = report.files[0]
    assert report.written and (file.rows, file.created, file.updated, file.rejected) == (8, 1, 1, 6)
    with read_session(engine) as session:
        numbers = set(session.exec(select(tables.CustomerRow.account_number)).all())
        lindqvist = session.exec(select(tables.CustomerRow).where(tables.CustomerRow.account_number == "EU-2002")).one()
    assert numbers == {"NA-1001", "EU-2002", "AP-3003", "NA-9005"}
    assert lindqvist.hours_per_month_minutes == 600 and lindqvist.version == 2


def test_references_resolve_across_batches_and_files_of_one_run(engine: Engine) -> None:
    report = import_csv(engine, folder_files(FIXTURES / "book"), ALL, NOW, IMPORTER, batch_rows=1)
    assert report.ok and report.total("created") == 18


# -- the file itself ------------------------------------------------------------------------


def test_header_problems_stop_the_file(engine: Engine) -> None:
    report = run(engine, ImportKind.CUSTOMERS, FIXTURES / "customers_no_region_column.csv")
    assert where(report) == [(1, "region")] and report.files[0].rows == 0 and not report.written


def test_empty_file(engine: Engine, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    report = run(engine, ImportKind.SITES, empty)
    assert "empty" in report.files[0].problems[0].message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            "account_number,name,region\nEU-1,Société,EMEA\n".encode("latin-1"),
            r"is not UTF-8 text \(byte 0xE9 at line 2\)",
        ),
        ("account_number\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["latin-1", "utf-16"],
)
def test_not_utf8_is_refused_before_anything_is_written(engine: Engine, tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=fragment):
        run(engine, ImportKind.CUSTOMERS, path)


def test_a_decoding_error_late_in_a_file_names_its_line(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    rows = "".join(f"NA-{i},Customer {i},NA\n" for i in range(5000))
    path.write_bytes(("account_number,name,region\n" + rows).encode() + "NA-x,Société,NA\n".encode("latin-1"))
    with pytest.raises(UnreadableFile, match="line 5002"):
        run(engine, ImportKind.CUSTOMERS, path)
    assert count(engine, tables.CustomerRow) == 0


def test_missing_file(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="does not exist"):
        run(engine, ImportKind.CUSTOMERS, tmp_path / "nope.csv")
    with pytest.raises(UnreadableFile, match="holds none of"):
        folder_files(tmp_path)


@pytest.mark.parametrize(
    ("sample", "separator"),
    [
        ("account_number;name;region\nNA-1;Acme, Inc;NA\n", ";"),
        ('account_number,name,region\nNA-1,"Acme; Inc",NA\n', ","),
        ("Region ; Account Number\n", ";"),
        ("x;y\n1;2\n3;4\n", ";"),  # no known column: the sniffer decides
        ("lonely\n", ","),
    ],
)
def test_separator_detection(sample: str, separator: str) -> None:
    known = frozenset({"account_number", "name", "region"})
    assert detect_delimiter(sample, known) == separator


def test_order_moves_and_services_are_replaced(engine: Engine, tmp_path: Path) -> None:
    load_book(engine)
    path = tmp_path / "orders.csv"
    path.write_text("order_number,account_number,services,mrc,currency,ccd\nSO-1,NA-1001,MRS+VPN,1250,USD,2026-12-20\n")
    report = run(engine, ImportKind.ORDERS, path)
    assert report.files[0].updated == 1
    with read_session(engine) as session:
        order = session.exec(select(tables.OrderRow).where(tables.OrderRow.number == "SO-1")).one()
        kinds = session.exec(
            select(tables.OrderServiceRow.kind)
            .where(tables.OrderServiceRow.order_id == order.id)
            .order_by(col(tables.OrderServiceRow.id))
        ).all()
    # no status column: the order keeps its status
    assert kinds == ["MRS", "VPN"] and order.status == "installation_complete" and order.version == 2


def test_columns_a_file_lacks_keep_the_books_values(engine: Engine, tmp_path: Path) -> None:
    load_book(engine)
    customers = tmp_path / "customers.csv"
    customers.write_text("account_number,name,region\nNA-1001,Harbor Freight Lines Inc,NA\n")
    activations = tmp_path / "activations.csv"
    activations.write_text(
        "order_number,account_number,site_name,service,activation_start,activation_end,activation_status\n"
        "SO-1,NA-1001,Seattle HQ,MRS,2026-11-30T19:00,2026-11-30T22:00,confirmed\n"
    )
    assert run(engine, ImportKind.CUSTOMERS, customers).files[0].updated == 1
    assert run(engine, ImportKind.ACTIVATIONS, activations).files[0].updated == 1
    with read_session(engine) as session:
        harbor = session.exec(select(tables.CustomerRow).where(tables.CustomerRow.account_number == "NA-1001")).one()
        install = session.exec(
            select(tables.ActivationStepRow).where(
                tables.ActivationStepRow.kind == "installation", tables.ActivationStepRow.status == "confirmed"
            )
        ).one()
        mrs = session.get(tables.ActivationRow, install.activation_id)
    assert harbor.name == "Harbor Freight Lines Inc" and harbor.notes.startswith("Prefers calls")  # notes kept
    assert harbor.hours_per_month_minutes == 720 and "harbor freight lines inc" in harbor.search_text
    assert install.start_at == datetime(2026, 11, 23, 16, 0)  # no installation columns: the step is left alone
    assert mrs is not None and mrs.field_dispatch is True


def test_progress_is_told_each_batch_read_and_each_file_done(engine: Engine) -> None:
    heard: list[str] = []
    files = [(ImportKind.CUSTOMERS, FIXTURES / "book" / "customers.csv"), (ImportKind.ORDERS, FIXTURES / "book" / "orders.csv")]
    import_csv(engine, files, ImportMode.DRY_RUN, NOW, IMPORTER, batch_rows=2, progress=heard.append)
    assert heard == ["customers.csv: 2 rows", "customers.csv: 3 rows", "orders.csv: 2 rows", "orders.csv: 3 rows"]
