"""BurnDown: this month's customer-success hours against the package, where
the current pace ends the month, by category, and the months before.

Readable without colour: the bar is characters (█ used, ▒ still to come at
this pace, │ the package's limit) and every level is also said in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_percent
from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ccm_tui.domain.hours import BurnDown, HoursLevel, HoursUsage
from ccm_tui.text.formatting import Formatter

MAX_WIDTH = 44  # a wider bar says no more and pushes the figures apart
_STYLE = {HoursLevel.OK: "", HoursLevel.NEAR: "bold yellow", HoursLevel.OVER: "bold red"}


@dataclass(frozen=True)
class BurnDownData:
    burn: BurnDown
    earlier: tuple[HoursUsage, ...] = ()


def burn_bar(burn: BurnDown, width: int) -> str:
    """█ used, ▒ the rest of the pace, ░ unused, │ where the package ends."""
    usage = burn.usage
    projected = usage.used if burn.projected is None else burn.projected  # no pace judged: nothing still to come
    scale = max(usage.package, projected, usage.used, Decimal("0.01"))
    used = min(width, round(float(usage.used / scale) * width))
    paced = min(width, max(used, round(float(projected / scale) * width)))
    cells = ["█"] * used + ["▒"] * (paced - used) + ["░"] * (width - paced)
    if usage.package > 0:
        limit = min(width - 1, max(0, round(float(usage.package / scale) * width) - 1))
        cells[limit] = "│"
    return "".join(cells)


def summary_line(burn: BurnDown, fmt: Formatter) -> tuple[str, HoursLevel]:
    """One line for narrow screens: '7 of 24 h, 17 left, pace 10.5 h' (in the month's first week: 'too early for a pace')."""
    usage = burn.usage
    text = f"{fmt.number(usage.used, 2)} of {fmt.number(usage.package, 2)} h"
    if usage.level is HoursLevel.OVER:
        return f"{text}, OVER by {fmt.number(-usage.left, 2)} h", HoursLevel.OVER
    text += f", {fmt.number(usage.left, 2)} left"
    if burn.projected is not None:
        text += f", pace {fmt.number(burn.projected, 2)} h"
        if burn.projected_level is HoursLevel.OVER:
            text += " OVER"
    elif burn.too_early:
        text += ", too early for a pace"
    level = max(usage.level, burn.projected_level, key=list(HoursLevel).index)
    return text, level


class BurnDownPanel(Widget):
    DEFAULT_CSS = """
    BurnDownPanel {
        height: auto;
        padding: 0 1;
    }
    """

    data: reactive[BurnDownData | None] = reactive(None, layout=True)

    def __init__(self, formatter: Formatter, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.formatter = formatter

    def render(self) -> Group | Text:
        data = self.data
        if data is None:
            return Text("")
        return Group(*self.lines(data, min(MAX_WIDTH, max(10, self.size.width - 2))))

    def lines(self, data: BurnDownData, width: int) -> Sequence[Text]:
        fmt = self.formatter
        burn, usage = data.burn, data.burn.usage
        month = format_date(usage.month, "LLLL y", locale=fmt.locale)

        def row(label: str, value: str, note: str = "", style: str = "") -> Text:
            return Text.assemble(f"{label:<10}", (f"{value:>10}", "bold"), " ", (note, style))

        out = [Text(f"Hours, {month}", style="bold underline")]
        share = f"({format_percent(usage.used / usage.package, locale=fmt.locale)})" if usage.package else ""
        out.append(row("Used", f"{fmt.number(usage.used, 2)} h", f"of {fmt.number(usage.package, 2)} h {share}"))
        if usage.level is HoursLevel.OVER:
            out.append(row("Left", "0 h", f"OVER by {fmt.number(-usage.left, 2)} h", _STYLE[HoursLevel.OVER]))
        else:
            note = "near the limit" if usage.level is HoursLevel.NEAR else ""
            out.append(row("Left", f"{fmt.number(usage.left, 2)} h", note, _STYLE[usage.level]))
        if burn.projected is not None:
            note = {
                HoursLevel.OK: "at this pace",
                HoursLevel.NEAR: "at this pace: near the limit",
                HoursLevel.OVER: f"at this pace: OVER by {fmt.number(burn.projected_over_by, 2)} h",
            }[burn.projected_level]
            out.append(row("Projected", f"{fmt.number(burn.projected, 2)} h", note, _STYLE[burn.projected_level]))
        elif burn.too_early:
            out.append(row("Projected", "-", "too early to judge", "dim"))
        out.append(
            Text(
                burn_bar(burn, width), style=_STYLE[max(usage.level, burn.projected_level, key=list(HoursLevel).index)] or "green"
            )
        )
        out.append(
            Text(
                f"day {fmt.number(burn.elapsed_days, 0)} of {fmt.number(burn.days_in_month, 0)}; │ marks the package", style="dim"
            )
        )
        if usage.by_category:
            out.append(Text("By category", style="bold"))
            for category, hours in sorted(usage.by_category.items(), key=lambda kv: -kv[1]):
                out.append(Text(f"  {category.label:<{max(4, width - 12)}.{max(4, width - 12)}}{fmt.number(hours, 2):>8} h"))
        if any(u.used for u in data.earlier):
            out.append(Text("Earlier months", style="bold"))
            for earlier in data.earlier:
                name = format_date(earlier.month, "LLL y", locale=fmt.locale)
                flag = {HoursLevel.OK: "", HoursLevel.NEAR: "near", HoursLevel.OVER: "OVER"}[earlier.level]
                out.append(Text.assemble(f"  {name:<10}{fmt.number(earlier.used, 2):>8} h  ", (flag, _STYLE[earlier.level])))
        return out
