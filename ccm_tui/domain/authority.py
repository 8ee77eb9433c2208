"""Who may speak for the customer about an activation.

The customer's designated contact validates the date and time; an
authorised contact may also act for the customer. Anyone else can still be
recorded (the CCM may have good reason), but only after a warning. The IP
configuration letter goes to the site technical contact.
"""

from __future__ import annotations

from ccm_tui.domain.model import Contact, ContactRole

VALIDATING_ROLES = frozenset({ContactRole.DESIGNATED, ContactRole.AUTHORISED})


def may_validate(contact: Contact) -> bool:
    return bool(contact.roles & VALIDATING_ROLES)


def validation_warning(contact: Contact, customer_name: str) -> str | None:
    """Why validation by `contact` is doubtful, or None when they may validate."""
    if may_validate(contact):
        return None
    return (
        f"{contact.name} is not a designated or authorised contact of {customer_name}: "
        "the customer may not be bound by this validation"
    )


def ip_letter_warning(contact: Contact) -> str | None:
    """Why sending the IP configuration letter to `contact` is doubtful, or None."""
    if ContactRole.SITE_TECHNICAL in contact.roles:
        return None
    return f"{contact.name} is not a site technical contact: they may not be able to load the configuration"


def contact_order(contact: Contact, preferred: ContactRole) -> tuple[int, str]:
    """Sort key putting contacts with the preferred role first, then by name."""
    return (0 if preferred in contact.roles else 1, contact.name.casefold())
