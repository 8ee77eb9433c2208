"""Plain text for the command line: what grep, a pager and an e-mail see.

babel writes CLDR's spacing: a NARROW NO-BREAK SPACE (U+202F) before AM/PM
("7:00\u202fPM") and NO-BREAK SPACEs in some locales' numbers and amounts.
On screen they keep a time on one line; in a terminal's output they defeat
`grep "7:00 PM"`. Every plain output passes through `ascii_spaces` once, at
the end, so no renderer has to remember.
"""

from __future__ import annotations

import re

# U+00A0 NO-BREAK SPACE, U+2007 FIGURE SPACE, U+202F NARROW NO-BREAK SPACE: the spaces CLDR data uses.
# A regular expression, not str.translate: translate looks up every character in Python (0.4 s for
# `ccm events`' month of lines), the expression scans in C.
_SPACES = re.compile("[\u00a0\u2007\u202f]")


def ascii_spaces(text: str) -> str:
    """`text` with every no-break space as an ordinary space."""
    return _SPACES.sub(" ", text)
