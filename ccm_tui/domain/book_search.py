"""What the palette finds in the book besides customers: contacts (by name,
phone or e-mail), cities, orders and activations, each naming its customer.

An activation has no number of its own in ccm: it is found by its order's
number and named by its service and site ("VPN at Lyon HQ").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

PER_KIND = 20  # hits of each kind a search returns at most


class HitKind(enum.StrEnum):
    CONTACT = "contact"
    CITY = "city"
    ORDER = "order"
    ACTIVATION = "activation"


@dataclass(frozen=True, slots=True)
class BookHit:
    """One thing found: `what` names it (a contact's name, a city, an order number,
    "VPN at Lyon HQ"), `matched` the part that was found when it is not the name
    (an e-mail, a phone), `order_number` the order of an activation."""

    kind: HitKind
    what: str
    customer_id: int
    customer_name: str
    matched: str = ""
    order_number: str = ""
    activation_id: int | None = None
    contact_id: int | None = None


def phone_digits(text: str) -> str:
    """The digits of a typed or stored phone number: "+1 (213) 555-0155" is 12135550155."""
    return "".join(c for c in text if c in "0123456789")
