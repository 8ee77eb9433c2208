"""What users typed, made safe to put in Markdown or on a terminal: the one place for it.

The agenda and the checklist are Markdown that is pasted into e-mails, read
unrendered or rendered, and printed to terminals. A name or a minute typed
into ccm must show as the text it is: no HTML tags, no links (least of all
`javascript:` ones), no headings or list items started by a newline, no
table cells broken by a pipe, and no terminal escape codes that recolour,
retitle or rewrite the screen of whoever `cat`s the file.
"""

from __future__ import annotations

import re
import unicodedata

# ECMA-48 sequences a terminal acts on: CSI (colours, cursor moves), OSC
# (window titles, hyperlinks), DCS/SOS/PM/APC strings, and two-byte escapes.
_TERMINAL_SEQUENCE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]
    | \x9b[0-?]*[ -/]*[@-~]
    | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?
    | \x1b[ -~]?
    """,
    re.VERBOSE,
)
_NEWLINES = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Invisible characters that reorder how a line reads (bidirectional overrides and isolates).
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

# Escaped wherever they are: emphasis, code, links and images, HTML and
# autolinks, table cells, strikethrough, and the escape character itself.
_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
# An entity (`&lt;`, `&#60;`) would be shown as the character it names, not as typed.
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Links a renderer would follow to run something.
_SCRIPT_SCHEMES = re.compile(r"\b(javascript|vbscript|livescript|data(?=:\s*\w+/))(\s*):", re.IGNORECASE)
# What makes a line a heading, a list item, a quote or a rule, at its start.
_LINE_STARTS = (
    re.compile(r"^(#{1,6})(?=\s|$)"),  # ATX heading
    re.compile(r"^([-+])(?=\s|$)"),  # bullet (`*` is escaped everywhere)
    re.compile(r"^(\d{1,9})([.)])(?=\s|$)"),  # ordered list item
    re.compile(r"^([-=])(?=[-=\s]*$)"),  # setext underline or thematic break
)


def plain(text: str) -> str:
    """`text` without terminal escape codes or control characters; lines kept, tabs made spaces."""
    text = _TERMINAL_SEQUENCE.sub("", text)
    text = _NEWLINES.sub("\n", text).replace("\t", " ").translate(_BIDI)
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


def plain_line(text: str) -> str:
    """`text` as one line of plain text (for a terminal): its line breaks become spaces."""
    return " ".join(part.strip() for part in plain(text).split("\n") if part.strip())


def inline(text: str) -> str:
    """User text as literal Markdown on one line (a table cell, a list item, a heading)."""
    return _escape_line(plain_line(text))


def lines(text: str) -> list[str]:
    """Multi-line user text (minutes, notes) as literal Markdown lines, blank lines kept.

    Each line is trimmed on the left: indentation would make code blocks,
    and a line's start is where headings and list items begin.
    """
    return [_escape_line(line.strip()) for line in plain(text).strip().split("\n")]


def _escape_line(line: str) -> str:
    line = _SPECIALS.sub(r"\\\1", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _SCRIPT_SCHEMES.sub(r"\1\2\\:", line)
    for pattern in _LINE_STARTS:
        if match := pattern.match(line):
            at = match.start(match.lastindex or 1)  # before the marker: `#`, `-`, or the `.` of `1.`
            return f"{line[:at]}\\{line[at:]}"
    return line
