"""A team book on PostgreSQL: `ccm team`, and the roles enforced by the database's grants.

Each test makes its own database and its own member and on-call logins,
connects as them for real, and drops the database and the logins after,
whatever happened. Without a server the tests are skipped with one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, time, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import errors, sql

from ccm_tui.__main__ import main
from ccm_tui.book_location import BookLocation
from ccm_tui.clock import FixedClock
from ccm_tui.config import Settings
from ccm_tui.domain.people import Role
from ccm_tui.domain.status import Action
from ccm_tui.errors import ReadOnlyBook
from ccm_tui.services import Services, open_book
from ccm_tui.services.people import add_history_note
from tests import postgres_books
from tests.book_edits import rename_first

EXAMPLE_BOOK = Path(__file__).resolve().parents[2] / "data" / "example-book"
INSUFFICIENT_PRIVILEGE = "42501"
READ_ONLY_TRANSACTION = "25006"


@dataclass(frozen=True)
class Team:
    database: str
    member: str
    oncall: str
    env: dict[str, str]

    def url(self, login: str | None = None) -> str:
        url = postgres_books.book_url(self.database)
        if login is None:
            return url
        scheme, rest = url.split("://", 1)
        return f"{scheme}://{login}@{rest.split('@', 1)[-1]}"

    def dsn(self, login: str) -> str:
        params = psycopg.conninfo.conninfo_to_dict(postgres_books.server_dsn())
        params.update(user=login, dbname=self.database)
        return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v is not None})

    def ccm(self, *args: str, login: str | None = None) -> int:
        return main(["--db", self.url(login), *args], self.env)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    if reason := postgres_books.probe():
        pytest.skip(reason)
    member, oncall = postgres_books.unique_name("ccm_m"), postgres_books.unique_name("ccm_o")
    config = tmp_path / "config.toml"
    config.write_text('ccm_name = "Lee Lead"\n', encoding="utf-8")
    env = {"CCM_CONFIG": str(config), "CCM_NOW": "2026-11-20T15:30", "TZ": "UTC"}
    try:
        with postgres_books.scratch_database("ccm_team") as database:
            team = Team(database, member, oncall, env)
            assert main(["team", "init", team.url()], env) == 0
            assert team.ccm("team", "add", member, "--name", "Mia Member", "--role", "member") == 0
            assert team.ccm("team", "add", oncall, "--name", "Olly Night", "--role", "oncall") == 0
            assert team.ccm("import", "all", str(EXAMPLE_BOOK)) == 0
            yield team
    finally:
        with psycopg.connect(postgres_books.server_dsn(), autocommit=True) as admin:
            for login in (member, oncall):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def session_as(team: Team, login: str, settings: Settings, clock: FixedClock) -> Services:
    services, _ = open_book(BookLocation.parse(team.url(login)), settings, clock)
    return services


def test_team_init_is_idempotent_and_lists_the_team(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["team", "init", team.url()], team.env) == 0  # a second time changes nothing
    capsys.readouterr()
    assert team.ccm("team", "list") == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [team.member, "Mia", "Member", "member"] in lines
    assert [team.oncall, "Olly", "Night", "on-call"] in lines


def test_team_commands_on_a_sqlite_book_say_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(tmp_path / "book.sqlite"), "team", "list"], {"CCM_CONFIG": str(tmp_path / "none.toml")})
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and "a team book needs PostgreSQL" in err[0]
    assert not (tmp_path / "book.sqlite").exists()


def test_a_member_edits_but_cannot_rewrite_the_change_log(team: Team, settings: Settings, clock: FixedClock) -> None:
    services = session_as(team, team.member, settings, clock)
    assert (services.actor.login, services.actor.name, services.actor.role) == (team.member, "Mia Member", Role.MEMBER)
    assert not services.access.read_only
    rename_first(services)
    services.engine.dispose()
    with psycopg.connect(team.dsn(team.member), autocommit=True) as connection:
        for statement in ("UPDATE change_log SET reason = 'x'", "DELETE FROM change_log", "UPDATE person SET name = 'x'"):
            with pytest.raises(errors.InsufficientPrivilege):
                connection.execute(statement)


def test_on_call_records_a_no_show_and_a_note_and_nothing_else(team: Team, settings: Settings) -> None:
    with psycopg.connect(team.dsn(team.oncall)) as connection:
        step_id, start, version = connection.execute(
            "SELECT id, start_at, version FROM activation_step WHERE status = 'validated' ORDER BY start_at, id LIMIT 1"
        ).fetchone()  # type: ignore[misc]  # the example book has validated steps
    after_it = FixedClock(start.replace(tzinfo=UTC) + timedelta(hours=2))
    services = session_as(team, team.oncall, settings, after_it)
    assert services.actor.role is Role.ONCALL and services.access.label == "read-only: on-call"

    with pytest.raises(ReadOnlyBook, match=r"^read-only: on-call$") as refused:
        rename_first(services)
    assert getattr(refused.value.__cause__, "orig", None).sqlstate == INSUFFICIENT_PRIVILEGE  # type: ignore[union-attr]

    services.calendar.move(step_id, version, Action.NO_SHOW)
    add_history_note(services, step_id, "Technician never arrived; provider called at 02:10")
    services.engine.dispose()
    with psycopg.connect(team.dsn(team.oncall)) as connection:
        assert connection.execute("SELECT status FROM activation_step WHERE id = %s", (step_id,)).fetchone() == ("no_show",)
        history = connection.execute(
            "SELECT action, who FROM activation_change WHERE activation_id = "
            "(SELECT activation_id FROM activation_step WHERE id = %s) ORDER BY id DESC LIMIT 2",
            (step_id,),
        ).fetchall()
        assert history == [("note", "Olly Night"), ("no_show", "Olly Night")]
        for statement in ("UPDATE change_log SET reason = 'x'", "DELETE FROM change_log", "UPDATE activation_step SET kind = 'x'"):
            with pytest.raises(errors.InsufficientPrivilege):
                connection.execute(statement)
            connection.rollback()


def test_import_as_on_call_is_refused_in_one_line(team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = tmp_path / "customers.csv"  # an import that would really write: one customer renamed
    text = (EXAMPLE_BOOK / "customers.csv").read_text(encoding="utf-8-sig")
    changed.write_text(text.replace("Pacific Analytics Pty Ltd", "Pacific Analytics Ltd"), encoding="utf-8")
    capsys.readouterr()
    code = team.ccm("import", "customers", str(changed), login=team.oncall)
    assert code != 0
    assert capsys.readouterr().err.strip().splitlines() == ["ccm: read-only: on-call"]
    with psycopg.connect(team.dsn(team.oncall)) as connection:
        names = connection.execute("SELECT name FROM customer WHERE account_number = 'APAC-53008'").fetchall()
    assert names == [("Pacific Analytics Pty Ltd",)]


def test_read_only_flag_on_postgresql_refuses_a_member_s_edit(team: Team, settings: Settings, clock: FixedClock) -> None:
    book = replace(BookLocation.parse(team.url(team.member)), read_only=True)
    services, _ = open_book(book, settings, clock)
    assert services.actor.role is Role.MEMBER and services.access.label == "read-only"
    with pytest.raises(ReadOnlyBook, match=r"^read-only$") as refused:
        rename_first(services)
    assert getattr(refused.value.__cause__, "orig", None).sqlstate == READ_ONLY_TRANSACTION  # type: ignore[union-attr]
    services.engine.dispose()


def test_the_team_book_holds_its_business_hours_whatever_each_config_says(
    team: Team, settings: Settings, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The lead's config (the fixture's) says nothing: the default day went in at init.
    night_owl = replace(settings, business_start=time(6, 0), business_end=time(22, 0))
    member = session_as(team, team.member, night_owl, clock)
    assert (member.business_hours.start, member.business_hours.end) == (time(8, 0), time(17, 0))
    member.engine.dispose()
    # The lead changes the team's day: init again with the new hours in the lead's config.
    config = tmp_path / "lead.toml"
    config.write_text('ccm_name = "Lee Lead"\nbusiness_start = 09:00:00\nbusiness_end = 18:00:00\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["team", "init", team.url()], {**team.env, "CCM_CONFIG": str(config)}) == 0
    assert "business hours 09:00-18:00" in capsys.readouterr().out
    member = session_as(team, team.member, night_owl, clock)
    assert (member.business_hours.start, member.business_hours.end) == (time(9, 0), time(18, 0))
    member.engine.dispose()
