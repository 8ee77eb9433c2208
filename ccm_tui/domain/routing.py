"""Who takes trouble reported after an activation.

If traffic never passed, or passed for less than 12 hours, the service was
never really live: the CCM engages the post-activation support team. Once
traffic has passed for 12 hours or more, trouble is a fault like any other
and goes to the repair center.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

TRAFFIC_HOURS_FOR_REPAIR = 12


class TroubleRoute(enum.StrEnum):
    POST_ACTIVATION_SUPPORT = "post_activation_support"
    REPAIR_CENTER = "repair_center"

    @property
    def label(self) -> str:
        return {
            TroubleRoute.POST_ACTIVATION_SUPPORT: "Post-activation support (through the CCM)",
            TroubleRoute.REPAIR_CENTER: "Repair center",
        }[self]


def route_trouble(traffic_passed_since: datetime | None, trouble_at: datetime) -> TroubleRoute:
    """Where trouble starting at `trouble_at` goes, given when traffic first passed."""
    if traffic_passed_since is None:
        return TroubleRoute.POST_ACTIVATION_SUPPORT
    if trouble_at - traffic_passed_since >= timedelta(hours=TRAFFIC_HOURS_FOR_REPAIR):
        return TroubleRoute.REPAIR_CENTER
    return TroubleRoute.POST_ACTIVATION_SUPPORT
