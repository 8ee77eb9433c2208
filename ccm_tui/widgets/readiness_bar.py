"""ReadinessBar: an activation's checklist done of required, as a bar and in words.

Readable in 16 colours or none: the bar is characters, the figures are
words, and a risk says "NOT-READY RISK" rather than turning red.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ccm_tui.domain.readiness import Readiness

BAR_WIDTH = 20


class ReadinessBar(Widget):
    DEFAULT_CSS = """
    ReadinessBar {
        height: 1;
        padding: 0 1;
    }
    """

    readiness: reactive[Readiness | None] = reactive(None)

    def render(self) -> Text:
        ready = self.readiness
        if ready is None:
            return Text("")
        if not ready.required:
            return Text("No checklist items yet.", style="dim")
        filled = round(ready.done / ready.required * BAR_WIDTH)
        style = "bold red" if ready.at_risk else ("green" if ready.done == ready.required else "")
        text = Text.assemble(
            f"Ready {ready.done} of {ready.required} ",
            ("█" * filled, style),
            ("░" * (BAR_WIDTH - filled), "dim"),
            f" {ready.percent}%",
        )
        if ready.at_risk:
            text.append("  NOT-READY RISK", style="bold red")
        return text
