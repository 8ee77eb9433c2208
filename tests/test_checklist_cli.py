"""`ccm checklist ACTIVATION_ID [-o FILE]`: the customer's items as Markdown,
dates and times in the site's zone, formatted with babel for the locale."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from ccm_tui.__main__ import EXIT_FAILED, main
from ccm_tui.domain.checklist_views import UpcomingQuery, UpcomingRow
from ccm_tui.services import Services
from ccm_tui.text.checklist_markdown import checklist_markdown
from ccm_tui.text.formatting import Formatter

PINNED = {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York", "LANG": "en_US.UTF-8"}


def run(argv: list[str], **env: str) -> int:
    return main(argv, env={**PINNED, **env})


@pytest.fixture
def risky(demo_services: Services) -> UpcomingRow:
    """The demo's first activation at risk (its checklist has overdue customer items)."""
    row = demo_services.checklists.upcoming(UpcomingQuery(limit=1)).rows[0]
    assert row.readiness.at_risk
    return row


def db(services: Services) -> str:
    return str(services.engine.url.database)


def test_markdown_of_the_customers_items(demo_services: Services, risky: UpcomingRow, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", db(demo_services), "checklist", str(risky.activation_id)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    checklist = demo_services.checklists.checklist(risky.activation_id)
    assert out.startswith(f"# Activation checklist: {checklist.customer_name}, {checklist.site.name}\n")
    assert f", {checklist.site.timezone})." in out, "the site's zone is named"
    fmt = Formatter("en_US")
    event = checklist.activation.step(risky.step)
    assert event is not None and event.start is not None
    shown = fmt.time_in(event.start, checklist.site.timezone)
    assert shown.replace("\u202f", " ") in out, "times in the site's zone, with its abbreviation"
    assert re.search(r"\d:\d\d [AP]M ", out) and "\u202f" not in out and "\u00a0" not in out, "ASCII spaces: grep finds 7:00 PM"
    customer = [line for line in checklist.shown() if line.item.owner.value == "customer"]
    provider = [line for line in checklist.shown() if line.item.owner.value == "provider"]
    items = [line for line in out.splitlines() if line.startswith("- [")]
    assert len(items) == len(customer), "one line per customer item, none of the provider's"
    assert provider and not any(line.item.text.split(":")[0] in out for line in provider if line.item.text.startswith("Roll call"))
    overdue = next(line for line in customer if line.overdue)
    assert f"by {fmt.date_long(overdue.due)}" in out and "**overdue**" in out  # type: ignore[arg-type]
    assert checklist.technical_contact is not None and checklist.technical_contact.name in out
    assert "## After activation" not in out, "troubleshooting comes after activation only"


def test_written_to_a_file_0600(
    demo_services: Services, risky: UpcomingRow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "checklist.md"
    assert run(["--db", db(demo_services), "checklist", str(risky.activation_id), "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("# Activation checklist: ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_dates_follow_the_locale(
    demo_services: Services, risky: UpcomingRow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('locale = "de_DE"\n', encoding="utf-8")
    assert run(["--db", db(demo_services), "checklist", str(risky.activation_id)], CCM_CONFIG=str(config)) == 0
    out = capsys.readouterr().out
    assert "November 2026" in out and ("Freitag" in out or "Montag" in out or "Dienstag" in out)


def test_unknown_activation_is_one_line(demo_services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--db", db(demo_services), "checklist", "99999"]) == EXIT_FAILED
    out, err = capsys.readouterr()
    assert out == "" and err == "ccm: activation 99999 does not exist (set CCM_DEBUG=1 for details)\n"


def test_broken_user_template_warns_on_stderr(
    demo_services: Services, risky: UpcomingRow, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "ccm" / "checklists"
    folder.mkdir(parents=True)
    (folder / "vpn.toml").write_text("service = [\n", encoding="utf-8")
    assert run(["--db", db(demo_services), "checklist", str(risky.activation_id)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Activation checklist")
    assert err.startswith(f"ccm: warning: {folder / 'vpn.toml'}, line 1 (end of file): not valid TOML: invalid value;")
    assert err.endswith("the shipped template for VPN is used\n")


def test_markdown_escapes_what_markdown_would_read(demo_services: Services, risky: UpcomingRow) -> None:
    from dataclasses import replace

    checklist = demo_services.checklists.checklist(risky.activation_id)
    odd = replace(checklist, customer_name="Pipes | *Stars* [Ltd]")
    text = checklist_markdown(odd, Formatter("en_US"), demo_services.today(), "Alex Morgan")
    assert "Pipes \\| \\*Stars\\* \\[Ltd\\]" in text
    assert "Prepared by Alex Morgan on Friday, November 20, 2026." in text
