"""A cell fitted to its column as a no-wrap Rich Text would be: padded, or cut with "…" (a key cell without)."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from ccm_tui.widgets.line_cells import Cell, fit

RED = Style.parse("bold red")
YELLOW = Style.parse("bold yellow")


def rich_drawn(text: Text, width: int) -> list[tuple[str, Style | None]]:
    """What Rich draws for `text` in `width` cells, one (character, style) per cell."""
    console = Console(width=width, color_system="truecolor")
    line = console.render_lines(text, console.options.update_width(width).update(no_wrap=True), pad=True)[0]
    return [(ch, seg.style or None) for seg in line for ch in seg.text]


def drawn(cell: Cell, width: int) -> list[tuple[str, Style | None]]:
    return [(ch, style or None) for text, style in fit(cell, width) for ch in text]


@pytest.mark.parametrize("width", [3, 7, 8, 9, 12, 20])
def test_a_cell_of_styled_words_is_drawn_as_rich_draws_its_text(width: int) -> None:
    cell = Cell((("CCD ", RED), ("LATE", YELLOW)))
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("CCD ", RED)
    text.append("LATE", YELLOW)
    mine = drawn(cell, width)
    assert len(mine) == width
    assert [(ch, style and style.color) for ch, style in mine] == [
        (ch, style and style.color) for ch, style in rich_drawn(text, width)
    ]


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [("Harbor Logistics", 8, "Harbor …"), ("Zürich AG", 12, "Zürich AG   "), ("東京商事株式会社", 7, "東京商…")],
)
def test_a_cut_name_ends_in_an_ellipsis_and_wide_characters_count_twice(text: str, width: int, shown: str) -> None:
    assert "".join(t for t, _ in fit(Cell.plain(text), width)) == shown


def test_a_key_cell_is_cut_without_an_ellipsis_and_control_codes_never_reach_the_terminal() -> None:
    assert "".join(t for t, _ in fit(Cell.plain("AC-1234567", ellipsis=False), 6)) == "AC-123"
    assert Cell.plain("Evil\x1b[2JCo\nsecond line").text == "Evil[2JCo"
