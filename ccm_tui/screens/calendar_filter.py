"""The calendar's filter: region, status, CCM, flags (late, CCD), after hours only.

`filter_dialog` is the form `f` opens; `CalendarFiltering` holds the keys
that set and clear the filter on the calendar screen.
"""

from __future__ import annotations

from dataclasses import replace

from ccm_tui.domain.model import Region
from ccm_tui.domain.schedule import CalendarFilter, EventFlag, StatusFilter
from ccm_tui.screens.calendar_loading import CalendarState
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.dialogs.form import FormDialog, FormField
from ccm_tui.widgets.event_table import EventTable
from ccm_tui.widgets.workers import work

ANY = "any"
# The flags choice: its value is the flags' names joined with "+"; each marks the month grid shows.
FLAG_CHOICES = (
    ("Any event", ""),
    ("Late-change window only (L)", EventFlag.LATE.value),
    ("Past or at-risk CCD only (! ?)", EventFlag.CCD.value),
    ("Late and past or at-risk CCD", f"{EventFlag.LATE.value}+{EventFlag.CCD.value}"),
)


def _flags_value(flags: frozenset[EventFlag]) -> str:
    return "+".join(flag.value for flag in EventFlag if flag in flags)


def filter_dialog(current: CalendarFilter, ccm_names: list[str]) -> FormDialog[CalendarFilter]:
    fields = (
        FormField("region", "Region", "select", options=(("Any region", ANY), *((r.label, r.value) for r in Region))),
        FormField("status", "Status", "select", options=tuple((s.label, s.value) for s in StatusFilter)),
        FormField("ccm", "CCM", "select", options=(("Any CCM", ANY), *((name, name) for name in ccm_names))),
        FormField("flags", "Flags", "select", options=FLAG_CHOICES),
        FormField(
            "after_hours",
            "Hours",
            "select",
            options=(("Any time", "no"), ("After hours, weekends and holidays only", "yes")),
        ),
    )
    values = {
        "region": current.region.value if current.region else ANY,
        "status": current.status.value,
        "ccm": current.ccm or ANY,
        "flags": _flags_value(current.flags),
        "after_hours": "yes" if current.after_hours_only else "no",
    }

    def save(raw: dict[str, str]) -> CalendarFilter:
        region = raw.get("region") or ANY
        ccm = raw.get("ccm") or ANY
        return CalendarFilter(
            region=None if region == ANY else Region(region),
            status=StatusFilter(raw.get("status") or StatusFilter.ACTIVE.value),
            ccm=None if ccm == ANY else ccm,
            after_hours_only=raw.get("after_hours") == "yes",
            flags=frozenset(EventFlag(name) for name in (raw.get("flags") or "").split("+") if name),
        )

    return FormDialog("Filter the calendar (esc clears it on the calendar)", fields, values, save)


class CalendarFiltering(CalendarState):
    """`f` (or `/`) asks for a filter, `esc` clears the picks, then the filter."""

    def action_filter(self) -> None:
        self._open_filter()

    @work(thread=True, group="cal-filter")
    def _open_filter(self) -> None:
        names = self.services.calendar.ccm_names()

        def chosen(flt: CalendarFilter | None) -> None:
            if flt is not None:
                self.calendar_filter = flt

        self.app.call_from_thread(push_if_active, self, filter_dialog(self.calendar_filter, names), chosen)

    def show_flags(self, flags: frozenset[EventFlag]) -> None:
        """Only the events showing every flag, the rest of the filter kept (the palette's "Calendar: LATE only")."""
        self.calendar_filter = replace(self.calendar_filter, flags=flags)

    def action_clear_filter(self) -> None:
        picked = [t for t in self.query(EventTable) if t.selection]
        if picked:  # the picks go first, wherever the focus is
            for table in picked:
                table.action_clear_selection()
            return
        if not self.calendar_filter.is_default:
            self.calendar_filter = CalendarFilter()
            self.notify("Filter cleared.")
        elif self.focused is not None and self.focused.id == "cal-day":
            self._views.focus_current()
