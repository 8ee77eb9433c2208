"""The calendar's filter: region, status, CCM, after hours only."""

from __future__ import annotations

from ccm_tui.domain.model import Region
from ccm_tui.domain.schedule import CalendarFilter, StatusFilter
from ccm_tui.screens.dialogs.form import FormDialog, FormField

ANY = "any"


def filter_dialog(current: CalendarFilter, ccm_names: list[str]) -> FormDialog[CalendarFilter]:
    fields = (
        FormField("region", "Region", "select", options=(("Any region", ANY), *((r.label, r.value) for r in Region))),
        FormField("status", "Status", "select", options=tuple((s.label, s.value) for s in StatusFilter)),
        FormField("ccm", "CCM", "select", options=(("Any CCM", ANY), *((name, name) for name in ccm_names))),
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
        )

    return FormDialog("Filter the calendar (esc clears it on the calendar)", fields, values, save)
