"""AgendaList: a review's agenda as sections of numbered items, each with
the facts filled in under it and, once written, its minutes.

Section headings are disabled options, so the cursor moves from item to
item. Without colour the parts still read apart: facts start with "·",
minutes with "Minutes:".
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ccm_tui.domain.service_review import AgendaItem, ServiceReview
from ccm_tui.text.agenda_text import NOTHING_TO_REPORT


class AgendaList(OptionList):
    HELP_NAME: ClassVar[str] = "agenda items"  # the `?` help's "Where" for its keys

    DEFAULT_CSS = """
    AgendaList, AgendaList:focus {
        height: 1fr;
        border: none;
        padding: 0;
    }
    AgendaList > .option-list--option-disabled {
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.review: ServiceReview | None = None
        self._items: dict[str, AgendaItem] = {}

    def show(self, review: ServiceReview, meeting: bool, keep: int | None = None) -> None:
        """Fill the list; the cursor stays on item `keep` (or the current one) if it is still there."""
        shown = self.current_item()
        current = keep if keep is not None else (shown.id if shown else None)
        self.review = review
        self._items = {str(item.id): item for item in review.items}
        options: list[Option] = []
        number = 0
        for section, items in review.sections():
            options.append(Option(Text(f"── {section} ", style="bold"), disabled=True))
            for item in items:
                number += 1
                options.append(Option(_prompt(number, item), id=str(item.id)))
        if not review.items:
            options.append(Option(Text("No items: a adds one", style="dim"), disabled=True))
        self.clear_options()
        self.add_options(options)
        target = str(current) if current is not None and str(current) in self._items else None
        if target is not None:
            self.highlighted = self.get_option_index(target)
        elif review.items:
            self.highlighted = self.get_option_index(str(review.items[0].id))

    def current_item(self) -> AgendaItem | None:
        if self.highlighted is None or not self._items:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._items.get(option.id or "")


def _prompt(number: int, item: AgendaItem) -> Table:
    """The item in a grid, so wrapped lines stay under their text, not under the number."""
    title = Text(item.text)
    if not item.key:
        title.append("  (added)", style="dim")
    parts: list[RenderableType] = [title]
    if item.details:
        facts = Table.grid(padding=(0, 1, 0, 0))
        facts.add_column(width=1, no_wrap=True)
        facts.add_column(ratio=1)
        for line in item.details:
            facts.add_row("·", Text(line, style="dim" if line == NOTHING_TO_REPORT else ""))
        parts.append(facts)
    minutes = item.minutes.strip()
    if minutes:
        parts.append(Text.assemble(("Minutes: ", "bold"), (minutes, "italic")))
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=3, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{number}.", style="bold"), Group(*parts))
    return grid
