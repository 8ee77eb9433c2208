"""Exports escape what users typed: one place, `markdown_escape`,
used by the agenda and the checklist Markdown; rendered, user text is only ever text.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ccm_tui.domain.model import ReviewKind
from ccm_tui.domain.service_review import (
    ActionItem,
    AgendaItem,
    ReviewStatus,
    ServiceReview,
)
from ccm_tui.domain.spreadsheet import neutralise, restore
from ccm_tui.text.agenda_text import review_markdown
from ccm_tui.text.formatting import Formatter
from ccm_tui.text.markdown_escape import inline, lines, plain, plain_line

RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ESC = "\x1b"
TAGS = re.compile(r"<(?!/?p>)[^>]*>")  # any tag but the paragraph's own


def rendered_text(markdown: str) -> str:
    out = RENDER.render(markdown)
    assert TAGS.findall(out) == [], out
    return html.unescape(re.sub(r"</?p>", "", out)).strip()


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Acme <b>Corp</b>", r"Acme \<b\>Corp\</b\>"),
        ("[click](javascript:alert(1))", r"\[click\](javascript\:alert(1))"),
        ("<JavaScript:alert(1)>", r"\<JavaScript\:alert(1)\>"),
        ("see data:text/html;base64,xyz", r"see data\:text/html;base64,xyz"),
        ("Customer data: fine", "Customer data: fine"),  # only a script-y scheme is touched
        ("# Heading", r"\# Heading"),
        ("line one\n# injected heading", r"line one # injected heading"),
        ("- item", r"\- item"),
        ("1. item", r"1\. item"),
        ("04.11.26 and +1 555 0100", "04.11.26 and +1 555 0100"),  # not markers: left readable
        ("a | b", r"a \| b"),
        ("*bold* _it_ `code` ~~gone~~", r"\*bold\* \_it\_ \`code\` \~\~gone\~\~"),
        ("&lt;script&gt; AT&T", r"\&lt;script\&gt; AT&T"),
        (f"{ESC}[31mred{ESC}[0m{ESC}]0;pwned\x07 text", "red text"),
        ("bell\x07 nul\x00 del\x7f c1\x9b2J", "bell nul del c1"),
        ("tab\there\r\nand\u2028more", "tab here and more"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("  spaced  ", "spaced"),
    ],
)
def test_inline_escaping(typed: str, shown: str) -> None:
    assert inline(typed) == shown


def test_lines_keep_the_users_lines_but_none_starts_a_block() -> None:
    typed = "first\n    indented code?\n# heading\n\n- item\n===\n> quote\n```\n2) two"
    assert lines(typed) == [
        "first",
        "indented code?",
        r"\# heading",
        "",
        r"\- item",
        r"\===",
        r"\> quote",
        r"\`\`\`",
        r"2\) two",
    ]


@given(st.text(max_size=60))
def test_rendered_inline_text_is_exactly_what_was_typed(typed: str) -> None:
    shown = inline(typed)
    assert "\n" not in shown and not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in shown)
    assert rendered_text(shown) == plain_line(typed)


@given(st.text(alphabet=st.sampled_from("ab #-=*_>`<|&;1.)\n\t[]()!:~\\"), max_size=40))
def test_rendered_markdown_specials_stay_text(typed: str) -> None:
    assert rendered_text(inline(typed)) == plain_line(typed)


def test_plain_keeps_lines_and_drops_terminal_codes() -> None:
    assert plain(f"a{ESC}[2Jb\nc{ESC}Pdcs{ESC}\\d") == "ab\ncd"


# -- in the exported documents -------------------------------------------------------------------


def _review() -> ServiceReview:
    item = AgendaItem(
        id=1,
        review_id=1,
        position=1,
        section="Activations\n# Injected section",
        text="[Open](javascript:alert(1))",
        details=("Site <script>", "1. not a list"),
        minutes=f"Agreed.\n# Not a heading\n- not an item\n{ESC}]0;title\x07done",
    )
    action = ActionItem(id=1, review_id=1, text="Call *now*\n## Later", owner="Sam | Ops")
    return ServiceReview(
        id=1,
        customer_id=1,
        customer_name=f"<img src=x onerror=alert(1)>{ESC}[2J",
        account_number="NA-1",
        kind=ReviewKind.MONTHLY,
        held_on=date(2026, 11, 20),
        status=ReviewStatus.DRAFT,
        attendees=("Ann\n# Boss", "Bob <bob@x.com>"),
        items=(item,),
        actions=(action,),
    )


def test_the_agenda_markdown_has_no_user_made_structure() -> None:
    text = review_markdown(_review(), Formatter("en_US"), "Alex\n# Me")

    assert ESC not in text and "\x07" not in text
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        r"# Monthly service review: \<img src=x onerror=alert(1)\> (NA-1)",
        "## Activations # Injected section",  # mid-line, a # is only a character
        "## Action items",
    ]
    assert "    - Minutes: Agreed." in text and r"      \# Not a heading" in text and r"      \- not an item" in text
    out = RENDER.render(text)
    assert (out.count("<h1>"), out.count("<h2>"), out.count("<li>")) == (1, 2, 5)  # item, 2 details + minutes, action
    assert "<img" not in out and "<script" not in out and "<a " not in out
    assert "href" not in out  # javascript: is only text when rendered...
    assert r"(javascript\:alert(1))" in text  # ...and broken as a scheme unrendered


def test_the_checklist_markdown_escapes_newlines_and_control_characters() -> None:
    from ccm_tui.text.checklist_markdown import inline as used

    assert used is inline  # one place: the checklist uses the same escaping
    assert inline("Rack 4\n| injected | row |\x1b[5m") == r"Rack 4 \| injected \| row \|"


# -- CSV: full-width formula starts --------------------------------------------------------------


@pytest.mark.parametrize("cell", ["\uff1dSUM(A1:A9)", "\uff0b1 555", "\uff0d5", "\uff20cmd", "'\uff1dx"])
def test_full_width_formula_starts_are_neutralised(cell: str) -> None:
    written = neutralise(cell)
    assert written == "'" + cell
    assert restore(written) == cell


def test_other_full_width_text_is_left_alone() -> None:
    assert neutralise("\uff21cme") == "\uff21cme"  # full-width A


# -- the terminal: `ccm oncall` prints names as text ---------------------------------------------


def test_oncall_prints_no_terminal_codes_from_the_book(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from ccm_tui.__main__ import main
    from ccm_tui.book_location import BookLocation
    from ccm_tui.clock import FixedClock
    from ccm_tui.config import Settings
    from ccm_tui.services import open_book
    from tests.store.calendar_book import Book, event, local

    path = tmp_path / "book.sqlite"
    services, _ = open_book(
        BookLocation.file(path), Settings(time_zone="America/New_York"), FixedClock(datetime(2026, 11, 20, 20, 30, tzinfo=UTC))
    )
    event(Book(services.engine), local("America/New_York", "2026-11-20T19:00"), name=f"Acme{ESC}]0;owned\x07{ESC}[2J Corp")
    services.engine.dispose()

    assert main(["--db", str(path), "oncall"], {"CCM_NOW": "2026-11-20T15:30", "TZ": "America/New_York"}) == 0
    out = capsys.readouterr().out
    assert "Acme Corp" in out and ESC not in out and "\x07" not in out
