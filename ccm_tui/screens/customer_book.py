"""The customer book: every customer, found in a keystroke.

The screen owns the query (filter text, sort, direction) and asks the
services for one page at a time in a thread worker; the table shows what
comes back. Stale answers (the user typed on) are dropped.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from ccm_tui.book_location import BookLocation
from ccm_tui.domain.book import BookFlag, BookPage, BookQuery, BookSort, describe_flags
from ccm_tui.domain.ccm_filter import CcmFilter
from ccm_tui.domain.views import ME, SavedView, ViewScreen, following_view, views_for
from ccm_tui.screens.base import ServicesMixin
from ccm_tui.screens.dialogs.opening import push_if_active
from ccm_tui.screens.following import FollowsBook, Reading, reading, still_current
from ccm_tui.widgets.customer_table import CustomerTable
from ccm_tui.widgets.filter_input import FilterInput
from ccm_tui.widgets.fitted_footer import FittedFooter
from ccm_tui.widgets.workers import work

PAGE_SIZE = 60  # more than a 120x40 screen shows; scrolling loads the next page ahead
GLANCE_DRAW_S = 0.1  # the opening worker waits at most this for the first glance's rows to be drawn
SORT_LABELS = {
    BookSort.NAME: "name",
    BookSort.ACCOUNT: "account",
    BookSort.REGION: "region",
    BookSort.CCM: "CCM",
    BookSort.NEXT_ACTIVATION: "next event",
    BookSort.HOURS: "hours used",
}


class CustomerBookScreen(FollowsBook, ServicesMixin, Screen[None]):
    """Key 1: the book."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="book.filter"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="The text filter first, then the CCM's",
            id="book.clear_filter",
        ),
        Binding(
            "m",
            "my_customers",
            "My customers",
            show=False,
            tooltip="Only the customers whose CCM you are, or all again",
            id="book.my_customers",
        ),
        Binding(
            "f",
            "cycle_flag",
            "Flag filter",
            show=False,
            tooltip="Only LATE, CCD, NR or hours over in turn, then all",
            id="book.flag",
        ),
        Binding(
            "V", "next_view", "Saved view", tooltip="The next saved view (config.toml [[views]]), then none", id="book.saved_view"
        ),
        Binding("s", "cycle_sort", "Sort", id="book.sort"),
        Binding("r", "reverse_sort", "Reverse", show=False, id="book.reverse"),
        Binding("n", "new_customer", "New", id="book.new"),
        Binding("e", "edit_customer", "Edit", id="book.edit"),
        Binding("t", "log_time", "Log time", id="book.log_time"),
        Binding("i", "import_file", "Import CSV", show=False, id="book.import"),
        Binding("x", "export_book", "Export book", show=False, id="book.export"),
    ]
    BOOK_ACTIONS = frozenset({"new_customer", "edit_customer", "log_time", "import_file", "export_book", "my_customers"})
    WRITE_ACTIONS = frozenset({"new_customer", "edit_customer", "log_time", "import_file"})
    FOCUS_ACTIONS = frozenset({"new_customer", "edit_customer", "log_time", "import_file", "export_book", "filter"})

    book_query: var[BookQuery] = var(BookQuery(limit=PAGE_SIZE), init=False)
    shown_query: BookQuery | None = None
    """The query whose rows the table holds (None before the first page); benchmarks wait on it."""
    _status_text = ""
    _keep: tuple[int | None, int] | None = None  # a reload's cursor: (customer id, row)
    _read: Reading | None = None  # when the rows shown were read

    @dataclass
    class PageLoaded(Message):
        query: BookQuery
        page: BookPage | None  # None: the rows shown are still the book's (nothing read)
        read: Reading | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterInput(placeholder="/ filter: name, account, contact or city", id="book-filter", compact=True)
        yield CustomerTable(self.app_formatter, self.app_settings.hours_warning_ratio, id="book-table")
        yield Static("Opening the book...", id="book-status", markup=False)  # it quotes the filter as typed
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one(CustomerTable).focus()
        self.when_services(self._load)

    def on_screen_resume(self) -> None:
        # Back from a customer's detail, a form or another screen: counts and hours may have moved, and are read
        # again unless the book's change log has not moved since the rows were, a moment ago (screens/following.py).
        # (The first resume comes with the mount, which loads already.)
        self.reload_book(unless=self._read)

    def reload_book(self, unless: Reading | None = None) -> None:
        """The rows loaded so far, read again (not if still as read at `unless`); the cursor stays on its customer."""
        if self.shown_query is None:
            return  # the first page is still coming
        table = self.query_one(CustomerTable)
        row = table.current()
        self._keep = (row.customer_id if row is not None else None, table.cursor_row)
        self._fetch(replace(self.book_query, offset=0, limit=max(PAGE_SIZE, table.loaded)), unless)

    # -- loading --------------------------------------------------------------
    def watch_book_query(self) -> None:
        self.when_services(self._load)  # typed before the book opened: its first page is for this query

    def _load(self, offset: int = 0) -> None:
        self._fetch(replace(self.book_query, offset=offset))

    @work(thread=True, exclusive=True, group="book-page")
    def _fetch(self, query: BookQuery, unless: Reading | None = None) -> None:
        read = reading(self.services)
        if still_current(unless, read):
            self.post_message(self.PageLoaded(query, None))
            return
        self.post_message(self.PageLoaded(query, self.services.book.book_page(query), read))

    def glance(self, book: BookLocation) -> bool:
        """(The app's opening worker, before the ORM's import.) The book's first customers by name (services/glance.py).

        Shown only while nothing else is: the real first page replaces them, the cursor staying on its customer.
        True once drawn (a frame has gone out after them).
        """
        from ccm_tui.services.glance import first_glance  # past the first frame, as the rest of the book

        if (page := first_glance(book, PAGE_SIZE)) is None:
            return False
        drawn = threading.Event()

        def show() -> None:
            if self.shown_query is None and self.book_query == BookQuery(limit=PAGE_SIZE):  # else: not what was asked
                self.query_one(CustomerTable).show_page(page.rows, page.total, append=False)
                self._show_status(page.total, None)
            self.call_after_refresh(drawn.set)

        self.app.call_from_thread(show)
        # The import that follows holds the interpreter for long stretches: the rows reach the terminal first
        # (bounded: a frame that never comes, as when the app is leaving, costs a tenth of a second, no more).
        return drawn.wait(GLANCE_DRAW_S)

    @on(PageLoaded)
    def _show(self, message: PageLoaded) -> None:
        if replace(message.query, offset=0, limit=PAGE_SIZE) != replace(self.book_query, offset=0, limit=PAGE_SIZE):
            return  # the user has typed on; a newer page is coming
        if message.page is None:
            self._keep = None  # shown as it is: the cursor is where it was
            return
        if message.query.offset == 0:
            self._read = message.read  # (a page added below was read later: the first one's reading holds)
        table = self.query_one(CustomerTable)
        if self.shown_query is None and self._keep is None and (glanced := table.current()) is not None:
            self._keep = (glanced.customer_id, table.cursor_row)  # moved about the first glance: stay there
        table.show_page(message.page.rows, message.page.total, append=message.query.offset > 0)
        keep, self._keep = self._keep, None
        if keep is not None and message.query.offset == 0 and message.page.rows:
            ids = [row.customer_id for row in message.page.rows]
            kept_id, kept_row = keep
            table.move_cursor(row=ids.index(kept_id) if kept_id in ids else min(kept_row, len(ids) - 1))
        self._show_status(message.page.total, message.page.book_total)
        self.shown_query = message.query

    def _show_status(self, total: int, book_total: int | None) -> None:
        """'29 of 40 customers' with a filter on (its matches of the whole book), '40 customers' without."""
        fmt = self.app_formatter
        query = self.book_query
        arrow = "descending" if query.descending else "ascending"
        whole = total if book_total is None else book_total
        counted = f"{fmt.number(total, 0)} " if book_total is None else f"{fmt.number(total, 0)} of {fmt.number(whole, 0)} "
        counted += "customer" if whole == 1 else "customers"
        parts = [
            counted,
            f"sorted by {SORT_LABELS[query.sort]} ({arrow})",
        ]
        if query.flags:
            parts.insert(0, f"{describe_flags(query.flags)} only")
        if query.ccm is not None:
            parts.insert(0, query.ccm.label)
        if (view := self.active_view) is not None:
            parts.insert(0, f"view: {view.name}")
        if query.text:
            parts.append(f"filter '{query.text}'")
        if total == 0 and query.text:
            among = f" among {query.ccm.label}" if query.ccm is not None else ""
            parts = [f"No customer matches '{query.text}'{among}. Esc clears the filter."]
        elif total == 0 and query.flags:
            among = f" among {query.ccm.label}" if query.ccm is not None else ""
            parts = [f"No customer shows {describe_flags(query.flags)}{among}. Esc clears the flags."]
        elif total == 0 and query.ccm is not None:
            names = " or ".join(f"'{name}'" for name in query.ccm.spellings) or "''"
            parts = [f"No customer has CCM {names}. Esc shows every customer."]
        status = " · ".join(parts)
        if status != self._status_text:  # the same words again (a reload that changed nothing) draw nothing
            self._status_text = status
            self.query_one("#book-status", Static).update(status)

    @on(CustomerTable.NeedMore)
    def _more(self, message: CustomerTable.NeedMore) -> None:
        if self.shown_query is not None:  # not the first glance's rows: the pages after those come with the book
            self._load(offset=message.loaded)

    # -- filter and sort ------------------------------------------------------
    @on(Input.Changed, "#book-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.book_query = replace(self.book_query, text=event.value.strip(), offset=0)

    @on(Input.Submitted, "#book-filter")
    def _filter_done(self) -> None:
        self.query_one(CustomerTable).focus()

    def action_filter(self) -> None:
        self.query_one("#book-filter", Input).focus()

    def action_clear_filter(self) -> None:
        """The text filter first (a search among my customers ends, my customers stay), then the flags, then the CCM filter."""
        field = self.query_one("#book-filter", Input)
        if field.value or (self.book_query.ccm is None and not self.book_query.flags):
            field.value = ""
        elif self.book_query.flags:
            self.show_flags(frozenset())
        else:
            self.show_ccm(None)
        self.query_one(CustomerTable).focus()

    # -- flags ----------------------------------------------------------------
    def action_cycle_flag(self) -> None:
        """LATE only, CCD only, NR only, hours over only, then every customer again."""
        turns = [frozenset(), *(frozenset({flag}) for flag in BookFlag)]
        current = self.book_query.flags
        following = turns[(turns.index(current) + 1) % len(turns)] if current in turns else frozenset()
        self.show_flags(following)

    def show_flags(self, flags: frozenset[BookFlag]) -> None:
        """The book narrowed to the customers showing every one of `flags` (none: no flag filter)."""
        if flags != self.book_query.flags:
            self.book_query = replace(self.book_query, flags=flags, offset=0)

    # -- saved views ----------------------------------------------------------
    _view: SavedView | None = None

    @property
    def views(self) -> tuple[SavedView, ...]:
        return views_for(self.app_settings.views, ViewScreen.BOOK)

    @property
    def active_view(self) -> SavedView | None:
        """The view last chosen, while the filters are still the ones it set."""
        view, query = self._view, self.book_query
        if view is None or (view.text, view.flags) != (query.text, query.flags):
            return None
        if not view.ccm:
            return view if query.ccm is None else None
        if view.ccm.casefold() == ME:
            return view if query.ccm is not None and query.ccm.mine else None
        return view if query.ccm is not None and query.ccm.who == view.ccm else None

    def action_next_view(self) -> None:
        if not self.views:
            self.notify('No saved views for the book: add [[views]] with screen = "book" to config.toml.', markup=False)
            return
        view = following_view(self.views, self.active_view)
        if view is None:
            self.show_view(None)
            self.notify("Every customer: no view.")
        else:
            self.show_view(view)
            self.notify(f"View: {view.name}", markup=False)

    def show_view(self, view: SavedView | None) -> None:
        """The view's filters in place of the ones on (None: every customer, unfiltered)."""
        self._view = view
        if view is None:
            view = SavedView("", ViewScreen.BOOK)
        field = self.query_one("#book-filter", Input)
        with field.prevent(Input.Changed):
            field.value = view.text
        self.book_query = replace(self.book_query, text=view.text, flags=view.flags, offset=0)
        if not view.ccm:
            self.show_ccm(None)
        else:
            self.narrow_to(None if view.ccm.casefold() == ME else view.ccm)

    # -- whose customers ------------------------------------------------------
    def action_my_customers(self) -> None:
        """Only my customers, or (already) every customer again."""
        if self.book_query.ccm is not None and self.book_query.ccm.mine:
            self.show_ccm(None)
        else:
            self.narrow_to(None)

    def narrow_to(self, name: str | None) -> None:
        """Only the customers of the CCM named `name` (None: the session's person)."""
        self.when_services(lambda: self._find_spellings(name))

    @work(thread=True, exclusive=True, group="book-ccm")
    def _find_spellings(self, name: str | None) -> None:
        # the spellings of a name in the book's CCM column: read in a worker, they cost a scan of its index
        book = self.services.book
        found = book.my_customers() if name is None else book.customers_of(name)
        self.app.call_from_thread(self.show_ccm, found)

    def show_ccm(self, ccm: CcmFilter | None) -> None:
        """The book narrowed to `ccm` (None: every customer)."""
        if ccm != self.book_query.ccm:
            self.book_query = replace(self.book_query, ccm=ccm, offset=0)

    def action_cycle_sort(self) -> None:
        order = list(BookSort)
        following = order[(order.index(self.book_query.sort) + 1) % len(order)]
        self.book_query = replace(self.book_query, sort=following, descending=False, offset=0)

    def action_reverse_sort(self) -> None:
        self.book_query = replace(self.book_query, descending=not self.book_query.descending, offset=0)

    def sort_by(self, sort: BookSort) -> None:
        descending = not self.book_query.descending if sort is self.book_query.sort else False
        self.book_query = replace(self.book_query, sort=sort, descending=descending, offset=0)

    @on(CustomerTable.SortPicked)
    def _sort_picked(self, message: CustomerTable.SortPicked) -> None:
        self.sort_by(message.sort)

    # -- customers ------------------------------------------------------------
    @on(CustomerTable.Picked)
    def _open(self, message: CustomerTable.Picked) -> None:
        self.app.open_customer(message.customer_id)

    def _current_id(self) -> int | None:
        row = self.query_one(CustomerTable).current()
        if row is None:
            self.notify("No customer selected.", severity="warning")
            return None
        return row.customer_id

    def action_new_customer(self) -> None:
        self.app.new_customer()

    def action_edit_customer(self) -> None:
        if (customer_id := self._current_id()) is not None:
            self._open_form(customer_id, "edit")

    def action_import_file(self) -> None:
        # the book reloads on its own when the report dialog closes (on_screen_resume)
        self.app.open_exchange("import")

    def action_export_book(self) -> None:
        self.app.open_exchange("export")

    def action_log_time(self) -> None:
        if (customer_id := self._current_id()) is not None:
            self._open_form(customer_id, "time")

    @work(thread=True, group="book-form")
    def _open_form(self, customer_id: int, form: str) -> None:
        """Read the customer fresh (its version guards the edit), then ask."""
        # Forms pull in validation and holidays: not needed for the first frame.
        from ccm_tui.screens.customer_forms import customer_dialog, time_dialog

        customer = self.services.book.get_customer(customer_id)
        dialog: Screen[Any]  # a customer form or a time form: each saves its own record
        if form == "edit":
            dialog = customer_dialog(self.services, customer, self.services.book.ccm_choices())
            done = f"Saved {customer.name}."
        else:
            dialog = time_dialog(self.services, customer.id, customer.name)
            done = f"Time logged for {customer.name}."

        def saved(result: object) -> None:
            if result is not None:
                self.notify(done, markup=False)  # a customer's name is text, not markup
                self._load()

        self.app.call_from_thread(push_if_active, self, dialog, saved)
