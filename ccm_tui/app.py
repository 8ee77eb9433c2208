"""CcmApp: wires screens, keys and the command palette to injected services.

It holds no rules and no SQL. The first frame is painted before the ORM is
imported: the book is opened in a worker, and screens wait for `services`
(screens/base.py). Until it is open the palette is dimmed too: every command
that needs the book is behind it.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import var
from textual.screen import Screen

from ccm_tui.clock import Clock
from ccm_tui.config import Settings
from ccm_tui.hang_up import leave_when_hung_up
from ccm_tui.palette.book import BookCommands
from ccm_tui.palette.calendar import calendar_commands
from ccm_tui.palette.customers import CustomerCommands
from ccm_tui.palette.finds import FindCommands
from ccm_tui.palette.reviews import ReviewCommands
from ccm_tui.palette.views import ViewCommands
from ccm_tui.screens.customer_book import CustomerBookScreen
from ccm_tui.screens.dialogs.opening import KeysAhead
from ccm_tui.screens.following import BookChanged, FollowsBook
from ccm_tui.stylesheet import ParsedOnceStylesheet
from ccm_tui.text.formatting import Formatter
from ccm_tui.widgets.list_keys import in_a_list, move_in_list
from ccm_tui.widgets.workers import work

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ccm_tui.book_location import BookLocation
    from ccm_tui.domain.model import Customer
    from ccm_tui.services import Services


# Each of these screens is imported when its key (2, 3, 4) is first pressed: not needed for the first frame.
def _calendar() -> Screen:
    from ccm_tui.screens.activation_calendar import ActivationCalendarScreen

    return ActivationCalendarScreen()


def _checklist() -> Screen:
    from ccm_tui.screens.checklist import ChecklistScreen

    return ChecklistScreen()


def _review_agenda() -> Screen:
    from ccm_tui.screens.review_agenda import ReviewAgendaScreen

    return ReviewAgendaScreen()


class CcmApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "ccm"
    COMMANDS = App.COMMANDS | {CustomerCommands, FindCommands, ReviewCommands, BookCommands, ViewCommands}
    MODES = {"book": CustomerBookScreen, "calendar": _calendar, "agenda": _review_agenda, "checklist": _checklist}
    DEFAULT_MODE = "book"  # the first screen is the book's own: no default screen built, then switched away from
    BINDINGS = [
        Binding("1", "show('book')", "Book", show=False, tooltip="The customer book", id="app.book"),
        Binding("2", "show('calendar')", "Calendar", show=False, tooltip="The activation calendar", id="app.calendar"),
        Binding("3", "show('checklist')", "Checklist", show=False, tooltip="Pre-activation checklists", id="app.checklist"),
        Binding("4", "show('agenda')", "Agenda", show=False, tooltip="Service-review agenda", id="app.agenda"),
        Binding("question_mark", "help", "Help", id="app.help"),
        # Textual adds ctrl+p only when no binding names the palette: with `:` here, ctrl+p is written out
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "palette",  # as Textual's own: the footer shows it on its right, "^p palette"
            show=False,
            key_display=App.COMMAND_PALETTE_DISPLAY,
            priority=True,
            id="app.palette",
            tooltip="Open the command palette",
        ),
        # not priority: a colon typed in a field ("09:30") is a colon
        Binding(
            "colon",
            "command_palette",
            "Command palette",
            show=False,
            tooltip="The command palette, as ctrl+p (k9s's :)",
            id="app.palette_colon",
        ),
        # vi keys in whatever list has the focus; a screen's or a field's own use of the key comes first
        Binding("j", "list('down')", "Down", show=False, tooltip="Next row of the list", id="app.down"),
        Binding("k", "list('up')", "Up", show=False, tooltip="Previous row of the list", id="app.up"),
        Binding("g", "list('top')", "Top", show=False, tooltip="First row of the list", id="app.top"),
        Binding("G", "list('bottom')", "Bottom", show=False, tooltip="Last row of the list", id="app.bottom"),
        # priority: a DataTable binds home/end to sideways scrolling; in a field they stay the field's (check_action)
        Binding("home", "list('top')", "First row", show=False, priority=True, tooltip="First row of the list", id="app.first"),
        Binding("end", "list('bottom')", "Last row", show=False, priority=True, tooltip="Last row of the list", id="app.last"),
        # not priority: a `u` typed in a field is a letter
        Binding("u", "undo", "Undo", show=False, id="app.undo", tooltip="Undo your last change (it is kept, as a change)"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="app.redo", tooltip="Redo the change you last undid"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    services: var[Services | None] = var(None, init=False)

    def __init__(self, settings: Settings, clock: Clock, book: BookLocation, services: Services | None = None) -> None:
        super().__init__()
        # each source parsed once per process, not on every screen's first visit (see ccm_tui/stylesheet.py)
        self.stylesheet = ParsedOnceStylesheet(variables=self.get_css_variables())
        self.settings = settings
        self.clock = clock
        self.book = book
        self.formatter = Formatter(settings.locale)
        self._given_services = services
        self._first_frame = threading.Event()  # set once it is out (the book's opening worker waits for it)
        self.keys_ahead = KeysAhead(self)  # keys typed right after a dialog's key wait for the dialog
        self.theme = settings.theme if settings.theme in self.available_themes else "textual-dark"

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.keys_ahead.take(event):
            return  # typed while a dialog is on its way: it gets the key once it has the focus
        await super().on_event(event)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        try:
            return await super().run_action(action, default_namespace, namespaces)
        finally:
            self.keys_ahead.action_ran(action, default_namespace)

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))  # config.toml's [keys], checked at start (screens/keymap.py)
        leave_when_hung_up(self)  # a closed terminal ends the app, even when ccm is not the one told (make run)
        self.sub_title = self.book.label  # the date once the first frame is out: babel reads its locale data (30 ms)
        self.call_after_refresh(lambda: setattr(self, "sub_title", self._subtitle()))
        self.call_after_refresh(self._first_frame.set)
        if self._given_services is not None:
            self.services = self._given_services
        else:
            self._open_book()  # the first glance at once; the ORM's import waits for the first frame

    def watch_services(self) -> None:
        self.refresh_bindings()  # the keys that waited for the book light up
        if self.services is not None:
            from ccm_tui.screens.people import who_and_access  # with the book, not before the first frame

            self.title = who_and_access(self.services)  # in place of "ccm": at 80 columns the date must still fit
            self._follow_book(self.services)
            self.call_after_refresh(gc.freeze)  # what is loaded now stays: full collections skip it (70-80 ms stalls)

    # -- following the book: other sessions' changes show without a key press ----------
    book_moves = 0
    """Changes made by other sessions since the app started (screens/following.py)."""
    _leaving = False

    @work(thread=True, group="follow-book")
    def _follow_book(self, services: Services) -> None:
        if not self._leaving:  # connecting (LISTEN on a server) may take a moment: off the event loop
            services.watch.start(self._book_changed_elsewhere)
        if self._leaving:  # quit while it started: on_unmount may have stopped nothing yet
            services.watch.stop()

    def _book_changed_elsewhere(self) -> None:
        # (The watcher's thread.) post_message is thread-safe, and refuses once the app is closing.
        with contextlib.suppress(RuntimeError):  # the loop closed under us: nothing left to show it
            self.post_message(BookChanged())

    def on_book_changed(self, _message: BookChanged) -> None:
        self.book_moves += 1
        if isinstance(self.screen, FollowsBook):  # a dialog on top: the screen beneath reloads when it closes
            self.screen.book_changed()

    def on_unmount(self) -> None:
        self._leaving = True
        if self.services is not None:
            self.services.watch.stop()  # the thread ends and its connection closes: no hang at quit

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command_palette" and self.services is None:
            return None  # its customers, reviews and book commands all need the book
        if action == "list" and not in_a_list(self.focused):
            return False  # home/end (priority) go on to the field or view that has the focus
        if action in ("undo", "redo") and (self.services is None or self.services.access.read_only):
            return None  # nothing to write back with, or no right to
        return True

    def _open_services(self) -> Services:
        """The book's services, for what is reached only once it is open (book keys, the palette)."""
        from ccm_tui.screens.base import BookNotOpen

        if self.services is None:
            raise BookNotOpen("the book is not open yet")
        return self.services

    def _subtitle(self) -> str:
        from zoneinfo import ZoneInfo

        today = self.clock.now().astimezone(ZoneInfo(self.settings.time_zone)).date()
        return f"{self.book.label} · {self.formatter.date_long(today)}"

    @work(thread=True, exclusive=True, group="open-book")
    def _open_book(self) -> None:
        from ccm_tui.errors import StoreError
        from ccm_tui.screens.base import BUSY_NOTE, NOTE_EVERY_S, retry_while_busy
        from ccm_tui.services import open_book

        if not (isinstance(first := self.screen, CustomerBookScreen) and first.glance(self.book)):
            self._first_frame.wait(1.0)  # the ORM's import holds the interpreter: the first frame goes out first

        def busy() -> None:  # opening takes the write lock (to migrate): another ccm's import holds it
            self.call_from_thread(self.notify, BUSY_NOTE, title="Book busy", severity="warning", timeout=NOTE_EVERY_S)

        try:
            services, migration = retry_while_busy(lambda: open_book(self.book, self.settings, self.clock), busy)
        except (StoreError, OSError) as error:  # not a book, unreadable, no room: say so and stop
            if self.return_code is None:  # else leaving already (a hang-up): the open was cut off, not refused
                self.call_from_thread(self.exit, None, 2, f"ccm: cannot open {self.book.label}: {error}")
            return
        self.call_from_thread(setattr, self, "services", services)
        if self._asks_name(services):
            self.call_from_thread(self._ask_name, services)
        if migration is not None and migration.notice is not None:
            self.call_from_thread(self.notify, migration.notice, markup=False)

    def _asks_name(self, services: Services) -> bool:
        """The first start on one's own book file: config.toml has no name yet (a server book names its logins)."""
        own_file = self.book.path is not None and not self.book.demo
        return own_file and not services.access.read_only and not self.settings.ccm_name.strip()

    def _ask_name(self, services: Services) -> None:
        import os

        from ccm_tui.config_file import config_path
        from ccm_tui.domain.people import Person
        from ccm_tui.screens.people import name_dialog

        def named(person: Person | None) -> None:
            if person is not None:
                services.actor = person
                self.settings = replace(self.settings, ccm_name=person.name)
                self.watch_services()  # the header names them

        self.push_screen(name_dialog(services, config_path(dict(os.environ))), named)

    def _handle_exception(self, error: Exception) -> None:
        """A store error no worker caught (the book stayed busy, a row went away) is a message, not the end."""
        from textual.worker import WorkerFailed

        from ccm_tui.errors import BookBusy, StoreError

        failed = error.error if isinstance(error, WorkerFailed) else None
        if failed is not None and self.return_code is not None:
            # Leaving already (the terminal hung up while the book was opening): a worker cut off by the
            # app's end is not a failure, and must not turn the exit status into 1.
            return
        # Only a worker's: it has ended anyway; a handler's error has stopped its widget's messages.
        if isinstance(failed, StoreError):
            title = "Book busy" if isinstance(failed, BookBusy) else "Not done"
            # markup=False: the message may quote a name or a path ("[/]" is text, not markup)
            self.notify(str(failed)[:1].upper() + str(failed)[1:], title=title, severity="error", timeout=12, markup=False)
            return
        super()._handle_exception(error)

    # -- navigation -----------------------------------------------------------
    def action_show(self, mode: str) -> None:
        if self.current_mode == mode:
            # Back to the screen's root from a pushed detail screen.
            while len(self.screen_stack) > 1:
                self.pop_screen()
        else:
            self.switch_mode(mode)

    def open_customer(self, customer_id: int) -> None:
        from ccm_tui.screens.customer_detail import CustomerDetailScreen

        self.push_screen(CustomerDetailScreen(customer_id))

    def open_activation(self, activation_id: int) -> None:
        from ccm_tui.screens.activation_detail import ActivationDetailScreen

        self.push_screen(ActivationDetailScreen(activation_id))

    def prepare_review(self, customer_id: int | None = None) -> None:
        """The agenda screen, on the customer's review (None: the reviews due)."""
        from ccm_tui.screens.review_agenda import ReviewAgendaScreen

        self.action_show("agenda")
        root = self.screen_stack[0]
        if isinstance(root, ReviewAgendaScreen):
            root.request_customer(customer_id)

    def new_customer(self) -> None:
        self._new_customer(self._open_services(), self.screen)

    @work(thread=True, group="new-customer")
    def _new_customer(self, services: Services, over: Screen) -> None:
        """Read the CCM names the form suggests, then ask (over the screen it was asked from)."""
        from ccm_tui.screens.customer_forms import customer_dialog
        from ccm_tui.screens.dialogs.opening import push_if_active

        def opened(customer: Customer | None) -> None:
            if customer is not None:
                self.open_customer(customer.id)

        self.call_from_thread(push_if_active, over, customer_dialog(services, None, services.book.ccm_choices()), opened)

    def show_customers_of(self, name: str | None = None) -> None:
        """The book, narrowed to one CCM's customers (`name` None: the session's person's)."""
        self.action_show("book")
        root = self.screen_stack[0]
        if isinstance(root, CustomerBookScreen):
            root.narrow_to(name)

    def open_exchange(self, what: str) -> None:
        """The import (`"import"`) or export (`"export"`) dialog."""
        from ccm_tui.screens.export_dialog import open_export
        from ccm_tui.screens.import_dialog import open_import

        if what == "import":
            open_import(self, self._open_services())
        else:
            open_export(self, self._open_services())

    # -- undo and redo (screens/undo_keys.py) -----------------------------------
    def action_undo(self) -> None:
        self._turn_back(self._open_services(), redo=False)

    def action_redo(self) -> None:
        self._turn_back(self._open_services(), redo=True)

    @work(thread=True, exclusive=True, group="undo")
    def _turn_back(self, services: Services, *, redo: bool) -> None:
        from ccm_tui.screens.undo_keys import turn_back

        turn_back(self, services, redo=redo)

    # -- help and palette -----------------------------------------------------
    def action_command_palette(self) -> None:
        """Textual's palette, safe against keys typed ahead (see screens/command_palette.py)."""
        from ccm_tui.screens.command_palette import CommandPalette, TextualCommandPalette

        # One at a time, even under a dialog; no fixed id, so one closing may overlap a new one.
        if self.use_command_palette and not any(isinstance(s, TextualCommandPalette) for s in self.screen_stack):
            self.push_screen(CommandPalette())

    def action_list(self, where: str) -> None:
        """j/k/g/G, home/end: move the cursor of the focused list (a DataTable, an OptionList, a ListView)."""
        move_in_list(self.focused, where)

    def action_help(self) -> None:
        """Every key that works here: this screen's first, then everywhere, then the focused widget's."""
        from ccm_tui.screens.help_keys import keys_here  # the help is read when asked for, not at start

        self.push_screen(keys_here(self))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Customer book", "Every customer (key 1)", lambda: self.action_show("book"))
        yield SystemCommand(
            "Activation calendar", "Installations and activation events (key 2)", lambda: self.action_show("calendar")
        )
        yield SystemCommand("Pre-activation checklist", "Readiness per activation (key 3)", lambda: self.action_show("checklist"))
        yield SystemCommand("Service-review agenda", "Agenda and hours (key 4)", lambda: self.action_show("agenda"))
        writable = self.services is None or not self.services.access.read_only
        if writable:
            yield SystemCommand("New customer", "Add a customer to the book", self.new_customer)
        yield from calendar_commands(self, self.action_show)
        yield SystemCommand("Reviews due", "Customers whose service review is due (key 4)", self.prepare_review)
        if writable:
            yield SystemCommand("Undo", "Undo your last change (u)", self.action_undo)
            yield SystemCommand("Redo", "Redo the change you last undid (ctrl+r)", self.action_redo)
            yield SystemCommand(
                "Import from CSV",
                "Customers, contacts, sites, orders, activations (i on the book)",
                lambda: self.open_exchange("import"),
            )
        yield SystemCommand(
            "Export the book", "As CSV files or one JSON document (x on the book)", lambda: self.open_exchange("export")
        )
        yield SystemCommand("Keys", "Every key binding (?)", self.action_help)
        # A screen's own main actions (e.g. the checklist's), while it is open.
        screen_commands = getattr(screen, "palette_commands", None)
        if callable(screen_commands):
            yield from screen_commands()
