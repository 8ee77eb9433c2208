"""The one width at which every screen changes its layout.

From `WIDE` columns (a 120x40 terminal) tables show their secondary columns
and panels sit side by side; below it (80x24 over SSH) they stack or drop
those columns.
"""

from __future__ import annotations

WIDE = 110


def is_wide(width: int) -> bool:
    return width >= WIDE
