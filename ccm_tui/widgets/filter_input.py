"""FilterInput: a `/` filter box that keeps at most QUERY_LIMIT characters.

A filter is a few words of a name, account or city. Pasting a page of text
(50,000 characters once ended the app: SQLite refuses a LIKE pattern that
long) keeps the first QUERY_LIMIT characters and says so; the store cuts
any query to the same bound (`domain.search_text.query_text`), so a caller that
bypasses this box is safe too.
"""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Input

from ccm_tui.domain.search_text import QUERY_LIMIT

CUT_NOTE = f"Filter cut to the first {QUERY_LIMIT} characters."


class FilterInput(Input):
    """An Input whose value never grows past QUERY_LIMIT characters; a cut is notified."""

    HELP_NAME: ClassVar[str] = "filter box"  # the `?` help's "Where" for its keys

    def validate_value(self, value: str) -> str:
        # Every way in (typing, pasting, code setting `value`) passes here.
        if len(value) <= QUERY_LIMIT:
            return value
        if self.is_attached:
            self.notify(CUT_NOTE, title="Filter", severity="warning")
        return value[:QUERY_LIMIT]
