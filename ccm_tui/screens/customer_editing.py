"""What the customer screen (screens/customer_detail.py) writes: contacts,
sites and time entries added or edited, the customer edited, time logged, a
contact marked reviewed; and corrections, removing a contact, a site or a
time entry.

Each write goes through a dialog or a thread worker and ends by reading the
customer again. A removal asks first; a contact or a site an activation
holds is refused at once, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.screen import Screen
from textual.widgets import DataTable, TabbedContent

from ccm_tui.domain.book import CustomerDetail
from ccm_tui.domain.model import Contact, ContactRole, Customer, Site, TimeEntry
from ccm_tui.errors import StoreError
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.customer_forms import (
    contact_dialog,
    customer_dialog,
    site_dialog,
    time_dialog,
)
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.dialogs.confirm import ConfirmDialog
from ccm_tui.widgets.workers import work


class CustomerEditing(ServicesMixin, Screen[None]):
    """The customer being shown, and the keys that change it and its records."""

    detail: CustomerDetail | None

    def reload(self) -> None:
        raise NotImplementedError  # the screen reads the customer again

    def _selected(self, tab: str) -> Contact | Site | None:
        if self.detail is None:
            return None
        table = self.query_one(f"#{tab}-table", DataTable)
        items = self.detail.contacts if tab == "contacts" else self.detail.sites
        return items[table.cursor_row] if 0 <= table.cursor_row < len(items) else None

    def _after_save(self, saved: object) -> None:
        if saved is not None:
            self.notify("Saved.")
            self.reload()

    def action_add(self) -> None:
        if self.detail is None:
            return
        tab = self.query_one(TabbedContent).active
        if tab == "sites":
            self.app.push_screen(site_dialog(self.services, self.detail.customer), self._after_save)
        else:
            self.app.push_screen(contact_dialog(self.services, self.detail.customer), self._after_save)

    def action_edit(self) -> None:
        if self.detail is None:
            return
        tab = self.query_one(TabbedContent).active
        if tab == "hours":
            self._edit_time_entry(self.detail.customer)
            return
        if tab not in ("contacts", "sites"):
            self.action_edit_customer()
            return
        item = self._selected(tab)
        if item is None:
            self.notify(f"No {tab[:-1]} selected.", severity="warning")
        elif isinstance(item, Contact):
            self.app.push_screen(contact_dialog(self.services, self.detail.customer, item), self._after_save)
        else:
            self.app.push_screen(site_dialog(self.services, self.detail.customer, item), self._after_save)

    def action_edit_customer(self) -> None:
        if self.detail is not None:
            self._edit_customer(self.detail.customer)

    @work(thread=True, group="detail-form")
    def _edit_customer(self, customer: Customer) -> None:
        """Read the CCM names the form suggests, then ask."""
        dialog = customer_dialog(self.services, customer, self.services.book.ccm_choices())
        self.app.call_from_thread(push_if_active, self, dialog, self._after_save)

    def action_log_time(self) -> None:
        if self.detail is not None:
            customer = self.detail.customer
            self.app.push_screen(time_dialog(self.services, customer.id, customer.name), self._after_save)

    def action_reviewed(self) -> None:
        contact = self._selected("contacts")
        if contact is None:
            self.notify("Pick a contact on the Contacts tab first.", severity="warning")
            return
        self._mark_reviewed(contact.id)

    @work(thread=True, group="detail-write")
    def _mark_reviewed(self, contact_id: int) -> None:
        services = self.services
        contact = self.write_retrying(lambda: services.book.mark_contact_reviewed(contact_id))
        self.app.call_from_thread(self._after_save, contact)

    # -- corrections: edit a time entry, remove a contact, site or time entry --------
    def _selected_entry(self) -> TimeEntry | None:
        if self.detail is None:
            return None
        row = self.query_one("#hours-table", DataTable).cursor_row
        entries = self.detail.time_entries
        return entries[row] if 0 <= row < len(entries) else None

    def _edit_time_entry(self, customer: Customer) -> None:
        entry = self._selected_entry()
        if entry is None:
            self.notify("No time entry selected: this month's entries are listed here.", severity="warning")
            return
        self.app.push_screen(time_dialog(self.services, customer.id, customer.name, entry), self._after_save)

    def action_remove(self) -> None:
        if self.detail is None:
            return
        tab = self.query_one(TabbedContent).active
        if tab == "hours":
            entry = self._selected_entry()
            if entry is None:
                self.notify("No time entry selected: this month's entries are listed here.", severity="warning")
                return
            self._confirm_removal(entry)
        elif tab in ("contacts", "sites"):
            item = self._selected(tab)
            if item is None:
                self.notify(f"No {tab[:-1]} selected.", severity="warning")
                return
            self._check_removal(item)
        else:
            self.notify("d removes a contact, a site or a time entry: pick one on its tab first.", severity="warning")

    @work(thread=True, group="detail-remove")
    def _check_removal(self, item: Contact | Site) -> None:
        """Refuse at once, with the reason, a record an activation holds; else ask."""
        book = self.services.book
        reason = book.contact_in_use(item.id) if isinstance(item, Contact) else book.site_in_use(item.id)
        if reason is not None:
            self.app.call_from_thread(self.notify, f"{reason}.", title="Cannot remove", severity="error", timeout=10, markup=False)
            return
        self.app.call_from_thread(self._confirm_removal, item)

    def _confirm_removal(self, item: Contact | Site | TimeEntry) -> None:
        if not self.is_active or self.detail is None:
            return  # the user went elsewhere while the check ran
        book, customer = self.services.book, self.detail.customer.name
        call: Callable[[], object]
        if isinstance(item, Contact):
            title, what = f"Remove the contact {item.name}?", _contact_words(item)
            call = partial(book.remove_contact, item.id, item.version)
        elif isinstance(item, TimeEntry):
            fmt = self.app_formatter
            title = f"Remove {fmt.hours(item.hours)} h of {item.category.label} on {fmt.date(item.day)}?"
            what = f"Logged by {item.who or 'someone'}" + (f": {item.note}" if item.note else "")
            call = partial(book.remove_time_entry, item)
        else:
            title, what = f"Remove the site {item.name}?", ", ".join(p for p in (item.address, item.city, item.country) if p)
            call = partial(book.remove_site, item.id, item.version)
        body = f"{what}\n\nFrom {customer}. The change log keeps what it held."

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove_now(call)

        self.app.push_screen(ConfirmDialog(title, body, "Remove"), answered)

    @work(thread=True, group="detail-write")
    def _remove_now(self, call: Callable[[], object]) -> None:
        try:
            self.write_retrying(call)
        except StoreError as error:  # in use since the check, changed elsewhere, busy
            self.app.call_from_thread(self.notify, _sentence(str(error)), title="Not removed", severity="error", timeout=10)
            self.app.call_from_thread(self.reload)
            return
        self.app.call_from_thread(self.notify, "Removed; the change log keeps it.")
        self.app.call_from_thread(self.reload)


def _contact_words(contact: Contact) -> str:
    roles = ", ".join(role.label for role in ContactRole if role in contact.roles)
    return " · ".join(p for p in (roles, contact.phone, contact.email) if p)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
