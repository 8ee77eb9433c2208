"""Imports that bring bad values, CR-only files, subdivisions and zone doubts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from ccm_tui.domain.import_report import ImportReport
from ccm_tui.domain.imports import ImportKind, ImportMode
from ccm_tui.domain.people import Person
from ccm_tui.store import tables
from ccm_tui.store.csv_files import CsvFile, UnreadableFile, detect_delimiter
from ccm_tui.store.engine import read_session
from ccm_tui.store.imports import folder_files, import_csv

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
NOW = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # 15:30 in New York
IMPORTER = Person(login="alex", name="Alex Morgan")
ALL = ImportMode.ALL_OR_NOTHING


def run(engine: Engine, kind: ImportKind, path: Path, mode: ImportMode = ALL) -> ImportReport:
    return import_csv(engine, [(kind, path)], mode, NOW, IMPORTER)


def load_book(engine: Engine) -> None:
    report = import_csv(engine, folder_files(FIXTURES / "book"), ALL, NOW, IMPORTER)
    assert report.ok and report.written, report


def write(path: Path, text: str, newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def problems(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for f in report.files for p in f.problems]


# -- item 10: classic Mac line endings ------------------------------------------------------------


def test_a_cr_only_file_reads_with_its_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mac.csv",
        'account_number;name;region\nNA-7;Seven;NA\nNA-8;"Eight, with\nnotes";NA\n\nNA-9;Nine;NA\n',
        newline="\r",
    )
    with CsvFile(path, frozenset({"account_number", "name", "region"})) as source:
        assert source.delimiter == ";"
        assert list(source.records()) == [
            (1, ["account_number", "name", "region"]),
            (2, ["NA-7", "Seven", "NA"]),
            (3, ["NA-8", "Eight, with\rnotes", "NA"]),  # a quoted line break, still one record
            (6, ["NA-9", "Nine", "NA"]),  # after the blank line 5
        ]


def test_a_cr_only_file_imports(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "mac.csv", 'account_number,name,region,notes\nNA-7,Seven,NA,"one\ntwo"\n', newline="\r")
    report = run(engine, ImportKind.CUSTOMERS, path)
    assert report.ok and report.total("created") == 1, problems(report)
    with read_session(engine) as session:
        assert session.exec(select(tables.CustomerRow.notes)).one() == "one\ntwo"


def test_the_delimiter_is_found_on_the_first_line_of_a_cr_only_sample() -> None:
    known = frozenset({"account_number", "name", "region"})
    assert detect_delimiter("account_number;name;region\rNA-1;A, B;NA\r", known) == ";"
    assert detect_delimiter("a;b\rc;d\re;f\r", frozenset()) == ";"  # no known names: the sniffer, on lines


def test_a_cr_only_file_that_is_not_utf8_names_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"account_number,name,region\rNA-1,A,NA\rNA-2,Caf\xe9,NA\r")
    with pytest.raises(UnreadableFile, match=r"byte 0xE9 at line 3"):
        CsvFile(path, frozenset())


def test_crlf_counts_one_line_per_line_end(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"account_number,name,region\r\nNA-1,A,NA\r\nNA-2,Caf\xe9,NA\r\n")
    with pytest.raises(UnreadableFile, match=r"byte 0xE9 at line 3"):
        CsvFile(path, frozenset())


# -- item 7: bad values stop at their line, nothing is written -------------------------------------


def test_names_with_control_characters_are_refused_at_their_line(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.csv",
        'account_number,name,region\nNA-1,Good,NA\nNA-2,Bad\x1b[31mName,NA\nNA-3,Nul\x00,NA\nNA-4,"Two\nlines",NA\n',
    )
    report = run(engine, ImportKind.CUSTOMERS, path)
    assert not report.written
    assert [(line, column) for line, column, _ in problems(report)] == [(3, "name"), (4, "name"), (5, "name")]
    assert "ESC" in problems(report)[0][2] and "NUL" in problems(report)[1][2] and "line break" in problems(report)[2][2]


def test_traffic_in_the_future_is_refused_by_the_importers_clock(engine: Engine, tmp_path: Path) -> None:
    load_book(engine)
    path = write(
        tmp_path / "a.csv",
        "order_number,account_number,site_name,service,activation_start,activation_end,activation_status,traffic_passed_at\n"
        # Stockholm is six hours ahead of New York: 21:29 there has passed at 15:30 New York, 21:31 has not
        "SO-2,EU-2002,Head office,VPN,2026-10-27T09:00,2026-10-27T11:00,completed,2026-11-20T21:31\n",
    )
    report = run(engine, ImportKind.ACTIVATIONS, path)
    assert problems(report) == [
        (2, "traffic_passed_at", "traffic_passed_at: that is in the future; record traffic once it has passed")
    ]
    path.write_text(path.read_text().replace("21:31", "21:29"))
    assert run(engine, ImportKind.ACTIVATIONS, path).ok


# -- item 4: the subdivision column -----------------------------------------------------------------


def test_sites_get_a_subdivision_and_a_file_without_the_column_keeps_it(engine: Engine, tmp_path: Path) -> None:
    load_book(engine)
    with_column = write(
        tmp_path / "s.csv",
        "account_number,site_name,country,subdivision,timezone\nNA-1001,Seattle HQ,US,wa,America/Los_Angeles\n",
    )
    assert run(engine, ImportKind.SITES, with_column).total("updated") == 1
    without = write(
        tmp_path / "old.csv", "account_number,site_name,country,timezone,city\nNA-1001,Seattle HQ,US,America/Los_Angeles,Tukwila\n"
    )
    assert run(engine, ImportKind.SITES, without).total("updated") == 1
    with read_session(engine) as session:
        site = session.exec(select(tables.SiteRow).where(tables.SiteRow.name == "Seattle HQ")).one()
    assert (site.subdivision, site.city) == ("US-WA", "Tukwila")
    blank = write(
        tmp_path / "blank.csv",
        "account_number,site_name,country,subdivision,timezone\nNA-1001,Seattle HQ,US,,America/Los_Angeles\n",
    )
    assert run(engine, ImportKind.SITES, blank).total("updated") == 1  # a blank cell is a blank value
    with read_session(engine) as session:
        assert session.exec(select(tables.SiteRow.subdivision).where(tables.SiteRow.name == "Seattle HQ")).one() == ""


# -- item 6: a zone of another country is a warning, and the row is imported ---------------------------


def test_a_zone_of_another_country_is_imported_with_a_warning(engine: Engine, tmp_path: Path) -> None:
    load_book(engine)
    path = write(
        tmp_path / "s.csv",
        "account_number,site_name,country,timezone\nEU-2002,London office,GB,Europe/London\nEU-2002,Boston lab,GB,America/New_York\n",
    )
    report = run(engine, ImportKind.SITES, path)
    assert report.ok and report.written and report.total("created") == 2
    [file] = report.files
    assert [(w.line, w.column, w.value) for w in file.warnings] == [(3, "timezone", "America/New_York")]
    assert "America/New_York is a time zone of US, not GB" in file.warnings[0].message
