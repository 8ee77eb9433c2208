"""Service reviews for the UI and the CLI: `services.agenda`.

Binds the store's review functions to the clock, the settings and the task
catalogue: an agenda is built for "this customer, this kind, this date", its
facts are put into words in the user's locale when the draft is made, and a
review is written out as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ccm_tui import locations
from ccm_tui.data_files import load_task_catalogue
from ccm_tui.domain.agenda import Agenda, build_agenda
from ccm_tui.domain.agenda_facts import CustomerFacts
from ccm_tui.domain.book import CustomerHit
from ccm_tui.domain.catalogue import Catalogue
from ccm_tui.domain.hours import burn_down
from ccm_tui.domain.incidents import Incident
from ccm_tui.domain.model import ContactRole, ReviewKind
from ccm_tui.domain.review_inputs import (
    ActionInput,
    AgendaItemInput,
    IncidentInput,
    ReviewSetup,
)
from ccm_tui.domain.reviews import REVIEWS_DUE_HORIZON_DAYS, ReviewCadence, ReviewDue
from ccm_tui.domain.search_text import fold
from ccm_tui.domain.service_review import (
    ActionItem,
    AgendaItem,
    CompletionPlan,
    ReviewHeader,
    ReviewStatus,
    ReviewWorkspace,
    ServiceReview,
)
from ccm_tui.files import write_private
from ccm_tui.store import (
    incidents,
    review_actions,
    review_cadence,
    review_completion,
    review_drafts,
    review_facts,
    reviews,
)
from ccm_tui.text.agenda_text import new_items, review_markdown
from ccm_tui.text.formatting import Formatter

if TYPE_CHECKING:
    from ccm_tui.services import Services
    from ccm_tui.store.engine import Engine


RESOLVE_LIMIT = 50  # matches listed for an ambiguous name


class UnknownCustomer(LookupError):
    def __init__(self, text: str) -> None:
        super().__init__(f"no customer matches {text!r} (by account number or name)")


class AmbiguousCustomer(LookupError):
    def __init__(self, text: str, matches: Sequence[CustomerHit], more: bool = False) -> None:
        count = f"{'at least ' if more else ''}{len(matches)}"
        super().__init__(f"{text!r} matches {count} customers; give more of the name or the account number")
        self.matches = tuple(matches)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    title: str


class AgendaService:
    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def _engine(self) -> Engine:
        return self._services.engine

    @cached_property
    def catalogue(self) -> Catalogue:
        """The user's task catalogue (config folder) if there is one, else the shipped one."""
        return load_task_catalogue(locations.config_dir() / "task_catalogue.toml")

    @cached_property
    def formatter(self) -> Formatter:
        return Formatter(self._services.settings.locale)

    # -- agendas -------------------------------------------------------------------
    def facts(self, customer_id: int, kind: ReviewKind, review_date: date, exclude_review_id: int | None = None) -> CustomerFacts:
        s = self._services
        return review_facts.gather_facts(
            self._engine,
            customer_id,
            kind,
            review_date,
            now=s.now(),
            today=s.today(),
            zone=s.settings.time_zone,
            warning_ratio=s.settings.hours_warning_ratio,
            exclude_review_id=exclude_review_id,
        )

    def build(self, customer_id: int, kind: ReviewKind, review_date: date) -> Agenda:
        return build_agenda(self.catalogue, kind, self.facts(customer_id, kind, review_date), review_date)

    def suggested(self, customer_id: int, review_date: date | None = None) -> tuple[ReviewKind, ReviewCadence]:
        """The review type the customer's cadence calls for, and the cadence."""
        return review_cadence.suggested_kind(self._engine, customer_id, review_date or self._services.today())

    def prepare(self, customer_id: int, setup: ReviewSetup) -> ServiceReview:
        """A new draft: the agenda built from the catalogue and the customer's facts.

        A draft of that kind on that day already is opened rather than made twice.
        """
        _, cadence = self.suggested(customer_id, setup.held_on)
        if cadence is not setup.cadence:
            review_cadence.set_cadence(
                self._engine, customer_id, setup.cadence, actor=self._services.actor, now=self._services.now()
            )
        held = self.find_review(customer_id, setup.held_on, setup.kind)
        if held is not None and not held.read_only:
            return self.review(held.id)
        facts = self.facts(customer_id, setup.kind, setup.held_on)
        agenda = build_agenda(self.catalogue, setup.kind, facts, setup.held_on)
        return review_drafts.create_review(
            self._engine,
            customer_id,
            setup.kind,
            setup.held_on,
            new_items(agenda, self.formatter),
            self._default_attendees(facts, setup.kind),
            actor=self._services.actor,
            now=self._services.now(),
        )

    def preview(self, customer_id: int, kind: ReviewKind, review_date: date) -> ServiceReview:
        """The agenda a new draft would get, as an unsaved review (nothing is written)."""
        facts = self.facts(customer_id, kind, review_date)
        agenda = build_agenda(self.catalogue, kind, facts, review_date)
        items = tuple(
            AgendaItem(
                id=0,
                review_id=0,
                position=n,
                section=i.section,
                text=i.text,
                details=i.details,
                key=i.key,
                contact_ids=i.contact_ids,
            )
            for n, i in enumerate(new_items(agenda, self.formatter), start=1)
        )
        carried = tuple(
            ActionItem(id=0, review_id=0, text=a.text, owner=a.owner, due=a.due, carried_from_id=a.id) for a in facts.open_actions
        )
        return ServiceReview(
            id=0,
            customer_id=customer_id,
            customer_name=facts.customer.name,
            account_number=facts.customer.account_number,
            kind=kind,
            held_on=review_date,
            status=ReviewStatus.DRAFT,
            attendees=self._default_attendees(facts, kind),
            items=items,
            actions=carried,
        )

    def _default_attendees(self, facts: CustomerFacts, kind: ReviewKind) -> tuple[str, ...]:
        """The designated contact (and for an executive review the executive), and the CCM."""
        people = [f"{c.name} (designated contact)" for c in facts.contacts if ContactRole.DESIGNATED in c.roles][:1]
        if kind is ReviewKind.EXECUTIVE:
            people += [f"{c.name} (executive)" for c in facts.contacts if ContactRole.EXECUTIVE in c.roles][:1]
        ccm = self._services.settings.ccm_name or facts.customer.ccm
        if ccm:
            people.append(f"{ccm} (CCM)")
        return tuple(dict.fromkeys(people))

    # -- reading -------------------------------------------------------------------
    def review(self, review_id: int) -> ServiceReview:
        return reviews.get_review(self._engine, review_id)

    def workspace(self, review_id: int) -> ReviewWorkspace:
        """The review with the customer's hours this month (and the three before) and incidents."""
        review = self.review(review_id)
        s = self._services
        months = review_facts.hours_by_month(self._engine, review.customer_id, s.today(), s.settings.hours_warning_ratio)
        _, cadence = self.suggested(review.customer_id, review.held_on)
        return ReviewWorkspace(
            review=review,
            cadence=cadence.value,
            burn=burn_down(months[0], s.today(), s.settings.hours_warning_ratio),
            earlier=months[1:],
            incidents=tuple(self.incidents(review.customer_id)),
        )

    def reviews_for(self, customer_id: int) -> list[ReviewHeader]:
        return reviews.reviews_for(self._engine, customer_id)

    def latest_draft(self, customer_id: int) -> ReviewHeader | None:
        return reviews.latest_draft(self._engine, customer_id)

    def find_review(self, customer_id: int, held_on: date, kind: ReviewKind | None = None) -> ReviewHeader | None:
        return reviews.find_review(self._engine, customer_id, held_on, kind)

    def reviews_due(self, limit: int = 200) -> tuple[list[ReviewDue], int]:
        return review_cadence.reviews_due(self._engine, self._services.today(), REVIEWS_DUE_HORIZON_DAYS, limit)

    # -- editing a draft -----------------------------------------------------------
    def add_item(self, review_id: int, data: AgendaItemInput) -> AgendaItem:
        return review_drafts.add_item(self._engine, review_id, data, actor=self._services.actor, now=self._services.now())

    def update_item(self, item_id: int, data: AgendaItemInput) -> AgendaItem:
        return review_drafts.update_item(self._engine, item_id, data, actor=self._services.actor, now=self._services.now())

    def remove_item(self, item_id: int) -> None:
        review_drafts.remove_item(self._engine, item_id, actor=self._services.actor, now=self._services.now())

    def move_item(self, item_id: int, step: int) -> bool:
        return review_drafts.move_item(self._engine, item_id, step, actor=self._services.actor, now=self._services.now())

    def set_minutes(self, item_id: int, minutes: str) -> AgendaItem:
        return review_drafts.set_minutes(self._engine, item_id, minutes, actor=self._services.actor, now=self._services.now())

    def set_attendees(self, review_id: int, attendees: Sequence[str]) -> None:
        review_drafts.set_attendees(self._engine, review_id, attendees, actor=self._services.actor, now=self._services.now())

    def add_action(self, review_id: int, data: ActionInput) -> ActionItem:
        return review_actions.add_action(self._engine, review_id, data, actor=self._services.actor, now=self._services.now())

    def update_action(self, action_id: int, data: ActionInput) -> ActionItem:
        return review_actions.update_action(self._engine, action_id, data, actor=self._services.actor, now=self._services.now())

    def set_action_done(self, action_id: int, done: bool) -> ActionItem:
        return review_actions.set_action_done(
            self._engine, action_id, done, self._services.today(), actor=self._services.actor, now=self._services.now()
        )

    def remove_action(self, action_id: int) -> None:
        review_actions.remove_action(self._engine, action_id, actor=self._services.actor, now=self._services.now())

    # -- completing ----------------------------------------------------------------
    def completion_preview(self, review_id: int) -> CompletionPlan:
        return review_completion.completion_preview(self._engine, review_id)

    def complete(self, review_id: int, version: int) -> ServiceReview:
        s = self._services
        return review_completion.complete_review(self._engine, review_id, version, s.now(), s.today(), actor=s.actor)

    # -- incidents -----------------------------------------------------------------
    def incidents(self, customer_id: int) -> list[Incident]:
        return incidents.incidents_for(self._engine, customer_id)

    def log_incident(self, customer_id: int, data: IncidentInput) -> Incident:
        return incidents.log_incident(self._engine, customer_id, data, self._services.actor, self._services.now())

    def close_incident(self, incident_id: int) -> Incident:
        return incidents.close_incident(self._engine, incident_id, self._services.now(), self._services.actor)

    # -- sending -------------------------------------------------------------------
    def markdown(self, review: ServiceReview) -> str:
        return review_markdown(review, self.formatter, self._services.settings.ccm_name)

    def default_export_path(self, review: ServiceReview) -> Path:
        slug = "".join(ch if ch.isalnum() else "-" for ch in review.account_number.lower()).strip("-")
        return Path.home() / f"review-{slug}-{review.kind.value}-{review.held_on.isoformat()}.md"

    def export(self, review_id: int, path: Path) -> ExportResult:
        """Write the review's Markdown to `path` (see ccm_tui/files.py); UnwritableTarget, a ValueError, says why not."""
        review = self.review(review_id)
        target = write_private(path, self.markdown(review))
        return ExportResult(target, review.customer_name)

    def resolve_customer(self, text: str) -> CustomerHit:
        """One customer by account number or name (any case, any part of it)."""
        wanted = fold(text)
        hits = self._services.book.find_customers(text, RESOLVE_LIMIT) if wanted else []
        exact = [h for h in hits if h.account_number.casefold() == wanted] or [h for h in hits if fold(h.name) == wanted]
        if len(exact) == 1:
            return exact[0]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise UnknownCustomer(text)
        raise AmbiguousCustomer(text, hits, more=len(hits) >= RESOLVE_LIMIT)
