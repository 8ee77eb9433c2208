"""Which review the agenda screen (key 4) opens: a customer's draft, else a
new review asked for (its type and date), for the customer picked with `/`
or a row of the reviews due; `n` prepares another review for the customer
shown, `p` opens one of their past reviews.

`AgendaOpening` builds on `AgendaEditing` (screens/agenda_editing.py);
`ReviewAgendaScreen` (screens/review_agenda.py) builds on it and reads and
shows the review. What a dialog needs is read in a thread worker, and the
dialog opens only if the user is still on the screen (`push_if_active`).
"""

from __future__ import annotations

from rich.text import Text

from ccm_tui.domain.service_review import ServiceReview
from ccm_tui.screens.agenda_editing import AgendaEditing
from ccm_tui.screens.dialogs.base import push_if_active
from ccm_tui.screens.review_dialogs import PickDialog
from ccm_tui.screens.review_forms import setup_dialog
from ccm_tui.text.review_text import past_review_label
from ccm_tui.widgets.workers import work


class AgendaOpening(AgendaEditing):
    """Opening a customer's review: their draft, a new one, a past one."""

    @work(thread=True, group="agenda-open")
    def _open_customer(self, customer_id: int) -> None:
        draft = self.services.agenda.latest_draft(customer_id)
        if draft is not None:
            self.app.call_from_thread(self._load_review, draft.id)
            return
        self._ask_new_review(customer_id)

    def _ask_new_review(self, customer_id: int) -> None:
        """(In a worker.) Ask for the type and date, then make the draft."""
        customer = self.services.book.get_customer(customer_id)
        kind, cadence = self.services.agenda.suggested(customer_id)
        dialog = setup_dialog(self.services, customer_id, customer.name, kind, cadence)

        def made(review: ServiceReview | None) -> None:
            if review is not None:
                self.meeting = False
                self._load_review(review.id)
                self.notify(f"Agenda prepared: {customer.name}", markup=False)

        self.app.call_from_thread(push_if_active, self, dialog, made)

    def action_pick_customer(self) -> None:
        services = self.services

        def search(text: str) -> list[tuple[str, Text | str]]:
            return [(str(h.customer_id), f"{h.name} ({h.account_number})") for h in services.book.find_customers(text, 20)]

        def picked(key: str | None) -> None:
            if key is not None:
                self._open_customer(int(key))

        dialog = PickDialog(
            "Prepare a review for...", search=search, placeholder="name or account number", empty="No customer matches."
        )
        self.app.push_screen(dialog, picked)

    def action_new_review(self) -> None:
        review = self._review()
        if review is not None:
            self._new_review(review.customer_id)

    action_new_review_quiet = action_new_review

    @work(thread=True, group="agenda-open")
    def _new_review(self, customer_id: int) -> None:
        self._ask_new_review(customer_id)

    def action_past_reviews(self) -> None:
        review = self._review()
        if review is not None:
            self._pick_past(review.customer_id, review.customer_name)

    @work(thread=True, group="agenda-open")
    def _pick_past(self, customer_id: int, name: str) -> None:
        fmt = self.app_formatter
        headers = self.services.agenda.reviews_for(customer_id)
        options: list[tuple[str, Text | str]] = [(str(h.id), past_review_label(h, fmt)) for h in headers]

        def picked(key: str | None) -> None:
            if key is not None:
                self.meeting = False
                self._load_review(int(key))

        dialog = PickDialog(f"Reviews of {name}", options, empty="No reviews yet.")
        self.app.call_from_thread(push_if_active, self, dialog, picked)
