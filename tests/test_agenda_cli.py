"""`ccm agenda CUSTOMER`: the agenda as Markdown, readable as an e-mail.

Runs `main(argv, env)` in-process on a copy of a demo book built once for
the pinned day.
"""

from __future__ import annotations

import re
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ccm_tui.__main__ import EXIT_USAGE, main
from ccm_tui.clock import FixedClock, parse_pinned_now
from ccm_tui.config import Settings
from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.review_inputs import ActionInput, ReviewSetup
from ccm_tui.domain.reviews import ReviewCadence
from ccm_tui.services import BookLocation, Services, open_book
from ccm_tui.store import tables
from ccm_tui.store.engine import read_session

PINNED_NOW = "2026-11-20T15:30"
ZONE = "America/New_York"


@pytest.fixture
def book(demo_master: Path, tmp_path: Path) -> Path:
    """A copy of the session's demo book (tests/conftest.py), built for the same pinned day."""
    path = tmp_path / "book.sqlite"
    shutil.copy(demo_master, path)  # its engine is disposed: the WAL is in the file
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text(f'locale = "en_US"\ntime_zone = "{ZONE}"\nccm_name = "Alex Morgan"\n', encoding="utf-8")
    return {"CCM_NOW": PINNED_NOW, "CCM_CONFIG": str(config)}


def services_for(book: Path) -> Services:
    settings = Settings(locale="en_US", time_zone=ZONE, ccm_name="Alex Morgan")
    services, _ = open_book(BookLocation.file(book), settings, FixedClock(parse_pinned_now(PINNED_NOW, ZONE)))
    return services


def busy_customer(book: Path) -> tuple[int, str, str]:
    """(id, name, account) of the customer with the most incidents: an agenda with something to say."""
    services = services_for(book)
    with read_session(services.engine) as session:
        row = session.exec(
            select(tables.CustomerRow.id, tables.CustomerRow.name, tables.CustomerRow.account_number)
            .join(tables.IncidentRow, tables.IncidentRow.customer_id == tables.CustomerRow.id)
            .group_by(tables.CustomerRow.id)
            .order_by(func.count().desc(), tables.CustomerRow.id)
        ).first()
    services.engine.dispose()
    assert row is not None
    return row[0], row[1], row[2]


def reviews_in(book: Path) -> int:
    services = services_for(book)
    with read_session(services.engine) as session:
        count = session.exec(select(func.count()).select_from(tables.ServiceReviewRow)).one()
    services.engine.dispose()
    return count


def test_the_agenda_as_markdown(book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, name, account = busy_customer(book)
    before = reviews_in(book)
    assert main(["--db", str(book), "agenda", account.lower(), "--type", "quarterly"], env) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"# Quarterly review: {name} ({account})"
    assert "Date: Friday, November 20, 2026  " in lines
    assert any(line.startswith("Attendees: ") and "Alex Morgan (CCM)" in line for line in lines)
    sections = [line[3:] for line in lines if line.startswith("## ")]
    assert sections[:5] == [
        "Customer relationship management",
        "Incident and problem management",
        "Configuration management",
        "Service level management",
        "Finance",
    ]
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"(\d+)\. \*\*", line))]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered straight through the sections
    assert "    - Trend, incidents opened per month: " in out
    assert re.search(r"^    - \d+ incidents? opened since .*, 2026 or still open", out, re.M)
    assert "Review of the customer's firewall rules" in out  # the demo's busy customers are due
    assert out.rstrip().endswith("Prepared with ccm by Alex Morgan.")
    assert "\u202f" not in out and "\u00a0" not in out  # babel's no-break spaces are plain ones on the command line
    assert reviews_in(book) == before  # generating is not saving


def test_the_type_defaults_from_the_cadence_and_the_date_can_be_given(
    book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    customer_id, name, account = busy_customer(book)
    services = services_for(book)
    expected = services.agenda.suggested(customer_id)[0]
    services.engine.dispose()
    assert main(["--db", str(book), "agenda", account], env) == 0
    assert capsys.readouterr().out.startswith(
        f"# {'Quarterly review' if expected is ReviewKind.QUARTERLY else 'Monthly service review'}: {name}"
    )
    assert main(["--db", str(book), "agenda", account, "--type", "executive", "--date", "2026-11-24"], env) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# Executive review: {name}") and "Date: Tuesday, November 24, 2026" in out


def test_a_name_in_any_case_and_part(book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, name, _ = busy_customer(book)
    assert main(["--db", str(book), "agenda", name.upper()], env) == 0
    assert f": {name} (" in capsys.readouterr().out.splitlines()[0]


def test_an_ambiguous_name_lists_the_matches(book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(book), "agenda", "a"], env) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("ccm: 'a' matches ") and "give more of the name or the account number" in lines[0]
    assert len(lines) > 3 and all(re.match(r"  [A-Z]+-\d+ +\S", line) for line in lines[1:])


def test_an_unknown_customer_is_one_line(book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(book), "agenda", "no such customer"], env) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == "" and err == "ccm: no customer matches 'no such customer' (by account number or name)\n"


def test_a_bad_date_is_a_usage_error(book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(book), "agenda", "x", "--date", "20/11/2026"], env)
    assert exited.value.code == EXIT_USAGE
    assert "is not a date; use YYYY-MM-DD" in capsys.readouterr().err


def test_writes_a_private_file(book: Path, env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _name, account = busy_customer(book)
    target = tmp_path / "agenda.md"
    assert main(["--db", str(book), "agenda", account, "-o", str(target)], env) == 0
    assert capsys.readouterr().out.startswith(f"wrote {target} (")
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_held_review_is_written_as_it_stands(book: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    customer_id, _, account = busy_customer(book)
    services = services_for(book)
    review = services.agenda.prepare(customer_id, ReviewSetup(ReviewKind.MONTHLY, date(2026, 11, 20), ReviewCadence.MONTHLY))
    services.agenda.set_minutes(review.items[0].id, "Customer pleased with response times.\nAsked about SD-WAN.")
    services.agenda.add_action(review.id, ActionInput("Send the SD-WAN brochure", "Alex Morgan", date(2026, 11, 27)))
    services.agenda.set_attendees(review.id, ("Ann Lee (customer)", "Alex Morgan (CCM)"))
    services.agenda.complete(review.id, services.agenda.review(review.id).version)
    services.engine.dispose()
    assert main(["--db", str(book), "agenda", account, "--date", "2026-11-20"], env) == 0
    out = capsys.readouterr().out
    assert "Status: minutes of the review as held" in out
    assert "Attendees: Ann Lee (customer); Alex Morgan (CCM)" in out
    assert "    - Minutes: Customer pleased with response times.\n      Asked about SD-WAN." in out
    assert "## Action items" in out
    assert "- [ ] Send the SD-WAN brochure: Alex Morgan, due Nov 27, 2026" in out
