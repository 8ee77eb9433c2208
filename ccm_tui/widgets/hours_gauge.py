"""HoursGauge: a month's customer-success hours against the package.

Reads in 16 colours or none: the bar is made of characters, and the level is
also said in words (near the limit, over by N h).
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ccm_tui.domain.hours import HoursLevel, HoursUsage
from ccm_tui.text.formatting import Formatter

BAR_WIDTH = 40


class HoursGauge(Widget):
    DEFAULT_CSS = """
    HoursGauge {
        height: auto;
        padding: 0 1 1 1;
    }
    """

    usage: reactive[HoursUsage | None] = reactive(None, layout=True)

    def __init__(self, formatter: Formatter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.formatter = formatter

    def render(self) -> Group | Text:
        usage = self.usage
        if usage is None:
            return Text("")
        fmt = self.formatter
        ratio = float(usage.used / usage.package) if usage.package else (1.0 if usage.used else 0.0)
        filled = min(BAR_WIDTH, round(ratio * BAR_WIDTH))
        style = {HoursLevel.OK: "green", HoursLevel.NEAR: "yellow", HoursLevel.OVER: "bold red"}[usage.level]
        bar = Text.assemble(("█" * filled, style), ("░" * (BAR_WIDTH - filled), "dim"), f" {ratio:.0%}")
        month = fmt.date(usage.month)
        headline = Text(
            f"Since {month}: {fmt.number(usage.used, 2)} h used of {fmt.number(usage.package, 0)} h, "
            f"{fmt.number(max(usage.left, Decimal(0)), 2)} h left"
        )
        if usage.level is HoursLevel.OVER:
            headline.append(f"  OVER the package by {fmt.number(-usage.left, 2)} h", style="bold red")
        elif usage.level is HoursLevel.NEAR:
            headline.append("  near the limit", style="bold yellow")
        lines = [headline, bar]
        for category, hours in sorted(usage.by_category.items(), key=lambda kv: -kv[1]):
            lines.append(Text(f"  {category.label:<24} {fmt.number(hours, 2):>6} h"))
        return Group(*lines)
