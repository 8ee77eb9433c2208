"""A table cell as styled pieces of text, and one cell fitted to its column as segments.

The row table (widgets/row_table.py) draws its lines itself, so a cell is
not a Rich renderable but the pieces a Rich `Text` would hold, drawn as
`Text(..., overflow="ellipsis", no_wrap=True)` would be in a column of that
width (control codes stripped, one line, cut with "…" or, for a key cell,
without), at a fraction of the cost of rendering a `Text` per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

Piece = tuple[str, Style | None]  # a run of text and its own style (None: the row's)
# Every control character but the newline (which ends what is shown) goes: none may reach the terminal.
_CONTROLS = dict.fromkeys([*range(0, 10), *range(11, 32), *range(127, 160)])


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its pieces, and whether a cut ends in "…" (a key cell is never cut: its column fits it)."""

    pieces: tuple[Piece, ...]
    ellipsis: bool = True

    @classmethod
    def plain(cls, text: str, style: Style | None = None, *, ellipsis: bool = True) -> Cell:
        # one line, as a height-1 DataTable cell showed it
        return cls(((text.split("\n", 1)[0].translate(_CONTROLS), style),), ellipsis)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


def fit(cell: Cell, width: int) -> list[Piece]:
    """The cell's pieces cut or padded to exactly `width` cells, as Rich cuts a no-wrap Text."""
    pieces = cell.pieces
    used = sum(cell_len(text) for text, _ in pieces)
    if used <= width:
        return [*pieces, (" " * (width - used), None)] if used < width else list(pieces)
    plain = cell.text
    if not cell.ellipsis:
        return _cut(pieces, set_cell_size(plain, width))
    kept = set_cell_size(plain, width - 1) if width > 0 else ""
    # The "…" takes the style of the character it replaces (Text.truncate keeps the spans over it).
    return [*_cut(pieces, kept), ("…", _style_at(pieces, len(kept)))] if width > 0 else []


def _cut(pieces: tuple[Piece, ...], kept: str) -> list[Piece]:
    """The pieces over the first len(kept) characters of their text, then what set_cell_size added."""
    out: list[Piece] = []
    left = len(kept)
    start = 0
    for text, style in pieces:
        if left <= 0:
            break
        out.append((kept[start : start + min(left, len(text))], style))
        start += len(text)
        left -= len(text)
    return out


def _style_at(pieces: tuple[Piece, ...], index: int) -> Style | None:
    for text, style in pieces:
        if index < len(text):
            return style
        index -= len(text)
    return pieces[-1][1] if pieces else None


def cell_segments(pieces: list[Piece], pre: Style, post: Style, padding: int) -> list[Segment]:
    """One cell's segments: the row's style under each piece's own, the cursor's colours over them."""
    pad = pre + post
    edge = Segment(" " * padding, pad)
    return [edge, *(Segment(text, pre + style + post if style else pad) for text, style in pieces if text), edge]
